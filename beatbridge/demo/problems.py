"""The demo city's problem-solving projects, one at each stage of the SARA cycle.

Five projects, each at a street the demo's recorded crime makes busy:

- University Way NE (University District), in scanning: found on the hotspot map, with
  the neighbourhood's reports and a priority residents proposed linked to it.
- Occidental Square (Pioneer Square), in analysis: the problem-analysis triangle filled
  in, questions with what the team found (one still open) and a data snapshot.
- The canal trail car parks (Fremont), in response: actions owned by officers and by
  invited partners (the Fremont Bridge Community Council, whose chair is the published
  demo partner, and the parks department), done, in progress, planned and dropped.
- 3rd Ave (Belltown), in assessment: assessed against Occidental Square, waiting for
  the team's decision.
- N 36th St at Fremont Ave N (Fremont), closed: the hotspot where ``FREMONT_RESPONSE``
  cut anti-social behaviour and burglary. Its anti-social behaviour is assessed over the
  response's months (``response_months()``) against the five months before, with a busy
  stretch of University Way NE as the comparison area and a 200 m buffer; the team
  decided to close it and published a summary, with a Spanish translation, on
  Fremont's page. The summary's figures are the assessment's.

Everything goes through the problems services, as the demo officers (the Fremont ones
are the published neighbourhood officer, liaison officer and supervisor) and the
partners' contacts would do it, so each project's history and the audit log are the
services' own. The services stamp each step with the time of the run; the project's own
record of it (history, questions, actions, assessment, snapshot, publication) is then
dated to when it would have happened, as the partners demo does. The audit log keeps the
time of the run: it records what the loader did.

Projects are keyed by force and title: one that exists is left alone, so a second run
writes nothing. A project whose neighbourhood or officer the demo lacks is skipped.
"""

# Demo content: its sentences are easier to read and edit unbroken.
# ruff: noqa: E501

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation

from beatbridge.accounts.models import TeamRole, User
from beatbridge.accounts.selectors import active_account_by_email, current_team_for
from beatbridge.crimedata.categories import CrimeCategory
from beatbridge.crimedata.selectors.areas import street_points_in
from beatbridge.crimedata.selectors.counts import latest_month, shift_month
from beatbridge.crimedata.selectors.hotspots import hotspot_map
from beatbridge.demo.crimes import FREMONT_RESPONSE, HOTSPOTS, Hotspot, response_months
from beatbridge.demo.partners import SAMS_COUNCIL
from beatbridge.demo.services import (
    DEMO_NEIGHBOURHOOD,
    DEMO_OFFICER_SIGN_INS,
    DEMO_PARTNER,
    DEMO_SEED,
)
from beatbridge.partners.models import Organisation
from beatbridge.partners.selectors import contacts_of, organisations_to_refer_to
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.problems import services
from beatbridge.problems.models import (
    Action,
    ActionStatus,
    Assessment,
    Decision,
    HistoryEntry,
    Project,
    Question,
)
from beatbridge.problems.selectors import figures_of
from beatbridge.reports.selectors import reports_in
from beatbridge.voice.selectors.priorities import priorities_in

BUFFER_METRES = 200
# The hotspot map the projects were found on: cells this wide, over this many months.
HOTSPOT_CELL_METRES = 100
HOTSPOT_MONTHS = 6
FREMONT_HOTSPOT, BELLTOWN_HOTSPOT, PIONEER_SQUARE_HOTSPOT, UNIVERSITY_HOTSPOT = HOTSPOTS

# Drawn areas, lon/lat rings. The Fremont response area is the block of N 36th St from
# Fremont Ave N to Evanston Ave N with the car park and alley behind it; its comparison
# area is a stretch of University Way NE as busy, 2.8 km away. 3rd Ave in Belltown is
# compared with Occidental Square, as busy and with the same mix of crime.
FREMONT_RESPONSE_AREA = [
    [-122.3508, 47.6504],
    [-122.3484, 47.6503],
    [-122.3482, 47.6511],
    [-122.3490, 47.6517],
    [-122.3507, 47.6516],
    [-122.3508, 47.6504],
]
UNIVERSITY_WAY_AREA = [
    [-122.3143, 47.6577],
    [-122.3121, 47.6577],
    [-122.3120, 47.6593],
    [-122.3142, 47.6594],
    [-122.3143, 47.6577],
]
CANAL_CAR_PARKS_AREA = [
    [-122.3575, 47.6523],
    [-122.3530, 47.6501],
    [-122.3529, 47.6511],
    [-122.3573, 47.6533],
    [-122.3575, 47.6523],
]
THIRD_AVE_AREA = [
    [-122.3447, 47.6133],
    [-122.3423, 47.6133],
    [-122.3423, 47.6147],
    [-122.3447, 47.6147],
    [-122.3447, 47.6133],
]
OCCIDENTAL_SQUARE_AREA = [
    [-122.3342, 47.5998],
    [-122.3318, 47.5998],
    [-122.3318, 47.6012],
    [-122.3342, 47.6012],
    [-122.3342, 47.5998],
]

