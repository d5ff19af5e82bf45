"""Review probes for partners (issue 5): each guards a defect found in review, now fixed,
or a rule the review confirmed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.partners.models import Contact, Engagement, FollowUp, RaisedConcern, Referral
from beatbridge.partners.tests.factories import (
    ConcernFactory,
    ContactFactory,
    EngagementFactory,
    FollowUpFactory,
    OrganisationFactory,
)
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school, fremont, fremont_officer, liaison, street_light):
    engagement = EngagementFactory(organisation=school, officer=liaison, neighbourhood=fremont)
    FollowUpFactory(engagement=engagement, outcome="", owner=liaison)
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    referral = Referral.objects.create(
        report=report, organisation=school, note="Please help", referred_by=fremont_officer
    )
    return {"engagement": engagement, "referral": referral}


@pytest.fixture
def portland():
    """An organisation of another force, with an engagement, a concern and a follow-up."""
    force = ForceFactory(slug="portland-force")
    organisation = OrganisationFactory(force=force, slug="portland-youth")
    engagement = EngagementFactory(organisation=organisation)
    return {
        "organisation": organisation,
        "concern": ConcernFactory(engagement=engagement),
        "follow_up": FollowUpFactory(engagement=engagement),
        "contact": ContactFactory(organisation=organisation),
    }


# --- what a partner sees ------------------------------------------------------------------


def test_a_partner_sees_no_officer_account_ids(client, world, contact):
    client.force_login(contact)
    items = client.get("/api/v1/partner/engagements").json()["items"]
    assert items, "the shared engagement is listed"
    assert "owner_id" not in items[0]["follow_ups"][0]


def test_a_partner_never_sees_an_internal_note_on_the_portal(client, world, contact):
    client.force_login(contact)
    page = client.get("/partner/").content.decode()
    assert "Talked about the school gate." in page
    assert "caretaker" not in page


def test_an_ended_contact_loses_the_portal_and_the_api(client, world, contact):
    Contact.objects.filter(user=contact).update(is_active=False)
    client.force_login(contact)
    assert client.get("/partner/").status_code == 403
    assert client.get("/api/v1/partner/referrals").status_code == 403
    referral = world["referral"]
    response = client.post(
        f"/api/v1/partner/referrals/{referral.pk}/response",
        {"status": "accepted"},
        content_type="application/json",
    )
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "open"


def test_an_inactive_account_loses_the_portal(client, world, contact):
    contact.is_active = False
    contact.save(update_fields=["is_active"])
    client.force_login(contact)
    # Django's ModelBackend refuses inactive users a session; whatever the answer, no portal.
    assert client.get("/partner/").status_code in (302, 403)


def test_a_contact_of_another_organisation_cannot_answer_or_open_a_referral(
    client, world, portland
):
    client.force_login(portland["contact"].user)
    referral = world["referral"]
    assert client.get(f"/partner/referrals/{referral.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/partner/referrals/{referral.pk}/response",
        {"status": "declined", "response": "no"},
        content_type="application/json",
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "open"


def test_a_partner_contact_cannot_open_the_police_pages(client, world, contact):
    client.force_login(contact)
    assert client.get("/manage/partners/").status_code == 403
    assert client.get("/manage/partners/fremont-primary/").status_code == 403
    assert client.get("/manage/partners/engagements.csv").status_code == 403
    assert client.get("/api/v1/partners/organisations/fremont-primary").status_code == 403


# --- another force's ids ------------------------------------------------------------------


def test_police_of_one_force_reach_nothing_of_another_by_id(client, liaison, portland):
    client.force_login(liaison)
    concern, follow_up = portland["concern"], portland["follow_up"]
    assert client.get(f"/manage/partners/concerns/{concern.pk}/").status_code == 404
    assert client.post(
        f"/manage/follow-ups/{follow_up.pk}/done/", {"outcome": "x"}
    ).status_code == (404)
    assert client.post(f"/manage/partners/contacts/{portland['contact'].pk}/end/").status_code == (
        404
    )
    response = client.post(
        f"/api/v1/partners/follow-ups/{follow_up.pk}/owner",
        {"owner_id": liaison.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get("/manage/partners/portland-youth/").status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None
    assert Contact.objects.get(pk=portland["contact"].pk).is_active


def test_a_follow_up_cannot_be_given_to_an_officer_of_another_force(
    client, world, liaison, other_force_officer
):
    follow_up = FollowUp.objects.get(engagement=world["engagement"])
    client.force_login(liaison)
    response = client.post(
        f"/api/v1/partners/follow-ups/{follow_up.pk}/owner",
        {"owner_id": other_force_officer.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.owner == liaison


def test_a_concern_cannot_become_a_report_of_another_forces_neighbourhood(
    client, world, liaison, street_light
):
    concern = ConcernFactory(engagement=world["engagement"])
    elsewhere = NeighbourhoodFactory(force=ForceFactory(slug="elsewhere"), code="N-ELS")
    client.force_login(liaison)
    response = client.post(
        f"/api/v1/partners/concerns/{concern.pk}/report",
        {"category": street_light.code, "neighbourhood": elsewhere.code},
        content_type="application/json",
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.report_reference == ""


# --- input validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"occurred_at": "2020-01-01T10:00:00"},  # no offset
        {"occurred_at": "not a date"},
        {"topics": ["a\u0000b"]},
        {"summary": "x" * 5000},
        {"follow_ups": [{"description": "d", "due_on": "2020-02-30", "owner_id": 1}]},
        {"follow_ups": [{"description": "d", "due_on": "2099-01-01", "owner_id": -5}]},
        {"follow_ups": [{"description": "d", "due_on": "2099-01-01", "owner_id": 10**12}]},
        {"concerns": ["c"] * 21},
        {"neighbourhood": "N-" + "X" * 5000},
    ],
)
def test_bad_engagements_are_400_and_write_nothing(client, school, liaison, change):
    body = {
        "kind": "call",
        "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "summary": "Phone call",
        **change,
    }
    client.force_login(liaison)
    response = client.post(
        "/api/v1/partners/organisations/fremont-primary/engagements",
        body,
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert not Engagement.staff_objects.exists()
    assert not RaisedConcern.objects.exists()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?page=-1", 200),
        ("?page=abc", 200),
        ("?scope=%00", 200),
        ("?done=1&page=99999999999", 200),
        # The force's list is for supervisors: a liaison officer is refused, not shown theirs.
        ("?scope=force", 403),
    ],
)
def test_the_follow_up_list_takes_any_query_string(client, liaison, query, expected):
    client.force_login(liaison)
    assert client.get(f"/manage/follow-ups/{query}").status_code == expected


def test_the_directory_takes_a_strange_query_string(client, liaison):
    client.force_login(liaison)
    response = client.get("/manage/partners/", {"neighbourhood": "x" * 5000, "language": "\x00"})
    assert response.status_code in (200, 400)


# --- CSV ----------------------------------------------------------------------------------


def test_the_engagement_export_makes_formulas_inert(client, school, liaison):
    EngagementFactory(organisation=school, officer=liaison, summary="=cmd|'/c calc'!A1")
    FollowUpFactory(engagement=Engagement.staff_objects.get(), description="+SUM(1)", owner=liaison)
    client.force_login(liaison)
    body = b"".join(client.get("/manage/partners/engagements.csv").streaming_content).decode()
    assert ",=cmd" not in body and '"=cmd' not in body
    body = b"".join(
        client.get("/manage/follow-ups/export.csv?scope=mine").streaming_content
    ).decode()
    assert ",+SUM" not in body


def test_the_follow_up_page_offers_no_link_it_would_refuse(client, liaison):
    client.force_login(liaison)
    page = client.get("/manage/follow-ups/").content.decode()
    assert "?scope=force" not in page
