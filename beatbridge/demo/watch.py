"""The demo city's neighbourhood watch: schemes in every status, members, rotas, messages.

About a dozen neighbourhoods have a scheme: most are active (streets listed, some with
an area drawn on the map), one has gone dormant, one waits for the Fremont team's
decision, one was declined with a note and one was closed. Their members are the
neighbourhood's demo residents: coordinators, deputies, members and people waiting to
be let in. Running schemes have a rota over the next two weeks (some slots full) and a
few past slots; their members' pages show past messages (alerts to the scheme, in
Spanish too where members read it) that reached them as real ones do.

The published demo resident Jordan Ellis coordinates the Fremont scheme (members, two
requests to join, an upcoming rota), and Lucía Hernández belongs to the South Park one.

What a person could do on the site goes through the watch services (proposing,
deciding, joining, roles, the future rota); history is written directly (past slots
and messages, dormancy, when things happened). Nothing is sent. Each scheme is keyed by
its neighbourhood and name: one that exists is left alone, so a second run writes
nothing; the same seed and day give the same schemes.
"""

# Demo content: its sentences are easier to read and edit unbroken.
# ruff: noqa: E501

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Polygon, box, shape

from beatbridge.accounts.models import TeamRole, User
from beatbridge.accounts.selectors import current_team_for
from beatbridge.demo.alerts import write_past_deliveries
from beatbridge.demo.services import DEMO_RESIDENTS, DEMO_SEED
from beatbridge.notify.models import Alert, AlertCategory, Audience, Severity
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.watch import services
from beatbridge.watch.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSignup,
    RotaSlot,
    Scheme,
    SchemeStatus,
)

JORDAN = DEMO_RESIDENTS[0][0]
LUCIA = DEMO_RESIDENTS[1][0]


@dataclass(frozen=True)
class DemoScheme:
    code: str
    name: str
    description: str
    streets: tuple[str, ...]
    status: str = SchemeStatus.ACTIVE
    with_area: bool = False
    # A published demo resident who proposed it (and coordinates it), else a neighbour.
    proposer: str = ""
    # Someone else the scheme counts among its members.
    member: str = ""
    decision_note: str = ""


SCHEMES = (
    DemoScheme(
        "fremont",
        "North 36th Street Block Watch",
        "Neighbours on the streets between the Troll and the canal keeping an eye out for each other: evening walks, parcels, cars tried at night. New neighbours welcome.",
        ("N 36th St", "Evanston Ave N", "Phinney Ave N", "Dayton Ave N"),
        with_area=True,
        proposer=JORDAN,
    ),
    DemoScheme(
        "fremont",
        "Stone Way Eyes on the Street",
        "Shop owners and residents along Stone Way who want to watch for break-ins at closing time.",
        ("Stone Way N", "N 40th St", "Woodland Park Ave N"),
        status=SchemeStatus.PROPOSED,
    ),
    DemoScheme(
        "south-park",
        "South Park Vecinos Watch",
        "Vecinos de South Park: a bilingual block watch for the streets around the community centre. Reuniones en español e inglés.",
        ("S Cloverdale St", "14th Ave S", "Dallas Ave S", "8th Ave S"),
        with_area=True,
        member=LUCIA,
    ),
    DemoScheme(
        "wallingford",
        "Wallingford Avenue Block Watch",
        "Houses along Wallingford Avenue and the side streets to the playfield.",
        ("Wallingford Ave N", "N 45th St", "Meridian Ave N", "Burke Ave N"),
    ),
    DemoScheme(
        "green-lake",
        "Green Lake Loop Walkers",
        "Residents who walk the lake loop at dawn and dusk, and tell the team what they see.",
        ("W Green Lake Dr N", "E Green Lake Way N", "N 72nd St"),
        with_area=True,
    ),
    DemoScheme(
        "phinney-ridge",
        "Phinney Ridge Neighbours Watch",
        "Block watch for the ridge between the zoo and Greenwood Avenue.",
        ("Phinney Ave N", "Greenwood Ave N", "N 65th St", "Palatine Ave N"),
    ),
    DemoScheme(
        "georgetown",
        "Airport Way Watch",
        "Residents, studios and small businesses along Airport Way looking out for each other's premises.",
        ("Airport Way S", "S Corson Ave", "Carleton Ave S", "S Bailey St"),
        with_area=True,
    ),
    DemoScheme(
        "columbia-city",
        "Columbia City Business Watch",
        "Shops and neighbours of the historic business district: shared alerts about shoplifting and scams.",
        ("Rainier Ave S", "S Edmunds St", "S Ferdinand St", "37th Ave S"),
    ),
    DemoScheme(
        "rainier-beach",
        "Rainier Beach Safe Passage",
        "Parents and neighbours on the routes to school and the light rail station, mornings and afternoons.",
        ("Rainier Ave S", "S Henderson St", "Seward Park Ave S"),
        with_area=True,
    ),
    DemoScheme(
        "roosevelt",
        "Roosevelt Station Block Watch",
        "The blocks around the new light rail station.",
        ("12th Ave NE", "NE 65th St", "Roosevelt Way NE"),
    ),
    DemoScheme(
        "alki",
        "Alki Beach Night Watch",
        "Summer evenings on the beach walk. Quiet since last season; the coordinators would welcome new people to restart it.",
        ("Alki Ave SW", "63rd Ave SW", "Beach Dr SW"),
        status=SchemeStatus.DORMANT,
    ),
    DemoScheme(
        "madrona",
        "Madrona Private Patrol",
        "Residents paying a security firm to patrol and question people they do not know.",
        ("34th Ave", "E Union St"),
        status=SchemeStatus.DECLINED,
        decision_note="We cannot approve a scheme whose patrols stop and question people: a watch scheme observes and tells us. A block watch covering the same streets is welcome; propose one and we will help you start it.",
    ),
    DemoScheme(
        "north-queen-anne",
        "Queen Anne Boulevard Watch",
        "Neighbours along the boulevard loop.",
        ("W Highland Dr", "Queen Anne Ave N", "8th Ave W"),
        status=SchemeStatus.CLOSED,
    ),
)

