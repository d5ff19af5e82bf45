"""The demo city's community voice: priority cycles, a year of meetings, upcoming events.

Every neighbourhood with a team gets a closed cycle (proposals, votes online and by show
of hands, priorities adopted and closed as delivered or not, candidates not adopted with
the reason), a current cycle taking proposals or votes, a "second Tuesday" meeting series
with a year of monthly meetings (minutes, attendance, questions and upvotes, concerns,
action items for the past ones; questions and registrations for those to come) and
upcoming events of several kinds with registrations. Neighbourhoods that speak Spanish
get Spanish translations of the content.

Demo content is data, not a user flow: rows are written in bulk, but keep every rule
the voice services keep (dates of a cycle in order and cycles apart, votes only while
voting is open and by declared residents, at most ``votes_per_person`` each, show-of-hands
counts only from meetings held while voting was open, a reason for every candidate not
adopted and an outcome for every one closed, nothing dated after the day of the run
except what is still to come, registrations within capacity). No notification is
queued. A neighbourhood that already has a demo meeting series or any cycle is left
alone, so a second run writes nothing; the same seed and day give the same content.
"""

# Demo content: its sentences are easier to read and edit unbroken.
# ruff: noqa: E501

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from beatbridge.accounts.models import Role, TeamAssignment, User
from beatbridge.accounts.selectors import current_team_for
from beatbridge.demo import people
from beatbridge.demo.services import DEMO_RESIDENTS, DEMO_SEED
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.voice.models import (
    ActionItem,
    Attendance,
    AttendanceMethod,
    Cycle,
    Event,
    EventKind,
    Meeting,
    MeetingKind,
    MeetingSeries,
    NamedAttendee,
    Priority,
    PrioritySource,
    PriorityStatus,
    PriorityUpdate,
    Question,
    QuestionVote,
    RaisedConcern,
    Registration,
    RegistrationStatus,
    Residency,
    Vote,
    VoteMethod,
)

RESIDENTS_PER_NEIGHBOURHOOD = 8
MONTHS_BEFORE = 9
MONTHS_AFTER = 2
SERIES_WEEKDAY = 2  # Tuesday
SERIES_WEEK = 2
MEETING_MINUTES = 90
ADOPTED_PER_CYCLE = 3

# --- what people write ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProblem:
    title: str
    description: str
    place: str
    title_es: str
    description_es: str
    plan: str
    delivered: str
    not_delivered: str


PROBLEMS = (
    DemoProblem(
        "Speeding on the main street by the school at 8am",
        "Drivers race past the crossing while children walk to school.",
        "Main street at the school crossing",
        "Exceso de velocidad en la calle principal junto a la escuela a las 8",
        "Los conductores pasan a toda velocidad por el paso de peatones cuando los niños van a la escuela.",
        "Speed checks three mornings a week, and a request to the city for a raised crossing.",
        "Thirty-one speed checks; the city built a raised crossing in the last month. Average speeds at 8am fell from 34 to 22 mph.",
        "We ran speed checks every week, but the raised crossing was not funded this year. Speeds are lower while we are there and back up when we are not; we have asked the city again.",
    ),
    DemoProblem(
        "Drug dealing at the corner by the laundromat in the evenings",
        "Cars stop for a minute and leave, every evening from about 6pm.",
        "Corner by the laundromat",
        "Venta de droga en la esquina de la lavandería por las tardes",
        "Los coches paran un minuto y se van, todas las tardes desde las 6.",
        "Evening patrols at the times residents gave, work with the narcotics unit, and better lighting with the property owner.",
        "Two arrests after six weeks of patrols; the owner put in lights and a camera. Residents tell us the corner has been quiet since.",
        "Patrols moved the dealing a block away rather than ending it. The narcotics unit is still working on it; we will bring it back to the next cycle.",
    ),
    DemoProblem(
        "Car break-ins on the streets around the park overnight",
        "Windows smashed and bags taken from parked cars, several a week.",
        "Streets around the park",
        "Robos en coches alrededor del parque por la noche",
        "Ventanillas rotas y bolsos robados de coches aparcados, varias veces por semana.",
        "Night patrols, a leaflet drop about leaving nothing on show, and footage requests to neighbours with cameras.",
        "Break-ins fell from 14 in the first month to 3 in the last; one person charged for a series of them.",
        "Break-ins continued at about the same rate. We could not staff the night patrols we planned; this stays on our list.",
    ),
    DemoProblem(
        "Groups drinking and shouting on the church steps at night",
        "People passing feel intimidated; glass is left on the pavement.",
        "Church steps on the main street",
        "Grupos bebiendo y gritando en la escalera de la iglesia por la noche",
        "La gente que pasa se siente intimidada; dejan cristales en la acera.",
        "Regular evening visits with the outreach team, and a talk with the church about lighting and a gate.",
        "The outreach team found housing support for four people; the church put in a gate. The steps have been calm for two months.",
        "Visits helped for a while, but the group came back when visits stopped. We are planning a joint approach with the outreach team for the next cycle.",
    ),
    DemoProblem(
        "Dark path to the light rail station",
        "Several street lights are out and people avoid the path after 5pm.",
        "Path to the station",
        "Camino oscuro hacia la estación del tren ligero",
        "Varias farolas están apagadas y la gente evita el camino después de las 5.",
        "Report every broken light to City Light with the poles' numbers, and patrol the path at dusk until they are fixed.",
        "City Light repaired nine lights and added two; we patrolled the path at dusk until then.",
        "Only three of the nine lights were repaired: the rest need new cabling that City Light has scheduled for next year.",
    ),
    DemoProblem(
        "Illegal dumping in the alley behind the shops",
        "Mattresses and bags of rubbish block the alley and attract rats.",
        "Alley behind the shops",
        "Vertidos ilegales en el callejón detrás de las tiendas",
        "Colchones y bolsas de basura bloquean el callejón y atraen ratas.",
        "Clear-up with Seattle Public Utilities, a camera at the entrance, and letters to the businesses about their bins.",
        "The alley was cleared twice and the camera led to two fines. No new dumping in six weeks.",
        "The alley was cleared, but dumping came back within weeks. The camera was not approved; we are asking again.",
    ),
    DemoProblem(
        "Motorbikes racing on the arterial on weekend nights",
        "Wheelies and races after 11pm on Fridays and Saturdays.",
        "The arterial road",
        "Carreras de motos en la avenida las noches del fin de semana",
        "Caballitos y carreras después de las 11 los viernes y sábados.",
        "Weekend traffic operations with the traffic unit and noise cameras requested.",
        "Six weekend operations; twelve bikes seized. Residents report far fewer races.",
        "Operations caught few riders and the racing moved to another street. We will try a different approach with the traffic unit.",
    ),
)

