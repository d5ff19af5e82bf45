"""Reads for neighbourhood watch: schemes of a neighbourhood, one scheme for a person, its
members, requests and rota.

Pages and the API get a scheme only through ``get_scheme_for`` (404 when the person may
not see it) and a scheme's private parts only through the ``*_for`` helpers (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places.models import Neighbourhood
from beatbridge.watch.models import (
    RUNNING_ROLES,
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSignup,
    RotaSlot,
    Scheme,
    SchemeStatus,
)
from beatbridge.watch.permissions import (
    PUBLIC_STATUSES,
    RUNNING_STATUSES,
    can_manage_roles,
    can_run,
    can_see_members,
    can_see_scheme,
)

_APPROVED = Q(memberships__status=MembershipStatus.APPROVED)


def membership_of(user: Any, scheme: Scheme) -> Membership | None:
    if not (user is not None and user.is_authenticated):
        return None
    return Membership.objects.filter(scheme=scheme, user=user).first()


def runs_scheme(user: Any, scheme: Scheme) -> bool:
    """An approved coordinator or deputy of the scheme."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(
        scheme=scheme, user=user, status=MembershipStatus.APPROVED, role__in=RUNNING_ROLES
    ).exists()


def message_recipient_ids(scheme: Scheme) -> list[int]:
    """The members who receive the scheme's messages."""
    return list(
        Membership.objects.filter(
            scheme=scheme, status=MembershipStatus.APPROVED, receives_messages=True
        ).values_list("user_id", flat=True)
    )


def is_running(scheme: Scheme) -> bool:
    """Active or dormant: a scheme whose members may still be messaged."""
    return scheme.status in RUNNING_STATUSES


def scheme_by_id(pk: int) -> Scheme | None:
    """A scheme named in a request, whoever asks (the caller decides what they may do)."""
    return Scheme.objects.select_related("neighbourhood").filter(pk=pk).first()


def schemes_messageable_by(
    user: Any, neighbourhood_ids: list[int], *, every_scheme: bool = False
) -> list[Scheme]:
    """Running schemes someone may message: those they coordinate or deputise for, and
    those of the neighbourhoods they serve (every running scheme, for administrators)."""
    running = Scheme.objects.filter(status__in=RUNNING_STATUSES)
    if not every_scheme:
        runs = Membership.objects.filter(
            user=user, status=MembershipStatus.APPROVED, role__in=RUNNING_ROLES
        ).values("scheme_id")
        running = running.filter(Q(pk__in=runs) | Q(neighbourhood_id__in=neighbourhood_ids))
    return list(running.select_related("neighbourhood").order_by("neighbourhood__name", "name"))


# --- schemes ------------------------------------------------------------------------------


def _with_counts(schemes: QuerySet[Scheme]) -> QuerySet[Scheme]:
    return schemes.annotate(
        member_count=Count("memberships", filter=_APPROVED, distinct=True),
        request_count=Count(
            "memberships",
            filter=Q(memberships__status=MembershipStatus.REQUESTED),
            distinct=True,
        ),
    )


def _coordinators() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(
            status=MembershipStatus.APPROVED, role=MemberRole.COORDINATOR
        )
        .select_related("user")
        .order_by("requested_at", "pk"),
        to_attr="coordinators",
    )


def public_schemes_of(neighbourhood: Neighbourhood) -> QuerySet[Scheme]:
    """The neighbourhood's running schemes by name, each with ``member_count``."""
    return _with_counts(
        Scheme.objects.filter(neighbourhood=neighbourhood, status__in=PUBLIC_STATUSES)
    ).order_by("name", "pk")