ROUTES = (
    "Evening walk of the covered streets",
    "School run: the crossings on the main street",
    "Around the park and the playground",
    "Alley behind the shops, at closing time",
    "Station entrance and the path to it",
)

REQUEST_NOTES = (
    "I moved in at the north end last month.",
    "I walk the dog on these streets every evening.",
    "I run the café on the corner.",
    "",
)

# (severity, category, title, message, Spanish title, Spanish message); coordinators write
# the first ones, the team the last.
MESSAGES = (
    (
        Severity.INFORMATION,
        AlertCategory.SCHEME,
        "Rota for the next two weeks is up",
        "Thank you to everyone who walked last month. The new slots are on the members' page: sign up for one if you can.",
        "El turno de las próximas dos semanas ya está publicado",
        "Gracias a todos los que caminaron el mes pasado. Los nuevos turnos están en la página de miembros: apúntese a uno si puede.",
    ),
    (
        Severity.ADVICE,
        AlertCategory.SCHEME,
        "Parcels taken from porches",
        "Two neighbours had parcels taken from their porches this week, in the afternoon. Ask for a safe place or a locker, and tell us if your camera catches anything.",
        "Robo de paquetes en los porches",
        "A dos vecinos les robaron paquetes del porche esta semana, por la tarde. Pida que los dejen en un lugar seguro y avísenos si su cámara graba algo.",
    ),
    (
        Severity.INFORMATION,
        AlertCategory.SCHEME,
        "Next members' meeting",
        "We meet on Thursday at 7pm in the community centre. The neighbourhood officer will join for half an hour.",
        "Próxima reunión de miembros",
        "Nos reunimos el jueves a las 7 de la tarde en el centro comunitario. El agente del barrio vendrá media hora.",
    ),
    (
        Severity.WARNING,
        AlertCategory.CRIME,
        "Cars tried overnight on your streets",
        "From your neighbourhood team: several cars on the streets your scheme covers were tried overnight. Lock up, leave nothing on show, and report anything you see.",
        "Intentos de robo en coches por la noche",
        "Del equipo de su barrio: intentaron abrir varios coches en las calles que cubre su grupo. Cierre con llave, no deje nada a la vista e informe de lo que vea.",
    ),
)


@dataclass(frozen=True)
class WatchSummary:
    schemes_created: int
    memberships_created: int
    rota_slots_created: int
    signups_created: int
    messages_created: int
    deliveries_created: int


@dataclass
class _Counts:
    schemes: int = 0
    memberships: int = 0
    slots: int = 0
    signups: int = 0
    messages: int = 0
    deliveries: int = 0