NOT_ADOPTED_REASONS = (
    "Fewer votes than the three adopted; we will keep an eye on it and it can be proposed again next cycle.",
    "This is the city's to fix, not the police's: we have passed it to the right department and will report back at the next meeting.",
    "Already part of a citywide operation that covers this street; adopting it here would duplicate that work.",
)

UPDATES = (
    "First month: we have started the work set out in the plan and will report at the next meeting.",
    "Halfway: the figures are moving in the right direction; thank you to everyone who keeps reporting.",
    "We met the city department this week; the next step is booked.",
)

QUESTIONS = (
    (
        "What is being done about speeding near the school?",
        "We are running speed checks three mornings a week and have asked the city for a raised crossing.",
    ),
    (
        "Can we have more patrols at night around the park?",
        "Night patrols have been added on Fridays and Saturdays; we will review them next month.",
    ),
    (
        "How do I report a broken street light?",
        "Report it here or to City Light with the number on the pole; we pass on every one we are told about.",
    ),
    (
        "Why does it take so long to answer reports?",
        "Most are acknowledged within two days; we will show the figures at the next meeting.",
    ),
    (
        "Is there a block watch group I can join?",
        "Yes: talk to the liaison officer after the meeting, or look on the neighbourhood page.",
    ),
    (
        "What happened with the break-ins on our street?",
        "One person has been charged for a series of them; tell us if anything else happens.",
    ),
    (
        "Can the meeting be held online too?",
        "From next month the meeting will also be online, with a link on the meeting page.",
    ),
)

CONCERNS = (
    "Cars parked on the pavement by the school make children walk in the road.",
    "Fireworks in the park late at night, most weekends.",
    "People sleeping in the bus shelter need help, not moving on.",
    "Graffiti on the underpass keeps coming back.",
    "The corner shop staff have been threatened several times.",
)

ACTIONS = (
    (
        "Ask City Light to repair the lights on the station path",
        "Liaison officer",
        "City Light fixed six lights; the rest are scheduled.",
    ),
    (
        "Run speed checks outside the school three mornings a week",
        "Neighbourhood officer",
        "Done for four weeks; 41 tickets issued.",
    ),
    (
        "Invite the outreach team to the next meeting",
        "Liaison officer",
        "They came and answered questions.",
    ),
    (
        "Share the figures on report response times",
        "Supervisor",
        "Shown at the meeting and posted on the neighbourhood page.",
    ),
    (
        "Write to the businesses about their bins in the alley",
        "Neighbourhood officer",
        "Letters sent; two businesses now lock their bins.",
    ),
    (
        "Check the camera footage offered by a resident",
        "Neighbourhood officer",
        "Footage passed to the investigating officer.",
    ),
)

