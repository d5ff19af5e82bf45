"""Teams for a whole city: who serves each neighbourhood, planned from a seed.

A plan is a pure function of the city's sectors and a seed, so planning twice
gives the same officers and assignments; ``staff_city`` then writes only what is
missing, keyed by e-mail (officers) and officer + neighbourhood + role + start
(assignments). That is what makes ``load_demo`` safe to run on every start.

Every neighbourhood gets its own neighbourhood officer (a second one for about a
third of them), two of its sector's three sector officers, the sector's liaison
officer and the sector's supervisor. About a quarter show a former neighbourhood
officer (now a sector officer) in their history. Each sector also has a captain,
and the service a chief, deputy chief and assistant chief, all senior officers.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, TeamRole
from beatbridge.accounts.services import assign_officer, create_officer
from beatbridge.demo import people
from beatbridge.places.models import Force, Neighbourhood

SECTOR_OFFICERS_PER_SECTOR = 3
SECOND_NEIGHBOURHOOD_OFFICER_CHANCE = 1 / 3
FORMER_OFFICER_CHANCE = 1 / 4


@dataclass
class PlannedOfficer:
    email: str
    full_name: str
    rank: str
    bio: str
    languages: list[str]
    role: Role
    is_senior: bool = False
    password: str | None = None


@dataclass(frozen=True)
class PlannedAssignment:
    officer: PlannedOfficer
    neighbourhood_code: str
    role: TeamRole
    starts_on: datetime.date
    ends_on: datetime.date | None = None


@dataclass
class TeamPlan:
    officers: list[PlannedOfficer] = field(default_factory=list)
    assignments: list[PlannedAssignment] = field(default_factory=list)

    def officer_for(self, neighbourhood_code: str, role: TeamRole) -> PlannedOfficer:
        """The first officer planned to serve a neighbourhood in a role."""
        return next(
            assignment.officer
            for assignment in self.assignments
            if assignment.neighbourhood_code == neighbourhood_code and assignment.role == role
        )


@dataclass(frozen=True)
class StaffingResult:
    officers_created: int
    assignments_created: int


class _Planner:
    """Draws officers in a fixed order from one seeded generator, with unique e-mails."""

    def __init__(self, *, seed: int | str, email_domain: str) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        self.email_domain = email_domain
        self.plan = TeamPlan()
        self._emails: set[str] = set()

    def officer(
        self, *, rank: str, role: Role, focus: str, area: str, is_senior: bool = False
    ) -> PlannedOfficer:
        name = people.full_name(self.rng)
        local = people.email_local_part(name)
        email, number = f"{local}@{self.email_domain}", 1
        while email in self._emails:
            number += 1
            email = f"{local}{number}@{self.email_domain}"
        self._emails.add(email)
        officer = PlannedOfficer(
            email=email,
            full_name=name,
            rank=rank,
            bio=people.bio(self.rng, first_name=name.split()[0], focus=focus, area=area),
            languages=people.pick_languages(self.rng, at_most=2),
            role=role,
            is_senior=is_senior,
        )
        self.plan.officers.append(officer)
        return officer

    def assign(
        self,
        officer: PlannedOfficer,
        code: str,
        role: TeamRole,
        *,
        starts_on: datetime.date | None = None,
        ends_on: datetime.date | None = None,
    ) -> None:
        # Current assignments start between 2022 and 2025; history ends by 2021.
        start = starts_on or datetime.date(self.rng.randint(2022, 2025), self.rng.randint(1, 12), 1)
        self.plan.assignments.append(PlannedAssignment(officer, code, role, start, ends_on))

    def former(self, officer: PlannedOfficer, code: str) -> None:
        starts_on = datetime.date(self.rng.randint(2016, 2019), self.rng.randint(1, 12), 1)
        ends_on = datetime.date(2021, self.rng.randint(1, 12), 28)
        self.assign(
            officer, code, TeamRole.NEIGHBOURHOOD_OFFICER, starts_on=starts_on, ends_on=ends_on
        )


def plan_teams(
    *,
    sectors: Mapping[str, Sequence[tuple[str, str]]],
    seed: int | str,
    email_domain: str,
    service_name: str,
) -> TeamPlan:
    """The officers and assignments for a city.

    ``sectors`` maps each sector's name to its neighbourhoods as (code, name)
    pairs. The same arguments always give the same plan.
    """
    planner = _Planner(seed=seed, email_domain=email_domain)
    for rank in ("Chief of Police", "Deputy Chief", "Assistant Chief"):
        planner.officer(
            rank=rank,
            role=Role.SUPERVISOR,
            focus=people.CHIEF_BIO,
            area=service_name,
            is_senior=True,
        )
    for sector_name in sorted(sectors):
        _plan_sector(planner, sector_name, sorted(sectors[sector_name]))
    return planner.plan


def _plan_sector(planner: _Planner, sector: str, neighbourhoods: list[tuple[str, str]]) -> None:
    rng = planner.rng
    area = f"the {sector}"
    planner.officer(
        rank="Captain",
        role=Role.SUPERVISOR,
        focus=people.CAPTAIN_BIO,
        area=area,
        is_senior=True,
    )
    supervisor = planner.officer(
        rank="Sergeant", role=Role.SUPERVISOR, focus=people.SUPERVISOR_BIO, area=area
    )
    liaison = planner.officer(
        rank="Officer", role=Role.LIAISON_OFFICER, focus=people.LIAISON_BIO, area=area
    )
    sector_officers = [
        planner.officer(
            rank=rng.choice(["Officer", "Officer", "Detective"]),
            role=Role.OFFICER,
            focus=rng.choice(people.SECTOR_BIO_FOCUS),
            area=area,
        )
        for _ in range(SECTOR_OFFICERS_PER_SECTOR)
    ]
    for index, (code, name) in enumerate(neighbourhoods):
        officers_here = 2 if rng.random() < SECOND_NEIGHBOURHOOD_OFFICER_CHANCE else 1
        for _ in range(officers_here):
            officer = planner.officer(
                rank="Officer",
                role=Role.OFFICER,
                focus=rng.choice(people.NEIGHBOURHOOD_BIO_FOCUS),
                area=name,
            )
            planner.assign(officer, code, TeamRole.NEIGHBOURHOOD_OFFICER)
        for offset in range(2):
            sector_officer = sector_officers[(index + offset) % len(sector_officers)]
            planner.assign(sector_officer, code, TeamRole.SECTOR_OFFICER)
        planner.assign(liaison, code, TeamRole.LIAISON_OFFICER)
        planner.assign(supervisor, code, TeamRole.SUPERVISOR)
        if rng.random() < FORMER_OFFICER_CHANCE:
            planner.former(rng.choice(sector_officers), code)


def staff_city(
    *, force: Force, plan: TeamPlan, neighbourhoods: Mapping[str, Neighbourhood]
) -> StaffingResult:
    """Write the officers and assignments of a plan that do not exist yet; change nothing else.

    ``neighbourhoods`` maps the plan's neighbourhood codes to the force's
    neighbourhoods. Call inside a transaction: a failure leaves nothing half-staffed.
    """
    profiles = {
        profile.user.email: profile
        for profile in OfficerProfile.objects.filter(
            user__email__in=[officer.email for officer in plan.officers]
        ).select_related("user")
    }
    officers_created = 0
    for planned in plan.officers:
        if planned.email in profiles:
            continue
        profiles[planned.email] = create_officer(
            email=planned.email,
            full_name=planned.full_name,
            force=force,
            rank=planned.rank,
            bio=planned.bio,
            languages=planned.languages,
            role=planned.role,
            is_senior=planned.is_senior,
            password=planned.password,
        )
        officers_created += 1

    existing = set(
        TeamAssignment.objects.filter(neighbourhood__force=force).values_list(
            "officer_id", "neighbourhood_id", "role", "starts_on"
        )
    )
    assignments_created = 0
    for planned_assignment in plan.assignments:
        officer = profiles[planned_assignment.officer.email]
        neighbourhood = neighbourhoods[planned_assignment.neighbourhood_code]
        key = (officer.pk, neighbourhood.pk, planned_assignment.role, planned_assignment.starts_on)
        if key in existing:
            continue
        assign_officer(
            officer=officer,
            neighbourhood=neighbourhood,
            role=planned_assignment.role,
            starts_on=planned_assignment.starts_on,
            ends_on=planned_assignment.ends_on,
        )
        assignments_created += 1
    return StaffingResult(
        officers_created=officers_created, assignments_created=assignments_created
    )
