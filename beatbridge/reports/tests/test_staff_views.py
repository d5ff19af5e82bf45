"""The triage pages: who may open them, what they show, what each action does."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.places.tests.factories import NeighbourhoodFactory
from beatbridge.reports.models import (
    GuardrailTrigger,
    Priority,
    Report,
    ReportKind,
    ReportPhoto,
    ReportUpdate,
    Status,
    UpdateKind,
)
from beatbridge.reports.tests.factories import (
    CategoryFactory,
    ReportFactory,
    ReportUpdateFactory,
)

pytestmark = pytest.mark.django_db

# One pixel of PNG: the photo view streams whatever the row says; it does not decode.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def report(fremont, street_light):
    return ReportFactory(
        reference="FREMONT1",
        category=street_light,
        neighbourhood=fremont,
        description="The light by the bus stop has been out for a week.",
        address="N 36th St and Fremont Ave N",
        contact_name="Sam Reporter",
        contact_email="sam@example.org",
        contact_phone="206-555-0199",
        answers={"pole-number": "SL-4411"},
    )


@pytest.fixture
def photo(report, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return ReportPhoto.objects.create(
        report=report,
        image=ContentFile(PNG, name="light.png"),
        content_type="image/png",
        width=1,
        height=1,
    )


@pytest.fixture
def people(force, fremont, fremont_officer, report):
    """Everyone the permission matrix asks about, by what they are to the Fremont report."""
    reporter = UserFactory()
    Report.staff_objects.filter(pk=report.pk).update(reporter=reporter)
    elsewhere = TeamAssignmentFactory(
        officer=OfficerProfileFactory(force=force),
        neighbourhood=NeighbourhoodFactory(force=force, sector=fremont.sector),
    )
    return {
        "anonymous": None,
        "resident": UserFactory(),
        "reporter": reporter,
        "partner": UserFactory(role="partner"),
        "officer elsewhere": elsewhere.officer.user,
        "officer": fremont_officer,
        "supervisor": OfficerProfileFactory(force=force, supervisor=True).user,
        "supervisor of another force": OfficerProfileFactory(supervisor=True).user,
        "administrator": AdministratorFactory(),
    }


def _urls(report, photo):
    fremont = {"force": "seattle", "code": "N-FRE"}
    return {
        "home": reverse("reports:triage_home"),
        "inbox": reverse("reports:inbox", kwargs=fremont),
        "sector": reverse("reports:sector_inbox", kwargs={"force": "seattle", "sector": "north"}),
        "unplaced": reverse("reports:unplaced", kwargs={"force": "seattle"}),
        "detail": reverse("reports:triage_detail", kwargs={"reference": report.reference}),
        "photo": reverse(
            "reports:photo", kwargs={"reference": report.reference, "photo_id": photo.pk}
        ),
        "export": reverse("reports:export", kwargs=fremont),
        "guardrail": reverse("reports:guardrail"),
    }


# page -> expected status for: resident, reporter, partner, officer elsewhere, officer,
# supervisor, supervisor of another force, administrator. Anonymous visitors sign in first.
MATRIX = {
    "home": (403, 403, 403, 200, 200, 200, 200, 200),
    "inbox": (403, 403, 403, 403, 200, 200, 403, 200),
    "sector": (403, 403, 403, 403, 403, 200, 403, 200),
    "unplaced": (403, 403, 403, 403, 403, 200, 403, 200),
    # The report is public, so others may know it exists: 403, not 404.
    "detail": (403, 403, 403, 403, 200, 200, 403, 200),
    "photo": (404, 404, 404, 404, 200, 200, 404, 200),
    "export": (403, 403, 403, 403, 200, 200, 403, 200),
    "guardrail": (403, 403, 403, 200, 200, 200, 200, 200),
}
ROLES = (
    "resident",
    "reporter",
    "partner",
    "officer elsewhere",
    "officer",
    "supervisor",
    "supervisor of another force",
    "administrator",
)


@pytest.mark.parametrize("page", MATRIX)
def test_who_may_open_each_triage_page(client, people, report, photo, page):
    url = _urls(report, photo)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    for role, expected in zip(ROLES, MATRIX[page], strict=True):
        client.force_login(people[role])
        assert client.get(url).status_code == expected, f"{role} on {page}"


def test_a_private_report_is_not_found_by_staff_who_may_not_handle_it(client, people, report):
    Report.staff_objects.filter(pk=report.pk).update(is_private=True)
    client.force_login(people["officer elsewhere"])
    url = reverse("reports:triage_detail", kwargs={"reference": report.reference})
    assert client.get(url).status_code == 404


ACTIONS = {
    "acknowledge": {"message": "Thanks, we are on it."},
    "status": {"status": Status.IN_PROGRESS, "reason": "The city is sending a crew."},
    "public-update": {"text": "The crew comes on Monday."},
    "note": {"text": "Crew lead is J. at the depot."},
    "priority": {"priority": Priority.HIGH},
    "refer": {"referred_to": "Seattle City Light", "note": "They own the poles."},
}


@pytest.mark.parametrize("action", ACTIONS)
def test_staff_who_may_not_handle_the_report_cannot_act_on_it(client, people, report, action):
    url = reverse("reports:triage_action", kwargs={"reference": report.reference, "action": action})
    for role in ("resident", "reporter", "officer elsewhere", "supervisor of another force"):
        client.force_login(people[role])
        assert client.post(url, ACTIONS[action]).status_code == 403, role
    assert not ReportUpdate.objects.filter(report=report).exists()


def test_an_anonymous_action_is_sent_to_sign_in_and_changes_nothing(client, report):
    url = reverse("reports:triage_action", kwargs={"reference": report.reference, "action": "note"})
    response = client.post(url, {"text": "Sneaky"})
    assert response.status_code == 302
    assert not ReportUpdate.objects.exists()


# --- the triage home ----------------------------------------------------------------------


def test_home_lists_the_officers_neighbourhood_with_open_counts(client, fremont_officer, report):
    ReportFactory(category=report.category, neighbourhood=report.neighbourhood, status="new")
    ReportFactory(category=report.category, neighbourhood=report.neighbourhood, status="resolved")
    client.force_login(fremont_officer)
    response = client.get(reverse("reports:triage_home"))
    row = response.context["forces"][0]["rows"][0]
    assert row["neighbourhood"].code == "N-FRE"
    assert row["open"] == 2
    assert not response.context["forces"][0]["supervised"]
    assert reverse("reports:unplaced", kwargs={"force": "seattle"}) not in response.text
    assert reverse("reports:guardrail") in response.text


def test_home_gives_supervisors_the_sector_and_unplaced_inboxes(client, force, fremont, report):
    supervisor = OfficerProfileFactory(force=force, supervisor=True).user
    ReportFactory(category=report.category, neighbourhood=None, address="Somewhere")
    client.force_login(supervisor)
    response = client.get(reverse("reports:triage_home"))
    assert reverse("reports:sector_inbox", kwargs={"force": "seattle", "sector": "north"}) in (
        response.text
    )
    assert reverse("reports:unplaced", kwargs={"force": "seattle"}) in response.text
    assert response.context["forces"][0]["unplaced_open"] == 1


def test_the_triage_link_is_in_the_header_for_police_only(client, fremont_officer):
    link = f'href="{reverse("reports:triage_home")}"'
    client.force_login(UserFactory())
    assert link not in client.get(reverse("accounts:profile")).text
    client.force_login(fremont_officer)
    assert link in client.get(reverse("accounts:profile")).text


# --- inboxes ------------------------------------------------------------------------------


def _inbox(client, **query):
    return client.get(reverse("reports:inbox", kwargs={"force": "seattle", "code": "N-FRE"}), query)


def test_inbox_shows_open_reports_oldest_first_by_default(client, fremont_officer, report):
    newer = ReportFactory(category=report.category, neighbourhood=report.neighbourhood)
    ReportFactory(category=report.category, neighbourhood=report.neighbourhood, status="resolved")
    client.force_login(fremont_officer)
    response = _inbox(client)
    assert [r.reference for r in response.context["page"]] == [report.reference, newer.reference]
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts["new"] == 2
    assert counts["resolved"] == 1
    assert 'href="?status=resolved"' in response.text


def test_inbox_row_shows_what_a_triager_scans(client, fremont_officer, report):
    client.force_login(fremont_officer)
    text = _inbox(client).text
    assert report.reference in text
    assert "Street light out" in text
    assert "N 36th St and Fremont Ave N" in text
    # Contact details and the description belong on the report's own page.
    assert "sam@example.org" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "resolved"}, {"CLOSED"}),
        ({"status": "all"}, {"FREMONT1", "CLOSED", "MINE", "URGENT"}),
        ({"assigned": "me"}, {"MINE"}),
        ({"assigned": "none"}, {"FREMONT1", "URGENT"}),
        ({"priority": "1"}, {"URGENT"}),
        ({"q": "fremont1"}, {"FREMONT1"}),
        ({"q": "out for a week"}, {"FREMONT1"}),
        ({"kind": "tip"}, set()),
    ],
)
def test_inbox_filters(client, fremont_officer, report, query, expected):
    category, place = report.category, report.neighbourhood
    ReportFactory(reference="CLOSED", category=category, neighbourhood=place, status="resolved")
    ReportFactory(
        reference="MINE", category=category, neighbourhood=place, assigned_to=fremont_officer
    )
    ReportFactory(reference="URGENT", category=category, neighbourhood=place, priority=1)
    client.force_login(fremont_officer)
    response = _inbox(client, **query)
    assert response.status_code == 200
    assert {r.reference for r in response.context["page"]} == expected


def test_inbox_filters_by_category(client, fremont_officer, report, force):
    other = ReportFactory(
        category=CategoryFactory(force=force, code="graffiti"), neighbourhood=report.neighbourhood
    )
    client.force_login(fremont_officer)
    response = _inbox(client, category=other.category_id)
    assert [r.reference for r in response.context["page"]] == [other.reference]


def test_inbox_sorts_by_priority(client, fremont_officer, report):
    urgent = ReportFactory(category=report.category, neighbourhood=report.neighbourhood, priority=1)
    client.force_login(fremont_officer)
    response = _inbox(client, sort="priority")
    assert [r.reference for r in response.context["page"]] == [urgent.reference, report.reference]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "lost"},
        {"priority": "9"},
        {"category": "x"},
        {"assigned": "99999"},
        {"sort": "x"},
    ],
)
def test_bad_inbox_filters_say_what_is_wrong_and_still_list(client, fremont_officer, report, query):
    client.force_login(fremont_officer)
    response = _inbox(client, **query)
    assert response.status_code == 400
    assert "Some filters could not be used" in response.text
    # The rest of the page still works: the default inbox.
    assert [r.reference for r in response.context["page"]] == [report.reference]


def test_a_bad_page_number_shows_a_page_not_an_error(client, fremont_officer, report):
    client.force_login(fremont_officer)
    assert _inbox(client, page="many").status_code == 200


def test_inbox_pages_fifty_at_a_time(client, fremont_officer, report):
    ReportFactory.create_batch(50, category=report.category, neighbourhood=report.neighbourhood)
    client.force_login(fremont_officer)
    first, second = _inbox(client), _inbox(client, page=2)
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1
    assert 'href="?page=2"' in first.text


@pytest.mark.parametrize("name", ["inbox", "sector", "unplaced"])
def test_inbox_queries_do_not_grow_with_the_reports(
    client, force, fremont, report, django_assert_num_queries, name
):
    supervisor = OfficerProfileFactory(force=force, supervisor=True).user
    client.force_login(supervisor)
    url = {
        "inbox": reverse("reports:inbox", kwargs={"force": "seattle", "code": "N-FRE"}),
        "sector": reverse("reports:sector_inbox", kwargs={"force": "seattle", "sector": "north"}),
        "unplaced": reverse("reports:unplaced", kwargs={"force": "seattle"}),
    }[name]
    neighbourhood = None if name == "unplaced" else fremont

    def add(count):
        for _ in range(count):
            ReportFactory(
                category=report.category,
                neighbourhood=neighbourhood,
                assigned_to=supervisor,
                address="Somewhere",
            )

    add(1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(60)
    # Session, user, scope, profile, categories (+ questions), officers, count, counts, page,
    # the header's unread alerts.
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 50
    assert len(few.captured_queries) <= 12


def test_sector_inbox_lists_every_neighbourhood_of_the_sector(client, force, fremont, report):
    neighbour = NeighbourhoodFactory(force=force, sector=fremont.sector)
    other = ReportFactory(category=report.category, neighbourhood=neighbour)
    client.force_login(OfficerProfileFactory(force=force, supervisor=True).user)
    response = client.get(
        reverse("reports:sector_inbox", kwargs={"force": "seattle", "sector": "north"})
    )
    assert {r.reference for r in response.context["page"]} == {report.reference, other.reference}


def test_unknown_sector_is_not_found(client, force, fremont):
    client.force_login(OfficerProfileFactory(force=force, supervisor=True).user)
    url = reverse("reports:sector_inbox", kwargs={"force": "seattle", "sector": "nowhere"})
    assert client.get(url).status_code == 404


def test_unplaced_inbox_holds_only_reports_without_a_neighbourhood(client, force, report):
    unplaced = ReportFactory(category=report.category, neighbourhood=None, address="Pier 62")
    client.force_login(OfficerProfileFactory(force=force, supervisor=True).user)
    response = client.get(reverse("reports:unplaced", kwargs={"force": "seattle"}))
    assert [r.reference for r in response.context["page"]] == [unplaced.reference]


# --- one report ---------------------------------------------------------------------------


def _detail(client, report):
    return client.get(reverse("reports:triage_detail", kwargs={"reference": report.reference}))


def test_detail_shows_everything_staff_need(client, fremont_officer, report, photo):
    ReportUpdateFactory(report=report, kind=UpdateKind.NOTE, text="Depot knows.", is_public=False)
    client.force_login(fremont_officer)
    text = _detail(client, report).text
    for expected in (
        report.description,
        "sam@example.org",
        "206-555-0199",
        "Sam Reporter",
        "N 36th St and Fremont Ave N",
        "47.655000, -122.345000",
        "Number on the pole",
        "SL-4411",
        "Depot knows.",
        "Internal",
        reverse("reports:photo", kwargs={"reference": report.reference, "photo_id": photo.pk}),
    ):
        assert expected in text, expected


def test_detail_shows_what_a_suspicious_activity_report_saw(client, fremont_officer, report):
    Report.staff_objects.filter(pk=report.pk).update(
        kind=ReportKind.SUSPICIOUS_ACTIVITY,
        details={"behaviour": "Tried the handles of three parked cars", "vehicle": "Blue van"},
    )
    client.force_login(fremont_officer)
    text = _detail(client, report).text
    assert "Tried the handles of three parked cars" in text
    assert "Blue van" in text


def test_viewing_a_report_is_audited(client, fremont_officer, report):
    client.force_login(fremont_officer)
    _detail(client, report)
    entry = AuditEntry.objects.get(action="report.viewed")
    assert (entry.actor, entry.target_id) == (fremont_officer, str(report.pk))


def test_detail_suggests_duplicates(client, fremont_officer, report):
    twin = ReportFactory(category=report.category, neighbourhood=report.neighbourhood)
    client.force_login(fremont_officer)
    response = _detail(client, report)
    assert f'value="{twin.reference}"' in response.text


def test_internal_notes_never_reach_the_reporters_history(report, fremont_officer):
    from beatbridge.reports import selectors, services

    services.add_note(report=report, by=fremont_officer, text="Internal only")
    services.post_public_update(report=report, by=fremont_officer, text="Out for all")
    texts = [u.text for u in selectors.history_of(report, staff=False)]
    assert texts == ["Out for all"]
    assert "Internal only" not in [u.text for u in selectors.public_updates(report)]


# --- actions ------------------------------------------------------------------------------


def _act(client, report, action, data):
    url = reverse("reports:triage_action", kwargs={"reference": report.reference, "action": action})
    return client.post(url, data)


def _detail_url(report):
    return reverse("reports:triage_detail", kwargs={"reference": report.reference})


def test_acknowledge_tells_the_reporter_and_redirects_back(client, fremont_officer, report):
    client.force_login(fremont_officer)
    response = _act(client, report, "acknowledge", {"message": "Thanks, we are on it."})
    assert response.status_code == 302
    assert response["Location"] == _detail_url(report)
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert report.acknowledged_at is not None
    update = report.updates.get()
    assert (update.text, update.is_public) == ("Thanks, we are on it.", True)
    followed = client.get(response["Location"])
    assert "Acknowledged: the reporter has been told." in followed.text


def test_change_status_with_reason(client, fremont_officer, report):
    client.force_login(fremont_officer)
    _act(client, report, "status", {"status": "resolved", "reason": "Light fixed."})
    report.refresh_from_db()
    assert report.status == Status.RESOLVED
    assert report.resolved_at is not None


def test_public_update_and_note(client, fremont_officer, report):
    client.force_login(fremont_officer)
    _act(client, report, "public-update", {"text": "Crew on Monday."})
    _act(client, report, "note", {"text": "Depot ref 77."})
    kinds = {u.text: (u.kind, u.is_public) for u in report.updates.all()}
    assert kinds == {
        "Crew on Monday.": (UpdateKind.PUBLIC, True),
        "Depot ref 77.": (UpdateKind.NOTE, False),
    }


def test_assign_offers_only_who_may_handle_it(client, force, fremont_officer, people, report):
    client.force_login(fremont_officer)
    choices = dict(_detail(client, report).context["forms"]["assign"].fields["assigned_to"].choices)
    assert fremont_officer.pk in choices
    assert people["supervisor"].pk in choices
    assert people["officer elsewhere"].pk not in choices
    assert people["supervisor of another force"].pk not in choices

    _act(client, report, "assign", {"assigned_to": fremont_officer.pk})
    report.refresh_from_db()
    assert report.assigned_to == fremont_officer
    _act(client, report, "assign", {"assigned_to": ""})
    report.refresh_from_db()
    assert report.assigned_to is None


def test_priority_neighbourhood_and_referral(client, force, fremont_officer, report):
    elsewhere = NeighbourhoodFactory(force=force)
    client.force_login(fremont_officer)
    _act(client, report, "priority", {"priority": 1})
    _act(client, report, "refer", {"referred_to": "Seattle City Light", "note": "Their poles."})
    _act(client, report, "neighbourhood", {"neighbourhood": elsewhere.pk})
    report.refresh_from_db()
    assert (report.priority, report.status, report.referred_to) == (
        1,
        Status.REFERRED,
        "Seattle City Light",
    )
    assert report.neighbourhood == elsewhere


@pytest.mark.parametrize("how", ["suggestion", "reference"])
def test_merge_into_a_duplicate(client, fremont_officer, report, how):
    original = ReportFactory(
        reference="ORIGINAL", category=report.category, neighbourhood=report.neighbourhood
    )
    client.force_login(fremont_officer)
    data = {"duplicate_of": "ORIGINAL"} if how == "suggestion" else {"reference": "original"}
    assert _act(client, report, "merge", data).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == (Status.DUPLICATE, original)


def test_merge_refuses_a_report_the_officer_may_not_handle(client, force, fremont_officer, report):
    ReportFactory(
        reference="FARAWAY",
        category=report.category,
        neighbourhood=NeighbourhoodFactory(force=force),
    )
    client.force_login(fremont_officer)
    response = _act(client, report, "merge", {"reference": "FARAWAY"})
    assert response.status_code == 400
    assert "Choose a report you handle in the same force." in response.text
    report.refresh_from_db()
    assert report.status == Status.NEW


BAD_INPUT = {
    "acknowledge": ({"message": "x" * 5001}, "message"),
    "status": ({"status": "in_progress", "reason": "  "}, "reason"),
    "public-update": ({"text": ""}, "text"),
    "note": ({"text": ""}, "text"),
    "assign": ({"assigned_to": "999999"}, "assigned_to"),
    "priority": ({"priority": "7"}, "priority"),
    "neighbourhood": ({"neighbourhood": "999999"}, "neighbourhood"),
    "refer": ({"referred_to": "", "note": "Their poles."}, "referred_to"),
    "merge": ({"reference": "FREMONT1"}, "duplicate_of"),
}


@pytest.mark.parametrize("action", BAD_INPUT)
def test_bad_input_is_shown_on_the_field_and_changes_nothing(
    client, fremont_officer, report, action
):
    data, field = BAD_INPUT[action]
    client.force_login(fremont_officer)
    response = _act(client, report, action, data)
    assert response.status_code == 400
    form = response.context["bound_form"]
    assert form.slug == action
    assert form.errors.get(field), form.errors
    assert "That was not done" in response.text
    assert not ReportUpdate.objects.filter(report=report).exists()
    assert Report.staff_objects.get(pk=report.pk).status == Status.NEW


def test_acknowledging_twice_is_refused(client, fremont_officer, report):
    client.force_login(fremont_officer)
    _act(client, report, "acknowledge", {})
    response = _act(client, report, "acknowledge", {})
    assert response.status_code == 400
    assert "already been acknowledged" in response.text


def test_a_neighbourhood_of_another_force_is_not_offered(client, fremont_officer, report):
    foreign = NeighbourhoodFactory()
    client.force_login(fremont_officer)
    response = _act(client, report, "neighbourhood", {"neighbourhood": foreign.pk})
    assert response.status_code == 400
    assert Report.staff_objects.get(pk=report.pk).neighbourhood_id == report.neighbourhood_id


def test_unknown_action_is_not_found(client, fremont_officer, report):
    client.force_login(fremont_officer)
    assert _act(client, report, "delete", {}).status_code == 404


def test_actions_are_post_only(client, fremont_officer, report):
    client.force_login(fremont_officer)
    url = reverse("reports:triage_action", kwargs={"reference": report.reference, "action": "note"})
    assert client.get(url).status_code == 405


# --- photos -------------------------------------------------------------------------------


def test_photo_is_streamed_privately_and_audited(client, fremont_officer, report, photo):
    client.force_login(fremont_officer)
    response = client.get(
        reverse("reports:photo", kwargs={"reference": report.reference, "photo_id": photo.pk})
    )
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    entry = AuditEntry.objects.get(action="report.photo_viewed")
    assert (entry.actor, entry.detail) == (fremont_officer, {"photo_id": photo.pk})


def test_a_photo_of_another_report_is_not_found(client, fremont_officer, report, photo):
    other = ReportFactory(category=report.category, neighbourhood=report.neighbourhood)
    client.force_login(fremont_officer)
    url = reverse("reports:photo", kwargs={"reference": other.reference, "photo_id": photo.pk})
    assert client.get(url).status_code == 404


# --- the export ---------------------------------------------------------------------------


def _export(client, **query):
    response = client.get(
        reverse("reports:export", kwargs={"force": "seattle", "code": "N-FRE"}), query
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    return response, list(csv.DictReader(io.StringIO(content)))


def test_export_has_the_place_and_times_but_no_contact_details(client, fremont_officer, report):
    client.force_login(fremont_officer)
    from beatbridge.reports import services

    services.acknowledge(report=report, by=fremont_officer)
    response, rows = _export(client)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    [row] = rows
    assert row["reference"] == report.reference
    assert row["category_code"] == "street-light"
    assert row["neighbourhood_code"] == "N-FRE"
    assert float(row["latitude"]) == 47.655
    assert float(row["public_longitude"]) == report.public_longitude
    assert row["status"] == "acknowledged"
    assert float(row["hours_to_acknowledge"]) >= 0
    assert row["hours_to_resolve"] == ""
    content = ",".join(",".join(r.values()) for r in rows)
    assert "sam@example.org" not in content
    assert "Sam Reporter" not in content


def test_export_uses_the_inbox_filters(client, fremont_officer, report):
    ReportFactory(category=report.category, neighbourhood=report.neighbourhood, status="resolved")
    client.force_login(fremont_officer)
    _response, rows = _export(client, status="resolved")
    assert [row["status"] for row in rows] == ["resolved"]


def test_export_defuses_spreadsheet_formulas(client, fremont_officer, report, force):
    Report.staff_objects.filter(pk=report.pk).update(address='=HYPERLINK("http://x")')
    report.category.name = "@SUM(A1)"
    report.category.save()
    client.force_login(fremont_officer)
    _response, [row] = _export(client)
    assert row["address"] == '\'=HYPERLINK("http://x")'
    assert row["category_name"] == "'@SUM(A1)"
    # Numbers are numbers, even negative ones.
    assert row["longitude"] == "-122.345"


def test_export_is_audited_without_the_search_text(client, fremont_officer, report):
    client.force_login(fremont_officer)
    _export(client, q="bus stop")
    entry = AuditEntry.objects.get(action="report.exported")
    assert entry.actor == fremont_officer
    assert entry.target_id == str(report.neighbourhood_id)
    assert entry.detail["searched"] is True
    assert "bus stop" not in str(entry.detail)


def test_export_with_bad_filters_says_why(client, fremont_officer, report):
    client.force_login(fremont_officer)
    response = client.get(
        reverse("reports:export", kwargs={"force": "seattle", "code": "N-FRE"}), {"status": "x"}
    )
    assert response.status_code == 400
    assert "Status" in response.text
    assert not AuditEntry.objects.filter(action="report.exported").exists()


# --- the guardrail figures ----------------------------------------------------------------


def test_guardrail_figures_by_rule_and_period(client, fremont_officer, report):
    import datetime

    from django.utils import timezone

    GuardrailTrigger.objects.create(rule="appearance_only")
    GuardrailTrigger.objects.create(
        rule="appearance_only", at=timezone.now() - datetime.timedelta(days=60)
    )
    GuardrailTrigger.objects.create(
        rule="too_short", at=timezone.now() - datetime.timedelta(days=200)
    )
    Report.staff_objects.filter(pk=report.pk).update(kind=ReportKind.SUSPICIOUS_ACTIVITY)
    client.force_login(fremont_officer)
    response = client.get(reverse("reports:guardrail"))
    rows = {str(row["label"]): row["counts"] for row in response.context["rows"]}
    assert rows["Appearance or identity only"] == [1, 2, 2]
    assert rows["Too short"] == [0, 0, 1]
    assert [p["accepted"] for p in response.context["periods"]] == [1, 1, 1]
