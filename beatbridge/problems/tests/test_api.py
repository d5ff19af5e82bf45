"""The problem-solving API: a project from scanning to a published assessed summary,
refused input, CSRF and the OpenAPI document. Who may call each endpoint is in
``test_api_permissions.py``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from beatbridge.problems import services
from beatbridge.problems.models import (
    Action,
    ActionStatus,
    Assessment,
    HistoryEntry,
    Project,
    Question,
    Stage,
)
from beatbridge.problems.tests.test_services import AFTER as AFTER_MONTHS
from beatbridge.problems.tests.test_services import BEFORE as BEFORE_MONTHS
from beatbridge.problems.tests.test_services import (  # the crime data of the service tests
    COMPARISON,
    RESPONSE,
    burglaries,  # noqa: F401 (a fixture)
)
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/problems"
PUBLIC = "/api/v1/forces/seattle/neighbourhoods/N-FRE/problems"
START = {"force": "seattle", "neighbourhoods": ["N-FRE"], "title": "Break-ins"}
BEFORE = {"first": "2017-01", "last": "2017-03"}
AFTER = {"first": "2017-04", "last": "2017-06"}
ASSESSMENT = {
    "response_area": RESPONSE,
    "comparison_area": COMPARISON,
    "buffer_metres": 100,
    "before": BEFORE,
    "after": AFTER,
    "crime_category": "burglary",
}
OPEN_RING = {
    "type": "Polygon",
    "coordinates": [
        [[-122.348, 47.652], [-122.346, 47.652], [-122.346, 47.654], [-122.348, 47.654]]
    ],
}


def _in_response(officer, fremont, school, **extra):
    """A project in response: analysed, with the school invited."""
    project = services.start_project(
        actor=officer,
        neighbourhoods=[fremont],
        title="Break-ins on Hot Lane",
        crime_category="burglary",
        area=RESPONSE,
        **extra,
    )
    services.advance_stage(actor=officer, project=project)
    services.update_project(actor=officer, project=project, offender="Teens after school.")
    services.advance_stage(actor=officer, project=project)
    services.invite_partner(actor=officer, project=project, organisation=school)
    return project


@pytest.fixture
def world(fremont, fremont_officer, school):
    return build_world(fremont_officer, fremont, school)


def build_world(fremont_officer, fremont, school) -> dict[str, int]:
    """Two projects the school is invited to: one in response with a question, the
    school's action and the team's; one assessed, waiting for a decision. Their ids."""
    project = _in_response(fremont_officer, fremont, school)
    question = services.ask_question(
        actor=fremont_officer, project=project, question="When do they happen?"
    )
    theirs = services.add_action(
        actor=fremont_officer,
        project=project,
        description="Walk the children home.",
        owner_organisation_id=school.pk,
    )
    ours = services.add_action(
        actor=fremont_officer,
        project=project,
        description="Patrol at 3pm.",
        owner_officer_id=fremont_officer.pk,
    )
    assessed = _in_response(fremont_officer, fremont, school)
    services.add_action(
        actor=fremont_officer,
        project=assessed,
        description="Lights in the car park.",
        owner_officer_id=fremont_officer.pk,
    )
    services.assess(
        actor=fremont_officer,
        project=assessed,
        response_area=RESPONSE,
        comparison_area=COMPARISON,
        buffer_metres=100,
        before=BEFORE_MONTHS,
        after=AFTER_MONTHS,
    )
    return {
        "project": project.pk,
        "assessed": assessed.pk,
        "question": question.pk,
        "theirs": theirs.pk,
        "ours": ours.pk,
    }


def call_api(client: Client, method: str, url: str, body=None, **headers):
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


def test_a_partner_reads_the_project_without_linked_report_references(
    client, fremont, fremont_officer, school, school_contact, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    project = _in_response(fremont_officer, fremont, school, report_ids=[report.pk])

    client.force_login(school_contact)
    as_partner = client.get(f"{BASE}/{project.pk}").json()
    client.force_login(fremont_officer)
    as_team = client.get(f"{BASE}/{project.pk}").json()

    assert as_team["reports"] == [report.reference]
    assert as_partner["reports"] == []
    assert (as_partner["may_work"], as_partner["acting_for"]) == (False, ["fremont-primary"])
    assert (as_team["may_work"], as_team["acting_for"]) == (True, [])


def test_a_partner_cannot_move_the_due_date_of_its_action(client, world, school_contact):
    client.force_login(school_contact)

    response = client.patch(
        f"{BASE}/actions/{world['theirs']}",
        {"status": "in_progress", "due_on": "2030-01-01"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert Action.objects.get(pk=world["theirs"]).due_on is None


# --- from scanning to a published, assessed summary ---------------------------------------


def _post(client, url, body=None, status=200):
    response = client.post(url, body or {}, content_type="application/json")
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.usefixtures("burglaries")
def test_a_team_takes_a_project_through_the_api_to_a_published_assessed_summary(
    fremont, ballard, fremont_officer, school, school_contact, street_light
):
    team, partner = Client(), Client()
    team.force_login(fremont_officer)
    partner.force_login(school_contact)
    report = ReportFactory(category=street_light, neighbourhood=fremont)

    started = _post(
        team,
        BASE,
        {
            "force": "seattle",
            "neighbourhoods": ["N-FRE"],
            "title": "Break-ins on Hot Lane",
            "description": "Cars broken into at night.",
            "since": "2016-11-01",
            "area": RESPONSE,
            "crime_category": "burglary",
            "reports": [report.reference],
            "hotspot": {
                "category": "burglary",
                "first_month": "2017-01",
                "last_month": "2017-03",
                "cell_metres": 250,
                "bounds": [-122.348, 47.652, -122.346, 47.654],
            },
        },
        status=201,
    )
    url = f"{BASE}/{started['id']}"
    assert (started["stage"], started["neighbourhoods"]) == (
        "scanning",
        [{"force": "seattle", "id": "N-FRE", "name": "Fremont"}],
    )
    assert started["reports"] == [report.reference]
    assert started["hotspot"]["first_month"] == "2017-01"

    assert _post(team, f"{url}/advance")["stage"] == "analysis"
    changed = team.patch(
        url,
        {"place": "An unlit car park behind the shops.", "manager": "The car park's owner."},
        content_type="application/json",
    ).json()
    assert changed["triangle"]["place"] == "An unlit car park behind the shops."
    question = _post(team, f"{url}/questions", {"question": "When?"}, status=201)
    found = _post(team, f"{url}/questions/{question['id']}/finding", {"finding": "After 10pm."})
    assert found["finding"] == "After 10pm."
    snapshot = _post(team, f"{url}/snapshot")["snapshot"]
    assert snapshot["data"]["by_month"]["2017-01"] == 10
    assert snapshot["data"]["by_hour"] is None  # police.uk gives no times
    assert _post(team, f"{url}/advance")["stage"] == "response"

    invited = _post(team, f"{url}/partners", {"organisation": "fremont-primary"})
    assert invited["partners"] == [{"id": "fremont-primary", "name": "Fremont Primary"}]
    action = _post(
        team,
        f"{url}/actions",
        {
            "description": "Ask the owner for lighting.",
            "owner": {"organisation": "fremont-primary"},
            "due_on": "2017-04-30",
        },
        status=201,
    )
    assert partner.get(url).json()["acting_for"] == ["fremont-primary"]
    done = partner.patch(
        f"{BASE}/actions/{action['id']}",
        {"status": "done", "note": "Lights in."},
        content_type="application/json",
    ).json()
    assert (done["status"], done["note"]) == ("done", "Lights in.")

    assessment = _post(team, f"{url}/assessments", ASSESSMENT, status=201)
    assert assessment["counts"] == {
        "response": {"before": 30, "after": 12},
        "comparison": {"before": 60, "after": 60},
        "buffer": {"before": 6, "after": 9},
    }
    measures = {m["name"]: m for m in assessment["measures"]}
    assert measures["Change in the response area"]["value"] == -60.0
    assert measures["Change in the response area"]["worked"] == "(12 - 30) / 30 * 100 = -60.0%"
    wdq = measures["Weighted displacement quotient (WDQ)"]
    # (9/60 - 6/60) / (12/60 - 30/60) = 0.05 / -0.3
    assert wdq["value"] == pytest.approx(-0.167, abs=1e-3)
    assert wdq["formula"] == "(Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb)"
    assert "displacement" in wdq["meaning"]

    decided = _post(team, f"{url}/decision", {"decision": "close", "note": "Down by 60%."})
    assert (decided["stage"], decided["decision"]["decision"]) == ("closed", "close")
    published = _post(
        team,
        f"{url}/publish",
        {
            "public_summary": "Break-ins fell by 60% after new lighting.",
            "original_language": "en",
            "translations": {"es": {"public_summary": "Los robos bajaron un 60%."}},
        },
    )
    assert published["summary"]["published_at"] is not None
    kinds = [entry["kind"] for entry in published["history"]]
    assert (kinds[0], kinds[-1], kinds.count("stage")) == ("created", "published", 3)

    anyone = Client()
    in_spanish = anyone.get(PUBLIC, headers={"accept-language": "es"}).json()["items"]
    in_arabic = anyone.get(PUBLIC, headers={"accept-language": "ar"}).json()["items"]
    assert [(p["summary"], p["in_original_language"]) for p in in_spanish] == [
        ("Los robos bajaron un 60%.", False)
    ]
    assert [(p["summary"], p["in_original_language"]) for p in in_arabic] == [
        ("Break-ins fell by 60% after new lighting.", True)
    ]
    shown = in_arabic[0]
    assert (shown["stage"], shown["assessment"]["before"]) == ("closed", BEFORE)
    assert shown["assessment"]["counts"] == assessment["counts"]
    assert [m["value"] for m in shown["assessment"]["measures"]] == [
        m["value"] for m in assessment["measures"]
    ]
    assert "response_area" not in shown["assessment"]

    withdrawn = team.delete(f"{url}/publish").json()
    assert withdrawn["summary"]["published_at"] is None
    assert anyone.get(PUBLIC).json()["count"] == 0


def test_the_public_list_reads_in_the_same_queries_for_one_project_or_three(
    fremont, fremont_officer, school
):
    def published_project():
        project = _in_response(fremont_officer, fremont, school)
        services.add_action(
            actor=fremont_officer,
            project=project,
            description="Patrol.",
            owner_officer_id=fremont_officer.pk,
        )
        services.assess(
            actor=fremont_officer,
            project=project,
            response_area=RESPONSE,
            comparison_area=COMPARISON,
            buffer_metres=100,
            before=BEFORE_MONTHS,
            after=AFTER_MONTHS,
        )
        services.publish_summary(actor=fremont_officer, project=project, summary="Done.")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(PUBLIC).status_code == 200
        return len(captured)

    published_project()
    one = queries()
    published_project()
    published_project()

    assert queries() == one
    assert Client().get(PUBLIC).json()["count"] == 3


def test_an_unknown_neighbourhood_has_no_public_problems(client, fremont):
    response = client.get("/api/v1/forces/seattle/neighbourhoods/N-NONE/problems")

    assert response.status_code == 404


def test_the_history_reads_in_the_readers_language_not_the_writers(
    fremont, fremont_officer, supervisor
):
    writer, reader = Client(), Client()
    writer.force_login(fremont_officer)
    reader.force_login(supervisor)
    started = _post(writer, BASE, START, status=201)
    writer.post(f"{BASE}/{started['id']}/advance", headers={"accept-language": "es"})

    def history(language: str) -> list[str]:
        shown = reader.get(f"{BASE}/{started['id']}", headers={"accept-language": language})
        return [entry["summary"] for entry in shown.json()["history"]]

    assert history("en") == ["Project started in scanning.", "Scanning → Analysis"]
    assert history("es")[-1] == "Exploración → Análisis"


# --- refused input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area": OPEN_RING}, "area"),
        ({"force": "atlantis"}, "force"),
        ({"neighbourhoods": ["N-NONE"]}, "neighbourhoods.0"),
        ({"neighbourhoods": []}, "neighbourhoods"),
        ({"title": "   "}, "title"),
        ({"crime_category": "jaywalking"}, "crime_category"),
        ({"since": "yesterday"}, "since"),
        ({"reports": ["NOSUCH1"]}, "reports"),
        ({"street_point_ids": [123456]}, "street_point_ids"),
        ({"priority_ids": [0]}, "priority_ids.0"),
        ({"priority_ids": [123456]}, "priority_ids"),
        ({"concern_ids": [123456]}, "concern_ids"),
        ({"hotspot": {"first_month": "2017-13", "last_month": "2017-03"}}, "hotspot.first_month"),
        ({"hotspot": {"first_month": "2017-04", "last_month": "2017-03"}}, "hotspot.last_month"),
        (
            {
                "hotspot": {
                    "first_month": "2017-01",
                    "last_month": "2017-03",
                    "bounds": [-122.35, 47.65, -122.34, 95],
                }
            },
            "hotspot.bounds.3",
        ),
    ],
)
def test_a_bad_start_names_its_field_and_writes_nothing(
    client, fremont, fremont_officer, changes, field
):
    client.force_login(fremont_officer)

    response = client.post(BASE, {**START, **changes}, content_type="application/json")

    assert (response.status_code, response.json()["field"]) == (400, field), response.content
    assert not Project.objects.exists()


def test_a_report_of_another_neighbourhood_is_not_linked(
    client, fremont, ballard, fremont_officer, street_light
):
    elsewhere = ReportFactory(category=street_light, neighbourhood=ballard)
    client.force_login(fremont_officer)

    response = client.post(
        BASE, {**START, "reports": [elsewhere.reference]}, content_type="application/json"
    )

    assert (response.status_code, response.json()["field"]) == (400, "reports")
    assert not Project.objects.exists()


def test_someone_outside_the_team_learns_nothing_of_report_references(
    client, fremont, unassigned_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    client.force_login(unassigned_officer)

    known = client.post(
        BASE, {**START, "reports": [report.reference]}, content_type="application/json"
    )
    unknown = client.post(BASE, {**START, "reports": ["NOSUCH1"]}, content_type="application/json")

    assert known.status_code == unknown.status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"before": {"first": "2017-1", "last": "2017-03"}}, "before.first"),
        ({"after": {"first": "2017-04", "last": "June"}}, "after.last"),
        ({"after": {"first": "2017-04", "last": "2017-05"}}, "after"),
        ({"after": {"first": "2017-03", "last": "2017-05"}}, "after"),
        ({"response_area": OPEN_RING}, "response_area"),
        ({"comparison_area": RESPONSE}, "comparison_area"),
        ({"buffer_metres": 0}, "buffer_metres"),
        ({"crime_category": "jaywalking"}, "crime_category"),
    ],
)
def test_a_bad_assessment_names_its_field_and_writes_nothing(
    client, world, fremont_officer, changes, field
):
    client.force_login(fremont_officer)

    response = client.post(
        f"{BASE}/{world['project']}/assessments",
        {**ASSESSMENT, **changes},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["field"]) == (400, field), response.content
    assert not Assessment.objects.filter(project_id=world["project"]).exists()
    assert Project.objects.get(pk=world["project"]).stage == Stage.RESPONSE


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("get", BASE + "?stage=finished", None, "stage"),
        ("get", BASE + "/0", None, "project_id"),
        ("get", BASE + "/99999999999", None, "project_id"),
        ("patch", BASE + "/{project}", {"title": None}, "title"),
        ("patch", BASE + "/{project}", {"title": ""}, "title"),
        ("patch", BASE + "/{project}", {"area": OPEN_RING}, "area"),
        ("patch", BASE + "/{project}", {"street_point_ids": [123456]}, "street_point_ids"),
        ("post", BASE + "/{project}/questions", {"question": " "}, "question"),
        ("post", BASE + "/{project}/questions/{question}/finding", {"finding": ""}, "finding"),
        ("post", BASE + "/{project}/partners", {"organisation": "no-such-partner"}, "organisation"),
        ("post", BASE + "/{project}/partners", {"organisation": "Not A Slug"}, "organisation"),
        (
            "post",
            BASE + "/{project}/actions",
            {"description": "Lights.", "owner": {"organisation": "partner-999"}},
            "owner.organisation",
        ),
        ("post", BASE + "/{project}/actions", {"description": "Lights.", "owner": {}}, "owner"),
        (
            "post",
            BASE + "/{project}/actions",
            {"description": "Lights.", "owner": {"officer": 99999}},
            "owner",
        ),
        ("patch", BASE + "/actions/{ours}", {"status": "forgotten"}, "status"),
        ("post", BASE + "/{assessed}/decision", {"decision": "close", "note": " "}, "note"),
        ("post", BASE + "/{assessed}/decision", {"decision": "maybe", "note": "x"}, "decision"),
        ("post", BASE + "/{project}/decision", {"decision": "close", "note": "x"}, "decision"),
        ("post", BASE + "/{project}/publish", {"public_summary": ""}, "public_summary"),
        (
            "post",
            BASE + "/{project}/publish",
            {"public_summary": "Done.", "translations": {"xx-notalanguage": {}}},
            "translations",
        ),
        ("post", BASE + "/{project}/questions", "not json", None),
    ],
)
def test_bad_input_is_a_400_naming_its_field_and_changes_nothing(
    client, world, fremont_officer, method, url, body, field
):
    client.force_login(fremont_officer)
    history = HistoryEntry.objects.count()
    before = list(Project.objects.values().order_by("pk"))

    if isinstance(body, str):
        response = client.post(url.format(**world), body, content_type="application/json")
    else:
        response = call_api(client, method, url.format(**world), body)

    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert HistoryEntry.objects.count() == history
    assert list(Project.objects.values().order_by("pk")) == before


def test_a_missing_project_or_question_is_a_404(client, world, fremont_officer):
    client.force_login(fremont_officer)
    other_question = Question.objects.create(project_id=world["assessed"], question="Why?")

    missing = client.get(f"{BASE}/99999")
    elsewhere = client.post(
        f"{BASE}/{world['project']}/questions/{other_question.pk}/finding",
        {"finding": "Because."},
        content_type="application/json",
    )

    assert (missing.status_code, elsewhere.status_code) == (404, 404)
    assert Question.objects.get(pk=other_question.pk).finding == ""


def test_null_removes_the_area_and_leaving_it_out_keeps_it(client, world, fremont_officer):
    client.force_login(fremont_officer)
    url = f"{BASE}/{world['project']}"

    kept = client.patch(url, {"target": "Parked cars."}, content_type="application/json")
    removed = client.patch(url, {"area": None}, content_type="application/json")

    assert kept.json()["area"]["type"] == "Polygon"
    assert removed.json()["area"] is None


def test_the_list_filters_by_stage(client, world, fremont_officer):
    client.force_login(fremont_officer)

    response = client.get(BASE, {"stage": "assessment"})

    assert [item["id"] for item in response.json()["items"]] == [world["assessed"]]


# --- CSRF and the OpenAPI document --------------------------------------------------------


def test_a_signed_in_write_without_the_csrf_token_is_refused(fremont, fremont_officer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(fremont_officer)

    response = browser.post(BASE, START, content_type="application/json")

    assert (response.status_code, response.json()["code"]) == (403, "csrf_failed")
    assert not Project.objects.exists()


def test_a_signed_in_write_with_the_csrf_token_is_accepted(fremont, fremont_officer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(fremont_officer)
    browser.cookies["csrftoken"] = "a" * 32

    response = browser.post(
        BASE, START, content_type="application/json", headers={"x-csrftoken": "a" * 32}
    )

    assert response.status_code == 201
    assert Project.objects.get().created_by == fremont_officer


def test_a_partner_action_update_needs_the_csrf_token_too(world, school_contact):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(school_contact)

    response = browser.patch(
        f"{BASE}/actions/{world['theirs']}", {"status": "done"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert Action.objects.get(pk=world["theirs"]).status == ActionStatus.PLANNED


def test_openapi_documents_the_problem_paths(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) >= {
        "/api/v1/problems",
        "/api/v1/problems/{project_id}",
        "/api/v1/problems/{project_id}/advance",
        "/api/v1/problems/{project_id}/questions",
        "/api/v1/problems/{project_id}/questions/{question_id}/finding",
        "/api/v1/problems/{project_id}/snapshot",
        "/api/v1/problems/{project_id}/partners",
        "/api/v1/problems/{project_id}/actions",
        "/api/v1/problems/actions/{action_id}",
        "/api/v1/problems/{project_id}/assessments",
        "/api/v1/problems/{project_id}/decision",
        "/api/v1/problems/{project_id}/publish",
        "/api/v1/forces/{force}/neighbourhoods/{code}/problems",
    }
    assert set(paths["/api/v1/problems/{project_id}/publish"]) == {"post", "delete"}
    assert paths["/api/v1/problems"]["get"]["tags"] == ["problem solving"]


def test_no_schema_of_another_app_shares_a_name_with_ours():
    # ninja names OpenAPI components by class name alone: of two clashing schemas, the
    # document silently keeps one, misdescribing the other's paths.
    from ninja import Schema

    import beatbridge.api  # noqa: F401 (loads every router and its schemas)

    def every(shape: type) -> list[type]:
        return [shape, *(found for sub in shape.__subclasses__() for found in every(sub))]

    names: dict[bool, set[str]] = {True: set(), False: set()}
    for shape in every(Schema):
        if shape.__module__.startswith("beatbridge."):
            names[shape.__module__.startswith("beatbridge.problems.")].add(shape.__name__)

    assert "ProjectOut" in names[True]
    assert names[True] & names[False] == set()