NEIGHBOURHOOD_OFFICER = DEMO_OFFICER_SIGN_INS[TeamRole.NEIGHBOURHOOD_OFFICER]
LIAISON_OFFICER = DEMO_OFFICER_SIGN_INS[TeamRole.LIAISON_OFFICER]
SUPERVISOR = DEMO_OFFICER_SIGN_INS[TeamRole.SUPERVISOR]
MERCHANTS = "Ship Canal Merchants Association"
LIGHTING = "City Lighting Department, Streetlight Team"
PARKS = "City Parks Department, North District"

FREMONT_HOTSPOT_TITLE = "Anti-social behaviour and break-ins on N 36th St at Fremont Ave N"
CANAL_TITLE = "Car break-ins in the canal trail car parks at night"
THIRD_AVE_TITLE = "Fights outside the bars on 3rd Ave on weekend nights"
OCCIDENTAL_TITLE = "Drug dealing and assaults in Occidental Square"
UNIVERSITY_WAY_TITLE = "Street drinking and thefts on University Way NE"


@dataclass(frozen=True)
class ProblemsSummary:
    """What ``load_problems`` wrote: zeros when every project existed."""

    projects_created: int
    actions_created: int
    assessments_created: int
    summaries_published: int


def load_problems(force: Force, *, seed: int = DEMO_SEED) -> ProblemsSummary:
    """The demo's problem-solving projects of ``force``, each written once.

    Call after the crime, partners, reports and community voice demos: projects are found
    on the hotspot map, assessed on the recorded crime, invite the demo's partners and
    link its reports and priorities. Writes nothing when the force has no recorded crime.
    """
    city = _City.of(force, seed)
    if city is None:
        return ProblemsSummary(0, 0, 0, 0)
    with transaction.atomic():
        existing = set(Project.objects.filter(force=force).values_list("title", flat=True))
        for title, build in _PROJECTS:
            if title not in existing:
                build(city, title)
    return ProblemsSummary(
        projects_created=city.projects,
        actions_created=city.actions,
        assessments_created=city.assessments,
        summaries_published=city.published,
    )


# --- the city: who and what the projects use --------------------------------------------


class _City:
    def __init__(self, force: Force, seed: int, latest: datetime.date) -> None:
        self.force = force
        self.seed = seed
        self.latest = latest
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.neighbourhoods = {n.code: n for n in Neighbourhood.objects.filter(force=force)}
        self.organisations = {o.name: o for o in organisations_to_refer_to(force.pk)}
        self.projects = self.actions = self.assessments = self.published = 0

    @classmethod
    def of(cls, force: Force, seed: int) -> _City | None:
        latest = latest_month(force)
        return cls(force, seed, latest) if latest is not None else None

    def officer(self, code: str, role: str = TeamRole.NEIGHBOURHOOD_OFFICER) -> User | None:
        """The first officer now serving the neighbourhood in the role."""
        neighbourhood = self.neighbourhoods.get(code)
        if neighbourhood is None:
            return None
        for assignment in current_team_for(neighbourhood.pk):
            if assignment.role == role:
                return assignment.officer.user
        return None

    def account(self, email: str) -> User | None:
        return active_account_by_email(email)

    def acting_for(self, organisation: Organisation) -> User | None:
        """Who updates the organisation's actions: the published demo partner for their
        own council, else the organisation's primary active contact."""
        if organisation.name == SAMS_COUNCIL and (partner := self.account(DEMO_PARTNER[0])):
            return partner
        contact = contacts_of(organisation, include_ended=False).first()
        return contact.user if contact is not None else None

    def street_point_ids(self, code: str, hotspot: Hotspot) -> list[int]:
        return list(
            street_points_in([self.neighbourhoods[code].pk])
            .filter(
                latitude=hotspot.latitude,
                longitude=hotspot.longitude,
                street_name=hotspot.street,
            )
            .values_list("pk", flat=True)
        )

    def hot_cell(
        self, code: str, *, last: datetime.date, category: str | None = None
    ) -> dict[str, Any] | None:
        """The hotspot map query that finds the neighbourhood's busiest hot cell, as the
        hotspot page stores it with a project; None when the map shows no hot cell."""
        first = shift_month(last, 1 - HOTSPOT_MONTHS)
        found = hotspot_map(
            force=self.force,
            neighbourhoods=[self.neighbourhoods[code]],
            category=category,
            first_month=first,
            last_month=last,
            cell_metres=HOTSPOT_CELL_METRES,
        )
        hot = found.significant()
        if not hot:
            return None
        cell = max(hot, key=lambda cell: (cell.incidents, cell.z))
        return {
            "category": category,
            "first_month": f"{first:%Y-%m}",
            "last_month": f"{last:%Y-%m}",
            "cell_metres": HOTSPOT_CELL_METRES,
            "bounds": [round(value, 6) for value in cell.bounds],
        }

    def report_ids(self, code: str, categories: tuple[str, ...], *, most: int = 2) -> list[int]:
        """The neighbourhood's latest reports in these categories (not sensitive ones)."""
        reports = (
            reports_in([self.neighbourhoods[code].pk])
            .filter(category__code__in=categories, category__is_sensitive=False)
            .order_by("-created_at", "-pk")
        )
        return list(reports.values_list("pk", flat=True)[:most])

    def priority_ids(self, code: str, words: str) -> list[int]:
        """The neighbourhood's priority of the latest cycle whose title has these words."""
        priority = (
            priorities_in([self.neighbourhoods[code].pk])
            .filter(title__icontains=words)
            .order_by("-cycle__starts_on", "-pk")
            .first()
        )
        return [priority.pk] if priority is not None else []

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)


