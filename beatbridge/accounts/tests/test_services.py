from __future__ import annotations

import datetime

import pytest

from beatbridge.accounts import services
from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, TeamRole, User
from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-41"
JAN_1 = datetime.date(2025, 1, 1)
JUN_30 = datetime.date(2025, 6, 30)


# --- register_resident ---


def test_register_resident_creates_a_resident_with_a_lower_case_email():
    neighbourhood = NeighbourhoodFactory()

    user = services.register_resident(
        email="  Ana.Lopez@Example.org ",
        password=GOOD_PASSWORD,
        full_name="Ana  López",
        preferred_language="es",
        home_neighbourhood=neighbourhood,
    )

    user.refresh_from_db()
    assert (user.email, user.full_name) == ("ana.lopez@example.org", "Ana López")
    assert user.role == Role.RESIDENT
    assert (user.preferred_language, user.home_neighbourhood) == ("es", neighbourhood)
    assert user.check_password(GOOD_PASSWORD)


def test_register_resident_hashes_the_password_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    user = services.register_resident(email="a@example.org", password=GOOD_PASSWORD)

    assert user.password.startswith("argon2")


def test_register_resident_refuses_an_email_taken_in_another_case():
    UserFactory(email="ana@example.org")

    with pytest.raises(DomainError) as error:
        services.register_resident(email="ANA@example.org", password=GOOD_PASSWORD)

    assert (error.value.field, error.value.code) == ("email", "duplicate")
    assert User.objects.count() == 1


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b@example.org"])
def test_register_resident_refuses_an_invalid_email(email):
    with pytest.raises(DomainError) as error:
        services.register_resident(email=email, password=GOOD_PASSWORD)

    assert error.value.field == "email"
    assert User.objects.count() == 0


@pytest.mark.parametrize("password", ["short", "12345678901", "password123", "ana@example.org"])
def test_register_resident_refuses_a_weak_password(password):
    with pytest.raises(DomainError) as error:
        services.register_resident(email="ana@example.org", password=password)

    assert error.value.field == "password"
    assert error.value.message
    assert User.objects.count() == 0


def test_register_resident_refuses_an_unknown_language():
    with pytest.raises(DomainError) as error:
        services.register_resident(
            email="ana@example.org", password=GOOD_PASSWORD, preferred_language="xx"
        )

    assert error.value.field == "preferred_language"
    assert User.objects.count() == 0


def test_register_resident_refuses_an_overlong_name():
    with pytest.raises(DomainError) as error:
        services.register_resident(
            email="ana@example.org", password=GOOD_PASSWORD, full_name="A" * 151
        )

    assert error.value.field == "full_name"
    assert User.objects.count() == 0


# --- create_officer ---


def test_create_officer_creates_the_account_and_the_public_profile():
    force = ForceFactory()

    officer = services.create_officer(
        email="Sam.Reed@Police.example",
        full_name="Samuel Reed",
        display_name="Sam Reed",
        force=force,
        rank="Sergeant",
        bio="Twenty years on the beat.",
        languages=["en", "SO", "en"],
        role=Role.SUPERVISOR,
        is_senior=True,
        password=GOOD_PASSWORD,
    )

    officer.refresh_from_db()
    assert (officer.display_name, officer.rank, officer.force) == ("Sam Reed", "Sergeant", force)
    assert (officer.languages, officer.is_senior) == (["en", "so"], True)
    assert (officer.user.email, officer.user.role) == ("sam.reed@police.example", "supervisor")
    assert officer.user.check_password(GOOD_PASSWORD)


def test_create_officer_without_a_password_cannot_sign_in_until_a_reset():
    officer = services.create_officer(
        email="sam@police.example", full_name="Sam Reed", force=ForceFactory(), rank="Officer"
    )

    assert officer.display_name == "Sam Reed"
    assert officer.user.role == Role.OFFICER
    assert not officer.user.has_usable_password()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": Role.RESIDENT}, "role"),
        ({"role": Role.ADMINISTRATOR}, "role"),
        ({"email": "nope"}, "email"),
        ({"full_name": "  "}, "full_name"),
        ({"languages": ["English"]}, "languages"),
        ({"password": "123"}, "password"),
    ],
)
def test_create_officer_refuses_bad_input_and_writes_nothing(changes, field):
    arguments = {
        "email": "sam@police.example",
        "full_name": "Sam Reed",
        "force": ForceFactory(),
        "rank": "Officer",
        **changes,
    }

    with pytest.raises(DomainError) as error:
        services.create_officer(**arguments)

    assert error.value.field == field
    assert (User.objects.count(), OfficerProfile.objects.count()) == (0, 0)


