"""Review probes for notify (issue 5): each guards a defect found in review, now fixed,
or a rule the review confirmed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.notify.models import Channel, DeliveryStatus, Follow, Preferences
from beatbridge.notify.tests.factories import AlertDeliveryFactory, AlertFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/alerts"


@pytest.fixture
def resident():
    return UserFactory(full_name="Rosa Resident")


# --- input validation ---------------------------------------------------------------------


def test_following_an_area_without_a_latitude_is_a_400_on_latitude(client, resident):
    client.force_login(resident)
    response = client.post(
        f"{BASE}/follows",
        {"longitude": -122.3, "radius_metres": 500},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "latitude"
    assert not Follow.objects.filter(user=resident).exists()


def test_following_an_area_with_a_nan_latitude_is_refused(client, resident):
    client.force_login(resident)
    response = client.post(
        f"{BASE}/follows",
        '{"latitude": NaN, "longitude": 1.0, "radius_metres": 500}',
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert not Follow.objects.filter(user=resident).exists()


def test_quiet_hours_with_a_utc_offset_are_refused_on_their_field(client, resident):
    client.force_login(resident)
    response = client.patch(
        f"{BASE}/preferences",
        {"quiet_hours_start": "22:00:00+02:00", "quiet_hours_end": "07:00:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "quiet_hours_start"


def test_a_nul_in_a_translation_language_code_is_a_400(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(
        BASE,
        {
            "severity": "warning",
            "category": "crime",
            "title": "T",
            "message": "M",
            "audience": "neighbourhoods",
            "neighbourhoods": [{"force": fremont.force.slug, "neighbourhood": fremont.code}],
            "translations": {"e\u0000s": {"title": "x"}},
        },
        content_type="application/json",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("follow_id", ["-1", "0", "99999999999999999999", "abc"])
def test_unfollowing_a_strange_id_is_not_a_500(client, resident, follow_id):
    client.force_login(resident)
    response = client.delete(f"{BASE}/follows/{follow_id}")
    assert response.status_code in (400, 404, 422)


def test_compose_with_a_huge_scheme_id_is_a_404(client, fremont_officer):
    client.force_login(fremont_officer)
    response = client.get("/manage/alerts/new/?scheme=99999999999")
    assert response.status_code == 404


# --- redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wanted", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:1"]
)
def test_follow_button_does_not_redirect_off_site(client, resident, fremont, wanted):
    client.force_login(resident)
    url = f"/forces/{fremont.force.slug}/{fremont.code}/follow/"
    response = client.post(url, {"next": wanted})
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert not response["Location"].startswith("javascript")


# --- queries ------------------------------------------------------------------------------


def _inbox_with(resident, count):
    neighbourhood = NeighbourhoodFactory()
    for _ in range(count):
        alert = AlertFactory(neighbourhoods=[neighbourhood], fanned_out_at=timezone.now())
        AlertDeliveryFactory(
            alert=alert, recipient=resident, channel=Channel.INBOX, status=DeliveryStatus.DELIVERED
        )


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_inbox_api_does_not_query_per_item(client, resident):
    client.force_login(resident)
    _inbox_with(resident, 1)
    one = _queries(client, f"{BASE}/inbox")
    _inbox_with(resident, 5)
    six = _queries(client, f"{BASE}/inbox")
    assert six == one


def test_the_sent_alerts_api_does_not_query_per_alert(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    AlertFactory(author=fremont_officer, neighbourhoods=[fremont])
    one = _queries(client, BASE)
    for _ in range(5):
        AlertFactory(author=fremont_officer, neighbourhoods=[fremont])
    six = _queries(client, BASE)
    assert six == one


# --- personal data and scope --------------------------------------------------------------


def test_an_officer_of_another_neighbourhood_cannot_read_replies(client, fremont, force):
    from beatbridge.accounts.tests.factories import TeamAssignmentFactory
    from beatbridge.notify.models import AlertReply

    alert = AlertFactory(neighbourhoods=[fremont])
    AlertReply.objects.create(alert=alert, author=UserFactory(), body="My number is +44 7700")
    elsewhere = NeighbourhoodFactory(force=force)
    officer = TeamAssignmentFactory(neighbourhood=elsewhere).officer.user
    client.force_login(officer)
    assert client.get(f"{BASE}/{alert.public_id}/replies").status_code == 404
    assert client.get(f"/manage/alerts/{alert.public_id}/").status_code == 404


def test_unsubscribe_acts_on_post_only_and_refuses_a_forged_token(client, resident):
    from beatbridge.notify.alerts import unsubscribe_token

    Preferences.objects.create(user=resident)
    token = unsubscribe_token(resident.pk)
    # GET never acts (link scanners).
    assert client.get(f"/alerts/unsubscribe/{token}/").status_code == 200
    assert Preferences.objects.get(user=resident).email_enabled is True
    assert client.post(f"/alerts/unsubscribe/{token}/").status_code == 200
    assert Preferences.objects.get(user=resident).email_enabled is False
    assert client.post("/alerts/unsubscribe/forged:abc/").status_code == 404