def load_watch(
    force: Force, *, seed: int = DEMO_SEED, today: datetime.date | None = None
) -> WatchSummary:
    """The demo's watch schemes in ``force``, each written once.

    Call after the community voice demo, whose residents join them.
    """
    day = today or timezone.localdate()
    # The day's first moment: nothing written is dated after the run, whatever its hour.
    now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))
    counts = _Counts()
    with transaction.atomic():
        neighbourhoods = {
            n.code: n
            for n in Neighbourhood.objects.filter(
                force=force, code__in={s.code for s in SCHEMES}
            ).select_related("sector")
        }
        existing = set(
            Scheme.objects.filter(neighbourhood__in=neighbourhoods.values()).values_list(
                "neighbourhood__code", "name"
            )
        )
        published = {u.email: u for u in User.objects.filter(email__in=[JORDAN, LUCIA])}
        for demo in SCHEMES:
            neighbourhood = neighbourhoods.get(demo.code)
            if neighbourhood is None or (demo.code, demo.name) in existing:
                continue
            team = _team_lead(neighbourhood)
            residents = _residents(force, neighbourhood)
            if team is None or len(residents) < 6:
                continue
            rng = random.Random(f"{seed}:watch:{demo.code}:{demo.name}")  # noqa: S311 (made-up data)
            _Scheme(
                demo,
                neighbourhood=neighbourhood,
                team=team,
                residents=residents,
                published=published,
                rng=rng,
                now=now,
                counts=counts,
            ).build()
    return WatchSummary(
        schemes_created=counts.schemes,
        memberships_created=counts.memberships,
        rota_slots_created=counts.slots,
        signups_created=counts.signups,
        messages_created=counts.messages,
        deliveries_created=counts.deliveries,
    )


def _team_lead(neighbourhood: Neighbourhood) -> User | None:
    """The officer who decides on the neighbourhood's schemes: its neighbourhood officer."""
    team = current_team_for(neighbourhood.pk)
    officers = [a for a in team if a.role == TeamRole.NEIGHBOURHOOD_OFFICER] or team
    if not officers:
        return None
    # The published demo officer, where there is one, so their pages show the decision.
    officers.sort(key=lambda a: not a.officer.user.email.endswith("@beatbridge.invalid"))
    ids = [a.officer.user_id for a in officers]
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    return users[ids[0]]


def _residents(force: Force, neighbourhood: Neighbourhood) -> list[User]:
    """The community voice demo's residents of the neighbourhood, in a stable order."""
    return list(
        User.objects.filter(
            home_neighbourhood=neighbourhood,
            is_active=True,
            email__endswith=f".residents.{force.slug}.beatbridge.invalid",
        ).order_by("email")
    )


def area_inside(neighbourhood: Neighbourhood, rng: random.Random) -> dict[str, Any] | None:
    """A small GeoJSON Polygon around a point inside the neighbourhood, within its boundary."""
    boundary = shapely.make_valid(shape(neighbourhood.boundary))
    centre = boundary.representative_point()
    half_width, half_height = rng.uniform(0.002, 0.004), rng.uniform(0.0015, 0.003)
    piece = boundary.intersection(
        box(
            centre.x - half_width,
            centre.y - half_height,
            centre.x + half_width,
            centre.y + half_height,
        )
    )
    polygons = [g for g in getattr(piece, "geoms", [piece]) if isinstance(g, Polygon)]
    if not polygons:
        return None
    largest = max(polygons, key=lambda p: p.area).simplify(0.0001)
    ring = [[round(x, 6), round(y, 6)] for x, y in largest.exterior.coords]
    return {"type": "Polygon", "coordinates": [ring]} if len(ring) >= 4 else None


