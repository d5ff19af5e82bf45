"""The demo city's partner organisations and the liaison officers' engagement log.

Fifteen organisations of every kind, with the neighbourhoods they serve, their
languages, what they help with and their contacts (demo residents, and the published
demo partner Sam Okafor, who acts for a Fremont community council). Six months of
engagements logged by the demo liaison officer and other officers: meetings, calls
and visits, their topics, concerns raised (one filed as a report, one made a priority
candidate) and follow-ups, some done, some due soon and some overdue, so the demo
liaison officer's follow-up list shows what is due. A few open reports are referred to
partners (one accepted and answered), and upcoming Fremont events are co-organised.

Everything a person could do goes through the partners services (organisations,
contacts, engagements, conversions, referrals and the partner's answer); history is
then dated directly (when things were logged, done or answered). No message is sent
about a made-up report. Organisations are keyed by force and name: one that exists is
left alone with its history, so a second run writes nothing; the same seed and day
give the same content.
"""

# Demo content: its sentences are easier to read and edit unbroken.
# ruff: noqa: E501

from __future__ import annotations

import contextlib
import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from beatbridge.accounts.models import TeamAssignment, TeamRole, User
from beatbridge.demo.services import DEMO_OFFICER_SIGN_INS, DEMO_PARTNER, DEMO_SEED
from beatbridge.errors import DomainError
from beatbridge.notify.models import DeliveryStatus
from beatbridge.partners import services
from beatbridge.partners.models import (
    EngagementKind,
    FollowUp,
    Organisation,
    OrganisationKind,
    RaisedConcern,
    Referral,
    ReferralStatus,
)
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.reports.models import Category, Report, ReporterNotification, ReportKind, Status
from beatbridge.voice.models import Event

LIAISON = DEMO_OFFICER_SIGN_INS[TeamRole.LIAISON_OFFICER]
DAYS_OF_HISTORY = 180
OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    codes: tuple[str, ...]
    description: str
    languages: tuple[str, ...]
    help_offered: tuple[str, ...]
    address: str
    # Report categories it may be referred, by code.
    referrals: tuple[str, ...] = ()
    contacts: int = 1
    # What its people talk about with the police.
    topics: tuple[str, ...] = ()


SAMS_COUNCIL = "Fremont Bridge Community Council"

