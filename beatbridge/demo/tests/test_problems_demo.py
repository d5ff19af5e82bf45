from __future__ import annotations

import datetime
import math

import pytest
import shapely
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import shape

from beatbridge.accounts.models import User
from beatbridge.audit.models import AuditEntry
from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.selectors.counts import shift_month
from beatbridge.demo.crimes import FREMONT_RESPONSE, HOTSPOTS, load_crimes, response_months
from beatbridge.demo.partners import SAMS_COUNCIL, load_partners
from beatbridge.demo.problems import (
    BUFFER_METRES,
    CANAL_TITLE,
    FREMONT_HOTSPOT_TITLE,
    OCCIDENTAL_TITLE,
    UNIVERSITY_WAY_TITLE,
    load_problems,
)
from beatbridge.demo.reports import load_reports
from beatbridge.demo.services import DEMO_PARTNER, load_demo
from beatbridge.demo.voice import load_voice
from beatbridge.partners.models import Organisation
from beatbridge.places.geo import buffered
from beatbridge.places.models import Neighbourhood
from beatbridge.problems import permissions, selectors
from beatbridge.problems.models import (
    Action,
    ActionStatus,
    Assessment,
    Decision,
    HistoryEntry,
    HistoryKind,
    Project,
    Question,
    Stage,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_problems")]

OFFICER = "officer@beatbridge.invalid"
TABLES = [Project, HistoryEntry, Question, Action, Assessment, AuditEntry]


@pytest.fixture(scope="module")
def demo_problems(django_db_setup, django_db_blocker):
    """The demo city with what the projects build on, loaded once for the module and
    rolled back after it. Three quarters of the crime volume keeps it quicker and still
    shows the Fremont response's fall whatever the month: when this was written, at this
    volume, each of the 72 months from January 2025 to December 2030 gave the response
    area at least nine incidents fewer after than before."""
    with django_db_blocker.unblock(), transaction.atomic():
        city = load_demo()
        load_reports(city.force)
        load_voice(city.force)
        load_partners(city.force)
        load_crimes(city.force, scale=0.75)
        summary = load_problems(city.force)
        # Check the deferred foreign keys of the rows just written once, here (see
        # test_crimes_demo.py).
        connection.check_constraints()
        yield city.force, summary
        transaction.set_rollback(True)


def _project(title: str) -> Project:
    return Project.objects.get(title=title)


def _fremont() -> Neighbourhood:
    return Neighbourhood.objects.get(code="fremont")


def test_there_is_a_project_at_every_stage(demo_problems):
    _force, summary = demo_problems

    stages = set(Project.objects.values_list("stage", flat=True))

    assert stages == set(Stage.values)
    assert summary.projects_created == Project.objects.count() == 5
    assert summary.actions_created == Action.objects.count()
    assert summary.assessments_created == Assessment.objects.count() == 2
    assert summary.summaries_published == 1


def test_the_scanning_project_was_found_on_the_hotspot_map_with_what_residents_said():
    project = _project(UNIVERSITY_WAY_TITLE)
    hotspot = HOTSPOTS[3]
    home = Neighbourhood.objects.get(code=hotspot.neighbourhood)

    assert project.stage == Stage.SCANNING
    west, south, east, north = project.hotspot["bounds"]
    assert west <= hotspot.longitude <= east and south <= hotspot.latitude <= north
    assert [point.street_name for point in project.street_points.all()] == [hotspot.street]
    linked = [*project.reports.all(), *project.priorities.select_related("cycle")]
    assert linked
    assert all(report.neighbourhood_id == home.pk for report in project.reports.all())
    assert all(priority.cycle.neighbourhood_id == home.pk for priority in project.priorities.all())


def test_the_analysis_project_has_its_triangle_findings_and_a_data_snapshot():
    project = _project(OCCIDENTAL_TITLE)
    sides = [project.offender, project.handler, project.target]
    sides += [project.guardian, project.place, project.manager]
    questions = list(project.questions.all())

    assert project.stage == Stage.ANALYSIS
    assert all(side.strip() for side in sides)
    assert len([q for q in questions if q.finding]) >= 3
    assert [q.answered_at for q in questions if not q.finding] == [None]
    snapshot = project.data_snapshot
    assert project.snapshot_taken_at is not None
    assert snapshot["category"] == CrimeCategory.DRUGS
    assert len(snapshot["months"]) == 24
    assert sum(snapshot["by_month"].values()) > 24


def test_the_response_project_has_actions_of_officers_and_partners_in_mixed_statuses():
    project = _project(CANAL_TITLE)
    actions = list(project.actions.select_related("owner_organisation"))
    invited = set(project.invited_organisations.values_list("pk", flat=True))
    partner = User.objects.get(email=DEMO_PARTNER[0])
    council = Organisation.objects.get(name=SAMS_COUNCIL)
    theirs = next(action for action in actions if action.owner_organisation == council)

    assert project.stage == Stage.RESPONSE
    assert any(action.owner_officer_id for action in actions)
    assert {a.owner_organisation_id for a in actions if a.owner_organisation_id} <= invited
    assert {a.status for a in actions} == set(ActionStatus.values)
    # The published demo partner updated their council's action themselves.
    assert theirs.status == ActionStatus.DONE
    assert project.history.filter(kind=HistoryKind.ACTION, actor=partner).exists()
    assert permissions.can_update_action(partner, theirs)
    assert selectors.get_project_for_user(partner, project.pk).acting_for == {
        theirs.owner_organisation_id
    }


def test_the_fremont_officer_works_on_the_fremont_projects():
    officer = User.objects.get(email=OFFICER)
    fremont_projects = Project.objects.filter(neighbourhoods=_fremont())

    assert set(fremont_projects.values_list("title", flat=True)) == {
        FREMONT_HOTSPOT_TITLE,
        CANAL_TITLE,
    }
    assert all(permissions.can_work_on(officer, project) for project in fremont_projects)
    assert {p.pk for p in fremont_projects} <= {p.pk for p in selectors.projects_for(officer)}


def test_the_fremont_hotspot_assessment_shows_the_fall_and_its_measures():
    project = _project(FREMONT_HOTSPOT_TITLE)
    assessment = project.assessments.get()
    months = response_months()
    response_area = shape(assessment.response_area)
    hotspot = shapely.Point(HOTSPOTS[0].longitude, HOTSPOTS[0].latitude)

    assert len(months) == FREMONT_RESPONSE.months
    assert (assessment.after_first, assessment.after_last) == (months[0], months[-1])
    assert (assessment.before_first, assessment.before_last) == (
        shift_month(months[0], -FREMONT_RESPONSE.months),
        shift_month(months[0], -1),
    )
    assert assessment.crime_category == CrimeCategory.ANTI_SOCIAL_BEHAVIOUR
    assert assessment.buffer_metres == BUFFER_METRES == 200
    assert response_area.contains(hotspot)
    # A small polygon: a block or two, well under a tenth of a square kilometre.
    square_metres = response_area.area * 111_320**2 * math.cos(math.radians(hotspot.y))
    assert square_metres < 100_000
    assert not shape(assessment.comparison_area).intersects(buffered(response_area, 200))
    response_before, response_after = assessment.counts["response"]
    assert response_after < response_before
    figures = {m.name: m for m in selectors.figures_of(assessment).measures}
    assert figures["Change in the response area"].value < 0
    wdq = figures["Weighted displacement quotient (WDQ)"]
    assert wdq.value is not None or wdq.meaning
    assert (project.stage, project.decision) == (Stage.CLOSED, Decision.CLOSE)


def test_the_fremont_summary_is_published_in_english_and_spanish_on_fremonts_page(client):
    project = _project(FREMONT_HOTSPOT_TITLE)
    response_before, response_after = project.assessments.get().counts["response"]

    assert list(selectors.published_for(_fremont())) == [project]
    assert f"{response_after} incidents of anti-social behaviour" in project.public_summary
    assert f"against {response_before}" in project.public_summary
    assert f"frente a {response_before}" in project.translated("public_summary", "es")
    page = client.get(
        reverse("places:neighbourhood", kwargs={"force": "seattle", "code": "fremont"})
    )
    assert project.title in page.content.decode()
    assert not Project.objects.exclude(pk=project.pk).filter(published_at__isnull=False).exists()


def test_every_step_is_in_the_history_in_order_by_who_took_it_and_audited():
    now = timezone.now()
    for project in Project.objects.prefetch_related("history"):
        entries = list(project.history.order_by("pk"))
        moments = [entry.at for entry in entries]
        assert entries[0].kind == HistoryKind.CREATED, project.title
        assert moments == sorted(moments) and moments[-1] <= now, project.title
        assert entries[0].at == project.created_at
        assert all(entry.actor_id for entry in entries)
    fremont = _project(FREMONT_HOTSPOT_TITLE)
    audited = AuditEntry.objects.filter(target_type="problems.project", target_id=str(fremont.pk))
    assert {
        "problem.started",
        "problem.stage_changed",
        "problem.partner_invited",
        "problem.action_updated",
        "problem.assessed",
        "problem.decided",
        "problem.published",
    } <= set(audited.values_list("action", flat=True))
    kinds = list(fremont.history.values_list("kind", flat=True))
    assert kinds.count(HistoryKind.STAGE) == 3
    assert kinds[-3:] == [HistoryKind.ASSESSMENT, HistoryKind.DECISION, HistoryKind.PUBLISHED]
    # Started on the hotspot map some two months before the response began.
    assert fremont.created_at.date() < response_months()[0] - datetime.timedelta(days=30)


def test_loading_the_projects_again_writes_nothing(demo_problems):
    force, _summary = demo_problems
    before = {model.__name__: model.objects.count() for model in TABLES}

    again = load_problems(force)

    assert (again.projects_created, again.actions_created) == (0, 0)
    assert (again.assessments_created, again.summaries_published) == (0, 0)
    assert {model.__name__: model.objects.count() for model in TABLES} == before