def schemes_for_team(neighbourhood: Neighbourhood) -> QuerySet[Scheme]:
    """Every scheme of the neighbourhood but the declined, proposals first, with counts and
    ``coordinators`` (approved coordinator memberships with their users)."""
    return (
        _with_counts(Scheme.objects.filter(neighbourhood=neighbourhood))
        .exclude(status=SchemeStatus.DECLINED)
        .select_related("proposed_by")
        .prefetch_related(_coordinators())
        .annotate(
            # Proposals waiting first, then running schemes, then closed ones.
            rank=Case(
                When(status=SchemeStatus.PROPOSED, then=Value(0)),
                When(status__in=PUBLIC_STATUSES, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("rank", "name", "pk")
    )


def get_scheme(pk: int) -> Scheme:
    """A scheme with its neighbourhood and force; NotFound if there is none."""
    scheme = Scheme.objects.select_related("neighbourhood__force").filter(pk=pk).first()
    if scheme is None:
        raise NotFound(_("There is no such watch scheme."), field="scheme")
    return scheme


@dataclass(frozen=True)
class SchemeForPerson:
    """A scheme as one person may see it, with their membership (or None)."""

    scheme: Scheme
    membership: Membership | None


def get_scheme_for(user: Any, pk: int) -> SchemeForPerson:
    """A scheme the person may see: running schemes to anyone; a proposal, a declined or a
    closed scheme to its proposer, its people and the team. NotFound for anyone else."""
    scheme = get_scheme(pk)
    membership = membership_of(user, scheme)
    if not can_see_scheme(user, scheme, membership):
        raise NotFound(_("There is no such watch scheme."), field="scheme")
    return SchemeForPerson(scheme, membership)


def get_scheme_for_members(user: Any, pk: int) -> SchemeForPerson:
    """For the members' page: approved members and the team; PermissionDenied for others."""
    found = get_scheme_for(user, pk)
    if not can_see_members(user, found.scheme, found.membership):
        raise PermissionDenied(_("Only the scheme's members may see this page."))
    return found


def get_scheme_to_run(user: Any, pk: int) -> SchemeForPerson:
    """For coordinators' and deputies' pages; PermissionDenied for anyone else."""
    found = get_scheme_for(user, pk)
    if not can_run(user, found.scheme, found.membership):
        raise PermissionDenied(_("Only the scheme's coordinators may do this."))
    return found


def get_scheme_for_roles(user: Any, pk: int) -> SchemeForPerson:
    """For the roles page: coordinators and the team; PermissionDenied for anyone else."""
    found = get_scheme_for(user, pk)
    if not can_manage_roles(user, found.scheme, found.membership):
        raise PermissionDenied(_("Only the scheme's coordinators may change roles."))
    return found


def member_count(scheme: Scheme) -> int:
    return Membership.objects.filter(scheme=scheme, status=MembershipStatus.APPROVED).count()


def schemes_of_person(user: Any) -> QuerySet[Membership]:
    """The person's memberships that are current or waiting, with their schemes."""
    return (
        Membership.objects.filter(
            user=user, status__in=[MembershipStatus.APPROVED, MembershipStatus.REQUESTED]
        )
        .select_related("scheme__neighbourhood__force")
        .order_by("scheme__name", "pk")
    )


# --- members ------------------------------------------------------------------------------


def members_of(scheme: Scheme) -> QuerySet[Membership]:
    """Approved members, coordinators first, with their users."""
    return (
        Membership.objects.filter(scheme=scheme, status=MembershipStatus.APPROVED)
        .select_related("user")
        .annotate(
            rank=Case(
                When(role=MemberRole.COORDINATOR, then=Value(0)),
                When(role=MemberRole.DEPUTY, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("rank", "requested_at", "pk")
    )


def requests_to_join(scheme: Scheme) -> QuerySet[Membership]:
    """Requests waiting for a coordinator, oldest first."""
    return (
        Membership.objects.filter(scheme=scheme, status=MembershipStatus.REQUESTED)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def get_membership(scheme: Scheme, membership_id: int) -> Membership:
    """A membership of this scheme; NotFound for one of another scheme or none."""
    membership = (
        Membership.objects.select_related("user", "scheme__neighbourhood__force")
        .filter(pk=membership_id, scheme=scheme)
        .first()
    )
    if membership is None:
        raise NotFound(_("There is no such member of this scheme."), field="membership")
    return membership


# --- rota ---------------------------------------------------------------------------------


def upcoming_rota(scheme: Scheme, membership: Membership | None = None) -> QuerySet[RotaSlot]:
    """Slots not yet over and not cancelled, soonest first, with ``taken`` (sign-ups), the
    sign-ups with their members' users, and ``is_mine`` for ``membership``."""
    slots = (
        RotaSlot.objects.filter(
            scheme=scheme, ends_at__gt=timezone.now(), cancelled_at__isnull=True
        )
        .annotate(taken=Count("signups", distinct=True))
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=RotaSignup.objects.select_related("member__user").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("starts_at", "pk")
    )
    if membership is None:
        return slots.annotate(is_mine=Value(False))
    return slots.annotate(
        is_mine=Exists(RotaSignup.objects.filter(slot=OuterRef("pk"), member=membership))
    )


def get_slot(scheme: Scheme, slot_id: int) -> RotaSlot:
    """A rota slot of this scheme; NotFound for a slot of another scheme or none."""
    slot = RotaSlot.objects.filter(pk=slot_id, scheme=scheme).first()
    if slot is None:
        raise NotFound(_("There is no such rota slot."), field="slot")
    return slot


# --- the team's export --------------------------------------------------------------------


def export_rows(neighbourhood: Neighbourhood) -> QuerySet[Scheme]:
    """Every scheme of the neighbourhood for the CSV export, with counts and coordinators."""
    return (
        _with_counts(Scheme.objects.filter(neighbourhood=neighbourhood))
        .annotate(
            upcoming_slot_count=Count(
                "rota_slots",
                filter=Q(
                    rota_slots__starts_at__gt=timezone.now(),
                    rota_slots__cancelled_at__isnull=True,
                ),
                distinct=True,
            )
        )
        .prefetch_related(_coordinators())
        .order_by("name", "pk")
    )
