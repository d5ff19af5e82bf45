"""Pages: who may open them, what they do, CSV exports, and the list query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbridge.audit.models import AuditEntry
from beatbridge.partners.models import Engagement, FollowUp, Organisation, Referral
from beatbridge.partners.tests.factories import (
    ConcernFactory,
    ContactFactory,
    EngagementFactory,
    FollowUpFactory,
    OrganisationFactory,
)
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    ("partners:directory", {}),
    ("partners:organisation_create", {}),
    ("partners:organisation", {"slug": "fremont-primary"}),
    ("partners:organisation_edit", {"slug": "fremont-primary"}),
    ("partners:contacts", {"slug": "fremont-primary"}),
    ("partners:engagement_create", {"slug": "fremont-primary"}),
    ("partners:follow_ups", {}),
    ("partners:export_engagements", {}),
    ("partners:export_follow_ups", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
@pytest.mark.parametrize("who", ["liaison", "supervisor", "administrator"])
def test_staff_pages_open_for_police_and_administrators(client, request, school, name, kwargs, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
@pytest.mark.parametrize("who", ["resident", "contact"])
def test_staff_pages_refuse_residents_and_partners(client, request, school, name, kwargs, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 403


def test_staff_pages_send_anonymous_visitors_to_sign_in(client, school):
    response = client.get(reverse("partners:directory"))
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_organisation_of_another_force_is_404(client, other_force_officer, school):
    client.force_login(other_force_officer)
    assert client.get(reverse("partners:organisation", args=["fremont-primary"])).status_code == 404


def test_directory_filters_by_kind_and_language(client, liaison, school, force):
    OrganisationFactory(force=force, name="Corner Shop", kind="business", languages=["so"])
    client.force_login(liaison)
    response = client.get(reverse("partners:directory"), {"language": "so"})
    assert [o.name for o in response.context["page"].object_list] == ["Corner Shop"]
    response = client.get(reverse("partners:directory"), {"kind": "school"})
    assert [o.name for o in response.context["page"].object_list] == ["Fremont Primary"]


def test_directory_query_count_does_not_grow(
    client, liaison, force, fremont, django_assert_max_num_queries
):
    for _ in range(8):
        OrganisationFactory(force=force).neighbourhoods.set([fremont])
    client.force_login(liaison)
    with django_assert_max_num_queries(14):
        client.get(reverse("partners:directory"))


def test_create_organisation_page(client, liaison, fremont):
    client.force_login(liaison)
    response = client.post(
        reverse("partners:organisation_create"),
        {
            "name": "Fremont Library",
            "kind": "council",
            "neighbourhoods": [fremont.pk],
            "languages": "en, es",
            "help_offered": "room hire\nhomework club",
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert organisation.languages == ["en", "es"]
    assert organisation.help_offered == ["room hire", "homework club"]


def test_create_organisation_page_shows_errors_on_the_field(client, liaison):
    client.force_login(liaison)
    response = client.post(
        reverse("partners:organisation_create"),
        {"name": "X", "kind": "school", "website": "ftp://nope"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["website"]


def test_contacts_page_is_audited_and_adds_a_contact(client, liaison, school):
    from beatbridge.accounts.tests.factories import UserFactory

    person = UserFactory(email="head@school.example")
    client.force_login(liaison)
    client.get(reverse("partners:contacts", args=[school.slug]))
    assert AuditEntry.objects.filter(action="partner.contacts_viewed").count() == 1
    response = client.post(
        reverse("partners:contacts", args=[school.slug]), {"email": "head@school.example"}
    )
    assert response.status_code == 302
    assert school.contacts.get().user == person


def test_end_contact_page(client, liaison, school, contact):
    row = school.contacts.get()
    client.force_login(liaison)
    client.post(reverse("partners:contact_end", args=[row.pk]))
    row.refresh_from_db()
    assert not row.is_active


def test_log_engagement_page_with_blank_rows(client, liaison, school, fremont):
    client.force_login(liaison)
    when = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("partners:engagement_create", args=[school.slug]),
        {
            "kind": "visit",
            "occurred_at": when,
            "summary": "Visited the school",
            "topics": "parking, bikes",
            "neighbourhood": fremont.pk,
            "shared_with_partner": "on",
            "concerns.0": "Parking",
            "concerns.1": "",
            "follow_ups.0": "Send a PCSO",
            "follow_up_0_due_on": str(timezone.localdate()),
            "follow_up_0_owner": liaison.pk,
        },
    )
    assert response.status_code == 302, response.content
    engagement = Engagement.staff_objects.get()
    assert engagement.topics == ["parking", "bikes"]
    assert engagement.concerns.count() == 1 and engagement.follow_ups.count() == 1


def test_log_engagement_page_shows_a_row_error(client, liaison, school):
    client.force_login(liaison)
    response = client.post(
        reverse("partners:engagement_create", args=[school.slug]),
        {
            "kind": "visit",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "summary": "Visited",
            "follow_ups.0": "Send a PCSO",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["follow_ups.0"]
    assert not Engagement.staff_objects.exists()


def test_organisation_page_shows_history_and_internal_note(
    client, liaison, school, fremont, fremont_officer, street_light
):
    engagement = EngagementFactory(organisation=school, officer=liaison)
    ConcernFactory(engagement=engagement)
    FollowUpFactory(engagement=engagement, due_on=timezone.localdate() - datetime.timedelta(days=2))
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    Referral.objects.create(
        report=report, organisation=school, note="n", referred_by=fremont_officer
    )
    client.force_login(liaison)
    response = client.get(reverse("partners:organisation", args=[school.slug]))
    page = response.content.decode()
    assert engagement.internal_note in page
    assert report.reference in page
    assert "Overdue" in page


def test_organisation_page_query_count(client, liaison, school, django_assert_max_num_queries):
    for _ in range(5):
        engagement = EngagementFactory(organisation=school, officer=liaison)
        ConcernFactory(engagement=engagement)
        FollowUpFactory(engagement=engagement)
    client.force_login(liaison)
    with django_assert_max_num_queries(20):
        client.get(reverse("partners:organisation", args=[school.slug]))


def test_concern_to_report_page(client, school, fremont, fremont_officer, street_light):
    concern = ConcernFactory(
        engagement=EngagementFactory(organisation=school, neighbourhood=fremont)
    )
    client.force_login(fremont_officer)
    assert client.get(reverse("partners:concern", args=[concern.pk])).status_code == 200
    response = client.post(
        reverse("partners:concern_to_report", args=[concern.pk]), {"category": street_light.pk}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.report_reference


def test_follow_ups_page_puts_overdue_first_and_marks_done(client, liaison, school):
    engagement = EngagementFactory(organisation=school, officer=liaison)
    later = FollowUpFactory(engagement=engagement, description="Later")
    overdue = FollowUpFactory(
        engagement=engagement,
        description="Late",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    client.force_login(liaison)
    response = client.get(reverse("partners:follow_ups"))
    assert [f.description for f in response.context["page"].object_list] == ["Late", "Later"]
    assert "Overdue:" in response.content.decode()
    client.post(reverse("partners:follow_up_done", args=[overdue.pk]), {"outcome": "Done it"})
    assert FollowUp.objects.get(pk=overdue.pk).done_at is not None
    assert FollowUp.objects.get(pk=later.pk).done_at is None


def test_follow_ups_of_another_officer_are_not_mine(client, liaison, supervisor, school):
    FollowUpFactory(engagement=EngagementFactory(organisation=school, officer=supervisor))
    client.force_login(liaison)
    response = client.get(reverse("partners:follow_ups"))
    assert response.context["page"].paginator.count == 0


def test_engagement_csv_export(client, liaison, school):
    EngagementFactory(organisation=school, officer=liaison, summary="=HYPERLINK(1)")
    client.force_login(liaison)
    response = client.get(reverse("partners:export_engagements"))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("engagement_id,organisation")
    assert "'=HYPERLINK(1)" in body
    assert "Head teacher" not in body  # the internal note stays out of exports
    assert AuditEntry.objects.filter(action="engagement.exported").exists()


def test_follow_up_csv_export(client, liaison, school):
    FollowUpFactory(engagement=EngagementFactory(organisation=school, officer=liaison))
    client.force_login(liaison)
    body = b"".join(client.get(reverse("partners:export_follow_ups")).streaming_content).decode()
    assert len(body.splitlines()) == 2


# --- the partner portal -------------------------------------------------------------------


def test_portal_shows_only_what_is_shared(client, contact, school, liaison):
    EngagementFactory(organisation=school, summary="Shared summary")
    EngagementFactory(organisation=school, summary="Hidden summary", shared_with_partner=False)
    EngagementFactory(summary="Another organisation")
    client.force_login(contact)
    page = client.get(reverse("partners:portal")).content.decode()
    assert "Shared summary" in page
    assert "Hidden summary" not in page and "Another organisation" not in page
    assert "Head teacher" not in page  # internal notes never reach partners


@pytest.mark.parametrize("who", ["resident", "liaison"])
def test_portal_refuses_people_who_act_for_no_organisation(client, request, school, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("partners:portal")).status_code == 403


def test_ended_contact_loses_the_portal(client, contact, school):
    school.contacts.update(is_active=False)
    client.force_login(contact)
    assert client.get(reverse("partners:portal")).status_code == 403


def test_portal_referral_respond(client, contact, school, fremont, fremont_officer, street_light):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    referral = Referral.objects.create(
        report=report, organisation=school, note="n", referred_by=fremont_officer
    )
    client.force_login(contact)
    url = reverse("partners:portal_referral", args=[referral.pk])
    assert report.description in client.get(url).content.decode()
    response = client.post(url, {"status": "declined", "response": ""})
    assert response.status_code == 400
    client.post(url, {"status": "accepted"})
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_portal_referral_of_another_organisation_is_404(
    client, school, fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    referral = Referral.objects.create(
        report=report, organisation=school, note="n", referred_by=fremont_officer
    )
    client.force_login(ContactFactory().user)
    assert client.get(reverse("partners:portal_referral", args=[referral.pk])).status_code == 404


# --- the triage page's refer form and the event form --------------------------------------


def test_triage_refer_form_refers_to_a_partner(
    client, school, fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    client.force_login(fremont_officer)
    page = client.get(reverse("reports:triage_detail", args=[report.reference])).content.decode()
    assert "Fremont Primary" in page
    response = client.post(
        reverse("reports:triage_action", args=[report.reference, "refer"]),
        {"organisation": school.slug, "note": "Over to the school"},
    )
    assert response.status_code == 302
    assert Referral.objects.get().organisation == school


def test_triage_refer_form_keeps_free_text(client, fremont, fremont_officer, street_light):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    client.force_login(fremont_officer)
    client.post(
        reverse("reports:triage_action", args=[report.reference, "refer"]),
        {"referred_to": "Water company", "note": "Theirs"},
    )
    report.refresh_from_db()
    assert report.referred_to == "Water company"
    assert not Referral.objects.exists()


def test_event_form_sets_co_organisers(client, school, fremont, fremont_officer, contact):
    start = timezone.localtime() + datetime.timedelta(days=3)
    client.force_login(fremont_officer)
    response = client.post(
        reverse("voice:event_create", kwargs={"force": fremont.force.slug, "code": fremont.code}),
        {
            "title": "Bike marking",
            "kind": "other",
            "organiser": "Fremont team",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "venue_name": "School hall",
            "co_organisers": [school.pk],
        },
    )
    assert response.status_code == 302, response.content
    client.force_login(contact)
    assert "Bike marking" in client.get(reverse("partners:portal")).content.decode()


def test_event_co_organiser_of_another_force_is_refused(fremont, fremont_officer):
    from beatbridge.errors import DomainError
    from beatbridge.voice.services.events import EventDetails, create_event

    start = timezone.now() + datetime.timedelta(days=3)
    details = EventDetails(
        title="Bike marking",
        kind="other",
        organiser="Team",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        venue_name="Hall",
        co_organisers=[OrganisationFactory()],
    )
    with pytest.raises(DomainError) as error:
        create_event(by=fremont_officer, neighbourhoods=[fremont], details=details)
    assert error.value.field == "co_organisers"


def test_a_follow_up_is_given_to_someone_else_of_the_force(
    client, liaison, supervisor, other_force_officer, contact, school
):
    follow_up = FollowUpFactory(engagement=EngagementFactory(organisation=school, officer=liaison))
    url = reverse("partners:follow_up_owner", args=[follow_up.pk])
    client.force_login(liaison)
    page = client.get(reverse("partners:follow_ups")).content.decode()
    assert f'action="{url}"' in page
    # Only the force's police are offered, and only they are accepted.
    assert str(supervisor) in page and str(other_force_officer) not in page
    client.post(url, {"owner": other_force_officer.pk})
    client.post(url, {"owner": "not a number"})
    assert FollowUp.objects.get(pk=follow_up.pk).owner == liaison
    client.post(url, {"owner": supervisor.pk})
    assert FollowUp.objects.get(pk=follow_up.pk).owner == supervisor
    assert AuditEntry.objects.filter(action="follow_up.reassigned", actor=liaison).exists()


@pytest.mark.parametrize("who", ["resident", "contact", "other_force_officer"])
def test_nobody_else_gives_a_follow_up_away(client, request, who, liaison, supervisor, school):
    follow_up = FollowUpFactory(engagement=EngagementFactory(organisation=school, officer=liaison))
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse("partners:follow_up_owner", args=[follow_up.pk]), {"owner": supervisor.pk}
    )
    assert response.status_code in (403, 404)
    assert FollowUp.objects.get(pk=follow_up.pk).owner == liaison