def _polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass(frozen=True)
class _Asked:
    """A question of the analysis, and what its asker found, once they have."""

    asked_on: datetime.date
    by: User
    question: str
    found_on: datetime.date | None = None
    finding: str = ""


@dataclass(frozen=True)
class _Planned:
    """An action of the response, owned by an officer or by a partner (named: left out
    where the demo lacks it), and its owner's later update: (day, status, note)."""

    planned_on: datetime.date
    description: str
    due_on: datetime.date
    officer: User | None = None
    partner: str = ""
    update: tuple[datetime.date, str, str] | None = None


# --- dating the steps ---------------------------------------------------------------------


class _Diary:
    """Takes one project's steps through the services, then dates what each step wrote
    to the project's own record to a moment of its day, in order, never after now."""

    def __init__(self, city: _City, title: str) -> None:
        self.city = city
        self.title = title
        self.rng = random.Random(f"{city.seed}:problems:{title}")  # noqa: S311 (made-up data)
        self.project: Project | None = None
        self.moment: datetime.datetime | None = None
        self.mark = HistoryEntry.objects.aggregate(last=Max("pk"))["last"] or 0

    def _at(self, day: datetime.date) -> datetime.datetime:
        """A working-hours moment of the day, after the step before."""
        moment = timezone.make_aware(
            datetime.datetime.combine(
                day, datetime.time(self.rng.randint(8, 17), self.rng.randint(0, 59))
            )
        )
        if self.moment is not None:
            moment = max(moment, self.moment + datetime.timedelta(minutes=self.rng.randint(5, 50)))
        self.moment = min(moment, self.city.now - datetime.timedelta(minutes=1))
        return self.moment

    def _step(self, day: datetime.date, call: Callable[..., Any], **arguments: Any) -> Any:
        moment = self._at(day)
        result = call(**arguments)
        HistoryEntry.objects.filter(pk__gt=self.mark).update(at=moment)
        self.mark = HistoryEntry.objects.aggregate(last=Max("pk"))["last"] or self.mark
        return result

    @property
    def _project(self) -> Project:
        if self.project is None:
            raise RuntimeError("Start the project before taking its other steps.")
        return self.project

    def start(self, day: datetime.date, actor: User, code: str, **details: Any) -> Project:
        """Start the project in the neighbourhood of ``code``."""
        self.project = self._step(
            day,
            services.start_project,
            actor=actor,
            neighbourhoods=[self.city.neighbourhoods[code]],
            title=self.title,
            **details,
        )
        Project.objects.filter(pk=self._project.pk).update(created_at=self.moment)
        self.city.projects += 1
        return self._project

    def update(self, day: datetime.date, actor: User, **fields: Any) -> None:
        self._step(day, services.update_project, actor=actor, project=self._project, **fields)

    def advance(self, day: datetime.date, actor: User) -> None:
        self._step(day, services.advance_stage, actor=actor, project=self._project)

    def inquire(self, questions: list[_Asked]) -> None:
        """Ask each question and record each finding, in the order of their days (a
        question before its finding on the same day)."""
        steps = [(q.asked_on, n, q) for n, q in enumerate(questions)]
        steps += [(q.found_on, n, q) for n, q in enumerate(questions) if q.found_on]
        asked: dict[int, Question] = {}
        for day, n, question in sorted(steps, key=lambda step: step[0]):
            if n not in asked:
                asked[n] = self._step(
                    day,
                    services.ask_question,
                    actor=question.by,
                    project=self._project,
                    question=question.question,
                )
                Question.objects.filter(pk=asked[n].pk).update(asked_at=self.moment)
            else:
                self._step(
                    day,
                    services.record_finding,
                    actor=question.by,
                    question=asked[n],
                    finding=question.finding,
                )
                Question.objects.filter(pk=asked[n].pk).update(answered_at=self.moment)

    def snapshot(self, day: datetime.date, actor: User) -> None:
        self._step(day, services.take_snapshot, actor=actor, project=self._project)
        Project.objects.filter(pk=self._project.pk).update(snapshot_taken_at=self.moment)

    def invite(self, day: datetime.date, actor: User, names: tuple[str, ...]) -> None:
        """Invite the partners of these names that the demo has."""
        for name in names:
            if name in self.city.organisations:
                self._step(
                    day,
                    services.invite_partner,
                    actor=actor,
                    project=self._project,
                    organisation=self.city.organisations[name],
                )

    def respond(self, planner: User, actions: list[_Planned]) -> None:
        """Plan each action, then take its owner's update (a partner's by who acts for
        it), the updates in the order of their days."""
        updates = []
        for planned in actions:
            organisation = self.city.organisations.get(planned.partner)
            if planned.partner and organisation is None:
                continue
            action: Action = self._step(
                planned.planned_on,
                services.add_action,
                actor=planner,
                project=self._project,
                description=planned.description,
                owner_officer_id=planned.officer.pk if planned.officer is not None else None,
                owner_organisation_id=organisation.pk if organisation is not None else None,
                due_on=planned.due_on,
            )
            Action.objects.filter(pk=action.pk).update(
                created_at=self.moment, updated_at=self.moment
            )
            self.city.actions += 1
            if planned.update is not None:
                owner = planned.officer or (
                    self.city.acting_for(organisation) if organisation is not None else None
                )
                updates.append((planned.update, owner or planner, action))
        for (day, status, note), by, action in sorted(updates, key=lambda update: update[0][0]):
            self._step(
                day, services.update_action, actor=by, action=action, status=status, note=note
            )
            Action.objects.filter(pk=action.pk).update(updated_at=self.moment)

    def assess(self, day: datetime.date, actor: User, **arguments: Any) -> Assessment:
        assessment: Assessment = self._step(
            day, services.assess, actor=actor, project=self._project, **arguments
        )
        Assessment.objects.filter(pk=assessment.pk).update(assessed_at=self.moment)
        self.city.assessments += 1
        return assessment

    def decide(self, day: datetime.date, actor: User, decision: str, note: str) -> None:
        self._step(
            day,
            services.decide,
            actor=actor,
            project=self._project,
            decision=decision,
            note=note,
        )

    def publish(self, day: datetime.date, actor: User, summary: str, spanish: str) -> None:
        self._step(
            day,
            services.publish_summary,
            actor=actor,
            project=self._project,
            summary=summary,
            original_language="en",
            translations={"es": {"public_summary": spanish}},
        )
        Project.objects.filter(pk=self._project.pk).update(published_at=self.moment)
        self.city.published += 1

    def close(self) -> None:
        """The project was last changed at its last step."""
        Project.objects.filter(pk=self._project.pk).update(updated_at=self.moment)