class _Scheme:
    """Builds one scheme and its history from its own seeded generator."""

    def __init__(
        self,
        demo: DemoScheme,
        *,
        neighbourhood: Neighbourhood,
        team: User,
        residents: list[User],
        published: dict[str, User],
        rng: random.Random,
        now: datetime.datetime,
        counts: _Counts,
    ) -> None:
        self.demo = demo
        self.n = neighbourhood
        self.team = team
        self.rng = rng
        self.now = now
        self.counts = counts
        proposer = published.get(demo.proposer)
        others = list(residents)
        rng.shuffle(others)
        self.proposer = proposer or others.pop()
        self.others = others
        self.extra = published.get(demo.member)

    def build(self) -> None:
        demo, rng = self.demo, self.rng
        area = area_inside(self.n, rng) if demo.with_area else None
        scheme = services.propose_scheme(
            by=self.proposer,
            neighbourhood=self.n,
            name=demo.name,
            description=demo.description,
            streets=list(demo.streets),
            area=area,
        )
        self.counts.schemes += 1
        self.counts.memberships += 1
        if demo.status == SchemeStatus.PROPOSED:
            self._dates(scheme, created=self.now - datetime.timedelta(days=2, hours=3))
            return
        if demo.status == SchemeStatus.DECLINED:
            created = self.now - datetime.timedelta(days=rng.randint(40, 80))
            services.decide_scheme(
                by=self.team, scheme=scheme, approve=False, note=demo.decision_note
            )
            self._dates(
                scheme, created=created, decided=created + datetime.timedelta(days=4, hours=2)
            )
            return
        dormant = demo.status == SchemeStatus.DORMANT
        closed = demo.status == SchemeStatus.CLOSED
        # How long ago the scheme started, and when it was last busy.
        created = self.now - datetime.timedelta(
            days=rng.randint(420, 600) if dormant or closed else rng.randint(150, 330)
        )
        quiet_since = (
            self.now - datetime.timedelta(days=rng.randint(120, 200))
            if dormant or closed
            else self.now
        )
        decided = created + datetime.timedelta(days=rng.randint(3, 9), hours=rng.randint(1, 6))
        services.decide_scheme(by=self.team, scheme=scheme, approve=True)
        self._dates(scheme, created=created, decided=decided)
        members = self._members(scheme, decided=decided, until=quiet_since)
        if not (dormant or closed):
            self._requests(scheme)
            self._future_rota(scheme, members)
        self._past_rota(scheme, members, until=quiet_since)
        last = self._messages(scheme, members, after=decided, until=quiet_since)
        if closed:
            services.set_status(by=self.team, scheme=scheme, status=SchemeStatus.CLOSED)
        # When it was last busy: the dormant one long ago, so the team sees it went quiet.
        if dormant or closed:
            last_activity = last or quiet_since
        else:
            last_activity = self.now - datetime.timedelta(hours=rng.randint(14, 60))
        changes: dict[str, Any] = {"last_activity_at": last_activity}
        if dormant:
            changes["status"] = SchemeStatus.DORMANT
        Scheme.objects.filter(pk=scheme.pk).update(**changes)

    # -- helpers ---------------------------------------------------------------------------

    def _between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        seconds = max(2, int((end - start).total_seconds()))
        return start + datetime.timedelta(seconds=self.rng.randrange(1, seconds))

    def _dates(
        self,
        scheme: Scheme,
        *,
        created: datetime.datetime,
        decided: datetime.datetime | None = None,
    ) -> None:
        """When the scheme was proposed and decided; the proposer's membership with it."""
        Scheme.objects.filter(pk=scheme.pk).update(
            created_at=created,
            last_activity_at=decided or created,
            **({"decided_at": decided} if decided else {}),
        )
        Membership.objects.filter(scheme=scheme, user=self.proposer).update(
            requested_at=created, **({"decided_at": decided} if decided else {})
        )

    def _members(
        self, scheme: Scheme, *, decided: datetime.datetime, until: datetime.datetime
    ) -> list[Membership]:
        """Neighbours who asked to join and were let in by the coordinator; one deputy."""
        rng = self.rng
        joining = self.others[: rng.randint(3, 5)]
        if self.extra is not None:
            joining.append(self.extra)
        members = [Membership.objects.get(scheme=scheme, user=self.proposer)]
        joined_by = min(decided + datetime.timedelta(days=45), until - datetime.timedelta(days=35))
        for resident in joining:
            membership = services.request_membership(
                user=resident, scheme=scheme, note=rng.choice(REQUEST_NOTES)
            )
            membership = services.decide_membership(
                by=self.proposer, membership=membership, approve=True
            )
            asked = self._between(decided, joined_by)
            Membership.objects.filter(pk=membership.pk).update(
                requested_at=asked,
                decided_at=asked + datetime.timedelta(hours=rng.randint(2, 48)),
            )
            members.append(membership)
            self.counts.memberships += 1
        deputy = members[1]
        services.set_member_role(by=self.proposer, membership=deputy, role=MemberRole.DEPUTY)
        # Someone who has stopped the scheme's messages but kept their place.
        if len(members) > 4 and rng.random() < 0.5:
            quiet = members[-1]
            services.set_receives_messages(user=quiet.user, scheme=scheme, receives=False)
        return members

    def _requests(self, scheme: Scheme) -> None:
        """Neighbours waiting for the coordinator's answer: two for every running scheme."""
        waiting = [r for r in self.others[5:] if r is not self.extra][:2]
        for resident in waiting:
            membership = services.request_membership(
                user=resident, scheme=scheme, note=self.rng.choice(REQUEST_NOTES)
            )
            Membership.objects.filter(pk=membership.pk).update(
                requested_at=self.now - datetime.timedelta(days=self.rng.randint(1, 6))
            )
            self.counts.memberships += 1

    def _future_rota(self, scheme: Scheme, members: list[Membership]) -> None:
        """Slots over the next two weeks, through the service; members sign up, some fill."""
        rng = self.rng
        today = timezone.localdate(self.now)
        days = sorted(rng.sample(range(1, 15), rng.randint(4, 6)))
        for index, offset in enumerate(days):
            hour = rng.choice((8, 18, 19))
            starts_at = _local(today + datetime.timedelta(days=offset), datetime.time(hour))
            slot = services.add_rota_slot(
                by=self.proposer,
                scheme=scheme,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=1 if hour == 8 else 2),
                route=rng.choice(ROUTES),
                places=rng.choice((2, 2, 3)),
            )
            self.counts.slots += 1
            # The first slot is full; the others have room.
            wanted = slot.places if index == 0 else rng.randint(0, slot.places - 1)
            for membership in rng.sample(members, min(wanted, len(members))):
                services.sign_up(user=membership.user, slot=slot)
                self.counts.signups += 1

    def _past_rota(
        self, scheme: Scheme, members: list[Membership], *, until: datetime.datetime
    ) -> None:
        """A few slots walked in the month before ``until``, written as history."""
        rng = self.rng
        slots, signups = [], []
        for offset in sorted(rng.sample(range(3, 30), rng.randint(2, 4)), reverse=True):
            day = timezone.localdate(until) - datetime.timedelta(days=offset)
            starts_at = _local(day, datetime.time(rng.choice((8, 18, 19))))
            slot = RotaSlot(
                scheme=scheme,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                route=rng.choice(ROUTES),
                places=2,
                created_by=self.proposer,
                created_at=starts_at - datetime.timedelta(days=rng.randint(5, 12)),
            )
            slots.append(slot)
            for membership in rng.sample(members, min(2, len(members))):
                signups.append(
                    RotaSignup(
                        slot=slot,
                        member=membership,
                        created_at=self._between(slot.created_at, starts_at),
                    )
                )
        RotaSlot.objects.bulk_create(slots)
        RotaSignup.objects.bulk_create(signups)
        self.counts.slots += len(slots)
        self.counts.signups += len(signups)

    def _messages(
        self,
        scheme: Scheme,
        members: list[Membership],
        *,
        after: datetime.datetime,
        until: datetime.datetime,
    ) -> datetime.datetime | None:
        """Past messages to the members, with what became of each delivery."""
        rng = self.rng
        recipients = sorted(
            Membership.objects.filter(
                scheme=scheme, status=MembershipStatus.APPROVED, receives_messages=True
            ).values_list("user_id", flat=True)
        )
        # Spanish where the neighbourhood speaks it or a member reads it.
        spanish = "es" in (self.n.languages or []) or any(
            m.user.preferred_language == "es" for m in members
        )
        start = max(after + datetime.timedelta(days=50), until - datetime.timedelta(days=75))
        chosen = sorted(rng.sample(range(len(MESSAGES)), rng.randint(2, 4)))
        moments = sorted(self._between(start, until - datetime.timedelta(days=1)) for _ in chosen)
        for index, sent in zip(chosen, moments, strict=True):
            severity, category, title, message, title_es, message_es = MESSAGES[index]
            from_team = category != AlertCategory.SCHEME
            alert = Alert.objects.create(
                author=self.team if from_team else self.proposer,
                severity=severity,
                category=category,
                title=title,
                message=message,
                translations={"es": {"title": title_es, "message": message_es}} if spanish else {},
                original_language="en",
                audience=Audience.SCHEME,
                scheme=scheme,
                expires_at=sent + datetime.timedelta(days=7),
                created_at=sent,
                fanned_out_at=sent,
                recipient_count=len(recipients),
            )
            self.counts.messages += 1
            self.counts.deliveries += write_past_deliveries(alert, recipients, rng=rng, sent=sent)
        return moments[-1] if moments else None


def _local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))