ORGANISATIONS = (
    DemoOrganisation(
        SAMS_COUNCIL,
        OrganisationKind.COMMUNITY,
        ("fremont", "wallingford", "phinney-ridge"),
        "Volunteer council of Fremont residents and businesses: monthly public meetings, the summer street fair and the neighbourhood's voice to the city.",
        ("en", "es"),
        (
            "meeting space",
            "volunteers for clean-ups",
            "newsletter to 2,000 households",
            "street fair stewards",
        ),
        "3400 Fremont Ave N, Seattle",
        referrals=(
            "graffiti",
            "dumping",
            "street-light",
            "noise",
            "antisocial-behaviour",
            "vandalism",
            "speeding",
            "abandoned-vehicle",
        ),
        topics=(
            "summer street fair",
            "car break-ins",
            "the Troll underpass",
            "lighting on the canal trail",
        ),
    ),
    DemoOrganisation(
        "Troll Avenue Elementary School",
        OrganisationKind.SCHOOL,
        ("fremont", "wallingford"),
        "Public elementary school of 420 pupils; its parent-teacher association runs the walking school bus.",
        ("en", "es", "zh-hant"),
        ("safe routes to school", "parent newsletter", "gym for community events"),
        "3600 Troll Ave N, Seattle",
        referrals=("speeding",),
        topics=("school gate parking", "safe routes to school", "online safety talk for parents"),
    ),
    DemoOrganisation(
        "Duwamish River Middle School",
        OrganisationKind.SCHOOL,
        ("south-park", "georgetown"),
        "Middle school serving South Park and Georgetown, with an after-school programme until 6pm.",
        ("en", "es", "vi"),
        ("after-school programme", "interpreters for family meetings", "youth mentoring"),
        "8600 14th Ave S, Seattle",
        referrals=("antisocial-behaviour", "vandalism"),
        topics=("after-school programme", "bus stop fights", "youth mentoring"),
    ),
    DemoOrganisation(
        "Aurora Adult Learning Centre",
        OrganisationKind.SCHOOL,
        ("green-lake", "bitter-lake", "haller-lake"),
        "English classes, citizenship preparation and job skills for adults, mornings and evenings.",
        ("en", "es", "so", "am", "ti"),
        ("English classes", "classroom for police-community talks", "interpreters"),
        "13000 Aurora Ave N, Seattle",
        topics=("scams against newcomers", "how to report a crime", "interpreters"),
    ),
    DemoOrganisation(
        "Ship Canal Merchants Association",
        OrganisationKind.BUSINESS,
        ("fremont", "wallingford"),
        "Sixty shops, cafés and studios along the canal and Fremont Avenue.",
        ("en",),
        ("CCTV footage on request", "window posters", "late-night staff who see the street"),
        "600 N 34th St, Seattle",
        referrals=("graffiti", "vandalism", "antisocial-behaviour"),
        topics=("shoplifting", "graffiti on shutters", "closing-time safety"),
    ),
    DemoOrganisation(
        "Columbia City Corner Grocers",
        OrganisationKind.BUSINESS,
        ("columbia-city", "mount-baker"),
        "Family-run grocery stores of Rainier Avenue, working together on safety and the summer market.",
        ("en", "vi", "am"),
        ("CCTV footage on request", "space for a community notice board"),
        "4800 Rainier Ave S, Seattle",
        referrals=("antisocial-behaviour", "dumping"),
        topics=("staff threatened", "shoplifting", "summer night market"),
    ),
    DemoOrganisation(
        "Airport Way Auto & Body",
        OrganisationKind.BUSINESS,
        ("georgetown",),
        "Garage and body shop; its yard backs onto the alley where vehicles are dumped.",
        ("en", "es"),
        ("identifying abandoned vehicles", "tow coordination"),
        "6200 Airport Way S, Seattle",
        referrals=("abandoned-vehicle",),
        topics=("abandoned vehicles", "catalytic converter thefts"),
    ),
    DemoOrganisation(
        "Lake Union Interfaith Council",
        OrganisationKind.FAITH,
        ("fremont", "wallingford", "eastlake"),
        "Churches, a synagogue and a mosque around the lake who run a winter shelter together.",
        ("en",),
        ("winter shelter beds", "volunteers", "meeting space"),
        "1400 N 40th St, Seattle",
        topics=("winter shelter", "people sleeping in doorways", "hate-crime reporting"),
    ),
    DemoOrganisation(
        "Rainier Beach Islamic Community Centre",
        OrganisationKind.FAITH,
        ("rainier-beach", "columbia-city"),
        "Mosque and community centre with a youth club and a food bank on Fridays.",
        ("en", "so", "ar"),
        ("youth club", "food bank", "Somali and Arabic interpreters"),
        "9200 Rainier Ave S, Seattle",
        topics=("hate-crime reporting", "youth club", "parking at Friday prayers"),
    ),
    DemoOrganisation(
        "Iglesia Comunitaria de South Park",
        OrganisationKind.FAITH,
        ("south-park",),
        "Spanish-speaking congregation; its hall hosts the neighbourhood's know-your-rights evenings.",
        ("es", "en"),
        ("hall for meetings", "Spanish interpreters", "trusted messengers to families"),
        "8500 Dallas Ave S, Seattle",
        topics=("trust in reporting", "wage theft scams", "know-your-rights evening"),
    ),
    DemoOrganisation(
        "South Park Neighbours United",
        OrganisationKind.COMMUNITY,
        ("south-park",),
        "Residents' association working on air quality, the river trail and safety along the industrial edge.",
        ("en", "es", "vi"),
        ("volunteers for clean-ups", "door-knocking in three languages"),
        "8300 14th Ave S, Seattle",
        referrals=("dumping", "street-light", "abandoned-vehicle"),
        contacts=2,
        topics=("illegal dumping", "river trail lighting", "truck traffic"),
    ),
    DemoOrganisation(
        "Green Lake Youth Soccer League",
        OrganisationKind.COMMUNITY,
        ("green-lake", "roosevelt", "wallingford"),
        "Four hundred players aged 6 to 16; practices in the park every weekday evening.",
        ("en",),
        ("coaches for youth events", "field space for cops and kids games"),
        "7200 E Green Lake Dr N, Seattle",
        topics=("car prowls at the fields", "cops and kids game"),
    ),
    DemoOrganisation(
        "North Seattle Family Resource Centre",
        OrganisationKind.HEALTH_SOCIAL,
        ("fremont", "wallingford", "green-lake", "phinney-ridge"),
        "Parenting support, food assistance and referrals to housing and mental-health services.",
        ("en", "es", "zh-hant", "vi"),
        ("housing referrals", "mental-health first aid", "food assistance"),
        "4100 Stone Way N, Seattle",
        referrals=("antisocial-behaviour", "noise"),
        topics=("families in crisis", "housing referrals", "mental-health first aid training"),
    ),
    DemoOrganisation(
        "Duwamish Valley Outreach",
        OrganisationKind.HEALTH_SOCIAL,
        ("south-park", "georgetown", "rainier-beach"),
        "Street outreach workers for people living outside, with a mental-health nurse two days a week.",
        ("en", "es"),
        ("street outreach", "mental-health nurse", "shelter placements"),
        "7900 Airport Way S, Seattle",
        referrals=("antisocial-behaviour",),
        topics=("encampment by the river", "joint outreach walks", "overdose response"),
    ),
    DemoOrganisation(
        "City Lighting Department, Streetlight Team",
        OrganisationKind.COUNCIL,
        ("fremont", "wallingford", "south-park", "georgetown", "columbia-city", "rainier-beach"),
        "Repairs street lights and plans new ones; takes reports with the pole number.",
        ("en",),
        ("streetlight repairs", "lighting surveys"),
        "700 5th Ave, Seattle",
        referrals=("street-light",),
        topics=("broken lights on the station path", "lighting survey"),
    ),
    DemoOrganisation(
        "City Parks Department, North District",
        OrganisationKind.COUNCIL,
        ("fremont", "green-lake", "wallingford", "phinney-ridge", "roosevelt"),
        "Runs the parks, playgrounds and community centres of the north end.",
        ("en",),
        ("park rangers", "community centre rooms", "clean-up kits"),
        "8000 Aurora Ave N, Seattle",
        referrals=("graffiti", "dumping"),
        topics=("fireworks in the park", "clean-up day", "park rangers' hours"),
    ),
)

