"""The partners API: a permission matrix over fixed people, and what each endpoint does."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.audit.models import AuditEntry
from beatbridge.partners.models import Engagement, FollowUp, Organisation, Referral
from beatbridge.partners.tests.factories import (
    ConcernFactory,
    ContactFactory,
    EngagementFactory,
    FollowUpFactory,
)
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PEOPLE = (
    "liaison",
    "fremont_officer",
    "supervisor",
    "administrator",
    "other_force_officer",
    "resident",
    "contact",
    "anonymous",
)


@pytest.fixture
def world(school, fremont, fremont_officer, liaison, street_light):
    engagement = EngagementFactory(organisation=school, officer=liaison, neighbourhood=fremont)
    concern = ConcernFactory(engagement=engagement)
    follow_up = FollowUpFactory(engagement=engagement)
    contact_row = ContactFactory(organisation=school)
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    referral = Referral.objects.create(
        report=report, organisation=school, note="Please help", referred_by=fremont_officer
    )
    return {
        "engagement": engagement,
        "concern": concern,
        "follow_up": follow_up,
        "contact_row": contact_row,
        "referral": referral,
    }


def _client_for(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


STAFF_OK = {"liaison", "fremont_officer", "supervisor", "administrator"}

# (method, url, body, who may) — "may" gets 2xx; everyone else 403 or 404.
MATRIX = [
    ("get", "/api/v1/partners/organisations", None, STAFF_OK),
    ("get", "/api/v1/partners/organisations/fremont-primary", None, STAFF_OK),
    ("patch", "/api/v1/partners/organisations/fremont-primary", {"telephone": "555"}, STAFF_OK),
    ("get", "/api/v1/partners/organisations/fremont-primary/contacts", None, STAFF_OK),
    ("get", "/api/v1/partners/organisations/fremont-primary/engagements", None, STAFF_OK),
    ("get", "/api/v1/partners/follow-ups", None, STAFF_OK),
    ("get", "/api/v1/partner/referrals", None, {"contact"}),
    ("get", "/api/v1/partner/engagements", None, {"contact"}),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(("method", "url", "body", "allowed"), MATRIX)
def test_permission_matrix(client, request, world, who, method, url, body, allowed):
    client = _client_for(client, request, who)
    response = getattr(client, method)(url, body, content_type="application/json")
    if who in allowed:
        assert response.status_code == 200, response.content
    elif who == "other_force_officer" and url.endswith(("/organisations", "/follow-ups")):
        # Police of another force may list: their own force's, which holds none of these.
        assert response.json()["count"] == 0
    else:
        assert response.status_code in (403, 404), response.content


def test_other_force_officer_gets_404_for_an_organisation(client, world, other_force_officer):
    client.force_login(other_force_officer)
    response = client.get("/api/v1/partners/organisations/fremont-primary")
    assert response.status_code == 404


def test_create_organisation(client, liaison, fremont, force):
    client.force_login(liaison)
    response = client.post(
        "/api/v1/partners/organisations",
        {
            "force": force.slug,
            "name": "Fremont Mosque",
            "kind": "faith",
            "neighbourhoods": ["N-FRE"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["id"] == "fremont-mosque"
    assert response.json()["neighbourhoods"] == ["N-FRE"]


def test_create_organisation_bad_kind_is_400_and_writes_nothing(client, liaison, force):
    client.force_login(liaison)
    response = client.post(
        "/api/v1/partners/organisations",
        {"force": force.slug, "name": "X", "kind": "pub"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    assert not Organisation.objects.exists()


def test_resident_cannot_create_organisation(client, resident, force):
    client.force_login(resident)
    response = client.post(
        "/api/v1/partners/organisations",
        {"force": force.slug, "name": "X", "kind": "school"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Organisation.objects.exists()


def test_contacts_list_is_audited(client, world, liaison):
    client.force_login(liaison)
    client.get("/api/v1/partners/organisations/fremont-primary/contacts")
    assert AuditEntry.objects.filter(action="partner.contacts_viewed", actor=liaison).exists()


def test_log_engagement_with_follow_up(client, school, liaison):
    client.force_login(liaison)
    response = client.post(
        "/api/v1/partners/organisations/fremont-primary/engagements",
        {
            "kind": "call",
            "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "summary": "Phone call",
            "neighbourhood": "N-FRE",
            "concerns": ["Bikes stolen from the rack"],
            "follow_ups": [
                {
                    "description": "Call back",
                    "due_on": str(timezone.localdate()),
                    "owner_id": liaison.pk,
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["concerns"][0]["description"] == "Bikes stolen from the rack"
    assert body["follow_ups"][0]["owner_id"] == liaison.pk


def test_log_engagement_with_a_resident_as_owner_is_400_on_the_row(
    client, school, liaison, resident
):
    client.force_login(liaison)
    response = client.post(
        "/api/v1/partners/organisations/fremont-primary/engagements",
        {
            "kind": "call",
            "occurred_at": timezone.now().isoformat(),
            "summary": "Phone call",
            "follow_ups": [
                {"description": "x", "due_on": str(timezone.localdate()), "owner_id": resident.pk}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "follow_ups.0"
    assert not Engagement.staff_objects.exists()


def test_complete_follow_up(client, world, liaison):
    client.force_login(liaison)
    url = f"/api/v1/partners/follow-ups/{world['follow_up'].pk}/complete"
    response = client.post(url, {"outcome": "Done"}, content_type="application/json")
    assert response.status_code == 200
    assert FollowUp.objects.get().done_by == liaison
    again = client.post(url, {"outcome": "Done"}, content_type="application/json")
    assert again.status_code == 409


def test_contact_cannot_complete_follow_up(client, world, contact):
    client.force_login(contact)
    url = f"/api/v1/partners/follow-ups/{world['follow_up'].pk}/complete"
    response = client.post(url, {"outcome": "Done"}, content_type="application/json")
    assert response.status_code == 403
    assert FollowUp.objects.get().done_at is None


def test_force_scope_is_for_supervisors(client, world, liaison, supervisor):
    client.force_login(liaison)
    assert client.get("/api/v1/partners/follow-ups?scope=force").status_code == 403
    client.force_login(supervisor)
    response = client.get("/api/v1/partners/follow-ups?scope=force")
    assert response.json()["count"] == 1


def test_concern_to_report(client, world, fremont_officer, street_light):
    client.force_login(fremont_officer)
    response = client.post(
        f"/api/v1/partners/concerns/{world['concern'].pk}/report",
        {"category": street_light.code},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["concern"]["report_reference"] == response.json()["report_reference"]


def test_concern_to_report_unknown_category_is_400(client, world, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(
        f"/api/v1/partners/concerns/{world['concern'].pk}/report",
        {"category": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "category"


def test_contact_sees_only_shared_engagements_without_internal_notes(
    client, world, contact, school
):
    EngagementFactory(organisation=school, shared_with_partner=False, summary="Private")
    client.force_login(contact)
    body = client.get("/api/v1/partner/engagements").json()
    assert [item["summary"] for item in body["items"]] == [world["engagement"].summary]
    assert "internal_note" not in body["items"][0]


def test_contact_of_another_organisation_sees_no_referral(client, world):
    other = ContactFactory()
    client.force_login(other.user)
    assert client.get("/api/v1/partner/referrals").json()["count"] == 0
    url = f"/api/v1/partner/referrals/{world['referral'].pk}/response"
    response = client.post(url, {"status": "accepted"}, content_type="application/json")
    assert response.status_code == 404


def test_contact_responds_to_referral(client, world, contact):
    client.force_login(contact)
    url = f"/api/v1/partner/referrals/{world['referral'].pk}/response"
    response = client.post(url, {"status": "accepted"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert "reporter" not in response.json()


def test_refer_a_report_to_an_organisation_through_the_reports_api(
    client, school, fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    client.force_login(fremont_officer)
    response = client.post(
        f"/api/v1/reports/{report.reference}/referral",
        {"organisation": school.slug, "note": "The school will talk to parents."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Referral.objects.get().report == report


def test_refer_to_an_unknown_organisation_is_400(client, fremont, fremont_officer, street_light):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    client.force_login(fremont_officer)
    response = client.post(
        f"/api/v1/reports/{report.reference}/referral",
        {"organisation": "nope", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "organisation"


def test_refer_free_text_still_works(client, fremont, fremont_officer, street_light):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    client.force_login(fremont_officer)
    response = client.post(
        f"/api/v1/reports/{report.reference}/referral",
        {"referred_to": "Water company", "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_organisation_list_query_count(client, liaison, force, django_assert_max_num_queries):
    from beatbridge.partners.tests.factories import OrganisationFactory

    for _ in range(5):
        OrganisationFactory(force=force)
    client.force_login(liaison)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/partners/organisations")
    assert response.json()["count"] == 5
