"""Pages of problem-solving projects: who may open and post each one, the whole journey
through the forms from start to a published summary, refusals that write nothing, and
query counts that do not grow with the project."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.models import StreetPoint
from beatbridge.crimedata.tests.files import street_row, write_street_file
from beatbridge.partners.tests.factories import OrganisationFactory
from beatbridge.problems import selectors, services
from beatbridge.problems.models import (
    Action,
    ActionStatus,
    Assessment,
    Decision,
    HistoryEntry,
    Project,
    Stage,
)
from beatbridge.problems.tests.test_services import COMPARISON, RESPONSE
from beatbridge.reports.tests.factories import CategoryFactory, ReportFactory
from beatbridge.voice.models import PriorityStatus
from beatbridge.voice.tests.factories_priorities import CycleFactory, PriorityFactory
from beatbridge.web.translation import localise

pytestmark = pytest.mark.django_db

TITLE = "Break-ins on Hot Lane"
OPEN_RING = {
    "type": "Polygon",
    "coordinates": [
        [[-122.348, 47.652], [-122.346, 47.652], [-122.346, 47.654], [-122.348, 47.654]]
    ],
}
ASSESSMENT = {
    "response_area": json.dumps(RESPONSE),
    "comparison_area": json.dumps(COMPARISON),
    "buffer_metres": "100",
    "before_first": "2017-01",
    "before_last": "2017-03",
    "after_first": "2017-04",
    "after_last": "2017-06",
    "crime_category": "burglary",
}


def _url(name: str, *args: object) -> str:
    return reverse(f"problems:{name}", args=args)


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
    """Per month of 2017's first half: Hot Lane (the response area) 10 before and 4 after;
    Far Street (the comparison area, in Ballard) 20 and 20; Next Lane (in the buffer) 2
    and 3."""
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


@pytest.fixture
def project(fremont, fremont_officer):
    return services.start_project(
        actor=fremont_officer,
        neighbourhoods=[fremont],
        title=TITLE,
        description="Cars broken into at night.",
        crime_category="burglary",
        area=RESPONSE,
    )


@pytest.fixture
def invited(project, fremont_officer, school):
    """The project, with Fremont Primary invited and owning one action."""
    services.invite_partner(actor=fremont_officer, project=project, organisation=school)
    return project


def _in_response(project, officer):
    services.advance_stage(actor=officer, project=project)
    services.update_project(actor=officer, project=project, offender="Local teens.")
    services.advance_stage(actor=officer, project=project)
    services.add_action(
        actor=officer, project=project, description="Patrol at 10pm.", owner_officer_id=officer.pk
    )
    return project


# --- who may open and post what ---------------------------------------------------------------

# (the list, the start form, the project page) for each person.
PAGE_STATUSES = {
    "fremont_officer": (200, 200, 200),
    "supervisor": (200, 200, 200),
    "unassigned_officer": (200, 403, 404),
    "other_force_officer": (200, 403, 404),
    "resident": (403, 403, 404),
    "school_contact": (200, 403, 200),
    "other_contact": (200, 403, 404),
}


@pytest.mark.parametrize("who", PAGE_STATUSES)
def test_who_may_open_the_list_the_start_form_and_the_project(client, request, invited, who):
    client.force_login(request.getfixturevalue(who))
    listed, start, page = PAGE_STATUSES[who]

    response = client.get(_url("list"))
    assert response.status_code == listed
    if listed == 200:
        assert (TITLE in response.content.decode()) == (page == 200)
    assert client.get(_url("start")).status_code == start
    assert client.get(_url("project", invited.pk)).status_code == page


@pytest.mark.parametrize("name", ["list", "start"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(_url(name))
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize(
    ("who", "linked"),
    [
        ("fremont_officer", True),
        ("unassigned_officer", True),
        ("school_contact", True),
        ("other_contact", False),
        ("resident", False),
    ],
)
def test_the_navigation_links_problem_solving_for_police_and_invited_partners(
    client, request, invited, who, linked
):
    client.force_login(request.getfixturevalue(who))
    home = client.get(reverse("places:home")).content.decode()
    assert (f'href="{_url("list")}"' in home) == linked


def _posts(project, fremont_officer, force):
    """Each team form of the project page with input it accepts."""
    return {
        "advance": {},
        "analysis": {"offender": "Local teens."},
        "details": {"title": "Break-ins on the lot", "crime_category": "burglary"},
        "ask": {"question": "When do the break-ins happen?"},
        "snapshot": {},
        "invite": {"organisation": OrganisationFactory(force=force).pk},
        "add_action": {"description": "Patrol at 10pm.", "owner": f"officer:{fremont_officer.pk}"},
        "publish": {"public_summary": "Break-ins fell.", "original_language": "en"},
        "withdraw": {},
    }


POST_STATUSES = {
    "fremont_officer": 302,
    "supervisor": 302,
    "unassigned_officer": 404,
    "other_force_officer": 404,
    "resident": 404,
    "school_contact": 403,
    "other_contact": 404,
}


@pytest.mark.parametrize(
    "name",
    [
        "advance",
        "details",
        "analysis",
        "ask",
        "snapshot",
        "invite",
        "add_action",
        "publish",
        "withdraw",
    ],
)
@pytest.mark.parametrize("who", POST_STATUSES)
def test_only_the_team_posts_the_project_forms(
    client, request, invited, fremont_officer, force, name, who
):
    data = _posts(invited, fremont_officer, force)[name]
    entries = HistoryEntry.objects.count()
    client.force_login(request.getfixturevalue(who))

    response = client.post(_url(name, invited.pk), data)

    assert response.status_code == POST_STATUSES[who]
    if response.status_code == 302:
        assert response["Location"].startswith(_url("project", invited.pk))
        assert HistoryEntry.objects.count() == entries + 1
    else:
        assert HistoryEntry.objects.count() == entries


def test_anonymous_posts_are_sent_to_sign_in_and_write_nothing(client, project):
    response = client.post(_url("advance", project.pk))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    project.refresh_from_db()
    assert project.stage == Stage.SCANNING


def test_a_partner_updates_its_own_actions_only(
    client, invited, fremont_officer, school, school_contact, other_contact
):
    theirs = services.add_action(
        actor=fremont_officer,
        project=invited,
        description="Walk the children home.",
        owner_organisation_id=school.pk,
    )
    ours = services.add_action(
        actor=fremont_officer,
        project=invited,
        description="Patrol at 3pm.",
        owner_officer_id=fremont_officer.pk,
    )
    update = {"status": ActionStatus.DONE, "note": "Done every day this week."}

    client.force_login(other_contact)
    assert client.post(_url("update_action", theirs.pk), update).status_code == 404
    client.force_login(school_contact)
    assert client.post(_url("update_action", ours.pk), update).status_code == 404
    page = client.get(_url("project", invited.pk)).content.decode()
    response = client.post(_url("update_action", theirs.pk), update)

    assert response.status_code == 302
    assert 'action="{}"'.format(_url("update_action", theirs.pk)) in page
    assert 'action="{}"'.format(_url("update_action", ours.pk)) not in page
    assert "Move to Analysis" not in page and _url("publish", invited.pk) not in page
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.status, theirs.note) == (ActionStatus.DONE, "Done every day this week.")
    assert ours.status == ActionStatus.PLANNED


def test_a_partner_sees_the_linked_priorities_but_not_the_teams_reports(
    client, fremont, fremont_officer, force, school, school_contact
):
    report = ReportFactory(
        category=CategoryFactory(force=force), neighbourhood=fremont, description="Gate code 1234."
    )
    priority = PriorityFactory(
        cycle=CycleFactory(neighbourhood=fremont), title="Break-ins by the shops"
    )
    project = services.start_project(
        actor=fremont_officer,
        neighbourhoods=[fremont],
        title=TITLE,
        report_ids=[report.pk],
        priority_ids=[priority.pk],
    )
    services.invite_partner(actor=fremont_officer, project=project, organisation=school)

    client.force_login(fremont_officer)
    team_page = client.get(_url("project", project.pk)).content.decode()
    client.force_login(school_contact)
    partner_page = client.get(_url("project", project.pk)).content.decode()

    assert "Gate code 1234." in team_page and "Gate code 1234." not in partner_page
    assert report.reference not in partner_page
    assert "Break-ins by the shops" in partner_page


def test_an_unpublished_project_has_no_public_page(client, project, fremont_officer):
    client.force_login(fremont_officer)
    url = reverse("problems:public", args=["seattle", "N-FRE", project.pk])
    assert client.get(url).status_code == 404


def test_a_published_project_is_public_only_under_its_own_neighbourhoods(
    client, project, fremont_officer, ballard
):
    services.publish_summary(actor=fremont_officer, project=project, summary="Break-ins fell.")
    assert (
        client.get(reverse("problems:public", args=["seattle", "N-FRE", project.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("problems:public", args=["seattle", "N-BAL", project.pk])).status_code
        == 404
    )


# --- the journey through the forms ------------------------------------------------------------


def test_an_officer_takes_a_project_through_the_pages_from_start_to_publish(
    client, fremont, fremont_officer, school, school_contact, burglaries
):
    priority = PriorityFactory(
        cycle=CycleFactory(neighbourhood=fremont, phase="closed"),
        title="Break-ins by the shops",
        status=PriorityStatus.ADOPTED,
        action_plan="Find out why.",
        action_owner="The team",
        adopted_at=timezone.now(),
    )
    hot_lane = StreetPoint.objects.get(street_name="On or near Hot Lane")
    client.force_login(fremont_officer)

    # Scanning: the start form offers Fremont's busiest street points and its priorities.
    start_url = f"{_url('start')}?neighbourhood={fremont.pk}"
    form_page = client.get(start_url).content.decode()
    assert "On or near Hot Lane: 42 incidents" in form_page
    assert "Break-ins by the shops" in form_page
    response = client.post(
        start_url,
        {
            "neighbourhoods": [fremont.pk],
            "title": TITLE,
            "description": "Cars broken into at night.",
            "crime_category": "burglary",
            "area": json.dumps(RESPONSE),
            "street_points": [hot_lane.pk],
            "priorities": [priority.pk],
        },
    )
    project = Project.objects.get()
    project_url = _url("project", project.pk)
    assert response.status_code == 302 and response["Location"] == project_url
    assert list(project.street_points.all()) == [hot_lane]
    page = client.get(project_url).content.decode()
    assert 'aria-current="step"><strong>1. Scanning</strong>' in page
    assert "Move to Analysis" in page

    # Analysis: the triangle, a question and its finding, a data snapshot.
    assert client.post(_url("advance", project.pk)).status_code == 302
    client.post(
        _url("analysis", project.pk),
        {"place": "An unlit car park behind the shops.", "manager": "The car park's owner."},
    )
    client.post(_url("ask", project.pk), {"question": "When do the break-ins happen?"})
    question = project.questions.get()
    client.post(_url("finding", project.pk, question.pk), {"finding": "Mostly after 10pm."})
    client.post(_url("snapshot", project.pk))
    page = client.get(project_url).content.decode()
    assert "An unlit car park behind the shops." in page
    assert "Mostly after 10pm." in page
    assert '<svg class="chart"' in page and "snapshot-chart" in page
    assert '<th scope="row">January 2017</th><td>10</td>' in page
    assert 'aria-current="step"><strong>2. Analysis</strong>' in page

    # Response: a partner invited, an action it owns, which its contact updates.
    assert client.post(_url("advance", project.pk)).status_code == 302
    client.post(_url("invite", project.pk), {"organisation": school.pk})
    client.post(
        _url("add_action", project.pk),
        {
            "description": "Ask the owner for lighting.",
            "owner": f"organisation:{school.pk}",
            "due_on": "2017-04-30",
        },
    )
    action = Action.objects.get()
    assert action.owner_organisation == school
    client.force_login(school_contact)
    client.post(_url("update_action", action.pk), {"status": "done", "note": "Lights in."})
    client.force_login(fremont_officer)

    # Assessment: the counts and the measures, each with its formula and worked numbers.
    response = client.post(_url("assess", project.pk), ASSESSMENT)
    assert response.status_code == 302
    page = client.get(project_url).content.decode()
    assert 'aria-current="step"><strong>4. Assessment</strong>' in page
    counts = Assessment.objects.get().counts
    assert counts == {"response": [30, 12], "comparison": [60, 60], "buffer": [6, 9]}
    assert "Change in the response area:</strong> -60.0" in page
    assert "(Ra - Rb) / Rb * 100" in page and "(12 - 30) / 30 * 100 = -60.0%" in page
    assert "Down by 60.0%." in page
    assert "(9/60 - 6/60) / (12/60 - 30/60) = -0.167" in page

    # The decision closes it; the summary is published, with a Spanish translation.
    client.post(
        _url("decide", project.pk), {"decision": Decision.CLOSE, "decision_note": "Down by 60%."}
    )
    response = client.post(
        _url("publish", project.pk),
        {
            "public_summary": "Break-ins fell by 60% after new lighting.",
            "original_language": "en",
            "public_summary_es": "Los robos bajaron un 60% con la nueva luz.",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.CLOSED and project.is_published
    assert Action.objects.get().status == ActionStatus.DONE

    # The public sees it on the neighbourhood's page, "you said, we did" and its own page.
    client.logout()
    public_url = reverse("problems:public", args=["seattle", "N-FRE", project.pk])
    neighbourhood = client.get(reverse("places:neighbourhood", args=["seattle", "N-FRE"]))
    assert "Problem solving: what we did" in neighbourhood.content.decode()
    assert f'href="{public_url}"' in neighbourhood.content.decode()
    said = client.get(reverse("voice:you_said_we_did", args=["seattle", "N-FRE"])).content
    assert f'href="{public_url}"' in said.decode()
    public = client.get(public_url).content.decode()
    assert "Break-ins fell by 60% after new lighting." in public
    assert "Closed" in public and "(12 - 30) / 30 * 100 = -60.0%" in public
    spanish = client.get(public_url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Los robos bajaron un 60% con la nueva luz." in spanish

    # Withdrawn, it is gone from the public.
    client.force_login(fremont_officer)
    client.post(_url("withdraw", project.pk))
    client.logout()
    assert client.get(public_url).status_code == 404
    neighbourhood = client.get(reverse("places:neighbourhood", args=["seattle", "N-FRE"]))
    assert public_url not in neighbourhood.content.decode()


def test_a_summary_without_a_translation_says_it_is_in_its_original_language(
    client, project, fremont_officer
):
    services.publish_summary(
        actor=fremont_officer, project=project, summary="Break-ins fell.", original_language="en"
    )
    url = reverse("problems:public", args=["seattle", "N-FRE", project.pk])
    assert "shown in its original language" not in client.get(url).content.decode()
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    with translation.override("ar"):
        note = gettext("shown in its original language")
    assert "Break-ins fell." in arabic
    assert note in arabic


def test_the_history_reads_in_the_readers_language_not_the_writers(
    client, project, fremont_officer, supervisor
):
    client.force_login(fremont_officer)
    client.post(_url("advance", project.pk), HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(supervisor)

    english = client.get(_url("project", project.pk), HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get(_url("project", project.pk), HTTP_ACCEPT_LANGUAGE="es")

    assert "Scanning → Analysis" in english.content.decode()
    assert "Exploración → Análisis" in spanish.content.decode()


def test_the_history_names_an_entry_s_kind_only_where_the_entry_says_more(
    client, project, fremont_officer
):
    client.force_login(fremont_officer)
    client.post(_url("advance", project.pk))

    page = client.get(_url("project", project.pk)).content.decode()

    assert "Project started in scanning." in page
    assert "Project started:</span>" not in page
    assert '<span class="label">Stage changed:</span> Scanning → Analysis' in page


def test_the_neighbourhood_page_reads_its_published_projects_in_one_query(
    fremont, fremont_officer, django_assert_num_queries
):
    for n in range(3):
        project = services.start_project(
            actor=fremont_officer, neighbourhoods=[fremont], title=f"P {n}"
        )
        services.publish_summary(actor=fremont_officer, project=project, summary=f"Done {n}.")

    with django_assert_num_queries(1):
        listed = localise(selectors.published_for(fremont), "public_summary")
        shown = [(p.title, p.shown["public_summary"], p.in_original) for p in listed]

    assert shown[0] == ("P 2", "Done 2.", {"public_summary": True})
    assert [title for title, _summary, _original in shown] == ["P 2", "P 1", "P 0"]


# --- refusals show on their field and write nothing ------------------------------------------


def test_an_area_whose_ring_is_not_closed_is_refused_on_its_field(client, fremont, fremont_officer):
    client.force_login(fremont_officer)
    response = client.post(
        _url("start"),
        {"neighbourhoods": [fremont.pk], "title": TITLE, "area": json.dumps(OPEN_RING)},
    )
    assert response.status_code == 400
    assert "not closed" in response.context["form"].errors["area"][0]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"area": "{not json"}, "area"),
        ({"title": "  "}, "title"),
        ({"neighbourhoods": []}, "neighbourhoods"),
    ],
)
def test_a_bad_start_form_names_its_field(client, fremont, fremont_officer, data, field):
    client.force_login(fremont_officer)
    response = client.post(_url("start"), {"neighbourhoods": [fremont.pk], "title": TITLE, **data})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"after_last": "2017-05"}, "after_first", "same number of months"),
        ({"comparison_area": json.dumps(RESPONSE)}, "comparison_area", "must lie outside"),
        ({"before_last": "2017-13"}, "before_last", "YYYY-MM"),
        ({"response_area": json.dumps(OPEN_RING)}, "response_area", "not closed"),
        ({"buffer_metres": "0"}, "buffer_metres", "buffer from 1"),
    ],
)
def test_a_bad_assessment_shows_its_message_on_the_field_and_writes_nothing(
    client, project, fremont_officer, ballard, changes, field, message
):
    _in_response(project, fremont_officer)
    entries = HistoryEntry.objects.count()
    client.force_login(fremont_officer)

    response = client.post(_url("assess", project.pk), {**ASSESSMENT, **changes})

    assert response.status_code == 400
    form = response.context["bound_form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert not Assessment.objects.exists()
    assert HistoryEntry.objects.count() == entries
    project.refresh_from_db()
    assert project.stage == Stage.RESPONSE


def test_a_stage_that_is_not_ready_says_why_beside_the_button(client, project, fremont_officer):
    services.advance_stage(actor=fremont_officer, project=project)
    client.force_login(fremont_officer)

    response = client.post(_url("advance", project.pk))

    assert response.status_code == 400
    assert "triangle" in response.context["bound_form"].non_field_errors()[0]
    project.refresh_from_db()
    assert project.stage == Stage.ANALYSIS


def test_an_action_needs_an_owner_the_project_may_give_it_to(
    client, project, fremont_officer, school
):
    client.force_login(fremont_officer)
    response = client.post(
        _url("add_action", project.pk),
        {"description": "Lighting.", "owner": f"organisation:{school.pk}"},
    )
    assert response.status_code == 400
    assert response.context["bound_form"].errors["owner"]
    assert not Action.objects.exists()


# --- query counts -----------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_more_projects(
    client, fremont, fremont_officer, supervisor
):
    def start(n: int) -> None:
        services.start_project(actor=fremont_officer, neighbourhoods=[fremont], title=f"P {n}")

    start(0)
    client.force_login(supervisor)
    few = _queries(client, _url("list"))
    for n in range(1, 6):
        start(n)
    assert _queries(client, _url("list")) == few


def test_the_project_page_costs_the_same_queries_for_more_actions_and_assessments(
    client, project, fremont_officer, school, ballard
):
    _in_response(project, fremont_officer)
    services.invite_partner(actor=fremont_officer, project=project, organisation=school)

    def grow(n: int) -> None:
        services.ask_question(actor=fremont_officer, project=project, question=f"Q {n}")
        services.add_action(
            actor=fremont_officer,
            project=project,
            description=f"Action {n}",
            owner_organisation_id=school.pk,
        )
        services.assess(
            actor=fremont_officer,
            project=project,
            response_area=RESPONSE,
            comparison_area=COMPARISON,
            buffer_metres=100,
            before=(datetime.date(2017, 1, 1), datetime.date(2017, 3, 1)),
            after=(datetime.date(2017, 4, 1), datetime.date(2017, 6, 1)),
        )

    grow(0)
    client.force_login(fremont_officer)
    few = _queries(client, _url("project", project.pk))
    for n in range(1, 5):
        grow(n)
    assert _queries(client, _url("project", project.pk)) == few


def test_the_team_changes_the_details_and_clears_the_area(client, project, fremont_officer):
    client.force_login(fremont_officer)

    saved = client.post(
        _url("details", project.pk),
        {"title": "  Break-ins on the lot ", "description": "At night.", "area": ""},
    )
    refused = client.post(_url("details", project.pk), {"title": ""})

    project.refresh_from_db()
    assert saved.status_code == 302
    assert (project.title, project.description, project.area) == (
        "Break-ins on the lot",
        "At night.",
        None,
    )
    assert refused.status_code == 400
    assert "Say what the problem is." in refused.content.decode()