SUMMARIES = {
    EngagementKind.MEETING: "Met {who} to talk about {topic}. They described what their people see and we agreed what each side will do next.",
    EngagementKind.CALL: "Call with {who} about {topic}; they will share it with their members.",
    EngagementKind.VISIT: "Visited {who} and walked the area with them, looking at {topic}.",
    EngagementKind.EVENT: "Joined {who} at their event; residents raised {topic}.",
    EngagementKind.MESSAGE: "Wrote to {who} with the figures on {topic}, as promised at our last meeting.",
}
CONCERNS = (
    "Cars parked on the pavement at drop-off make children walk in the road.",
    "Young people are being offered vapes and drugs at the bus stop after school.",
    "Staff are threatened when they refuse to sell alcohol late at night.",
    "The path lights have been out for weeks and people avoid it after dark.",
    "Mattresses and furniture are dumped in the alley every weekend.",
    "Families are afraid to report because they think they will be asked about immigration status.",
)
FOLLOW_UPS = (
    (
        "Send the partner the last three months' figures for the area",
        "Figures sent; they shared them with their members.",
    ),
    (
        "Ask the traffic unit for speed checks at the school gate",
        "Traffic unit ran six mornings of checks.",
    ),
    (
        "Put the partner in touch with the outreach team",
        "Introduced; they now walk together on Thursdays.",
    ),
    (
        "Bring the neighbourhood officer to the partner's next meeting",
        "The officer came and answered questions.",
    ),
    (
        "Report the broken lights to the lighting team with the pole numbers",
        "Nine lights repaired.",
    ),
    (
        "Share the leaflet on scams in the partner's languages",
        "Leaflets delivered in four languages.",
    ),
    (
        "Arrange a walk-about with the partner and the parks rangers",
        "Walk-about done; rangers added an evening round.",
    ),
)
RESPONSES = {
    "accepted": "We will send two volunteers to look at it this week and tell residents what we find.",
}


@dataclass(frozen=True)
class PartnersSummary:
    organisations_created: int
    contacts_created: int
    engagements_created: int
    follow_ups_created: int
    referrals_created: int
    events_co_organised: int


@dataclass
class _Counts:
    organisations: int = 0
    contacts: int = 0
    engagements: int = 0
    follow_ups: int = 0
    referrals: int = 0
    events: int = 0