# --- the projects -------------------------------------------------------------------------


def _university_way(city: _City, title: str) -> None:
    """Scanning: found on the hotspot map five days ago, with what residents said."""
    code = UNIVERSITY_HOTSPOT.neighbourhood
    officer = city.officer(code)
    if officer is None:
        return
    diary = _Diary(city, title)
    diary.start(
        city.day(5),
        officer,
        code,
        description=(
            "The hotspot map shows the block of University Way NE by the bus stops as the "
            "busiest in the neighbourhood every month: drinking and shouting on the "
            "pavement, bikes stolen from the racks and thefts from the shops. Residents "
            "raise it at meetings and in their reports."
        ),
        crime_category=CrimeCategory.ANTI_SOCIAL_BEHAVIOUR,
        street_point_ids=city.street_point_ids(code, UNIVERSITY_HOTSPOT),
        report_ids=city.report_ids(
            code, ("antisocial-behaviour", "drug-dealing", "vandalism", "graffiti")
        ),
        priority_ids=city.priority_ids(code, "drinking") or city.priority_ids(code, "drug dealing"),
        hotspot=city.hot_cell(code, last=city.latest),
    )
    diary.close()


def _occidental_square(city: _City, title: str) -> None:
    """Analysis: the triangle filled in, three findings and a question still open, and the
    data kept as it stood three days ago."""
    code = PIONEER_SQUARE_HOTSPOT.neighbourhood
    officer = city.officer(code)
    if officer is None:
        return
    diary = _Diary(city, title)
    diary.start(
        city.day(30),
        officer,
        code,
        description=(
            "People deal drugs in the square from late morning, and fights break out "
            "between dealers and buyers in the afternoon. People who work nearby and "
            "visitors now walk around the square rather than through it."
        ),
        since=shift_month(city.latest, -9),
        area=_polygon(OCCIDENTAL_SQUARE_AREA),
        crime_category=CrimeCategory.DRUGS,
        street_point_ids=city.street_point_ids(code, PIONEER_SQUARE_HOTSPOT),
        report_ids=city.report_ids(code, ("drug-dealing", "antisocial-behaviour")),
        hotspot=city.hot_cell(code, last=shift_month(city.latest, -1)),
    )
    diary.advance(city.day(26), officer)
    diary.update(
        city.day(25),
        officer,
        offender="A handful of dealers who come in by light rail most weekdays, and their buyers; two of the dealers are on bail conditions that keep them out of downtown.",
        handler="Probation officers for the two on bail; outreach workers who know several of the buyers.",
        target="Buyers, who are robbed and assaulted; people crossing the square at lunchtime.",
        guardian="Staff of the cafés and galleries around the square, park rangers and the neighbourhood team.",
        place="Occidental Square: low walls and the pergola hide hand-offs from the street, and the coffee kiosk that kept an eye on it closed in the spring.",
        manager="The city's parks department, which runs the square, and the business improvement area around it.",
    )
    diary.inquire(
        [
            _Asked(
                city.day(24),
                officer,
                "When is the square busiest with dealing?",
                city.day(18),
                "From 11am to 4pm on weekdays, when the lunchtime crowd gives cover; much less at weekends.",
            ),
            _Asked(
                city.day(24),
                officer,
                "Where do the buyers come from?",
                city.day(12),
                "Most walk over from the bus stops on 3rd Ave and from the light rail station; few drive.",
            ),
            _Asked(
                city.day(20),
                officer,
                "What does the square's layout offer them?",
                city.day(9),
                "Places to sit out of sight, no one working in the square since the kiosk closed, and four ways out.",
            ),
            _Asked(
                city.day(6),
                officer,
                "Would the businesses around the square pay for a daytime ambassador?",
            ),
        ]
    )
    diary.snapshot(city.day(3), officer)
    diary.close()