MINUTES = (
    (
        "Residents raised speeding by the school, dumping in the alley and the dark path to the station.",
        "The team reported on the priorities adopted this cycle and answered the questions sent in advance.",
        "The team will ask City Light about the path lights and bring the speed-check figures to the next meeting.",
    ),
    (
        "Break-ins around the park and groups drinking on the church steps were the main concerns.",
        "The sergeant explained the night patrols and how to report what you see.",
        "A block watch meeting will be set up with the liaison officer; the outreach team is invited next month.",
    ),
)
MINUTES_ES = (
    (
        "Los vecinos hablaron de la velocidad junto a la escuela, los vertidos en el callejón y el camino oscuro a la estación.",
        "El equipo informó sobre las prioridades del ciclo y respondió a las preguntas enviadas.",
        "El equipo pedirá a City Light que repare las farolas y traerá las cifras de los controles de velocidad.",
    ),
    (
        "Los robos en coches alrededor del parque y los grupos bebiendo en la iglesia fueron las principales preocupaciones.",
        "El sargento explicó las patrullas nocturnas y cómo informar de lo que se ve.",
        "Se organizará una reunión de vigilancia vecinal; el equipo de calle está invitado el mes que viene.",
    ),
)

VENUES = (
    (
        "Public library, meeting room",
        "Step-free entrance and lift; hearing loop; accessible toilets.",
    ),
    (
        "Community centre, main hall",
        "Step-free entrance; accessible toilets; seats with arms at the front.",
    ),
    (
        "Neighbourhood school, cafeteria",
        "Ramp at the side entrance; accessible toilet on the ground floor.",
    ),
)
STREETS = ("Main St", "Park Ave", "Station Rd", "Market St", "Lake Blvd", "Hill St")

EVENTS = (
    (
        EventKind.CLEAN_UP,
        "Clean-up day at the park",
        "Limpieza del parque",
        "Gloves, bags and coffee provided. Come for an hour or the whole morning.",
        "Guantes, bolsas y café para todos. Venga una hora o toda la mañana.",
    ),
    (
        EventKind.BLOCK_PARTY,
        "Block party",
        "Fiesta del barrio",
        "Food, music and games for all ages; meet your neighbourhood team.",
        "Comida, música y juegos para todas las edades; conozca a su equipo de barrio.",
    ),
    (
        EventKind.SPORTS,
        "Cops and kids basketball",
        "Baloncesto con la policía",
        "Pick-up games for 10 to 16 year olds with officers and coaches.",
        "Partidos para jóvenes de 10 a 16 años con agentes y entrenadores.",
    ),
    (
        EventKind.YOUTH,
        "Youth film night",
        "Noche de cine juvenil",
        "A film and a talk about staying safe online.",
        "Una película y una charla sobre seguridad en internet.",
    ),
    (
        EventKind.OPEN_DAY,
        "Precinct open day",
        "Jornada de puertas abiertas",
        "See the station, the vehicles and meet the people who answer your calls.",
        "Visite la comisaría, los vehículos y conozca a quienes atienden sus llamadas.",
    ),
    (
        EventKind.ACADEMY,
        "Citizens' academy graduation",
        "Graduación de la academia ciudadana",
        "Celebrate the residents who finished the ten-week course.",
        "Celebre a los vecinos que terminaron el curso de diez semanas.",
    ),
)
PARTNER_ORGANISERS = ("Parks department", "Youth league", "Community council", "Library friends")


@dataclass(frozen=True)
class VoiceSummary:
    neighbourhoods_loaded: int
    residents_created: int
    cycles_created: int
    priorities_created: int
    votes_created: int
    meetings_created: int
    events_created: int
    registrations_created: int


@dataclass
class _Plan:
    """Unsaved rows in the order they are written; parents before the rows that point at them."""

    residencies: list[Residency] = field(default_factory=list)
    series: list[MeetingSeries] = field(default_factory=list)
    meetings: list[tuple[Meeting, Neighbourhood]] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    updates: list[PriorityUpdate] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    upvotes: list[QuestionVote] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    named: list[NamedAttendee] = field(default_factory=list)
    concerns: list[RaisedConcern] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    events: list[tuple[Event, Neighbourhood]] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    # auto_now(_add) fields take the time of writing: the planned ones are set after.
    created: dict[int, datetime.datetime] = field(default_factory=dict)


