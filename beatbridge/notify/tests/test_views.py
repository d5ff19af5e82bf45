"""Notify pages, both ways: a person's inbox, alerts, follows and settings; unsubscribe
links and SMS receipts from outside; the team's compose, sent and figures pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.notify import alerts
from beatbridge.notify.models import (
    Alert,
    AlertDelivery,
    AlertReply,
    Audience,
    Channel,
    DeliveryStatus,
    Follow,
    Preferences,
)
from beatbridge.notify.tests.factories import AlertDeliveryFactory, AlertFactory, FollowFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.watch.models import MemberRole, Membership, MembershipStatus, Scheme, SchemeStatus

pytestmark = pytest.mark.django_db


def inbox_copy(alert, person, **fields):
    return AlertDeliveryFactory(
        alert=alert,
        recipient=person,
        channel=Channel.INBOX,
        status=fields.pop("status", DeliveryStatus.DELIVERED),
        **fields,
    )


@pytest.fixture
def resident():
    return UserFactory(full_name="Rosa Resident")


@pytest.fixture
def alert(fremont, fremont_officer):
    return AlertFactory(
        author=fremont_officer,
        neighbourhoods=[fremont],
        title="Break-ins on Elm Road",
        message="Lock your sheds.",
        translations={"es": {"title": "Robos en Elm Road", "message": "Cierre sus cobertizos."}},
        recipient_count=1,
        fanned_out_at=timezone.now(),
    )


@pytest.fixture
def other_officer(force):
    ballard = NeighbourhoodFactory(force=force, code="N-BAL", name="Ballard")
    return TeamAssignmentFactory(neighbourhood=ballard).officer.user


def scheme_in(neighbourhood, coordinator, **fields):
    scheme = Scheme.objects.create(
        neighbourhood=neighbourhood,
        name=fields.pop("name", "Elm Road Watch"),
        streets=["Elm Road"],
        status=fields.pop("status", SchemeStatus.ACTIVE),
        proposed_by=coordinator,
        **fields,
    )
    Membership.objects.create(
        scheme=scheme,
        user=coordinator,
        role=MemberRole.COORDINATOR,
        status=MembershipStatus.APPROVED,
    )
    return scheme


# --- the inbox ----------------------------------------------------------------------------


def test_the_inbox_shows_only_ones_own_alerts_with_the_unread_count(client, alert, resident):
    inbox_copy(alert, resident)
    someone_elses = AlertFactory(neighbourhoods=[], title="Not for Rosa")
    inbox_copy(someone_elses, UserFactory())
    client.force_login(resident)
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 200
    assert "Break-ins on Elm Road" in response.text
    assert "Not for Rosa" not in response.text
    assert "1 unread alert." in response.text


def test_the_inbox_asks_a_visitor_to_sign_in(client):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_the_inbox_takes_the_same_queries_for_many_alerts(
    client, resident, fremont, django_assert_max_num_queries
):
    client.force_login(resident)
    inbox_copy(AlertFactory(neighbourhoods=[fremont]), resident)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("notify:inbox"))
    for _number in range(10):
        inbox_copy(AlertFactory(neighbourhoods=[fremont]), resident)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notify:inbox"))
    assert response.text.count("Unread") >= 11


# --- one alert ----------------------------------------------------------------------------


def test_opening_an_alert_marks_it_read_and_shows_it_in_the_readers_language(
    client, alert, resident
):
    resident.preferred_language = "es"
    resident.save()
    row = inbox_copy(alert, resident)
    client.force_login(resident)
    response = client.get(
        reverse("notify:alert", args=[alert.public_id]), headers={"accept-language": "es"}
    )
    assert response.status_code == 200
    assert "Robos en Elm Road" in response.text
    row.refresh_from_db()
    assert row.status == DeliveryStatus.READ
    assert row.read_at is not None


def test_an_alert_without_a_translation_says_it_is_the_original(client, fremont, resident):
    untranslated = AlertFactory(neighbourhoods=[fremont], original_language="en")
    inbox_copy(untranslated, resident)
    client.force_login(resident)
    response = client.get(
        reverse("notify:alert", args=[untranslated.public_id]), headers={"accept-language": "es"}
    )
    assert untranslated.title in response.text
    assert "idioma original" in response.text or "original language" in response.text


@pytest.mark.parametrize(
    ("who", "expected"),
    [("resident", 200), ("stranger", 404), ("team", 200), ("other_officer", 404), ("admin", 200)],
)
def test_an_alert_is_seen_by_its_recipients_and_team_only(
    client, alert, resident, fremont_officer, other_officer, who, expected
):
    inbox_copy(alert, resident)
    people = {
        "resident": resident,
        "stranger": UserFactory(),
        "team": fremont_officer,
        "other_officer": other_officer,
        "admin": AdministratorFactory(),
    }
    client.force_login(people[who])
    assert client.get(reverse("notify:alert", args=[alert.public_id])).status_code == expected


def test_a_recipient_replies_privately_and_a_non_recipient_cannot(client, alert, resident):
    inbox_copy(alert, resident)
    client.force_login(resident)
    url = reverse("notify:alert", args=[alert.public_id])
    response = client.post(url, {"body": "I saw a van on Elm Road at 2am."})
    assert response.status_code == 302
    assert AlertReply.objects.get().author == resident
    client.force_login(UserFactory())
    assert client.post(url, {"body": "Me too"}).status_code == 404
    assert AlertReply.objects.count() == 1


def test_an_empty_reply_is_refused_on_its_field(client, alert, resident):
    inbox_copy(alert, resident)
    client.force_login(resident)
    response = client.post(reverse("notify:alert", args=[alert.public_id]), {"body": "  "})
    assert response.status_code == 400
    assert 'href="#id_body"' in response.text
    assert not AlertReply.objects.exists()


# --- following ----------------------------------------------------------------------------


def test_following_a_neighbourhood_from_its_page_and_stopping(client, fremont, resident):
    client.force_login(resident)
    follow_url = reverse("notify:follow_neighbourhood", args=[fremont.force.slug, fremont.code])
    response = client.post(follow_url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "places:neighbourhood", args=[fremont.force.slug, fremont.code]
    )
    assert Follow.objects.get(user=resident).neighbourhood == fremont
    client.post(follow_url)
    assert Follow.objects.filter(user=resident).count() == 1
    client.post(reverse("notify:unfollow_neighbourhood", args=[fremont.force.slug, fremont.code]))
    assert not Follow.objects.filter(user=resident).exists()


def test_following_needs_a_post_and_a_signed_in_person(client, fremont):
    url = reverse("notify:follow_neighbourhood", args=[fremont.force.slug, fremont.code])
    assert client.post(url).status_code == 302
    assert not Follow.objects.exists()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_following_an_unknown_neighbourhood_is_not_found(client, force, resident):
    client.force_login(resident)
    url = reverse("notify:follow_neighbourhood", args=[force.slug, "NOPE"])
    assert client.post(url).status_code == 404


def test_the_next_page_after_following_must_be_on_this_site(client, fremont, resident):
    client.force_login(resident)
    url = reverse("notify:follow_neighbourhood", args=[fremont.force.slug, fremont.code])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"].startswith("/forces/")


def test_following_an_area_and_refusing_a_bad_radius(client, resident):
    client.force_login(resident)
    url = reverse("notify:following")
    response = client.post(
        url, {"label": "Home", "latitude": "47.655", "longitude": "-122.345", "radius_metres": "50"}
    )
    assert response.status_code == 400
    assert 'href="#id_radius_metres"' in response.text
    assert not Follow.objects.exists()
    response = client.post(
        url,
        {"label": "Home", "latitude": "47.655", "longitude": "-122.345", "radius_metres": "400"},
    )
    assert response.status_code == 302
    follow = Follow.objects.get(user=resident)
    assert (follow.label, follow.radius_metres) == ("Home", 400)
    assert "Home" in client.get(url).text


def test_nobody_stops_someone_elses_follow(client, fremont, resident):
    theirs = FollowFactory(neighbourhood=fremont)
    client.force_login(resident)
    response = client.post(reverse("notify:unfollow", args=[theirs.pk]))
    assert response.status_code == 404
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_the_following_page_lists_only_ones_own_places(client, fremont, resident):
    FollowFactory(user=resident, neighbourhood=fremont)
    FollowFactory(area=True, label="Someone's school")
    client.force_login(resident)
    response = client.get(reverse("notify:following"))
    assert "Fremont" in response.text
    assert "Someone&#x27;s school" not in response.text


# --- settings -----------------------------------------------------------------------------


def preferences_form(**changes):
    form = {"email_enabled": "on", "minimum_severity": "information"}
    form.update(changes)
    return form


def test_settings_are_saved(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("notify:preferences"),
        preferences_form(
            sms_enabled="on",
            phone_number="+44 7700 900123",
            minimum_severity="warning",
            quiet_hours_start="22:00",
            quiet_hours_end="07:00",
            daily_digest="on",
        ),
    )
    assert response.status_code == 302
    saved = Preferences.objects.get(user=resident)
    assert saved.sms_enabled and saved.phone_number == "+447700900123"
    assert saved.minimum_severity == "warning"
    assert saved.quiet_hours_start == datetime.time(22, 0)
    assert saved.daily_digest


def test_text_messages_without_a_number_are_refused_on_the_number(client, resident):
    client.force_login(resident)
    response = client.post(reverse("notify:preferences"), preferences_form(sms_enabled="on"))
    assert response.status_code == 400
    assert 'href="#id_phone_number"' in response.text
    assert not Preferences.objects.get(user=resident).sms_enabled


def test_half_quiet_hours_are_refused(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("notify:preferences"), preferences_form(quiet_hours_start="22:00")
    )
    assert response.status_code == 400
    assert 'href="#id_quiet_hours_end"' in response.text


def test_a_new_webhook_secret_replaces_the_old(client, resident):
    client.force_login(resident)
    page = client.get(reverse("notify:preferences"))
    old = Preferences.objects.get(user=resident).webhook_secret
    assert old in page.text
    client.post(reverse("notify:new_webhook_secret"))
    assert Preferences.objects.get(user=resident).webhook_secret != old


def test_settings_need_a_signed_in_person(client):
    assert client.get(reverse("notify:preferences")).status_code == 302
    assert client.post(reverse("notify:new_webhook_secret")).status_code == 302


# --- unsubscribing ------------------------------------------------------------------------


def test_opening_the_unsubscribe_link_does_not_unsubscribe(client, resident):
    url = reverse("notify:unsubscribe", args=[alerts.unsubscribe_token(resident.pk)])
    response = client.get(url)
    assert response.status_code == 200
    assert '<form method="post"' in response.text
    assert Preferences.objects.filter(user=resident, email_enabled=False).count() == 0


def test_a_mail_clients_one_click_post_unsubscribes_without_csrf_or_session(resident):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    url = reverse("notify:unsubscribe", args=[alerts.unsubscribe_token(resident.pk)])
    response = mail_client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Preferences.objects.get(user=resident).email_enabled is False


def test_a_forged_unsubscribe_token_is_not_found(client, resident):
    token = alerts.unsubscribe_token(resident.pk)
    forged = str(resident.pk + 1) + token[len(str(resident.pk)) :]
    assert client.post(reverse("notify:unsubscribe", args=[forged])).status_code == 404
    assert client.get(reverse("notify:unsubscribe", args=["nonsense"])).status_code == 404


# --- SMS receipts -------------------------------------------------------------------------


@pytest.fixture
def sent_sms(alert, resident):
    return AlertDeliveryFactory(
        alert=alert,
        recipient=resident,
        channel=Channel.SMS,
        status=DeliveryStatus.SENT,
        provider_reference="gw-123",
    )


def test_an_sms_receipt_with_the_token_records_delivery(client, settings, sent_sms):
    settings.SMS_RECEIPT_TOKEN = "s3cret-token"
    response = client.post(
        reverse("notify:sms_receipt"),
        {"token": "s3cret-token", "reference": "gw-123", "status": "delivered"},
    )
    assert response.status_code == 200
    assert response.json() == {"recorded": True}
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.DELIVERED


def test_an_sms_receipt_records_the_failure_reason(client, settings, sent_sms):
    settings.SMS_RECEIPT_TOKEN = "s3cret-token"
    client.post(
        reverse("notify:sms_receipt"),
        {"token": "s3cret-token", "reference": "gw-123", "status": "failed", "reason": "absent"},
    )
    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.last_error) == (DeliveryStatus.FAILED, "absent")


@pytest.mark.parametrize(("configured", "given"), [("s3cret-token", "wrong"), ("", "")])
def test_an_sms_receipt_with_a_bad_token_or_none_configured_is_refused(
    client, settings, sent_sms, configured, given
):
    settings.SMS_RECEIPT_TOKEN = configured
    response = client.post(
        reverse("notify:sms_receipt"),
        {"token": given, "reference": "gw-123", "status": "delivered"},
    )
    assert response.status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == DeliveryStatus.SENT


def test_an_sms_receipt_names_a_bad_status(client, settings, sent_sms):
    settings.SMS_RECEIPT_TOKEN = "s3cret-token"
    response = client.post(
        reverse("notify:sms_receipt"),
        {"token": "s3cret-token", "reference": "gw-123", "status": "maybe"},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "status"


# --- composing ----------------------------------------------------------------------------


def compose_form(**changes):
    form = {
        "severity": "warning",
        "category": "crime",
        "title": "Break-ins on Elm Road",
        "message": "Lock your sheds tonight.",
        "original_language": "en",
        "audience": "neighbourhoods",
    }
    form.update(changes)
    return form


def test_the_team_sends_an_alert_to_its_neighbourhoods_followers(
    client, fremont, fremont_officer, django_capture_on_commit_callbacks
):
    follower = FollowFactory(neighbourhood=fremont).user
    client.force_login(fremont_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("notify:compose"),
            compose_form(neighbourhoods=[fremont.pk], title_es="Robos", message_es="Cierre."),
        )
    assert response.status_code == 302
    alert = Alert.objects.get()
    assert response["Location"] == reverse("notify:figures", args=[alert.public_id])
    assert alert.translations == {"es": {"title": "Robos", "message": "Cierre."}}
    assert AlertDelivery.objects.filter(alert=alert, recipient=follower).exists()


def test_a_resident_cannot_open_compose(client, resident):
    client.force_login(resident)
    assert client.get(reverse("notify:compose")).status_code == 403


def test_a_coordinator_cannot_alert_a_neighbourhood(client, fremont, resident):
    scheme_in(fremont, resident)
    client.force_login(resident)
    page = client.get(reverse("notify:compose"))
    assert page.status_code == 200
    assert 'value="neighbourhoods"' not in page.text
    response = client.post(reverse("notify:compose"), compose_form(neighbourhoods=[fremont.pk]))
    assert response.status_code == 400
    assert not Alert.objects.exists()


def test_a_coordinator_messages_their_scheme_and_only_theirs(client, fremont, resident):
    mine = scheme_in(fremont, resident)
    theirs = scheme_in(fremont, UserFactory(), name="Oak Street Watch")
    client.force_login(resident)
    page = client.get(reverse("notify:compose"), {"scheme": mine.pk})
    assert page.status_code == 200
    assert f'<option value="{mine.pk}" selected>' in page.text
    assert client.get(reverse("notify:compose"), {"scheme": theirs.pk}).status_code == 404
    response = client.post(
        reverse("notify:compose"),
        compose_form(audience="scheme", scheme=theirs.pk, category="scheme"),
    )
    assert response.status_code == 400
    response = client.post(
        reverse("notify:compose"),
        compose_form(audience="scheme", scheme=mine.pk, category="scheme"),
    )
    assert response.status_code == 302
    assert Alert.objects.get().scheme == mine


def test_a_coordinator_is_not_offered_urgent_alerts(client, fremont, resident):
    scheme = scheme_in(fremont, resident)
    client.force_login(resident)
    response = client.post(
        reverse("notify:compose"),
        compose_form(audience="scheme", scheme=scheme.pk, severity="urgent"),
    )
    assert response.status_code == 400
    assert 'href="#id_severity"' in response.text
    assert not Alert.objects.exists()


def test_an_officer_cannot_alert_another_teams_neighbourhood(client, fremont, other_officer):
    client.force_login(other_officer)
    response = client.post(reverse("notify:compose"), compose_form(neighbourhoods=[fremont.pk]))
    assert response.status_code == 400
    assert 'href="#id_neighbourhoods_0"' in response.text
    assert not Alert.objects.exists()


def test_a_refusal_from_the_service_shows_on_its_field(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(
        reverse("notify:compose"),
        compose_form(neighbourhoods=[fremont.pk], expires_at="2001-01-01T10:00"),
    )
    assert response.status_code == 400
    assert 'href="#id_expires_at"' in response.text
    response = client.post(reverse("notify:compose"), compose_form())
    assert 'href="#id_neighbourhoods_0"' in response.text


def test_an_area_alert_needs_its_centre(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(reverse("notify:compose"), compose_form(audience="area"))
    assert response.status_code == 400
    assert 'href="#id_latitude"' in response.text


# services._audience reads ``centre.pk`` of a NeighbourhoodRef, which has ``id``: reported.
def test_the_team_alerts_an_area_around_a_point_in_its_neighbourhood(
    client, fremont, fremont_officer
):
    client.force_login(fremont_officer)
    response = client.post(
        reverse("notify:compose"),
        compose_form(audience="area", latitude="47.655", longitude="-122.345", radius_metres="800"),
    )
    assert response.status_code == 302
    assert Alert.objects.get().audience == Audience.AREA


def test_the_hourly_limit_answers_429(client, settings, fremont, fremont_officer):
    settings.NOTIFY_ALERTS_PER_HOUR = 1
    client.force_login(fremont_officer)
    client.post(reverse("notify:compose"), compose_form(neighbourhoods=[fremont.pk]))
    response = client.post(reverse("notify:compose"), compose_form(neighbourhoods=[fremont.pk]))
    assert response.status_code == 429
    assert Alert.objects.count() == 1


def test_a_supervisor_may_alert_a_sector(client, fremont):
    supervisor = OfficerProfileFactory(force=fremont.force, supervisor=True).user
    client.force_login(supervisor)
    response = client.post(
        reverse("notify:compose"), compose_form(audience="sector", sector=fremont.sector.pk)
    )
    assert response.status_code == 302
    assert Alert.objects.get().sector == fremont.sector


# --- what the team sent, and its figures --------------------------------------------------


def test_the_sent_list_shows_the_teams_alerts_only(client, alert, fremont_officer, other_officer):
    AlertFactory(author=other_officer, title="Ballard only", neighbourhoods=[])
    client.force_login(fremont_officer)
    response = client.get(reverse("notify:sent"))
    assert "Break-ins on Elm Road" in response.text
    assert "Ballard only" not in response.text
    client.force_login(UserFactory())
    assert client.get(reverse("notify:sent")).status_code == 403


def test_the_sent_list_takes_the_same_queries_for_many_alerts(
    client, fremont, fremont_officer, django_assert_max_num_queries
):
    client.force_login(fremont_officer)
    AlertFactory(author=fremont_officer, neighbourhoods=[fremont])
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("notify:sent"))
    for _number in range(10):
        made = AlertFactory(author=UserFactory(role=Role.OFFICER), neighbourhoods=[fremont])
        AlertReply.objects.create(alert=made, author=UserFactory(), body="Hi")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notify:sent"))
    assert response.text.count("<tr>") == 12


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("author", 200),
        ("teammate", 200),
        ("recipient", 403),
        ("other_officer", 404),
        ("stranger", 404),
        ("admin", 200),
    ],
)
def test_figures_are_for_the_author_and_team_only(
    client, fremont, alert, resident, fremont_officer, other_officer, who, expected
):
    inbox_copy(alert, resident)
    teammate = TeamAssignmentFactory(
        neighbourhood=fremont, officer__force=fremont.force
    ).officer.user
    people = {
        "author": fremont_officer,
        "teammate": teammate,
        "recipient": resident,
        "other_officer": other_officer,
        "stranger": UserFactory(),
        "admin": AdministratorFactory(),
    }
    client.force_login(people[who])
    for name in ("notify:figures", "notify:figures_csv"):
        assert client.get(reverse(name, args=[alert.public_id])).status_code == expected


def test_figures_count_each_channel_and_status_and_give_failure_reasons(
    client, alert, fremont_officer
):
    for _number in range(3):
        inbox_copy(alert, UserFactory(), status=DeliveryStatus.READ, read_at=timezone.now())
    AlertDeliveryFactory(alert=alert, channel=Channel.EMAIL, status=DeliveryStatus.SENT)
    AlertDeliveryFactory(
        alert=alert, channel=Channel.SMS, status=DeliveryStatus.FAILED, last_error="absent"
    )
    client.force_login(fremont_officer)
    response = client.get(reverse("notify:figures", args=[alert.public_id]))
    assert '<th scope="row">In-app inbox</th>' in response.text
    assert "absent" in response.text
    assert "hx-trigger" not in response.text
    csv_lines = client.get(reverse("notify:figures_csv", args=[alert.public_id]))
    body = b"".join(csv_lines.streaming_content).decode()
    assert "inbox,read,3" in body
    assert "sms,failed,1" in body
    assert "@" not in body


def test_figures_refresh_themselves_while_deliveries_are_queued(client, alert, fremont_officer):
    AlertDeliveryFactory(alert=alert, channel=Channel.EMAIL, status=DeliveryStatus.QUEUED)
    client.force_login(fremont_officer)
    url = reverse("notify:figures", args=[alert.public_id])
    assert 'hx-trigger="every 5s"' in client.get(url).text
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="figures"')
    assert "<h1>" not in fragment.text


def test_reading_replies_marks_them_read_and_is_audited(client, alert, resident, fremont_officer):
    inbox_copy(alert, resident)
    AlertReply.objects.create(alert=alert, author=resident, body="A van at 2am")
    client.force_login(fremont_officer)
    response = client.get(reverse("notify:figures", args=[alert.public_id]))
    assert "A van at 2am" in response.text
    assert AlertReply.objects.get().read_at is not None
    assert AuditEntry.objects.filter(action="alert.replies_viewed", actor=fremont_officer).exists()


# --- the e-mails these pages' links come from ---------------------------------------------


def test_the_alert_email_is_in_the_readers_language_with_every_link(alert, resident, settings):
    row = AlertDeliveryFactory(alert=alert, recipient=resident, language="es")
    message = alerts._email(row, "rosa@example.org", {})
    assert "Robos en Elm Road" in message.subject
    assert settings.EMERGENCY_NUMBER in message.body
    assert reverse("notify:alert", args=[alert.public_id]) in message.body
    assert reverse("notify:preferences") in message.body
    unsubscribe = reverse("notify:unsubscribe", args=[alerts.unsubscribe_token(resident.pk)])
    assert unsubscribe in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "&#x27;" not in message.body and "&amp;" not in message.body


def test_the_digest_email_lists_each_alert(alert, fremont, resident, settings):
    second = AlertFactory(neighbourhoods=[fremont], title="Scam calls")
    rows = [
        AlertDeliveryFactory(alert=alert, recipient=resident),
        AlertDeliveryFactory(alert=second, recipient=resident),
    ]
    message = alerts._digest_email(rows, "rosa@example.org")
    assert "2 alerts" in message.subject
    assert "Break-ins on Elm Road" in message.body and "Scam calls" in message.body
    assert settings.EMERGENCY_NUMBER in message.body