def _canal_car_parks(city: _City, title: str) -> None:
    """Response: under way for three weeks, with partners' actions done, in progress,
    planned and one dropped."""
    code = DEMO_NEIGHBOURHOOD
    officer = city.account(NEIGHBOURHOOD_OFFICER)
    liaison = city.account(LIAISON_OFFICER) or officer
    if officer is None or liaison is None or code not in city.neighbourhoods:
        return
    diary = _Diary(city, title)
    diary.start(
        city.day(52),
        officer,
        code,
        description=(
            "Windows smashed and bags taken from cars left in the small car parks along the "
            "canal trail, mostly overnight and at weekends. Many of the owners are rowers, "
            "trail users and visitors who never report it: we hear about it from the "
            "community council and on social media."
        ),
        since=shift_month(city.latest, -4),
        area=_polygon(CANAL_CAR_PARKS_AREA),
        crime_category=CrimeCategory.VEHICLE_CRIME,
        report_ids=city.report_ids(code, ("suspicious-activity", "vandalism"), most=1),
        priority_ids=city.priority_ids(code, "car break-ins"),
    )
    diary.advance(city.day(46), officer)
    diary.update(
        city.day(45),
        officer,
        offender="One or two people on bikes who ride the trail at night and try car doors; the same method in all four car parks.",
        target="Cars with bags, laptops or rowing kit left on show, parked for hours.",
        guardian="Nobody at night: the car parks are out of sight of houses and the trail is unlit.",
        place="Four small car parks between the trail and the canal, hidden behind hedges.",
        manager="The city's parks department, which owns the car parks and the hedges.",
    )
    diary.inquire(
        [
            _Asked(
                city.day(44),
                officer,
                "Why are so few of these break-ins reported?",
                city.day(38),
                "Most owners live elsewhere and expect nothing to come of it. The council's survey of trail users found three break-ins for every one reported to us.",
            ),
            _Asked(
                city.day(36),
                officer,
                "Would a gate at the rowing club's car park help, or move it on?",
            ),
        ]
    )
    diary.invite(city.day(25), liaison, (SAMS_COUNCIL, PARKS))
    diary.advance(city.day(24), officer)
    diary.respond(
        officer,
        [
            _Planned(
                city.day(23),
                "Plain-clothes patrols of the car parks on Friday and Saturday nights for six weeks",
                due_on=city.day(-19),
                officer=officer,
                update=(
                    city.day(9),
                    ActionStatus.IN_PROGRESS,
                    "Three weekends done; one man arrested trying car doors.",
                ),
            ),
            _Planned(
                city.day(23),
                "Ask the city for a camera at the largest car park",
                due_on=city.day(5),
                officer=liaison,
                update=(
                    city.day(6),
                    ActionStatus.DROPPED,
                    "The city has no money for cameras on the trail this year; we will ask again in the spring.",
                ),
            ),
            _Planned(
                city.day(22),
                "Cut back the hedges that hide the car parks from the trail and the street",
                due_on=city.day(-30),
                partner=PARKS,
                update=(
                    city.day(2),
                    ActionStatus.PLANNED,
                    "On the parks crew's list for next month.",
                ),
            ),
            _Planned(
                city.day(22),
                "Signs in every car park and leaflets on windscreens: leave nothing on show",
                due_on=city.day(8),
                partner=SAMS_COUNCIL,
                update=(
                    city.day(10),
                    ActionStatus.DONE,
                    "Signs are up in all four car parks, and volunteers put 600 leaflets on windscreens over two weekends.",
                ),
            ),
        ],
    )
    diary.close()