def load_voice(
    force: Force, *, seed: int = DEMO_SEED, today: datetime.date | None = None
) -> VoiceSummary:
    """Community voice content for every neighbourhood of ``force`` that has a team.

    Call after the demo city is loaded. Writes only neighbourhoods that have neither a
    demo meeting series nor a cycle yet; the same seed and day give the same content.
    """
    day = today or timezone.localdate()
    now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with transaction.atomic():
        served = _served(force)
        loaded = _already_loaded(served)
        todo = [n for n in served if n.pk not in loaded]
        residents, residents_created = _ensure_residents(force, todo, seed=seed)
        declared = set(
            Residency.objects.filter(neighbourhood__in=todo).values_list(
                "user_id", "neighbourhood_id"
            )
        )
        plan = _Plan()
        for neighbourhood in todo:
            # The lead of the team runs the meetings and writes the updates.
            officer = current_team_for(neighbourhood.pk)[0].officer.user
            rng = random.Random(f"{seed}:voice:{neighbourhood.code}")  # noqa: S311 (made-up data)
            _Neighbourhood(
                plan,
                rng=rng,
                neighbourhood=neighbourhood,
                officer=officer,
                now=now,
                residents=residents[neighbourhood.pk],
                declared=declared,
            ).plan()
        _write(plan)
    return VoiceSummary(
        neighbourhoods_loaded=len(todo),
        residents_created=residents_created,
        cycles_created=len(plan.cycles),
        priorities_created=len(plan.priorities),
        votes_created=len(plan.votes),
        meetings_created=len(plan.meetings),
        events_created=len(plan.events),
        registrations_created=len(plan.registrations),
    )


def series_title(neighbourhood: Neighbourhood) -> str:
    return f"{neighbourhood.name} beat meeting"


def _served(force: Force) -> list[Neighbourhood]:
    ids = (
        TeamAssignment.objects.current()
        .filter(neighbourhood__force=force, officer__user__is_active=True)
        .values("neighbourhood_id")
    )
    return list(Neighbourhood.objects.filter(pk__in=ids).defer("boundary").order_by("code"))


def _already_loaded(neighbourhoods: list[Neighbourhood]) -> set[int]:
    titles = {series_title(n): n.pk for n in neighbourhoods}
    with_series = {
        titles[title]
        for neighbourhood_id, title in MeetingSeries.objects.filter(
            neighbourhood__in=neighbourhoods
        ).values_list("neighbourhood_id", "title")
        if titles.get(title) == neighbourhood_id
    }
    with_cycles = set(
        Cycle.objects.filter(neighbourhood__in=neighbourhoods).values_list(
            "neighbourhood_id", flat=True
        )
    )
    return with_series | with_cycles


def _ensure_residents(
    force: Force, neighbourhoods: list[Neighbourhood], *, seed: int
) -> tuple[dict[int, list[User]], int]:
    """Demo residents of each neighbourhood (no password: they vote and register, nobody
    signs in as them), plus the published demo residents who live there."""
    planned: dict[int, list[User]] = {}
    for neighbourhood in neighbourhoods:
        rng = random.Random(f"{seed}:voice-residents:{neighbourhood.code}")  # noqa: S311
        speaks_spanish = "es" in (neighbourhood.languages or [])
        planned[neighbourhood.pk] = []
        for index in range(RESIDENTS_PER_NEIGHBOURHOOD):
            name = people.full_name(rng)
            user = User(
                email=f"{people.email_local_part(name)}.{index}@{neighbourhood.code.lower()}.residents.{force.slug}.beatbridge.invalid",
                full_name=name,
                role=Role.RESIDENT,
                preferred_language="es" if speaks_spanish and rng.random() < 0.4 else "",
                home_neighbourhood=neighbourhood,
            )
            user.set_unusable_password()
            planned[neighbourhood.pk].append(user)
    emails = [user.email for users in planned.values() for user in users]
    existing = {user.email: user for user in User.objects.filter(email__in=emails)}
    missing = [u for users in planned.values() for u in users if u.email not in existing]
    User.objects.bulk_create(missing, batch_size=500)
    by_email = {**existing, **{user.email: user for user in missing}}
    published = {home: email for email, _name, _language, home in DEMO_RESIDENTS}
    published_users = {u.email: u for u in User.objects.filter(email__in=published.values())}
    residents: dict[int, list[User]] = {}
    for neighbourhood in neighbourhoods:
        residents[neighbourhood.pk] = [by_email[u.email] for u in planned[neighbourhood.pk]]
        demo_resident = published_users.get(published.get(neighbourhood.code, ""))
        if demo_resident is not None:
            residents[neighbourhood.pk].insert(0, demo_resident)
    return residents, len(missing)


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _nth_weekday(year: int, month: int, *, weekday: int, week: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (week - 1))


