"""A problem-solving project from scanning to a published, assessed summary, and who may
do each step."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from beatbridge.audit.models import AuditEntry
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.tests.files import street_row, write_street_file
from beatbridge.errors import DomainError, NotFound, PermissionDenied
from beatbridge.problems import selectors, services
from beatbridge.problems.models import (
    ActionStatus,
    Decision,
    HistoryEntry,
    HistoryKind,
    Stage,
)

pytestmark = pytest.mark.django_db

RESPONSE = {
    "type": "Polygon",
    "coordinates": [
        [
            [-122.348, 47.652],
            [-122.346, 47.652],
            [-122.346, 47.654],
            [-122.348, 47.654],
            [-122.348, 47.652],
        ]
    ],
}
COMPARISON = {
    "type": "Polygon",
    "coordinates": [
        [
            [-122.365, 47.655],
            [-122.36, 47.655],
            [-122.36, 47.66],
            [-122.365, 47.66],
            [-122.365, 47.655],
        ]
    ],
}
BEFORE = (datetime.date(2017, 1, 1), datetime.date(2017, 3, 1))
AFTER = (datetime.date(2017, 4, 1), datetime.date(2017, 6, 1))


def _rows(month: str, count: int, latitude: str, longitude: str, street: str) -> list[list[str]]:
    return [
        street_row(
            month=month,
            latitude=latitude,
            longitude=longitude,
            location=street,
            context=f"{street} {n}",
        )
        for n in range(count)
    ]


@pytest.fixture
def burglaries(fremont, ballard, tmp_path):
    """Per month: the response area 10 before and 4 after; the comparison area 20 and 20;
    the buffer (55 m north of the response area) 2 before and 3 after."""
    for number in range(1, 7):
        month = f"2017-{number:02d}"
        before = number <= 3
        rows = [
            *_rows(month, 10 if before else 4, "47.653", "-122.347", "On or near Hot Lane"),
            *_rows(month, 20, "47.657", "-122.362", "On or near Far Street"),
            *_rows(month, 2 if before else 3, "47.6545", "-122.347", "On or near Next Lane"),
        ]
        write_street_file(tmp_path, rows, month=month)
    import_police_uk(paths=[tmp_path], force_slug=fremont.force.slug)


def _started(officer, fremont, **extra):
    return services.start_project(
        actor=officer,
        neighbourhoods=[fremont],
        title="Break-ins on Hot Lane",
        description="Cars broken into at night.",
        crime_category="burglary",
        **extra,
    )


def test_an_officer_takes_a_project_from_scanning_to_a_published_assessed_summary(
    fremont, fremont_officer, school, school_contact, burglaries
):
    project = _started(fremont_officer, fremont, area=RESPONSE)
    services.advance_stage(actor=fremont_officer, project=project)
    assert project.stage == Stage.ANALYSIS

    services.update_project(
        actor=fremont_officer,
        project=project,
        place="An unlit car park behind the shops.",
        manager="The car park's owner.",
    )
    question = services.ask_question(
        actor=fremont_officer, project=project, question="When do the break-ins happen?"
    )
    services.record_finding(actor=fremont_officer, question=question, finding="Mostly after 10pm.")
    services.take_snapshot(actor=fremont_officer, project=project)
    assert project.data_snapshot["by_month"]["2017-01"] == 10
    assert project.data_snapshot["by_hour"] is None  # police.uk gives no times
    services.advance_stage(actor=fremont_officer, project=project)
    assert project.stage == Stage.RESPONSE

    services.invite_partner(actor=fremont_officer, project=project, organisation=school)
    lights = services.add_action(
        actor=fremont_officer,
        project=project,
        description="Ask the owner for lighting.",
        owner_organisation_id=school.pk,
        due_on=datetime.date(2017, 4, 30),
    )
    services.update_action(
        actor=school_contact, action=lights, status=ActionStatus.DONE, note="Lights in."
    )
    assessment = services.assess(
        actor=fremont_officer,
        project=project,
        response_area=RESPONSE,
        comparison_area=COMPARISON,
        buffer_metres=100,
        before=BEFORE,
        after=AFTER,
        crime_category="burglary",
    )
    assert project.stage == Stage.ASSESSMENT
    assert assessment.counts == {
        "response": [30, 12],
        "comparison": [60, 60],
        "buffer": [6, 9],
    }
    figures = {m.name: m.value for m in selectors.figures_of(assessment).measures}
    assert figures["Change in the response area"] == -60.0
    # (9/60 - 6/60) / (12/60 - 30/60) = 0.05 / -0.3
    assert figures["Weighted displacement quotient (WDQ)"] == pytest.approx(-0.167, abs=1e-3)

    services.decide(
        actor=fremont_officer, project=project, decision=Decision.CLOSE, note="Down by 60%."
    )
    services.publish_summary(
        actor=fremont_officer,
        project=project,
        summary="Break-ins fell by 60% after new lighting.",
        original_language="en",
        translations={"es": {"public_summary": "Los robos bajaron un 60%."}},
    )

    project.refresh_from_db()
    assert project.stage == Stage.CLOSED
    assert list(selectors.published_for(fremont)) == [project]
    assert project.translated("public_summary", "es") == "Los robos bajaron un 60%."
    kinds = [entry.kind for entry in project.history.all()]
    assert kinds[0] == HistoryKind.CREATED and kinds[-1] == HistoryKind.PUBLISHED
    assert kinds.count(HistoryKind.STAGE) == 3
    assert AuditEntry.objects.filter(action="problem.assessed", actor=fremont_officer).exists()


def test_stages_need_what_they_build_on(fremont, fremont_officer):
    project = _started(fremont_officer, fremont)
    services.advance_stage(actor=fremont_officer, project=project)

    with pytest.raises(DomainError, match="triangle"):
        services.advance_stage(actor=fremont_officer, project=project)
    services.update_project(actor=fremont_officer, project=project, offender="Local teens.")
    services.advance_stage(actor=fremont_officer, project=project)
    with pytest.raises(DomainError, match="action"):
        services.advance_stage(actor=fremont_officer, project=project)
    with pytest.raises(DomainError, match="Assess"):
        services.decide(actor=fremont_officer, project=project, decision="close", note="x")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"comparison_area": RESPONSE}, "comparison_area"),
        (
            {
                "response_area": {
                    "type": "Polygon",
                    "coordinates": [[[-122.348, 47.652], [-122.346, 47.652], [-122.346, 47.654]]],
                }
            },
            "response_area",
        ),
        ({"buffer_metres": 0}, "buffer_metres"),
        ({"after": (datetime.date(2017, 4, 1), datetime.date(2017, 5, 1))}, "after"),
        ({"after": (datetime.date(2017, 3, 1), datetime.date(2017, 5, 1))}, "after"),
    ],
)
def test_a_bad_assessment_names_its_field_and_writes_nothing(
    fremont, fremont_officer, ballard, changes, field
):
    project = _started(fremont_officer, fremont)
    services.advance_stage(actor=fremont_officer, project=project)
    services.update_project(actor=fremont_officer, project=project, offender="Teens.")
    services.advance_stage(actor=fremont_officer, project=project)
    arguments = {
        "response_area": RESPONSE,
        "comparison_area": COMPARISON,
        "buffer_metres": 100,
        "before": BEFORE,
        "after": AFTER,
        **changes,
    }

    with pytest.raises(DomainError) as refused:
        services.assess(actor=fremont_officer, project=project, **arguments)

    assert refused.value.field == field
    assert not project.assessments.exists()
    project.refresh_from_db()
    assert project.stage == Stage.RESPONSE


def test_a_drawn_area_whose_ring_does_not_close_is_refused(fremont, fremont_officer):
    open_ring = {
        "type": "Polygon",
        "coordinates": [
            [[-122.348, 47.652], [-122.346, 47.652], [-122.346, 47.654], [-122.348, 47.654]]
        ],
    }

    with pytest.raises(DomainError, match="not closed") as refused:
        _started(fremont_officer, fremont, area=open_ring)

    assert refused.value.field == "area"


def test_who_may_see_and_work_on_a_project(
    fremont,
    fremont_officer,
    supervisor,
    unassigned_officer,
    other_force_officer,
    resident,
    school,
    school_contact,
    other_contact,
):
    project = _started(fremont_officer, fremont)
    services.invite_partner(actor=fremont_officer, project=project, organisation=school)

    for user in (fremont_officer, supervisor):
        assert selectors.get_project_for_user(user, project.pk).may_work
    partner_view = selectors.get_project_for_user(school_contact, project.pk)
    assert not partner_view.may_work and partner_view.acting_for == {school.pk}
    for user in (unassigned_officer, other_force_officer, resident, other_contact):
        with pytest.raises(NotFound):
            selectors.get_project_for_user(user, project.pk)
    with pytest.raises(PermissionDenied):
        services.advance_stage(actor=school_contact, project=project)
    with pytest.raises(PermissionDenied):
        _started(unassigned_officer, fremont)
    assert [p.pk for p in selectors.projects_for(school_contact)] == [project.pk]
    assert selectors.projects_for(unassigned_officer) == []
    with pytest.raises(PermissionDenied):
        selectors.projects_for(resident)


def test_a_partner_updates_only_its_own_actions(
    fremont, fremont_officer, school, school_contact, force
):
    project = _started(fremont_officer, fremont)
    services.invite_partner(actor=fremont_officer, project=project, organisation=school)
    theirs = services.add_action(
        actor=fremont_officer,
        project=project,
        description="Walk children home.",
        owner_organisation_id=school.pk,
    )
    ours = services.add_action(
        actor=fremont_officer,
        project=project,
        description="Patrol at 3pm.",
        owner_officer_id=fremont_officer.pk,
    )

    services.update_action(actor=school_contact, action=theirs, status=ActionStatus.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.update_action(actor=school_contact, action=ours, status=ActionStatus.DONE)
    with pytest.raises(DomainError, match="one owner"):
        services.add_action(actor=fremont_officer, project=project, description="Both.")


def test_unpublished_projects_stay_private(fremont, fremont_officer):
    project = _started(fremont_officer, fremont)

    assert list(selectors.published_for(fremont)) == []
    with pytest.raises(NotFound):
        selectors.get_published(project.pk)


@pytest.mark.parametrize("written_in", ["es", "en"])
def test_the_history_reads_in_the_readers_language_whatever_the_writers(
    fremont, fremont_officer, school, written_in
):
    with translation.override(written_in):
        project = _started(fremont_officer, fremont, area=RESPONSE)
        services.advance_stage(actor=fremont_officer, project=project)
        services.update_project(actor=fremont_officer, project=project, offender="Adolescentes.")
        question = services.ask_question(
            actor=fremont_officer, project=project, question="¿Cuándo?"
        )
        services.record_finding(actor=fremont_officer, question=question, finding="De noche.")
        services.advance_stage(actor=fremont_officer, project=project)
        services.invite_partner(actor=fremont_officer, project=project, organisation=school)
        action = services.add_action(
            actor=fremont_officer,
            project=project,
            description="Patrullar.",
            owner_officer_id=fremont_officer.pk,
        )
        services.update_action(actor=fremont_officer, action=action, status=ActionStatus.DONE)
        services.assess(
            actor=fremont_officer,
            project=project,
            response_area=RESPONSE,
            comparison_area=COMPARISON,
            buffer_metres=100,
            before=BEFORE,
            after=AFTER,
        )
        services.decide(
            actor=fremont_officer, project=project, decision=Decision.CLOSE, note="Bajaron."
        )
        services.publish_summary(actor=fremont_officer, project=project, summary="Bajaron.")
        services.withdraw_summary(actor=fremont_officer, project=project)
    entries = list(project.history.all())

    with translation.override("en"):
        english = [entry.describe() for entry in entries]
    with translation.override("es"):
        spanish = [entry.describe() for entry in entries]

    assert english == [
        "Project started in scanning.",
        "Scanning → Analysis",
        "Details changed.",
        "Question: ¿Cuándo?",
        "Finding: De noche.",
        "Analysis → Response",
        "Fremont Primary invited.",
        "Action planned: Patrullar.",
        "Action now “Done”: Patrullar.",
        "Response → Assessment",
        "Assessment recorded.",
        "Decision: Close: the problem is solved or reduced enough.",
        "Summary published.",
        "Summary withdrawn.",
    ]
    assert spanish[1] == "Exploración → Análisis"
    assert spanish[3] == "Pregunta: ¿Cuándo?"
    assert spanish[11] == "Decisión: Cerrar: el problema está resuelto o suficientemente reducido."


def test_an_entry_written_before_its_values_were_kept_reads_as_it_was_written(
    fremont, fremont_officer
):
    project = _started(fremont_officer, fremont)
    HistoryEntry.objects.create(
        project=project, kind=HistoryKind.STAGE, summary="Exploración → Análisis"
    )

    with translation.override("en"):
        assert project.history.last().describe() == "Exploración → Análisis"