def _third_avenue(city: _City, title: str) -> None:
    """Assessment: the response's first three months assessed, waiting for a decision."""
    code = BELLTOWN_HOTSPOT.neighbourhood
    officer = city.officer(code)
    colleague = city.officer(code, TeamRole.SECTOR_OFFICER) or officer
    if officer is None or colleague is None:
        return
    after = (shift_month(city.latest, -2), city.latest)
    before = (shift_month(city.latest, -5), shift_month(city.latest, -3))
    began = after[0]

    def day(offset: int) -> datetime.date:
        return began + datetime.timedelta(days=offset)

    diary = _Diary(city, title)
    diary.start(
        day(-50),
        officer,
        code,
        description=(
            "Fights and assaults when the bars on 3rd Ave close on Friday and Saturday "
            "nights, with crowds spilling into the road by the bus stops."
        ),
        since=shift_month(began, -12),
        area=_polygon(THIRD_AVE_AREA),
        crime_category=CrimeCategory.VIOLENT_CRIME,
        street_point_ids=city.street_point_ids(code, BELLTOWN_HOTSPOT),
        hotspot=city.hot_cell(code, last=shift_month(began, -3)),
    )
    diary.advance(day(-44), officer)
    diary.update(
        day(-43),
        officer,
        offender="Groups of drinkers leaving two late bars at closing time.",
        target="Other people leaving the bars and waiting for the night buses.",
        guardian="Door staff, who go back inside at closing time.",
        place="The pavement and bus stops between the two bars, crowded in the twenty minutes after 2am.",
        manager="The bars' managers, and the transit agency, which places the stops.",
    )
    diary.inquire(
        [
            _Asked(
                day(-40),
                officer,
                "Where and when do the fights start?",
                day(-30),
                "Nine in ten calls are within 30 minutes of 2am, outside two bars that empty onto the street at the same moment.",
            )
        ]
    )
    diary.advance(day(-6), officer)
    diary.respond(
        officer,
        [
            _Planned(
                day(-5),
                "High-visibility patrols on Friday and Saturday nights from midnight to 3am",
                due_on=day(60),
                officer=officer,
                update=(
                    day(62),
                    ActionStatus.DONE,
                    "Patrols every Friday and Saturday for nine weeks.",
                ),
            ),
            _Planned(
                day(-5),
                "Meet the two bars' managers about staggered closing and door staff outside until the street clears",
                due_on=day(14),
                officer=colleague,
                update=(
                    day(12),
                    ActionStatus.DONE,
                    "Both bars agreed to stagger last orders by 30 minutes and keep door staff outside until 2:30am.",
                ),
            ),
            _Planned(
                day(-5),
                "Ask the transit agency to move the night bus stop away from the bars' doors",
                due_on=day(45),
                officer=officer,
                update=(
                    day(40),
                    ActionStatus.IN_PROGRESS,
                    "The agency will decide at its next route review.",
                ),
            ),
        ],
    )
    diary.assess(
        city.day(6),
        officer,
        response_area=_polygon(THIRD_AVE_AREA),
        comparison_area=_polygon(OCCIDENTAL_SQUARE_AREA),
        buffer_metres=BUFFER_METRES,
        before=before,
        after=after,
        crime_category=CrimeCategory.VIOLENT_CRIME,
    )
    diary.close()


