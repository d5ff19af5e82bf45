from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from beatbridge.accounts.models import Role, TeamAssignment, TeamRole, User
from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    SuperuserFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(SuperuserFactory())
    return client


def admin_pages():
    assignment = TeamAssignmentFactory()
    user = assignment.officer.user
    return [
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_changelist") + "?q=person&role=officer",
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[user.pk]),
        reverse("admin:accounts_officerprofile_changelist") + "?q=officer",
        reverse("admin:accounts_officerprofile_add"),
        reverse("admin:accounts_officerprofile_change", args=[assignment.officer.pk]),
        reverse("admin:accounts_teamassignment_changelist"),
        reverse("admin:accounts_teamassignment_changelist") + "?serving=current&role=supervisor",
        reverse("admin:accounts_teamassignment_changelist")
        + f"?serving=ended&neighbourhood__force__id__exact={assignment.neighbourhood.force_id}",
        reverse("admin:accounts_teamassignment_add"),
        reverse("admin:accounts_teamassignment_change", args=[assignment.pk]),
    ]


def test_every_accounts_admin_page_loads_for_a_superuser(superuser_client):
    for url in admin_pages():
        response = superuser_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OFFICER, Role.SUPERVISOR])
def test_people_without_admin_access_are_sent_to_the_admin_sign_in(client, role):
    client.force_login(UserFactory(role=role))

    for url in admin_pages():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client):
    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.url.startswith(reverse("admin:login"))


def user_change_data(user, **changes):
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "home_neighbourhood": "",
        "role": user.role,
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        **changes,
    }


def test_a_superuser_grants_a_role_in_the_admin(superuser_client):
    person = UserFactory()

    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        user_change_data(person, role=Role.ADMINISTRATOR),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.role == Role.ADMINISTRATOR
    assert person.is_staff


def test_the_admin_refuses_an_email_taken_in_another_case(superuser_client):
    UserFactory(email="ana@example.org")
    person = UserFactory()

    response = superuser_client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        user_change_data(person, email="ANA@example.org"),
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="ana@example.org").count() == 1


def test_the_admin_adds_an_account_with_a_lower_case_email_and_its_role(superuser_client):
    response = superuser_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Officer@Example.org",
            "full_name": "New Officer",
            "role": Role.OFFICER,
            "usable_password": "true",
            "password1": "lantern-orchard-41",
            "password2": "lantern-orchard-41",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.officer@example.org")
    assert user.role == Role.OFFICER


def test_nobody_changes_their_own_role_in_the_admin(client):
    administrator = AdministratorFactory(is_superuser=True)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_change", args=[administrator.pk]),
        user_change_data(
            administrator, full_name="Renamed", role=Role.RESIDENT, is_staff="on", is_superuser="on"
        ),
    )

    assert response.status_code == 302

    administrator.refresh_from_db()
    assert administrator.full_name == "Renamed"
    assert administrator.role == Role.ADMINISTRATOR


