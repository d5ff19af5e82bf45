"""Review probes for watch (issue 5): each guards a defect found in review, now fixed,
or a rule the review confirmed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.errors import DomainError
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

API = "/api/v1"


@pytest.fixture
def scheme_b(fremont):
    """Another scheme of the same neighbourhood, with its own coordinator and member."""
    scheme = SchemeFactory(neighbourhood=fremont, name="Oak Street watch", streets=["Oak St"])
    MembershipFactory(scheme=scheme, role=MemberRole.COORDINATOR)
    return scheme


# --- the at-least-one-coordinator rule ----------------------------------------------------


def test_an_approved_scheme_always_has_a_coordinator(fremont, resident, fremont_officer):
    scheme = services.propose_scheme(
        by=resident, neighbourhood=fremont, name="Birch watch", streets=["Birch Road"]
    )
    services.leave_scheme(user=resident, scheme=scheme)
    try:
        services.decide_scheme(by=fremont_officer, scheme=scheme, approve=True)
    except DomainError:
        return  # refusing to approve a proposal whose proposer withdrew is a fine fix too
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.ACTIVE
    assert Membership.objects.filter(
        scheme=scheme, status=MembershipStatus.APPROVED, role=MemberRole.COORDINATOR
    ).exists()


def test_the_last_coordinator_cannot_demote_themself_through_the_api(client, scheme, coordinator):
    membership = Membership.objects.get(scheme=scheme, user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"{API}/watch-schemes/{scheme.pk}/memberships/{membership.pk}/role",
        {"role": "member"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "role"


# --- IDOR: ids of another scheme in the URL ------------------------------------------------


def test_a_coordinator_of_a_cannot_decide_a_request_to_b(client, scheme, coordinator, scheme_b):
    asking = MembershipFactory(scheme=scheme_b, status=MembershipStatus.REQUESTED)
    client.force_login(coordinator)
    response = client.post(
        f"{API}/watch-schemes/{scheme.pk}/memberships/{asking.pk}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert response.status_code == 404
    page = client.post(f"/watch/{scheme.pk}/requests/{asking.pk}/", {"decision": "approve"})
    assert page.status_code == 404
    asking.refresh_from_db()
    assert asking.status == MembershipStatus.REQUESTED


def test_a_coordinator_of_a_cannot_cancel_or_fill_a_slot_of_b(
    client, scheme, coordinator, member, scheme_b
):
    slot = RotaSlotFactory(scheme=scheme_b)
    client.force_login(coordinator)
    assert client.post(f"/watch/{scheme.pk}/rota/{slot.pk}/cancel/").status_code == 404
    client.force_login(member)
    assert client.post(f"/watch/{scheme.pk}/rota/{slot.pk}/sign-up/").status_code == 404
    slot.refresh_from_db()
    assert slot.cancelled_at is None
    assert not RotaSignup.objects.filter(slot=slot).exists()


def test_a_member_of_a_cannot_reply_to_a_message_of_b(client, scheme, member, scheme_b, fremont):
    from beatbridge.notify.models import AlertReply, Audience
    from beatbridge.notify.tests.factories import AlertFactory

    alert = AlertFactory(audience=Audience.SCHEME, scheme=scheme_b)
    client.force_login(member)
    response = client.post(f"/watch/{scheme.pk}/messages/{alert.pk}/reply/", {"body": "Hi"})
    assert response.status_code == 404
    assert not AlertReply.objects.exists()


def test_an_officer_elsewhere_cannot_change_a_schemes_status(client, scheme, other_officer):
    client.force_login(other_officer)
    response = client.post(
        f"{API}/watch-schemes/{scheme.pk}/status",
        {"status": "closed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    page = client.post(f"/manage/watch/{scheme.pk}/status/", {"status": "closed"})
    assert page.status_code == 403
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.ACTIVE


def test_a_resident_cannot_open_the_teams_pages(client, fremont, resident):
    client.force_login(resident)
    base = f"/manage/forces/{fremont.force.slug}/{fremont.code}/watch/"
    assert client.get(base).status_code == 403
    assert client.get(base + "schemes.csv").status_code == 403


# --- closed and declined schemes ----------------------------------------------------------


def test_a_closed_scheme_takes_no_slots_or_signups(scheme, coordinator, member):
    slot = RotaSlotFactory(scheme=scheme)
    Scheme.objects.filter(pk=scheme.pk).update(status=SchemeStatus.CLOSED)
    scheme.refresh_from_db()
    with pytest.raises(DomainError):
        services.sign_up(user=member, slot=slot)
    with pytest.raises(DomainError):
        services.add_rota_slot(
            by=coordinator,
            scheme=scheme,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            ends_at=timezone.now() + datetime.timedelta(days=2, hours=1),
        )
    assert RotaSlot.objects.filter(scheme=scheme).count() == 1


def test_someone_declined_does_not_see_a_closed_scheme(client, scheme):
    declined = MembershipFactory(scheme=scheme, status=MembershipStatus.DECLINED).user
    Scheme.objects.filter(pk=scheme.pk).update(status=SchemeStatus.CLOSED)
    client.force_login(declined)
    assert client.get(f"{API}/watch-schemes/{scheme.pk}").status_code == 404


# --- input validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "area",
    [
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Polygon", "coordinates": [["a", "b", "c", "d"]]},
        {"type": "Polygon", "coordinates": [[[1e400, 0], [0, 1], [1, 1], [1e400, 0]]]},
        {"type": "Polygon", "coordinates": [[[None, None], [0, 1], [1, 1], [None, None]]]},
        {"type": "Polygon", "coordinates": [[[[[-122.34, 47.65]]]]]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": [[[0, 0, 0, 0, 0], [0, 1], [1, 1], [0, 0]]]},
    ],
)
def test_malformed_geojson_is_a_400_on_area(client, fremont, resident, area):
    client.force_login(resident)
    response = client.post(
        f"{API}/forces/{fremont.force.slug}/neighbourhoods/{fremont.code}/watch-schemes",
        {"name": "Shape watch", "area": area},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "area"
    assert not Scheme.objects.filter(name="Shape watch").exists()


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("0001-01-01T00:00:00+01:00", "0001-01-01T01:00:00+01:00"),
        ("9999-12-31T22:00:00-01:00", "9999-12-31T23:00:00-01:00"),
        ("2030-01-01T00:00:00+14:00", "not a date"),
    ],
)
def test_strange_slot_times_are_not_a_500(client, scheme, coordinator, starts, ends):
    client.force_login(coordinator)
    response = client.post(
        f"{API}/watch-schemes/{scheme.pk}/rota",
        {"starts_at": starts, "ends_at": ends, "places": 2},
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert not RotaSlot.objects.exists()


def test_a_huge_scheme_id_on_a_page_is_a_404(client, resident):
    client.force_login(resident)
    assert client.get("/watch/99999999999999999999/").status_code == 404


# --- idempotency --------------------------------------------------------------------------


def test_joining_twice_through_the_page_is_one_request(client, scheme, resident):
    client.force_login(resident)
    client.post(f"/watch/{scheme.pk}/join/", {"note": "Hi"})
    client.post(f"/watch/{scheme.pk}/join/", {"note": "Hi"})
    assert Membership.objects.filter(scheme=scheme, user=resident).count() == 1


def test_a_full_slot_refuses_one_more(scheme, coordinator):
    slot = RotaSlotFactory(scheme=scheme, places=1)
    first, second = (MembershipFactory(scheme=scheme).user for _ in range(2))
    services.sign_up(user=first, slot=slot)
    with pytest.raises(DomainError):
        services.sign_up(user=second, slot=slot)
    assert RotaSignup.objects.filter(slot=slot).count() == 1


# --- CSV export ---------------------------------------------------------------------------


def test_the_export_makes_a_residents_formula_inert(client, fremont, fremont_officer):
    SchemeFactory(neighbourhood=fremont, name='=HYPERLINK("http://x.example","go")')
    MembershipFactory(
        scheme=Scheme.objects.get(name__startswith="="),
        role=MemberRole.COORDINATOR,
        user=UserFactory(full_name="@SUM(1+1)"),
    )
    client.force_login(fremont_officer)
    url = f"/manage/forces/{fremont.force.slug}/{fremont.code}/watch/schemes.csv"
    body = b"".join(client.get(url).streaming_content).decode()
    assert ",=HYPERLINK" not in body and '"=HYPERLINK' not in body
    assert ",@SUM" not in body