def _fremont_hotspot(city: _City, title: str) -> None:
    """Closed: the Fremont hotspot, from the hotspot map to a published summary."""
    code = FREMONT_HOTSPOT.neighbourhood
    officer = city.account(NEIGHBOURHOOD_OFFICER)
    liaison = city.account(LIAISON_OFFICER) or officer
    supervisor = city.account(SUPERVISOR) or officer
    if officer is None or liaison is None or supervisor is None or code not in city.neighbourhoods:
        return
    after_months = response_months()
    began = after_months[0]
    after = (after_months[0], after_months[-1])
    before = (shift_month(began, -FREMONT_RESPONSE.months), shift_month(began, -1))
    colleague = next(
        (
            a.officer.user
            for a in current_team_for(city.neighbourhoods[code].pk)
            if a.role == TeamRole.NEIGHBOURHOOD_OFFICER and a.officer.user_id != officer.pk
        ),
        officer,
    )

    def day(offset: int) -> datetime.date:
        return began + datetime.timedelta(days=offset)

    diary = _Diary(city, title)
    diary.start(
        day(-63),
        officer,
        code,
        description=(
            "Most evenings a group gathers in the car park and the alley behind the shops on "
            "N 36th St: drinking, shouting, fights and broken glass. Shops and the flats "
            "above them are broken into from the alley several times a month. Staff and "
            "residents tell us they avoid the block after dark."
        ),
        since=shift_month(began, -14),
        area=_polygon(FREMONT_RESPONSE_AREA),
        crime_category=CrimeCategory.ANTI_SOCIAL_BEHAVIOUR,
        street_point_ids=city.street_point_ids(code, FREMONT_HOTSPOT),
        hotspot=city.hot_cell(code, last=shift_month(began, -4)),
    )
    diary.advance(day(-57), officer)
    diary.update(
        day(-56),
        officer,
        offender="A group of about a dozen young adults, most known to us, who meet there after the bars close; the break-ins are one or two people trying the back doors along the alley.",
        handler="Their families, and the outreach workers of the North Seattle Family Resource Centre, who know several of them.",
        target="The shops with back doors on the alley, the flats above them, and people walking home from the bus stop.",
        guardian="Shop staff until closing time, the residents of the flats, and the neighbourhood team on evening patrols.",
        place="The car park and the alley behind the shops: unlit, out of sight of the street, with a low wall to sit on and three ways out.",
        manager="The shops' landlord, who owns the car park and the alley, and the city's lighting team, who run the lights.",
    )
    diary.inquire(
        [
            _Asked(
                day(-56),
                officer,
                "When does it happen, and who calls us?",
                day(-47),
                "Calls peak between 9pm and 1am from Thursday to Saturday; the break-ins are found in the morning. Most calls come from shop staff and from the flats above.",
            ),
            _Asked(
                day(-55),
                officer,
                "Where exactly, and why there?",
                day(-43),
                "Almost all of it happens in the car park and the alley, not on the street front. The car park's lights have been broken since the winter and both alley gates stand open.",
            ),
            _Asked(
                day(-54),
                liaison,
                "Who owns the car park and the alley, and what will they do?",
                day(-36),
                "The landlord will pay for gates if the city mends the lights; the lighting team can do its part within a month.",
            ),
        ]
    )
    diary.invite(day(-6), liaison, (SAMS_COUNCIL, MERCHANTS, LIGHTING))
    diary.advance(day(-5), officer)
    diary.respond(
        officer,
        [
            _Planned(
                day(-4),
                "Evening foot patrols of the block, Thursday to Saturday from 9pm to 1am, for eight weeks",
                due_on=day(56),
                officer=officer,
                update=(
                    day(58),
                    ActionStatus.DONE,
                    "Eight weeks of patrols done. The group has moved on and the block is quiet most nights.",
                ),
            ),
            _Planned(
                day(-4),
                "Crime-prevention visits to every shop and flat with a door on the alley",
                due_on=day(21),
                officer=colleague,
                update=(
                    day(19),
                    ActionStatus.DONE,
                    "Visited 23 shops and flats; nine have since fitted better locks or an alarm.",
                ),
            ),
            _Planned(
                day(-4),
                "Mend the car park and alley lights and add two new ones at the ends of the alley",
                due_on=day(28),
                partner=LIGHTING,
                update=(day(25), ActionStatus.DONE, "Six lights mended and two new ones put up."),
            ),
            _Planned(
                day(-4),
                "Fit self-closing gates at both ends of the alley, locked from 10pm to 6am",
                due_on=day(35),
                partner=MERCHANTS,
                update=(
                    day(38),
                    ActionStatus.DONE,
                    "Gates fitted; the shops take turns to lock them at 10pm.",
                ),
            ),
            _Planned(
                day(-4),
                "A volunteer clean-up of the alley and the car park, then a mural on the car park wall",
                due_on=day(42),
                partner=SAMS_COUNCIL,
                update=(
                    day(40),
                    ActionStatus.DONE,
                    "Eighteen volunteers cleared the alley; pupils of Troll Avenue Elementary painted the mural.",
                ),
            ),
        ],
    )
    assessed_on = city.day(5)
    diary.snapshot(assessed_on, officer)
    assessment = diary.assess(
        assessed_on,
        officer,
        response_area=_polygon(FREMONT_RESPONSE_AREA),
        comparison_area=_polygon(UNIVERSITY_WAY_AREA),
        buffer_metres=BUFFER_METRES,
        before=before,
        after=after,
        crime_category=CrimeCategory.ANTI_SOCIAL_BEHAVIOUR,
    )
    diary.decide(city.day(4), supervisor, Decision.CLOSE, _decision_note(assessment))
    english, spanish = _fremont_summary(assessment)
    diary.publish(city.day(3), officer, english, spanish)
    diary.close()