def test_a_staff_member_who_is_not_an_administrator_cannot_grant_roles(client):
    staff = UserFactory(role=Role.SUPERVISOR, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    person = UserFactory()
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        user_change_data(person, full_name="Renamed", role=Role.ADMINISTRATOR),
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Renamed"
    assert person.role == Role.RESIDENT
    assert not person.is_staff


def assignment_data(assignment=None, **changes):
    data = {
        "officer": assignment.officer.pk if assignment else "",
        "neighbourhood": assignment.neighbourhood.pk if assignment else "",
        "role": assignment.role if assignment else TeamRole.NEIGHBOURHOOD_OFFICER,
        "starts_on": "2025-03-01",
        "ends_on": "",
    }
    return {**data, **changes}


def test_the_admin_refuses_an_overlapping_assignment(superuser_client):
    existing = TeamAssignmentFactory(starts_on=datetime.date(2025, 1, 1))

    response = superuser_client.post(
        reverse("admin:accounts_teamassignment_add"), assignment_data(existing)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "already serves this neighbourhood" in errors["starts_on"][0]
    assert TeamAssignment.objects.count() == 1


def test_the_admin_refuses_an_end_before_the_start(superuser_client):
    officer = OfficerProfileFactory()
    neighbourhood = NeighbourhoodFactory(force=officer.force)

    response = superuser_client.post(
        reverse("admin:accounts_teamassignment_add"),
        {
            "officer": officer.pk,
            "neighbourhood": neighbourhood.pk,
            "role": TeamRole.SUPERVISOR,
            "starts_on": "2025-03-01",
            "ends_on": "2025-02-01",
        },
    )

    assert "ends_on" in response.context["adminform"].form.errors
    assert TeamAssignment.objects.count() == 0


def test_the_admin_ends_an_assignment_without_comparing_it_with_itself(superuser_client):
    assignment = TeamAssignmentFactory(starts_on=datetime.date(2025, 1, 1))

    response = superuser_client.post(
        reverse("admin:accounts_teamassignment_change", args=[assignment.pk]),
        assignment_data(assignment, starts_on="2025-01-01", ends_on="2025-06-30"),
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == datetime.date(2025, 6, 30)


def test_the_officer_inline_refuses_an_overlapping_assignment(superuser_client):
    existing = TeamAssignmentFactory(starts_on=datetime.date(2025, 1, 1))
    officer = existing.officer
    prefix = "assignments"

    response = superuser_client.post(
        reverse("admin:accounts_officerprofile_change", args=[officer.pk]),
        {
            "user": officer.user.pk,
            "force": officer.force.pk,
            "display_name": officer.display_name,
            "rank": officer.rank,
            "bio": officer.bio,
            "languages": '["en"]',
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": existing.pk,
            f"{prefix}-0-officer": officer.pk,
            f"{prefix}-0-neighbourhood": existing.neighbourhood.pk,
            f"{prefix}-0-role": existing.role,
            f"{prefix}-0-starts_on": "2025-01-01",
            f"{prefix}-1-officer": officer.pk,
            f"{prefix}-1-neighbourhood": existing.neighbourhood.pk,
            f"{prefix}-1-role": existing.role,
            f"{prefix}-1-starts_on": "2025-05-01",
        },
    )

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert "starts_on" in inline.formset.forms[1].errors
    assert TeamAssignment.objects.count() == 1


def team_on_page(client, neighbourhood) -> str:
    """The team section of the neighbourhood's public page."""
    url = reverse(
        "places:neighbourhood",
        kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code},
    )
    content = client.get(url).content.decode()
    return content.split('id="team-heading"')[1].split("</section>")[0]


def test_a_public_name_edited_in_the_admin_shows_on_the_team_page_at_once(superuser_client):
    assignment = TeamAssignmentFactory(officer__display_name="Old Name")
    officer, neighbourhood = assignment.officer, assignment.neighbourhood
    assert "Old Name" in team_on_page(superuser_client, neighbourhood)
    prefix = "assignments"

    response = superuser_client.post(
        reverse("admin:accounts_officerprofile_change", args=[officer.pk]),
        {
            "user": officer.user.pk,
            "force": officer.force.pk,
            "display_name": "New Name",
            "rank": officer.rank,
            "bio": officer.bio,
            "languages": "[]",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": assignment.pk,
            f"{prefix}-0-officer": officer.pk,
            f"{prefix}-0-neighbourhood": neighbourhood.pk,
            f"{prefix}-0-role": assignment.role,
            f"{prefix}-0-starts_on": assignment.starts_on.isoformat(),
        },
    )

    assert response.status_code == 302
    team = team_on_page(superuser_client, neighbourhood)
    assert "New Name" in team
    assert "Old Name" not in team


def test_an_assignment_deleted_in_the_admin_leaves_the_team_page_at_once(superuser_client):
    assignment = TeamAssignmentFactory(officer__display_name="Leaving Officer")
    neighbourhood = assignment.neighbourhood
    assert "Leaving Officer" in team_on_page(superuser_client, neighbourhood)

    superuser_client.post(
        reverse("admin:accounts_teamassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )

    assert TeamAssignment.objects.count() == 0
    assert "Leaving Officer" not in team_on_page(superuser_client, neighbourhood)
