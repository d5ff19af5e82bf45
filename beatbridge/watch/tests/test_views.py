import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbridge.audit.models import AuditEntry
from beatbridge.notify.models import AlertReply
from beatbridge.watch.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSignup,
    Scheme,
    SchemeStatus,
)
from beatbridge.watch.tests.factories import MembershipFactory, RotaSlotFactory, SchemeFactory

pytestmark = pytest.mark.django_db


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


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


# Who may open which page: 200, or 302 (to sign in), 403 or 404.
PAGES = [
    ("neighbourhood", {"anonymous": 200, "resident": 200, "team": 200}),
    ("scheme", {"anonymous": 200, "resident": 200, "member": 200}),
    (
        "members",
        {
            "anonymous": 302,
            "resident": 403,
            "other_officer": 403,
            "member": 200,
            "coordinator": 200,
            "team": 200,
        },
    ),
    ("requests", {"resident": 403, "member": 403, "team": 403, "coordinator": 200}),
    ("rota", {"member": 403, "team": 403, "coordinator": 200}),
    ("roles", {"member": 403, "other_officer": 403, "coordinator": 200, "team": 200}),
    ("manage", {"anonymous": 302, "resident": 403, "other_officer": 403, "team": 200}),
    ("export", {"resident": 403, "coordinator": 403, "other_officer": 403, "team": 200}),
    ("propose", {"anonymous": 302, "resident": 200}),
    ("mine", {"anonymous": 302, "member": 200}),
]


def _url(name, scheme):
    neighbourhood = scheme.neighbourhood
    if name in ("neighbourhood", "manage", "export", "propose"):
        return reverse(
            f"watch:{name}", kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code}
        )
    if name == "mine":
        return reverse("watch:mine")
    return reverse(f"watch:{name}", kwargs={"pk": scheme.pk})


@pytest.mark.parametrize(
    ("page", "who", "status"),
    [(page, who, status) for page, expected in PAGES for who, status in expected.items()],
)
def test_who_may_open_each_page(client, people, scheme, page, who, status):
    assert _get(client, people[who], _url(page, scheme)).status_code == status


def test_a_proposal_is_hidden_from_everyone_but_its_proposer_and_the_team(
    client, fremont, resident, fremont_officer, other_officer
):
    proposal = SchemeFactory(neighbourhood=fremont, status=SchemeStatus.PROPOSED)
    url = reverse("watch:scheme", args=[proposal.pk])
    assert _get(client, resident, url).status_code == 404
    assert _get(client, other_officer, url).status_code == 404
    assert _get(client, proposal.proposed_by, url).status_code == 200
    assert _get(client, fremont_officer, url).status_code == 200


def test_public_list_shows_counts_not_names(client, scheme, member, fremont):
    SchemeFactory(neighbourhood=fremont, name="Waiting one", status=SchemeStatus.PROPOSED)
    page = client.get(_url("neighbourhood", scheme)).content.decode()
    assert "Elm Road watch" in page
    assert "2 members" in page
    assert "Mo Member" not in page
    assert "Waiting one" not in page


def test_public_list_queries_do_not_grow_with_schemes(
    client, fremont, django_assert_max_num_queries
):
    for _n in range(8):
        MembershipFactory(scheme=SchemeFactory(neighbourhood=fremont))
    with django_assert_max_num_queries(6):
        response = client.get(_url("neighbourhood", Scheme.objects.first()))
    assert response.content.decode().count("<h3>") == 8


def test_team_page_queries_do_not_grow_with_schemes(
    client, fremont, fremont_officer, django_assert_max_num_queries
):
    for _n in range(8):
        MembershipFactory(scheme=SchemeFactory(neighbourhood=fremont), role=MemberRole.COORDINATOR)
    client.force_login(fremont_officer)
    url = _url("manage", Scheme.objects.first())
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_a_resident_proposes_on_the_page(client, fremont, resident):
    client.force_login(resident)
    url = reverse("watch:propose", kwargs={"force": "seattle", "code": fremont.code})
    response = client.post(
        url, {"name": "Oak watch", "streets": "Oak Street\nAsh Lane", "description": ""}
    )
    scheme = Scheme.objects.get()
    assert response.url == reverse("watch:scheme", args=[scheme.pk])
    assert (scheme.streets, scheme.status) == (["Oak Street", "Ash Lane"], "proposed")


def test_a_bad_area_shows_on_its_field(client, fremont, resident):
    client.force_login(resident)
    url = reverse("watch:propose", kwargs={"force": "seattle", "code": fremont.code})
    response = client.post(url, {"name": "Oak watch", "area": '{"type": "Point"}'})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Draw the area as one GeoJSON Polygon." in page
    assert 'href="#id_area"' in page
    assert not Scheme.objects.exists()