def load_partners(
    force: Force, *, seed: int = DEMO_SEED, today: datetime.date | None = None
) -> PartnersSummary:
    """The demo's partner organisations of ``force`` and their history, each written once.

    Call after the reports and community voice demos: partners are referred reports and
    co-organise events, and a concern becomes a priority candidate of a current cycle.
    """
    day = today or timezone.localdate()
    # The day's first moment: nothing written is dated after the run, whatever its hour.
    now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))
    counts = _Counts()
    liaison = User.objects.filter(email=LIAISON, is_active=True).first()
    partner = User.objects.filter(email=DEMO_PARTNER[0], is_active=True).first()
    if liaison is None:
        return PartnersSummary(0, 0, 0, 0, 0, 0)
    with transaction.atomic():
        known = {
            name.casefold()
            for name in Organisation.objects.filter(force=force).values_list("name", flat=True)
        }
        neighbourhoods = {
            n.code: n
            for n in Neighbourhood.objects.filter(force=force).only(
                "pk", "code", "name", "force_id"
            )
        }
        planner = _Planner(
            force=force,
            liaison=liaison,
            partner=partner,
            neighbourhoods=neighbourhoods,
            seed=seed,
            now=now,
            counts=counts,
        )
        for demo in ORGANISATIONS:
            if demo.name.casefold() in known:
                continue
            planner.organisation(demo)
        planner.liaison_follow_ups()
        planner.referrals()
        planner.events()
    return PartnersSummary(
        organisations_created=counts.organisations,
        contacts_created=counts.contacts,
        engagements_created=counts.engagements,
        follow_ups_created=counts.follow_ups,
        referrals_created=counts.referrals,
        events_co_organised=counts.events,
    )


