import datetime

import pytest
from django.utils import timezone

from beatbridge.audit.models import AuditEntry
from beatbridge.watch.models import Membership, MembershipStatus, RotaSignup, Scheme, SchemeStatus
from beatbridge.watch.tests.factories import RotaSlotFactory, SchemeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def people(resident, member, coordinator, fremont_officer, other_officer):
    return {
        "anonymous": None,
        "resident": resident,
        "member": member,
        "coordinator": coordinator,
        "team": fremont_officer,
        "other_officer": other_officer,
    }


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _tomorrow(hours=0):
    return (timezone.now() + datetime.timedelta(days=1, hours=hours)).isoformat()


# method, path (with {scheme} and {slot}), body, {who: status}
MATRIX = [
    ("get", "/forces/seattle/neighbourhoods/N-FRE/watch-schemes", None, {"anonymous": 200}),
    ("get", "/watch-schemes/{scheme}", None, {"anonymous": 200, "resident": 200}),
    (
        "get",
        "/watch-schemes/{scheme}/members",
        None,
        {
            "anonymous": 403,
            "resident": 403,
            "other_officer": 403,
            "member": 200,
            "team": 200,
        },
    ),
    (
        "get",
        "/watch-schemes/{scheme}/requests",
        None,
        {"member": 403, "team": 403, "coordinator": 200},
    ),
    (
        "get",
        "/watch-schemes/{scheme}/rota",
        None,
        {"anonymous": 403, "resident": 403, "member": 200, "team": 200},
    ),
    (
        "post",
        "/watch-schemes/{scheme}/rota",
        {"starts_at": _tomorrow(), "ends_at": _tomorrow(2), "places": 2},
        {"anonymous": 403, "member": 403, "team": 403, "coordinator": 201},
    ),
    (
        "post",
        "/watch-schemes/{scheme}/rota/{slot}/signup",
        None,
        {"anonymous": 403, "resident": 403, "member": 200},
    ),
    (
        "post",
        "/watch-schemes/{scheme}/status",
        {"status": "dormant"},
        {
            "anonymous": 403,
            "resident": 403,
            "coordinator": 403,
            "other_officer": 403,
            "team": 200,
        },
    ),
    ("post", "/watch-schemes/{scheme}/join", {"note": ""}, {"anonymous": 403, "resident": 200}),
    (
        "post",
        "/forces/seattle/neighbourhoods/N-FRE/watch-schemes",
        {"name": "Ash watch", "streets": ["Ash Lane"]},
        {"anonymous": 403, "resident": 201},
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "who", "status"),
    [
        (method, path, body, who, status)
        for method, path, body, expected in MATRIX
        for who, status in expected.items()
    ],
)
def test_permission_matrix(client, people, scheme, method, path, body, who, status):
    slot = RotaSlotFactory(scheme=scheme)
    url = API + path.format(scheme=scheme.pk, slot=slot.pk)
    response = (
        getattr(_client(client, people[who]), method)(
            url, body or {}, content_type="application/json"
        )
        if method == "post"
        else _client(client, people[who]).get(url)
    )
    assert response.status_code == status, response.content


def test_public_list_never_names_members(client, scheme, member):
    body = client.get(f"{API}/forces/seattle/neighbourhoods/N-FRE/watch-schemes").json()
    assert body["count"] == 1
    assert body["items"][0]["member_count"] == 2
    assert "Mo Member" not in str(body)


def test_propose_then_team_approves_and_declines_by_api(client, fremont, resident, fremont_officer):
    client.force_login(resident)
    proposed = client.post(
        f"{API}/forces/seattle/neighbourhoods/N-FRE/watch-schemes",
        {"name": "Ash watch", "streets": ["Ash Lane"]},
        content_type="application/json",
    ).json()
    assert proposed["status"] == "proposed"
    assert proposed["my_membership"]["role"] == "coordinator"
    refused = client.post(
        f"{API}/watch-schemes/{proposed['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(fremont_officer)
    no_note = client.post(
        f"{API}/watch-schemes/{proposed['id']}/decision",
        {"approve": False},
        content_type="application/json",
    )
    assert (no_note.status_code, no_note.json()["field"]) == (400, "note")
    approved = client.post(
        f"{API}/watch-schemes/{proposed['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert approved.json()["status"] == "active"


def test_a_bad_area_is_a_400_on_the_area_field(client, fremont, resident):
    client.force_login(resident)
    response = client.post(
        f"{API}/forces/seattle/neighbourhoods/N-FRE/watch-schemes",
        {"name": "Ash watch", "area": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "area")
    assert not Scheme.objects.exists()


def test_a_proposal_is_404_to_others(client, fremont, resident):
    proposal = SchemeFactory(neighbourhood=fremont, status=SchemeStatus.PROPOSED)
    client.force_login(resident)
    assert client.get(f"{API}/watch-schemes/{proposal.pk}").status_code == 404


def test_join_is_idempotent_and_the_coordinator_decides(client, scheme, resident, coordinator):
    client.force_login(resident)
    for _click in range(2):
        joined = client.post(
            f"{API}/watch-schemes/{scheme.pk}/join", {"note": "Hi"}, content_type="application/json"
        )
    assert joined.json()["status"] == "requested"
    assert Membership.objects.filter(user=resident).count() == 1
    membership_id = joined.json()["id"]
    refused = client.post(
        f"{API}/watch-schemes/{scheme.pk}/memberships/{membership_id}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(coordinator)
    decided = client.post(
        f"{API}/watch-schemes/{scheme.pk}/memberships/{membership_id}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.json()["status"] == MembershipStatus.APPROVED


def test_a_full_slot_is_a_409(client, scheme, member, coordinator):
    slot = RotaSlotFactory(scheme=scheme, places=1)
    client.force_login(member)
    taken = client.post(f"{API}/watch-schemes/{scheme.pk}/rota/{slot.pk}/signup")
    assert (taken.json()["taken"], taken.json()["is_mine"]) == (1, True)
    client.force_login(coordinator)
    full = client.post(f"{API}/watch-schemes/{scheme.pk}/rota/{slot.pk}/signup")
    assert (full.status_code, full.json()["code"]) == (409, "full")
    assert RotaSignup.objects.count() == 1


def test_demoting_the_last_coordinator_is_a_400_on_role(client, scheme, coordinator):
    own = Membership.objects.get(user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"{API}/watch-schemes/{scheme.pk}/memberships/{own.pk}/role",
        {"role": "member"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["field"]) == (400, "role")


def test_team_members_read_is_audited_and_has_no_addresses(client, scheme, member, fremont_officer):
    client.force_login(fremont_officer)
    body = client.get(f"{API}/watch-schemes/{scheme.pk}/members").json()
    assert {item["name"] for item in body["items"]} == {"Cora Coordinator", "Mo Member"}
    assert "@" not in str(body)
    assert AuditEntry.objects.filter(action="watch_scheme.members_viewed").exists()


def test_leaving_and_cancelling_answer_what_changed(client, scheme, member, coordinator):
    slot = RotaSlotFactory(scheme=scheme)
    client.force_login(member)
    left = client.post(f"{API}/watch-schemes/{scheme.pk}/leave")
    assert left.json()["status"] == "left"
    client.force_login(coordinator)
    cancelled = client.post(f"{API}/watch-schemes/{scheme.pk}/rota/{slot.pk}/cancel")
    assert cancelled.json()["is_cancelled"] is True