def test_create_officer_refuses_an_email_already_used():
    UserFactory(email="sam@police.example")

    with pytest.raises(DomainError) as error:
        services.create_officer(
            email="Sam@police.example", full_name="Sam", force=ForceFactory(), rank="Officer"
        )

    assert error.value.field == "email"
    assert (User.objects.count(), OfficerProfile.objects.count()) == (1, 0)


# --- assign_officer / end_assignment ---


def test_assign_officer_puts_the_officer_on_the_team():
    officer = OfficerProfileFactory()
    neighbourhood = NeighbourhoodFactory(force=officer.force)

    assignment = services.assign_officer(
        officer=officer,
        neighbourhood=neighbourhood,
        role=TeamRole.NEIGHBOURHOOD_OFFICER,
        starts_on=JAN_1,
    )

    assert TeamAssignment.objects.current(JUN_30).get() == assignment
    assert assignment.ends_on is None


def test_assign_officer_refuses_an_end_before_the_start():
    officer = OfficerProfileFactory()

    with pytest.raises(DomainError) as error:
        services.assign_officer(
            officer=officer,
            neighbourhood=NeighbourhoodFactory(force=officer.force),
            role=TeamRole.NEIGHBOURHOOD_OFFICER,
            starts_on=JUN_30,
            ends_on=JAN_1,
        )

    assert error.value.field == "ends_on"
    assert TeamAssignment.objects.count() == 0


def test_assign_officer_refuses_an_unknown_team_role():
    officer = OfficerProfileFactory()

    with pytest.raises(DomainError) as error:
        services.assign_officer(
            officer=officer,
            neighbourhood=NeighbourhoodFactory(force=officer.force),
            role="captain",
            starts_on=JAN_1,
        )

    assert error.value.field == "role"
    assert TeamAssignment.objects.count() == 0


def test_assign_officer_refuses_a_neighbourhood_of_another_force():
    with pytest.raises(DomainError) as error:
        services.assign_officer(
            officer=OfficerProfileFactory(),
            neighbourhood=NeighbourhoodFactory(),
            role=TeamRole.NEIGHBOURHOOD_OFFICER,
            starts_on=JAN_1,
        )

    assert error.value.field == "neighbourhood"
    assert TeamAssignment.objects.count() == 0


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (datetime.date(2025, 3, 1), None),  # inside an open-ended assignment
        (datetime.date(2024, 6, 1), datetime.date(2025, 1, 1)),  # ends on its first day
        (datetime.date(2024, 1, 1), None),  # starts before and never ends
    ],
)
def test_assign_officer_refuses_an_overlap_in_the_same_role_and_place(starts_on, ends_on):
    existing = TeamAssignmentFactory(starts_on=JAN_1, ends_on=None)

    with pytest.raises(DomainError) as error:
        services.assign_officer(
            officer=existing.officer,
            neighbourhood=existing.neighbourhood,
            role=existing.role,
            starts_on=starts_on,
            ends_on=ends_on,
        )

    assert (error.value.field, error.value.code) == ("starts_on", "overlap")
    assert "2025-01-01" in error.value.message
    assert TeamAssignment.objects.count() == 1


def test_assign_officer_allows_a_new_term_after_the_last_one_ended():
    existing = TeamAssignmentFactory(starts_on=JAN_1, ends_on=JUN_30)

    services.assign_officer(
        officer=existing.officer,
        neighbourhood=existing.neighbourhood,
        role=existing.role,
        starts_on=JUN_30 + datetime.timedelta(days=1),
    )

    assert TeamAssignment.objects.count() == 2


def test_assign_officer_allows_another_role_in_the_same_place_at_once():
    existing = TeamAssignmentFactory(starts_on=JAN_1)

    services.assign_officer(
        officer=existing.officer,
        neighbourhood=existing.neighbourhood,
        role=TeamRole.LIAISON_OFFICER,
        starts_on=JAN_1,
    )

    assert TeamAssignment.objects.count() == 2


def test_end_assignment_keeps_the_record_as_history():
    assignment = TeamAssignmentFactory(starts_on=JAN_1)

    services.end_assignment(assignment=assignment, ends_on=JUN_30)

    assignment.refresh_from_db()
    assert assignment.ends_on == JUN_30
    assert not TeamAssignment.objects.current(datetime.date(2025, 7, 1)).exists()