def _month(day: datetime.date, offset: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + offset
    return index // 12, index % 12 + 1


class _Neighbourhood:
    """Plans one neighbourhood's content from its own seeded generator."""

    def __init__(
        self,
        plan: _Plan,
        *,
        rng: random.Random,
        neighbourhood: Neighbourhood,
        officer: User,
        now: datetime.datetime,
        residents: list[User],
        declared: set[tuple[int, int]],
    ) -> None:
        self.p = plan
        self.rng = rng
        self.n = neighbourhood
        self.officer = officer
        self.now = now
        self.today = timezone.localdate(now)
        self.residents = residents
        self.declared = declared
        self.spanish = "es" in (neighbourhood.languages or [])

    def plan(self) -> None:
        meetings = self._meetings()
        self._cycles(meetings)
        self._events()

    # -- helpers ---------------------------------------------------------------------------

    def _es(self, **fields: str) -> dict[str, Any]:
        return {"es": fields} if self.spanish else {}

    def _between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        """A moment strictly inside (start, end); callers make sure end is after start."""
        seconds = int((end - start).total_seconds())
        return start + datetime.timedelta(seconds=self.rng.randrange(1, seconds))

    # -- meetings --------------------------------------------------------------------------

    def _meetings(self) -> list[Meeting]:
        rng = self.rng
        start_time = rng.choice([datetime.time(18, 30), datetime.time(19)])
        series = MeetingSeries(
            neighbourhood=self.n,
            title=series_title(self.n),
            kind=MeetingKind.BEAT,
            weekday=SERIES_WEEKDAY,
            week_of_month=SERIES_WEEK,
            start_time=start_time,
            duration_minutes=MEETING_MINUTES,
        )
        self.p.series.append(series)
        venue, accessibility = rng.choice(VENUES)
        address = f"{rng.randint(100, 9999)} {rng.choice(STREETS)}"
        hybrid = rng.random() < 0.5
        others = [code for code in (self.n.languages or []) if code not in {"en", "es"}]
        cancelled_month = -3 if rng.random() < 0.15 else None
        meetings = []
        for offset in range(-MONTHS_BEFORE, MONTHS_AFTER + 1):
            day = _nth_weekday(
                *_month(self.today, offset), weekday=SERIES_WEEKDAY, week=SERIES_WEEK
            )
            starts_at = _local(day, start_time)
            meeting = Meeting(
                series=series,
                kind=MeetingKind.BEAT,
                title=series.title,
                description="Your neighbourhood team reports on this cycle's priorities and answers your questions. Everyone is welcome.",
                translations=self._es(
                    title=f"Reunión del barrio {self.n.name}",
                    description="El equipo del barrio informa sobre las prioridades del ciclo y responde a sus preguntas. Todos son bienvenidos.",
                ),
                original_language="en",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=MEETING_MINUTES),
                venue_name=venue,
                address=address,
                accessibility=accessibility,
                online_url=f"https://meet.beatbridge.invalid/{self.n.code}" if hybrid else "",
                capacity=60,
                contact_details=self.n.email,
                languages=["en", "es"] if self.spanish else ["en"],
                interpretation=others[:1],
                childcare=rng.random() < 0.3,
                created_by=self.officer,
            )
            self.p.created[id(meeting)] = min(starts_at - datetime.timedelta(days=28), self.now)
            if offset == cancelled_month:
                meeting.is_cancelled = True
                meeting.cancellation_reason = "The hall was closed for repairs. Questions sent for this meeting are taken at the next one."
            self.p.meetings.append((meeting, self.n))
            meetings.append(meeting)
            if meeting.ends_at < self.now and not meeting.is_cancelled:
                self._held(meeting, hybrid=hybrid)
            elif meeting.starts_at > self.now and not meeting.is_cancelled:
                self._to_come(meeting)
        return meetings

    def _held(self, meeting: Meeting, *, hybrid: bool) -> None:
        rng = self.rng
        published = meeting.ends_at + datetime.timedelta(days=2)
        if published <= self.now:
            index = rng.randrange(len(MINUTES))
            meeting.minutes_raised, meeting.minutes_answered, meeting.minutes_decided = MINUTES[
                index
            ]
            meeting.minutes_published_at = published
            if self.spanish:
                raised, answered, decided = MINUTES_ES[index]
                meeting.translations["es"].update(
                    minutes_raised=raised, minutes_answered=answered, minutes_decided=decided
                )
        counts = {AttendanceMethod.IN_PERSON: rng.randint(8, 40)}
        if hybrid:
            counts[AttendanceMethod.ONLINE] = rng.randint(2, 15)
        if rng.random() < 0.3:
            counts[AttendanceMethod.PHONE] = rng.randint(1, 3)
        self.p.attendance += [
            Attendance(meeting=meeting, method=m, count=c) for m, c in counts.items()
        ]
        for _ in range(rng.randint(0, 2)):
            self.p.named.append(
                NamedAttendee(
                    meeting=meeting, name=people.full_name(rng), consented_at=meeting.starts_at
                )
            )
        for question, answer in rng.sample(QUESTIONS, rng.randint(1, 3)):
            self._question(meeting, question, answer=answer)
        self.p.concerns.append(
            RaisedConcern(meeting=meeting, text=rng.choice(CONCERNS), created_at=meeting.ends_at)
        )
        for text, owner, outcome in rng.sample(ACTIONS, rng.randint(1, 2)):
            due_on = timezone.localdate(meeting.starts_at) + datetime.timedelta(
                days=rng.randint(14, 45)
            )
            item = ActionItem(
                meeting=meeting,
                text=text,
                owner=owner,
                due_on=due_on,
                created_at=meeting.ends_at,
                original_language="en",
            )
            done_by = min(_local(due_on, datetime.time(17)), self.now)
            if done_by > meeting.ends_at and rng.random() < 0.7:
                item.done_at = self._between(meeting.ends_at, done_by)
                item.outcome = outcome
            self.p.action_items.append(item)

    def _to_come(self, meeting: Meeting) -> None:
        rng = self.rng
        for question, _answer in rng.sample(QUESTIONS, rng.randint(1, 3)):
            self._question(meeting, question, answer="")
        for resident in rng.sample(self.residents, rng.randint(2, 5)):
            self._register(meeting, resident, before=meeting.starts_at)

    def _question(self, meeting: Meeting, text: str, *, answer: str) -> None:
        opened = meeting.starts_at - datetime.timedelta(days=21)
        closes = min(meeting.starts_at, self.now)
        if closes <= opened:
            return
        asked_by = self.rng.choice(self.residents)
        question = Question(
            meeting=meeting,
            text=text,
            asked_by=asked_by,
            answer=answer,
            created_at=self._between(opened, closes),
        )
        self.p.questions.append(question)
        voters = [r for r in self.residents if r is not asked_by]
        for voter in self.rng.sample(voters, self.rng.randint(0, min(5, len(voters)))):
            self.p.upvotes.append(
                QuestionVote(
                    question=question,
                    voter=voter,
                    created_at=self._between(question.created_at, closes),
                )
            )

    def _register(
        self, gathering: Meeting | Event, resident: User, *, before: datetime.datetime
    ) -> None:
        registered = self._between(
            min(before, self.now) - datetime.timedelta(days=14), min(before, self.now)
        )
        self.p.registrations.append(
            Registration(
                meeting=gathering if isinstance(gathering, Meeting) else None,
                event=gathering if isinstance(gathering, Event) else None,
                user=resident,
                name=resident.full_name,
                language=resident.preferred_language,
                status=RegistrationStatus.CONFIRMED,
                created_at=registered,
            )
        )

    # -- cycles ----------------------------------------------------------------------------

    def _cycles(self, meetings: list[Meeting]) -> None:
        rng = self.rng
        # The current cycle is taking proposals or votes today.
        voting_now = rng.random() < 0.5
        if voting_now:
            current = self._cycle(
                "This quarter",
                starts_on=self.today - datetime.timedelta(days=26),
                voting_opens_on=self.today - datetime.timedelta(days=5),
                voting_closes_on=self.today + datetime.timedelta(days=9),
            )
        else:
            current = self._cycle(
                "This quarter",
                starts_on=self.today - datetime.timedelta(days=12),
                voting_opens_on=self.today + datetime.timedelta(days=7),
                voting_closes_on=self.today + datetime.timedelta(days=21),
            )
        # The past cycle's vote spans the meeting five months ago, which counts hands.
        held = [m for m in meetings if not m.is_cancelled and m.ends_at < self.now]
        vote_meeting = held[-6] if len(held) >= 6 else held[0]
        meeting_day = timezone.localdate(vote_meeting.starts_at)
        past = self._cycle(
            "Last quarter",
            starts_on=meeting_day - datetime.timedelta(days=31),
            voting_opens_on=meeting_day - datetime.timedelta(days=10),
            voting_closes_on=meeting_day + datetime.timedelta(days=7),
            ends_on=current.starts_on - datetime.timedelta(days=1),
        )
        # Everyone who votes has declared that they live here, before the first vote.
        declared_at = _local(past.starts_on, datetime.time(9))
        for resident in self.residents:
            if (resident.pk, self.n.pk) not in self.declared:
                self.p.residencies.append(
                    Residency(user=resident, neighbourhood=self.n, declared_at=declared_at)
                )
        concern_meeting = next(
            (
                m
                for m in held
                if past.starts_on <= timezone.localdate(m.starts_at) < past.voting_opens_on
            ),
            None,
        )
        self._past_cycle(past, vote_meeting=vote_meeting, concern_meeting=concern_meeting)
        self._current_cycle(current, voting_now=voting_now)

    def _cycle(
        self,
        label: str,
        *,
        starts_on: datetime.date,
        voting_opens_on: datetime.date,
        voting_closes_on: datetime.date,
        ends_on: datetime.date | None = None,
    ) -> Cycle:
        cycle = Cycle(
            neighbourhood=self.n,
            title=f"{self.n.name}: {label}",
            starts_on=starts_on,
            voting_opens_on=voting_opens_on,
            voting_closes_on=voting_closes_on,
            ends_on=ends_on or starts_on + datetime.timedelta(days=90),
            votes_per_person=3,
            max_adopted=ADOPTED_PER_CYCLE,
        )
        self.p.created[id(cycle)] = min(
            _local(starts_on, datetime.time(9)) - datetime.timedelta(days=7), self.now
        )
        self.p.cycles.append(cycle)
        return cycle

    def _candidates(
        self, cycle: Cycle, problems: list[DemoProblem], *, until: datetime.datetime
    ) -> list[Priority]:
        rng = self.rng
        opened = _local(cycle.starts_on, datetime.time(9))
        sources = [
            PrioritySource.RESIDENT,
            PrioritySource.RESIDENT,
            PrioritySource.TEAM,
            PrioritySource.REPORT,
            PrioritySource.CRIME_DATA,
        ]
        candidates = []
        for index, problem in enumerate(problems):
            source = sources[index % len(sources)]
            priority = Priority(
                cycle=cycle,
                title=problem.title,
                description=problem.description,
                place=problem.place,
                translations=self._es(title=problem.title_es, description=problem.description_es),
                original_language="en",
                source=source,
                source_reference={
                    PrioritySource.REPORT: "Reports of the last three months",
                    PrioritySource.CRIME_DATA: "Recorded crime, last six months",
                }.get(source, ""),
                proposed_by=rng.choice(self.residents)
                if source == PrioritySource.RESIDENT
                else self.officer,
                created_at=self._between(opened, until),
            )
            candidates.append(priority)
            self.p.priorities.append(priority)
        return candidates

    def _online_votes(
        self, cycle: Cycle, candidates: list[Priority], *, until: datetime.datetime
    ) -> list[Vote]:
        rng = self.rng
        opens = _local(cycle.voting_opens_on, datetime.time(0))
        # Popularity differs, so the results tell a story; nobody uses more votes than allowed.
        weights = [rng.uniform(0.2, 1.0) for _ in candidates]
        votes = []
        for resident in self.residents:
            if rng.random() < 0.2:
                continue
            chosen: list[Priority] = []
            for _ in range(rng.randint(1, cycle.votes_per_person)):
                pick = rng.choices(candidates, weights)[0]
                if pick not in chosen:
                    chosen.append(pick)
            for priority in chosen:
                cast = self._between(max(opens, priority.created_at), until)
                votes.append(
                    Vote(
                        priority=priority, method=VoteMethod.ONLINE, voter=resident, created_at=cast
                    )
                )
        self.p.votes += votes
        return votes

    def _past_cycle(
        self, cycle: Cycle, *, vote_meeting: Meeting, concern_meeting: Meeting | None
    ) -> None:
        rng = self.rng
        problems = rng.sample(PROBLEMS, 5)
        candidates = self._candidates(
            cycle, problems, until=_local(cycle.voting_opens_on, datetime.time(0))
        )
        if concern_meeting is not None:
            # One candidate came from a concern raised at a meeting.
            raised = candidates[-1]
            raised.source, raised.source_reference = (
                PrioritySource.MEETING,
                f"Meeting {timezone.localdate(concern_meeting.starts_at).isoformat()}",
            )
            raised.created_at = concern_meeting.ends_at
            self.p.concerns.append(
                RaisedConcern(
                    meeting=concern_meeting,
                    text=raised.title,
                    priority=raised,
                    created_at=concern_meeting.ends_at,
                )
            )
        closes = _local(cycle.voting_closes_on, datetime.time(23, 59))
        online = self._online_votes(cycle, candidates, until=closes)
        hands = [rng.randint(0, 15) for _ in candidates]
        for priority, count in zip(candidates, hands, strict=True):
            if count:
                self.p.votes.append(
                    Vote(
                        priority=priority,
                        method=VoteMethod.MEETING,
                        meeting=vote_meeting,
                        count=count,
                        recorded_by=self.officer,
                        created_at=vote_meeting.ends_at,
                    )
                )
        totals = [
            count + sum(1 for vote in online if vote.priority is priority)
            for priority, count in zip(candidates, hands, strict=True)
        ]
        # The team adopts the most voted for; the rest are not adopted, with a reason.
        ranked = sorted(range(len(candidates)), key=lambda index: -totals[index])
        adopted_at = _local(cycle.voting_closes_on + datetime.timedelta(days=3), datetime.time(10))
        ends = min(_local(cycle.ends_on, datetime.time(17)), self.now)
        for position, index in enumerate(ranked):
            priority, problem = candidates[index], problems[index]
            if position >= ADOPTED_PER_CYCLE:
                priority.status = PriorityStatus.NOT_ADOPTED
                priority.decision_reason = NOT_ADOPTED_REASONS[
                    (position - ADOPTED_PER_CYCLE) % len(NOT_ADOPTED_REASONS)
                ]
                continue
            priority.adopted_at = adopted_at
            priority.action_plan = problem.plan
            priority.action_owner = rng.choice(
                ["Neighbourhood officer", "Sector team", "Liaison officer with the city"]
            )
            # The last one adopted is often still being worked on: it is on today's agendas.
            still_open = position == ADOPTED_PER_CYCLE - 1 and rng.random() < 0.6
            if still_open:
                priority.status = PriorityStatus.ADOPTED
                priority.action_due_on = self.now.date() + datetime.timedelta(days=30)
                last = self.now
            else:
                delivered = position < 2 or rng.random() < 0.3
                priority.status = (
                    PriorityStatus.DELIVERED if delivered else PriorityStatus.NOT_DELIVERED
                )
                priority.action_due_on = cycle.ends_on - datetime.timedelta(days=10)
                priority.closed_at = self._between(adopted_at + datetime.timedelta(days=30), ends)
                priority.outcome = problem.delivered if delivered else problem.not_delivered
                last = priority.closed_at
            moment = adopted_at
            for text in rng.sample(UPDATES, rng.randint(1, 2)):
                moment = self._between(moment, last)
                self.p.updates.append(
                    PriorityUpdate(
                        priority=priority,
                        text=text,
                        author=self.officer,
                        created_at=moment,
                        original_language="en",
                    )
                )

    def _current_cycle(self, cycle: Cycle, *, voting_now: bool) -> None:
        problems = self.rng.sample(PROBLEMS, self.rng.randint(3, 5))
        proposals_close = min(_local(cycle.voting_opens_on, datetime.time(0)), self.now)
        candidates = self._candidates(cycle, problems, until=proposals_close)
        if voting_now:
            self._online_votes(cycle, candidates, until=self.now)

    # -- events ----------------------------------------------------------------------------

    def _events(self) -> None:
        rng = self.rng
        for kind, title, title_es, description, description_es in rng.sample(
            EVENTS, rng.randint(2, 3)
        ):
            day = self.today + datetime.timedelta(days=rng.randint(5, 60))
            starts_at = _local(
                day, rng.choice([datetime.time(10), datetime.time(14), datetime.time(17)])
            )
            capacity = rng.choice([None, 30, 50])
            event = Event(
                kind=kind,
                title=title,
                description=description,
                translations=self._es(title=title_es, description=description_es),
                original_language="en",
                organiser=f"{self.n.name} neighbourhood team"
                if rng.random() < 0.6
                else rng.choice(PARTNER_ORGANISERS),
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=rng.randint(2, 4)),
                venue_name=rng.choice(
                    ["The park", "Community centre", "Precinct station", "School gym"]
                ),
                address=f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
                accessibility="Step-free access; accessible toilets on site.",
                capacity=capacity,
                contact_details=self.n.email,
                created_by=self.officer,
            )
            self.p.created[id(event)] = self.now - datetime.timedelta(days=rng.randint(1, 20))
            self.p.events.append((event, self.n))
            # Six at most: well within the smallest capacity, so nobody waits.
            for resident in rng.sample(self.residents, rng.randint(2, 6)):
                self._register(event, resident, before=starts_at)