# --- what the Fremont team wrote, from its assessment ---------------------------------------


def _change(before: int, after: int, language: str) -> str:
    """How a count changed, in words: "down by 62%" / "un 62 % menos"."""
    spanish = language == "es"
    if before == 0:
        return "sin casos antes" if spanish else "none before"
    percent = round(abs(after - before) / before * 100)
    if after < before:
        return f"un {percent} % menos" if spanish else f"down by {percent}%"
    if after > before:
        return f"un {percent} % más" if spanish else f"up by {percent}%"
    return "sin cambios" if spanish else "no change"


def _month(month: datetime.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(month, r"F \d\e Y" if language == "es" else "F Y")


def _fremont_summary(assessment: Assessment) -> tuple[str, str]:
    """The public summary in English and Spanish, with the assessment's figures."""
    counts = figures_of(assessment).counts
    rb, ra = counts.response_before, counts.response_after
    cb, ca = counts.comparison_before, counts.comparison_after
    months = FREMONT_RESPONSE.months
    english = (
        "Anti-social behaviour and break-ins on N 36th St at Fremont Ave N had become a "
        "nightly problem for the shops and the flats above them. From "
        f"{_month(assessment.after_first, 'en')} the neighbourhood team worked on it with "
        "the shops, the Fremont Bridge Community Council and the city's lighting team: "
        "evening foot patrols, mended and new lights in the car park and the alley, gates "
        "at both ends of the alley, a clean-up, and crime-prevention visits to every shop "
        f"and flat. In the {months} months to {_month(assessment.after_last, 'en')}, {ra} "
        f"incidents of anti-social behaviour were recorded on the block, against {rb} in "
        f"the {months} months before ({_change(rb, ra, 'en')}). Over the same months a "
        f"similarly busy stretch of University Way NE went from {cb} to {ca} "
        f"({_change(cb, ca, 'en')}). The gates and the lights stay, and we will keep an "
        "eye on the figures."
    )
    spanish = (
        "El comportamiento antisocial y los robos en N 36th St, junto a Fremont Ave N, se "
        "habían convertido en un problema de todas las noches para las tiendas y los pisos "
        f"de encima. Desde {_month(assessment.after_first, 'es')}, el equipo del barrio "
        "trabajó en ello con las tiendas, el Consejo Comunitario de Fremont Bridge y el "
        "equipo de alumbrado de la ciudad: patrullas a pie por la noche, luces arregladas "
        "y nuevas en el aparcamiento y el callejón, puertas en los dos extremos del "
        "callejón, una limpieza y visitas de prevención a cada tienda y piso. En los "
        f"{months} meses hasta {_month(assessment.after_last, 'es')} se registraron en la "
        f"manzana {ra} incidentes de comportamiento antisocial, frente a {rb} en los "
        f"{months} meses anteriores ({_change(rb, ra, 'es')}). En los mismos meses, un "
        f"tramo igual de concurrido de University Way NE pasó de {cb} a {ca} "
        f"({_change(cb, ca, 'es')}). Las puertas y las luces se quedan, y seguiremos "
        "de cerca las cifras."
    )
    return english, spanish


def _decision_note(assessment: Assessment) -> str:
    """Why the team closed it, from the assessment's measures."""
    figures = figures_of(assessment)
    counts = figures.counts
    wdq = figures.measures[-1]
    weighed = (
        # "or 0.0": a quotient of -0.0 reads as 0.00.
        f"The weighted displacement quotient is {wdq.value or 0.0:.2f}: {wdq.meaning}"
        if wdq.value is not None
        else wdq.meaning
    )
    return (
        f"Anti-social behaviour in the response area went from {counts.response_before} to "
        f"{counts.response_after} ({_change(counts.response_before, counts.response_after, 'en')}), "
        f"and in the comparison area from {counts.comparison_before} to "
        f"{counts.comparison_after} ({_change(counts.comparison_before, counts.comparison_after, 'en')}). "
        f"{weighed} The gates and the lights stay; patrols go back to the usual rota, "
        "and we will reopen this if the figures climb again."
    )


_PROJECTS: tuple[tuple[str, Callable[[_City, str], None]], ...] = (
    (FREMONT_HOTSPOT_TITLE, _fremont_hotspot),
    (THIRD_AVE_TITLE, _third_avenue),
    (CANAL_TITLE, _canal_car_parks),
    (OCCIDENTAL_TITLE, _occidental_square),
    (UNIVERSITY_WAY_TITLE, _university_way),
)