def test_a_resident_asks_to_join_once_and_a_coordinator_approves(
    client, scheme, resident, coordinator
):
    client.force_login(resident)
    for _click in range(2):
        client.post(reverse("watch:join", args=[scheme.pk]), {"note": "Elm Road end"})
    request = Membership.objects.get(scheme=scheme, user=resident)
    client.force_login(coordinator)
    assert "Elm Road end" in client.get(_url("requests", scheme)).content.decode()
    client.post(
        reverse("watch:decide_request", args=[scheme.pk, request.pk]), {"decision": "approve"}
    )
    request.refresh_from_db()
    assert request.status == MembershipStatus.APPROVED


def test_a_too_long_join_note_is_shown_on_the_form(client, scheme, resident):
    client.force_login(resident)
    response = client.post(reverse("watch:join", args=[scheme.pk]), {"note": "x" * 301})
    assert response.status_code == 400
    assert not Membership.objects.filter(user=resident).exists()


def test_members_page_shows_names_and_the_team_read_is_audited(
    client, scheme, member, fremont_officer
):
    client.force_login(member)
    assert "Cora Coordinator" in client.get(_url("members", scheme)).content.decode()
    assert not AuditEntry.objects.filter(action="watch_scheme.members_viewed").exists()
    client.force_login(fremont_officer)
    page = client.get(_url("members", scheme)).content.decode()
    assert "Mo Member" in page
    assert "@example.org" not in page
    assert AuditEntry.objects.filter(
        action="watch_scheme.members_viewed", actor=fremont_officer
    ).exists()


def test_a_member_signs_up_from_the_members_page(client, scheme, member):
    slot = RotaSlotFactory(scheme=scheme, places=1)
    client.force_login(member)
    assert (
        reverse("watch:sign_up", args=[scheme.pk, slot.pk])
        in client.get(_url("members", scheme)).content.decode()
    )
    client.post(reverse("watch:sign_up", args=[scheme.pk, slot.pk]))
    assert RotaSignup.objects.filter(slot=slot, member__user=member).exists()
    client.post(reverse("watch:withdraw", args=[scheme.pk, slot.pk]))
    assert not RotaSignup.objects.exists()


def test_a_resident_cannot_sign_up(client, scheme, resident):
    slot = RotaSlotFactory(scheme=scheme)
    client.force_login(resident)
    assert client.post(reverse("watch:sign_up", args=[scheme.pk, slot.pk])).status_code == 403
    assert not RotaSignup.objects.exists()


def test_a_slot_of_another_scheme_is_not_found(client, scheme, member, fremont):
    other = RotaSlotFactory(scheme=SchemeFactory(neighbourhood=fremont))
    client.force_login(member)
    assert client.post(reverse("watch:sign_up", args=[scheme.pk, other.pk])).status_code == 404


def test_coordinator_adds_a_rota_slot_on_the_page(client, scheme, coordinator):
    client.force_login(coordinator)
    starts = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        _url("rota", scheme),
        {
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "route": "Elm Road to the park",
            "places": "3",
        },
    )
    assert response.status_code == 302
    assert scheme.rota_slots.get().route == "Elm Road to the park"


def test_team_approves_a_proposal_from_its_page(client, fremont, fremont_officer, resident):
    proposal = SchemeFactory(neighbourhood=fremont, status=SchemeStatus.PROPOSED)
    client.force_login(fremont_officer)
    assert proposal.name in client.get(_url("manage", proposal)).content.decode()
    client.post(
        reverse("watch:decide", args=[proposal.pk]), {"decision": "approve", "next": "manage"}
    )
    assert Scheme.objects.get(pk=proposal.pk).status == SchemeStatus.ACTIVE
    client.force_login(resident)
    assert (
        client.post(
            reverse("watch:set_status", args=[proposal.pk]), {"status": "closed"}
        ).status_code
        == 403
    )
    assert Scheme.objects.get(pk=proposal.pk).status == SchemeStatus.ACTIVE


def test_csv_export_has_counts_and_coordinators_only(client, scheme, member, fremont_officer):
    client.force_login(fremont_officer)
    response = client.get(_url("export", scheme))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert (rows[0]["name"], rows[0]["members"], rows[0]["coordinators"]) == (
        "Elm Road watch",
        "2",
        "Cora Coordinator",
    )
    assert "Mo Member" not in str(rows)
    assert AuditEntry.objects.filter(action="watch_schemes.exported").exists()


def test_a_member_replies_privately_to_a_message(
    client, scheme, member, coordinator, django_capture_on_commit_callbacks
):
    from beatbridge.notify.services import send_alert

    with django_capture_on_commit_callbacks(execute=True):
        alert = send_alert(
            author=coordinator,
            severity="information",
            category=_first_category(),
            title="Bins day moved",
            message="Put the bins out on Tuesday.",
            audience="scheme",
            scheme=scheme,
        )
    client.force_login(member)
    page = client.get(_url("members", scheme)).content.decode()
    assert "Bins day moved" in page
    client.post(reverse("watch:reply", args=[scheme.pk, alert.pk]), {"body": "Thanks!"})
    assert AlertReply.objects.get().author == member


def _first_category():
    from beatbridge.notify.models import AlertCategory

    return AlertCategory.values[0]