def _write(plan: _Plan) -> None:
    """Bulk-write the plan, parents first; then the planned creation times."""
    size = 500
    Residency.objects.bulk_create(plan.residencies, batch_size=size)
    MeetingSeries.objects.bulk_create(plan.series, batch_size=size)
    meetings = [meeting for meeting, _n in plan.meetings]
    Meeting.objects.bulk_create(meetings, batch_size=size)
    Meeting.neighbourhoods.through.objects.bulk_create(
        [
            Meeting.neighbourhoods.through(meeting_id=m.pk, neighbourhood_id=n.pk)
            for m, n in plan.meetings
        ],
        batch_size=size,
    )
    Cycle.objects.bulk_create(plan.cycles, batch_size=size)
    Priority.objects.bulk_create(plan.priorities, batch_size=size)
    PriorityUpdate.objects.bulk_create(plan.updates, batch_size=size)
    Vote.objects.bulk_create(plan.votes, batch_size=size)
    Question.objects.bulk_create(plan.questions, batch_size=size)
    QuestionVote.objects.bulk_create(plan.upvotes, batch_size=size)
    Attendance.objects.bulk_create(plan.attendance, batch_size=size)
    NamedAttendee.objects.bulk_create(plan.named, batch_size=size)
    RaisedConcern.objects.bulk_create(plan.concerns, batch_size=size)
    ActionItem.objects.bulk_create(plan.action_items, batch_size=size)
    events = [event for event, _n in plan.events]
    Event.objects.bulk_create(events, batch_size=size)
    Event.neighbourhoods.through.objects.bulk_create(
        [
            Event.neighbourhoods.through(event_id=e.pk, neighbourhood_id=n.pk)
            for e, n in plan.events
        ],
        batch_size=size,
    )
    Registration.objects.bulk_create(plan.registrations, batch_size=size)
    for rows, model in ((meetings, Meeting), (events, Event)):
        for row in rows:
            row.created_at = row.updated_at = plan.created[id(row)]
        model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=size)
    for cycle in plan.cycles:
        cycle.created_at = plan.created[id(cycle)]
    Cycle.objects.bulk_update(plan.cycles, ["created_at"], batch_size=size)