def test_end_assignment_refuses_an_end_before_the_start():
    assignment = TeamAssignmentFactory(starts_on=JUN_30)

    with pytest.raises(DomainError) as error:
        services.end_assignment(assignment=assignment, ends_on=JAN_1)

    assert error.value.field == "ends_on"
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_end_assignment_refuses_reopening_into_a_later_term():
    first = TeamAssignmentFactory(starts_on=JAN_1, ends_on=datetime.date(2025, 3, 31))
    TeamAssignmentFactory(
        officer=first.officer,
        neighbourhood=first.neighbourhood,
        starts_on=datetime.date(2025, 4, 1),
    )

    with pytest.raises(DomainError) as error:
        services.end_assignment(assignment=first, ends_on=JUN_30)

    assert error.value.field == "starts_on"
    first.refresh_from_db()
    assert first.ends_on == datetime.date(2025, 3, 31)


# --- grant_role ---


def test_an_administrator_grants_a_staff_role():
    resident = UserFactory()

    services.grant_role(user=resident, role=Role.LIAISON_OFFICER, granted_by=AdministratorFactory())

    resident.refresh_from_db()
    assert resident.role == Role.LIAISON_OFFICER
    assert not resident.is_staff


def test_granting_administrator_opens_the_admin_site_and_taking_it_away_closes_it():
    person = UserFactory()
    administrator = AdministratorFactory()

    services.grant_role(user=person, role=Role.ADMINISTRATOR, granted_by=administrator)
    person.refresh_from_db()
    assert person.is_staff

    services.grant_role(user=person, role=Role.RESIDENT, granted_by=administrator)
    person.refresh_from_db()
    assert not person.is_staff


@pytest.mark.parametrize("granter_role", [Role.RESIDENT, Role.OFFICER, Role.SUPERVISOR])
def test_nobody_but_an_administrator_may_grant_a_role(granter_role):
    resident = UserFactory()

    with pytest.raises(PermissionDenied):
        services.grant_role(
            user=resident, role=Role.OFFICER, granted_by=UserFactory(role=granter_role)
        )

    resident.refresh_from_db()
    assert resident.role == Role.RESIDENT


def test_an_inactive_administrator_may_not_grant_a_role():
    resident = UserFactory()

    with pytest.raises(PermissionDenied):
        services.grant_role(
            user=resident, role=Role.OFFICER, granted_by=AdministratorFactory(is_active=False)
        )


def test_nobody_chooses_their_own_role():
    administrator = AdministratorFactory()

    with pytest.raises(PermissionDenied) as error:
        services.grant_role(user=administrator, role=Role.RESIDENT, granted_by=administrator)

    assert error.value.field == "user"


def test_grant_role_refuses_an_unknown_role():
    resident = UserFactory()

    with pytest.raises(DomainError) as error:
        services.grant_role(user=resident, role="sheriff", granted_by=AdministratorFactory())

    assert error.value.field == "role"
    resident.refresh_from_db()
    assert resident.role == Role.RESIDENT


# --- update_profile / remember_language ---


def test_update_profile_changes_name_language_and_home():
    user = UserFactory()
    neighbourhood = NeighbourhoodFactory()

    services.update_profile(
        user=user, full_name="Ana López", preferred_language="ar", home_neighbourhood=neighbourhood
    )

    user.refresh_from_db()
    assert (user.full_name, user.preferred_language) == ("Ana López", "ar")
    assert user.home_neighbourhood == neighbourhood


def test_update_profile_refuses_an_unknown_language():
    user = UserFactory(preferred_language="es")

    with pytest.raises(DomainError) as error:
        services.update_profile(
            user=user, full_name="X", preferred_language="klingon", home_neighbourhood=None
        )

    assert error.value.field == "preferred_language"
    user.refresh_from_db()
    assert user.preferred_language == "es"


def test_remember_language_keeps_the_choice():
    user = UserFactory()

    services.remember_language(user=user, language="es")

    user.refresh_from_db()
    assert user.preferred_language == "es"


def test_an_administrator_granted_in_the_app_can_manage_neighbourhoods_in_the_admin(client):
    person = UserFactory()
    services.grant_role(user=person, role=Role.ADMINISTRATOR, granted_by=AdministratorFactory())
    client.force_login(person)

    response = client.get("/admin/places/neighbourhood/")

    assert response.status_code == 200


def test_only_police_or_administrators_make_a_resident_a_partner_member():
    resident, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.make_partner_member(user=resident, by=other)
    officer = OfficerProfileFactory().user
    services.make_partner_member(user=resident, by=officer)
    resident.refresh_from_db()
    assert resident.role == Role.PARTNER
    # Nobody is lowered or raised from another role.
    services.make_partner_member(user=officer, by=officer)
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER
