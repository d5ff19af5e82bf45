import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from beatbridge.audit.models import AuditEntry
from beatbridge.errors import Conflict, DomainError, PermissionDenied
from beatbridge.places.tests.factories import square
from beatbridge.watch import services
from beatbridge.watch.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSignup,
    RotaSlot,
    Scheme,
    SchemeStatus,
)
from beatbridge.watch.tests.factories import MembershipFactory, RotaSlotFactory, SchemeFactory

pytestmark = pytest.mark.django_db

# Fremont is the 0.01° square with its south-west corner at (-122.35, 47.65).
INSIDE = square(-122.348, 47.652, 0.004)
OUTSIDE = square(-122.30, 47.70, 0.004)


def _membership(scheme, user):
    return Membership.objects.get(scheme=scheme, user=user)


# --- proposing and deciding ---------------------------------------------------------------


def test_proposal_waits_for_the_team_with_its_proposer_as_coordinator_to_be(fremont, resident):
    scheme = services.propose_scheme(
        by=resident, neighbourhood=fremont, name=" Park watch ", streets=["Park Lane", "park lane"]
    )
    assert (scheme.status, scheme.name, scheme.streets) == (
        SchemeStatus.PROPOSED,
        "Park watch",
        ["Park Lane"],
    )
    membership = _membership(scheme, resident)
    assert (membership.role, membership.status) == (
        MemberRole.COORDINATOR,
        MembershipStatus.REQUESTED,
    )


def test_proposing_twice_is_one_proposal(fremont, resident):
    first = services.propose_scheme(by=resident, neighbourhood=fremont, name="A", streets=["X"])
    again = services.propose_scheme(by=resident, neighbourhood=fremont, name="a", streets=["X"])
    assert again == first
    assert Scheme.objects.count() == 1


def test_another_persons_scheme_name_is_refused(fremont, scheme, resident):
    with pytest.raises(Conflict) as refused:
        services.propose_scheme(
            by=resident, neighbourhood=fremont, name="ELM ROAD WATCH", streets=["X"]
        )
    assert refused.value.field == "name"


def test_a_proposal_needs_streets_or_an_area(fremont, resident):
    with pytest.raises(DomainError) as refused:
        services.propose_scheme(by=resident, neighbourhood=fremont, name="A", streets=["  "])
    assert refused.value.field == "streets"
    assert not Scheme.objects.exists()


def test_an_area_inside_the_neighbourhood_is_kept(fremont, resident):
    scheme = services.propose_scheme(by=resident, neighbourhood=fremont, name="A", area=INSIDE)
    assert scheme.area["type"] == "Polygon"


@pytest.mark.parametrize(
    ("area", "code"),
    [
        (OUTSIDE, "outside_neighbourhood"),
        ({"type": "Point", "coordinates": [-122.345, 47.655]}, "invalid_area"),
        (
            {"type": "Polygon", "coordinates": [[[-122.345, 47.655], [-122.344, 47.655]]]},
            "invalid_area",
        ),
        ("not geojson", "invalid_area"),
    ],
)
def test_a_bad_area_is_refused_on_the_area_field(fremont, resident, area, code):
    with pytest.raises(DomainError) as refused:
        services.propose_scheme(by=resident, neighbourhood=fremont, name="A", area=area)
    assert (refused.value.field, refused.value.code) == ("area", code)
    assert not Scheme.objects.exists()


def test_a_nul_character_in_a_name_is_refused_before_the_database(fremont, resident):
    with pytest.raises(DomainError):
        services.propose_scheme(by=resident, neighbourhood=fremont, name="A\x00", streets=["X"])


def test_anonymous_cannot_propose(fremont):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.propose_scheme(by=AnonymousUser(), neighbourhood=fremont, name="A", streets=["X"])


def test_at_most_three_proposals_wait_per_person(fremont, resident):
    for n in range(3):
        services.propose_scheme(by=resident, neighbourhood=fremont, name=f"S{n}", streets=["X"])
    with pytest.raises(DomainError) as refused:
        services.propose_scheme(by=resident, neighbourhood=fremont, name="S4", streets=["X"])
    assert refused.value.code == "too_many_proposals"


def test_team_approval_makes_the_proposer_coordinator_and_is_audited(
    fremont, resident, fremont_officer
):
    scheme = services.propose_scheme(by=resident, neighbourhood=fremont, name="A", streets=["X"])
    services.decide_scheme(by=fremont_officer, scheme=scheme, approve=True)
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.ACTIVE
    assert _membership(scheme, resident).status == MembershipStatus.APPROVED
    assert AuditEntry.objects.filter(action="watch_scheme.approved", actor=fremont_officer).exists()
    # A double click changes nothing more.
    services.decide_scheme(by=fremont_officer, scheme=scheme, approve=True)
    assert AuditEntry.objects.filter(action="watch_scheme.approved").count() == 1


def test_declining_needs_a_note(fremont, resident, fremont_officer):
    scheme = services.propose_scheme(by=resident, neighbourhood=fremont, name="A", streets=["X"])
    with pytest.raises(DomainError) as refused:
        services.decide_scheme(by=fremont_officer, scheme=scheme, approve=False, note="")
    assert refused.value.field == "note"
    services.decide_scheme(by=fremont_officer, scheme=scheme, approve=False, note="Overlaps Elm.")
    scheme.refresh_from_db()
    assert (scheme.status, scheme.decision_note) == (SchemeStatus.DECLINED, "Overlaps Elm.")
    with pytest.raises(Conflict):
        services.decide_scheme(by=fremont_officer, scheme=scheme, approve=True)


def test_only_the_neighbourhoods_team_decides(fremont, resident, other_officer):
    scheme = services.propose_scheme(by=resident, neighbourhood=fremont, name="A", streets=["X"])
    for outsider in (resident, other_officer):
        with pytest.raises(PermissionDenied):
            services.decide_scheme(by=outsider, scheme=scheme, approve=True)
    assert Scheme.objects.get().status == SchemeStatus.PROPOSED


def test_team_sets_status_but_not_of_a_proposal(fremont, scheme, resident, fremont_officer):
    services.set_status(by=fremont_officer, scheme=scheme, status=SchemeStatus.DORMANT)
    assert Scheme.objects.get(pk=scheme.pk).status == SchemeStatus.DORMANT
    entry = AuditEntry.objects.get(action="watch_scheme.status_changed")
    assert entry.detail == {"from": "active", "to": "dormant"}
    with pytest.raises(PermissionDenied):
        services.set_status(by=resident, scheme=scheme, status=SchemeStatus.CLOSED)
    with pytest.raises(DomainError) as refused:
        services.set_status(by=fremont_officer, scheme=scheme, status=SchemeStatus.PROPOSED)
    assert refused.value.field == "status"
    proposal = SchemeFactory(neighbourhood=fremont, status=SchemeStatus.PROPOSED)
    with pytest.raises(DomainError):
        services.set_status(by=fremont_officer, scheme=proposal, status=SchemeStatus.ACTIVE)


def test_quiet_active_schemes_become_dormant_and_busy_ones_stay(fremont, scheme):
    long_ago = timezone.now() - datetime.timedelta(days=services.WATCH_DORMANT_AFTER_DAYS + 1)
    quiet = SchemeFactory(neighbourhood=fremont, last_activity_at=long_ago)
    closed = SchemeFactory(
        neighbourhood=fremont, last_activity_at=long_ago, status=SchemeStatus.CLOSED
    )
    call_command("mark_dormant_schemes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    statuses = dict(Scheme.objects.values_list("pk", "status"))
    assert statuses == {
        scheme.pk: SchemeStatus.ACTIVE,
        quiet.pk: SchemeStatus.DORMANT,
        closed.pk: SchemeStatus.CLOSED,
    }
    assert services.mark_dormant_schemes() == 0


# --- membership ---------------------------------------------------------------------------


def test_asking_to_join_twice_is_one_request(scheme, resident):
    first = services.request_membership(user=resident, scheme=scheme, note="Elm Road end")
    again = services.request_membership(user=resident, scheme=scheme)
    assert again.pk == first.pk
    assert (again.status, again.note) == (MembershipStatus.REQUESTED, "Elm Road end")


def test_joining_a_proposal_or_closed_scheme_is_refused(fremont, resident):
    for status in (SchemeStatus.PROPOSED, SchemeStatus.CLOSED, SchemeStatus.DECLINED):
        scheme = SchemeFactory(neighbourhood=fremont, status=status)
        with pytest.raises(DomainError):
            services.request_membership(user=resident, scheme=scheme)
    assert not Membership.objects.filter(user=resident).exists()


def test_a_long_note_is_refused_on_its_field(scheme, resident):
    with pytest.raises(DomainError) as refused:
        services.request_membership(user=resident, scheme=scheme, note="x" * 301)
    assert refused.value.field == "note"


def test_coordinator_approves_and_activity_is_noted(scheme, coordinator, resident):
    Scheme.objects.filter(pk=scheme.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=10)
    )
    request = services.request_membership(user=resident, scheme=scheme)
    services.decide_membership(by=coordinator, membership=request, approve=True)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (MembershipStatus.APPROVED, coordinator)
    assert Scheme.objects.get(pk=scheme.pk).last_activity_at > timezone.now() - datetime.timedelta(
        minutes=1
    )


def test_a_plain_member_or_the_team_cannot_decide_requests(
    scheme, member, resident, fremont_officer
):
    request = services.request_membership(user=resident, scheme=scheme)
    for outsider in (member, fremont_officer, resident):
        with pytest.raises(PermissionDenied):
            services.decide_membership(by=outsider, membership=request, approve=True)


def test_a_declined_person_may_not_ask_again_but_one_who_left_may(scheme, coordinator, resident):
    request = services.request_membership(user=resident, scheme=scheme)
    services.decide_membership(by=coordinator, membership=request, approve=False)
    with pytest.raises(DomainError) as refused:
        services.request_membership(user=resident, scheme=scheme)
    assert refused.value.code == "declined"
    leaver = MembershipFactory(scheme=scheme).user
    services.leave_scheme(user=leaver, scheme=scheme)
    assert services.request_membership(user=leaver, scheme=scheme).status == "requested"


def test_a_scheme_keeps_a_coordinator(scheme, coordinator, member):
    coordinator_membership = _membership(scheme, coordinator)
    with pytest.raises(DomainError) as refused:
        services.set_member_role(
            by=coordinator, membership=coordinator_membership, role=MemberRole.MEMBER
        )
    assert refused.value.code == "last_coordinator"
    with pytest.raises(DomainError):
        services.leave_scheme(user=coordinator, scheme=scheme)
    services.set_member_role(
        by=coordinator, membership=_membership(scheme, member), role=MemberRole.COORDINATOR
    )
    services.leave_scheme(user=coordinator, scheme=scheme)
    assert _membership(scheme, coordinator).status == MembershipStatus.LEFT


def test_deputies_do_not_give_roles_and_the_teams_changes_are_audited(
    scheme, coordinator, member, fremont_officer
):
    deputy = MembershipFactory(scheme=scheme, role=MemberRole.DEPUTY).user
    with pytest.raises(PermissionDenied):
        services.set_member_role(
            by=deputy, membership=_membership(scheme, member), role=MemberRole.DEPUTY
        )
    services.set_member_role(
        by=coordinator, membership=_membership(scheme, member), role=MemberRole.DEPUTY
    )
    assert not AuditEntry.objects.filter(action="watch_membership.role_changed").exists()
    services.set_member_role(
        by=fremont_officer, membership=_membership(scheme, member), role=MemberRole.COORDINATOR
    )
    assert AuditEntry.objects.filter(
        action="watch_membership.role_changed", actor=fremont_officer
    ).exists()


def test_leaving_takes_future_rota_signups_with_it(scheme, member):
    slot = RotaSlotFactory(scheme=scheme)
    services.sign_up(user=member, slot=slot)
    services.leave_scheme(user=member, scheme=scheme)
    assert not RotaSignup.objects.exists()
    assert services.leave_scheme(user=member, scheme=scheme).status == MembershipStatus.LEFT


def test_a_member_stops_and_restarts_messages(scheme, member, resident):
    from beatbridge.watch.selectors import message_recipient_ids

    services.set_receives_messages(user=member, scheme=scheme, receives=False)
    assert member.pk not in message_recipient_ids(scheme)
    services.set_receives_messages(user=member, scheme=scheme, receives=True)
    assert member.pk in message_recipient_ids(scheme)
    with pytest.raises(PermissionDenied):
        services.set_receives_messages(user=resident, scheme=scheme, receives=False)


# --- the rota -----------------------------------------------------------------------------


def _tomorrow(hours=0):
    return timezone.now() + datetime.timedelta(days=1, hours=hours)


def test_coordinator_adds_a_slot_and_a_member_may_not(scheme, coordinator, member):
    slot = services.add_rota_slot(
        by=coordinator, scheme=scheme, starts_at=_tomorrow(), ends_at=_tomorrow(2), places=3
    )
    assert (slot.places, slot.created_by) == (3, coordinator)
    with pytest.raises(PermissionDenied):
        services.add_rota_slot(
            by=member, scheme=scheme, starts_at=_tomorrow(), ends_at=_tomorrow(2)
        )


@pytest.mark.parametrize(
    ("starts", "ends", "places", "field"),
    [
        (-48, -46, 2, "starts_at"),
        (0, -1, 2, "ends_at"),
        (0, 13, 2, "ends_at"),
        (0, 2, 0, "places"),
        (0, 2, 51, "places"),
    ],
)
def test_a_bad_slot_is_refused_on_its_field(scheme, coordinator, starts, ends, places, field):
    with pytest.raises(DomainError) as refused:
        services.add_rota_slot(
            by=coordinator,
            scheme=scheme,
            starts_at=_tomorrow(starts),
            ends_at=_tomorrow(ends),
            places=places,
        )
    assert refused.value.field == field
    assert not RotaSlot.objects.exists()


def test_signing_up_twice_is_one_signup_and_places_are_a_limit(scheme, coordinator, member):
    slot = RotaSlotFactory(scheme=scheme, places=1)
    first = services.sign_up(user=member, slot=slot)
    assert services.sign_up(user=member, slot=slot) == first
    with pytest.raises(Conflict) as refused:
        services.sign_up(user=coordinator, slot=slot)
    assert refused.value.code == "full"
    assert RotaSignup.objects.count() == 1


def test_no_signing_up_to_a_past_or_cancelled_slot_or_as_a_non_member(
    scheme, coordinator, member, resident
):
    past = RotaSlotFactory(scheme=scheme, starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(DomainError) as refused:
        services.sign_up(user=member, slot=past)
    assert refused.value.code == "started"
    slot = RotaSlotFactory(scheme=scheme)
    services.cancel_rota_slot(by=coordinator, slot=slot)
    with pytest.raises(DomainError) as refused:
        services.sign_up(user=member, slot=slot)
    assert refused.value.code == "cancelled"
    with pytest.raises(PermissionDenied):
        services.sign_up(user=resident, slot=RotaSlotFactory(scheme=scheme))
    assert not RotaSignup.objects.exists()


def test_withdrawing_frees_the_place(scheme, member):
    slot = RotaSlotFactory(scheme=scheme)
    services.sign_up(user=member, slot=slot)
    assert services.withdraw(user=member, slot=slot) is True
    assert services.withdraw(user=member, slot=slot) is False
    assert not RotaSignup.objects.exists()