class _Planner:
    def __init__(
        self,
        *,
        force: Force,
        liaison: User,
        partner: User | None,
        neighbourhoods: dict[str, Neighbourhood],
        seed: int,
        now: datetime.datetime,
        counts: _Counts,
    ) -> None:
        self.force = force
        self.liaison = liaison
        self.partner = partner
        self.neighbourhoods = neighbourhoods
        self.seed = seed
        self.now = now
        self.today = timezone.localdate(now)
        self.counts = counts
        self.by_name: dict[str, Organisation] = {}
        self.demo_of: dict[int, DemoOrganisation] = {}

    # -- who ------------------------------------------------------------------------------

    def _officer(self, code: str, role: str) -> User | None:
        assignment = (
            TeamAssignment.objects.current()
            .filter(neighbourhood__code=code, neighbourhood__force=self.force, role=role)
            .select_related("officer__user")
            .order_by("officer__display_name", "pk")
            .first()
        )
        return assignment.officer.user if assignment is not None else None

    def _liaison_for(self, code: str) -> User:
        """The demo liaison officer where they serve; elsewhere that neighbourhood's own."""
        serving = self._officer(code, TeamRole.LIAISON_OFFICER)
        return serving or self.liaison

    def _residents(self, code: str) -> list[User]:
        return list(
            User.objects.filter(
                home_neighbourhood__code=code,
                home_neighbourhood__force=self.force,
                is_active=True,
                email__endswith=f".residents.{self.force.slug}.beatbridge.invalid",
                is_staff=False,
            ).order_by("email")
        )

    # -- organisations --------------------------------------------------------------------

    def organisation(self, demo: DemoOrganisation) -> None:
        rng = random.Random(f"{self.seed}:partners:{demo.name}")  # noqa: S311 (made-up data)
        home = demo.codes[0]
        officer = self._liaison_for(home)
        slug = demo.name.lower().split(",")[0].replace(" ", "-").replace("&", "and")
        organisation = services.create_organisation(
            by=officer,
            force=self.force,
            details=services.OrganisationDetails(
                name=demo.name,
                kind=demo.kind,
                description=demo.description,
                neighbourhoods=[
                    self.neighbourhoods[c] for c in demo.codes if c in self.neighbourhoods
                ],
                languages=list(demo.languages),
                help_offered=list(demo.help_offered),
                website=f"https://{slug[:40].strip('-')}.beatbridge.invalid/",
                email=f"hello@{slug[:40].strip('-')}.beatbridge.invalid",
                # 555-0100 to 555-0199 are set aside for fiction.
                telephone=f"(206) 555-01{rng.randint(1, 99):02d}",
                address=demo.address,
            ),
        )
        created = self.now - datetime.timedelta(days=DAYS_OF_HISTORY + rng.randint(10, 200))
        Organisation.objects.filter(pk=organisation.pk).update(created_at=created)
        self.counts.organisations += 1
        self.by_name[demo.name] = organisation
        self.demo_of[organisation.pk] = demo
        self._contacts(organisation, demo, rng, officer=officer, since=created)
        self._engagements(organisation, demo, rng, since=created)

    def _contacts(
        self,
        organisation: Organisation,
        demo: DemoOrganisation,
        rng: random.Random,
        *,
        officer: User,
        since: datetime.datetime,
    ) -> None:
        people: list[tuple[User, str]] = []
        if demo.name == SAMS_COUNCIL and self.partner is not None:
            people.append((self.partner, "Chair"))
        residents = self._residents(demo.codes[0])
        # The last of the neighbourhood's residents, in a stable order.
        for resident in residents[::-1][: max(0, demo.contacts - len(people))]:
            people.append((resident, rng.choice(_JOB_TITLES[demo.kind])))
        for index, (user, title) in enumerate(people):
            contact = services.add_contact(
                organisation=organisation,
                by=officer,
                email=user.email,
                job_title=title,
                is_primary=index == 0,
            )
            type(contact).objects.filter(pk=contact.pk).update(
                created_at=since + datetime.timedelta(days=rng.randint(1, 10))
            )
            self.counts.contacts += 1

    def _engagements(
        self,
        organisation: Organisation,
        demo: DemoOrganisation,
        rng: random.Random,
        *,
        since: datetime.datetime,
    ) -> None:
        """Two to four engagements over the last six months, with concerns and follow-ups."""
        ours = demo.name == SAMS_COUNCIL
        count = 4 if ours else rng.randint(2, 4)
        start = max(since, self.now - datetime.timedelta(days=DAYS_OF_HISTORY))
        moments = sorted(
            start
            + datetime.timedelta(
                minutes=rng.randrange(
                    60 * 24 * 2, int((self.now - start).total_seconds() // 60) - 60 * 24 * 3
                )
            )
            for _ in range(count)
        )
        kinds = list(EngagementKind.values)
        for index, occurred_at in enumerate(moments):
            code = rng.choice(demo.codes)
            neighbourhood = self.neighbourhoods.get(code)
            # Mostly the liaison officer of the place; sometimes its neighbourhood officer.
            officer = self._liaison_for(code)
            if rng.random() < 0.25:
                officer = self._officer(code, TeamRole.NEIGHBOURHOOD_OFFICER) or officer
            kind = rng.choice(kinds)
            topics = rng.sample(list(demo.topics), min(len(demo.topics), rng.randint(1, 2)))
            concerns = [rng.choice(CONCERNS)] if rng.random() < 0.4 else []
            follow_ups = []
            for _ in range(rng.randint(0, 2)):
                description, _outcome = rng.choice(FOLLOW_UPS)
                follow_ups.append(
                    services.FollowUpDetails(
                        description=description,
                        due_on=timezone.localdate(occurred_at)
                        + datetime.timedelta(days=rng.randint(7, 30)),
                        owner=officer,
                    )
                )
            engagement = services.log_engagement(
                by=officer,
                organisation=organisation,
                kind=kind,
                occurred_at=occurred_at,
                summary=SUMMARIES[kind].format(who=organisation.name, topic=" and ".join(topics)),
                topics=topics,
                neighbourhood=neighbourhood,
                # The partner's own history shows most of them; a few stay the police's.
                shared_with_partner=not (ours and index == 1) and rng.random() < 0.85,
                internal_note="Raised again by residents at the beat meeting; keep an eye on it."
                if rng.random() < 0.2
                else "",
                concerns=concerns,
                follow_ups=follow_ups,
            )
            type(engagement).staff_objects.filter(pk=engagement.pk).update(
                created_at=occurred_at + datetime.timedelta(hours=rng.randint(1, 20))
            )
            self.counts.engagements += 1
            self.counts.follow_ups += len(follow_ups)
            self._finish_follow_ups(engagement, rng)

    def _finish_follow_ups(self, engagement: object, rng: random.Random) -> None:
        """Most follow-ups due before today were done, in time or a little late."""
        for follow_up in FollowUp.objects.filter(engagement=engagement).select_related("owner"):
            if follow_up.due_on >= self.today or rng.random() < 0.15:
                continue
            agreed = engagement.occurred_at  # type: ignore[attr-defined]
            done_by = min(
                timezone.make_aware(datetime.datetime.combine(follow_up.due_on, datetime.time(17)))
                + datetime.timedelta(days=rng.randint(-5, 4)),
                self.now - datetime.timedelta(hours=2),
            )
            done_at = max(done_by, agreed + datetime.timedelta(hours=4))
            outcome = dict(FOLLOW_UPS).get(follow_up.description, "Done.")
            FollowUp.objects.filter(pk=follow_up.pk).update(
                done_at=done_at, done_by=follow_up.owner, outcome=outcome
            )

    # -- the demo liaison officer's list --------------------------------------------------

    def liaison_follow_ups(self) -> None:
        """What the demo liaison officer signs in to: two overdue, two due this week, one
        later, from the latest engagements they logged with the Fremont council and school."""
        ours = [
            self.by_name[name]
            for name in (SAMS_COUNCIL, "Troll Avenue Elementary School")
            if name in self.by_name
        ]
        if not ours:
            return
        rng = random.Random(f"{self.seed}:partners:liaison")  # noqa: S311
        fremont = self.neighbourhoods.get("fremont")
        plan = (
            (-12, "Send the council the figures on car break-ins around the Troll", True),
            (-4, "Ask the traffic unit for speed checks at the school gate", False),
            (2, "Confirm officers for the street fair's safety briefing", True),
            (5, "Bring the neighbourhood officer to the council's next meeting", True),
            (21, "Share the leaflet on scams in Spanish and Chinese", False),
        )
        for offset, description, council in plan:
            organisation = ours[0] if council or len(ours) == 1 else ours[1]
            due_on = self.today + datetime.timedelta(days=offset)
            agreed_on = min(
                due_on - datetime.timedelta(days=rng.randint(10, 20)),
                self.today - datetime.timedelta(days=rng.randint(2, 6)),
            )
            occurred_at = timezone.make_aware(
                datetime.datetime.combine(agreed_on, datetime.time(17, 30))
            )
            kind = EngagementKind.MEETING if council else EngagementKind.CALL
            topic = rng.choice(self.demo_of[organisation.pk].topics)
            engagement = services.log_engagement(
                by=self.liaison,
                organisation=organisation,
                kind=kind,
                occurred_at=occurred_at,
                summary=SUMMARIES[kind].format(who=organisation.name, topic=topic),
                topics=[topic],
                neighbourhood=fremont,
                follow_ups=[
                    services.FollowUpDetails(
                        description=description, due_on=due_on, owner=self.liaison
                    )
                ],
            )
            type(engagement).staff_objects.filter(pk=engagement.pk).update(
                created_at=occurred_at + datetime.timedelta(hours=2)
            )
            self.counts.engagements += 1
            self.counts.follow_ups += 1
        self._conversions(ours[0], fremont)

    def _conversions(self, organisation: Organisation, fremont: Neighbourhood | None) -> None:
        """Concerns the council raised: one filed as a report, one a priority candidate."""
        if fremont is None:
            return
        occurred_at = self.now - datetime.timedelta(days=9, hours=3)
        engagement = services.log_engagement(
            by=self.liaison,
            organisation=organisation,
            kind=EngagementKind.MEETING,
            occurred_at=occurred_at,
            summary=SUMMARIES[EngagementKind.MEETING].format(
                who=organisation.name, topic="the council's safety survey"
            ),
            topics=["safety survey"],
            neighbourhood=fremont,
            concerns=[
                "Mattresses and furniture are dumped behind the shops on N 35th St every weekend.",
                "Cars speed on Fremont Ave N between the bridge and N 39th St, day and night.",
            ],
        )
        type(engagement).staff_objects.filter(pk=engagement.pk).update(
            created_at=occurred_at + datetime.timedelta(hours=1)
        )
        self.counts.engagements += 1
        dumping, speeding = list(RaisedConcern.objects.filter(engagement=engagement).order_by("pk"))
        category = Category.objects.filter(force=self.force, code="dumping").first()
        if category is not None:
            report = services.concern_to_report(
                concern=dumping, by=self.liaison, category=category, neighbourhood=fremont
            )
            _no_reporter_messages(report)
        # Without a cycle taking candidates today, the concern stays for the team to decide.
        with contextlib.suppress(DomainError):
            services.concern_to_priority(
                concern=speeding,
                by=self.liaison,
                title="Speeding on Fremont Ave N between the bridge and N 39th St",
                neighbourhood=fremont,
            )

    # -- referrals and events -------------------------------------------------------------

    def referrals(self) -> None:
        """Open reports referred to partners; the Fremont council accepts and answers one."""
        for organisation in self.by_name.values():
            demo = self.demo_of[organisation.pk]
            if not demo.referrals:
                continue
            ours = demo.name == SAMS_COUNCIL
            wanted = 2 if ours else 1
            rng = random.Random(f"{self.seed}:partners:referrals:{demo.name}")  # noqa: S311
            candidates = self._open_reports(demo.codes, demo.referrals)
            if ours and len(candidates) < wanted:
                # Never without one: the published partner's portal must show a referral.
                candidates += [r for r in self._open_reports(demo.codes, ()) if r not in candidates]
            for index, report in enumerate(candidates[:wanted]):
                by = self._triager(report)
                if by is None:
                    continue
                services.refer_to_organisation(
                    report=report,
                    by=by,
                    organisation=organisation,
                    note=f"Passed to {organisation.name}, who can help with this; they will tell us what they do.",
                )
                _no_reporter_messages(report)
                referral = Referral.objects.get(report=report, organisation=organisation)
                referred_at = self.now - datetime.timedelta(days=rng.randint(3, 12))
                Referral.objects.filter(pk=referral.pk).update(referred_at=referred_at)
                self.counts.referrals += 1
                if ours and index == 0 and self.partner is not None:
                    services.respond_to_referral(
                        referral=referral,
                        by=self.partner,
                        status=ReferralStatus.ACCEPTED,
                        response=RESPONSES["accepted"],
                    )
                    Referral.objects.filter(pk=referral.pk).update(
                        responded_at=referred_at + datetime.timedelta(days=1, hours=3)
                    )

    def _open_reports(self, codes: tuple[str, ...], categories: tuple[str, ...]) -> list[Report]:
        reports = Report.staff_objects.filter(
            force=self.force,
            neighbourhood__code__in=codes,
            kind=ReportKind.CONCERN,
            status__in=OPEN_STATUSES,
            category__is_sensitive=False,
        ).exclude(pk__in=Referral.objects.values("report_id"))
        if categories:
            reports = reports.filter(category__code__in=categories)
        return list(reports.select_related("neighbourhood").order_by("created_at", "pk"))

    def _triager(self, report: Report) -> User | None:
        code = report.neighbourhood.code
        for role in (TeamRole.LIAISON_OFFICER, TeamRole.NEIGHBOURHOOD_OFFICER):
            officer = self._officer(code, role)
            if officer is not None:
                return officer
        return None

    def events(self) -> None:
        """Upcoming Fremont events the council and the parks co-organise."""
        council = self.by_name.get(SAMS_COUNCIL)
        if council is None:
            return
        parks = self.by_name.get("City Parks Department, North District")
        events = list(
            Event.objects.filter(neighbourhoods__code="fremont", starts_at__gt=self.now).order_by(
                "starts_at", "pk"
            )[:2]
        )
        for index, event in enumerate(events):
            partners = [council] + ([parks] if parks is not None and index == 0 else [])
            event.co_organisers.add(*partners)
            self.counts.events += 1


_JOB_TITLES = {
    OrganisationKind.SCHOOL: ("Principal", "Family liaison", "PTA safety lead"),
    OrganisationKind.BUSINESS: ("Owner", "Store manager", "Association secretary"),
    OrganisationKind.FAITH: ("Pastor", "Imam", "Outreach coordinator"),
    OrganisationKind.COMMUNITY: ("Chair", "Secretary", "Volunteer coordinator"),
    OrganisationKind.HEALTH_SOCIAL: ("Programme manager", "Outreach lead", "Case manager"),
    OrganisationKind.COUNCIL: ("Area manager", "Community liaison", "Duty officer"),
}


def _no_reporter_messages(report: Report) -> None:
    """Nobody is told about a made-up report: its queued notifications are skipped."""
    ReporterNotification.objects.filter(report=report, status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SKIPPED, last_error="demo content"
    )
