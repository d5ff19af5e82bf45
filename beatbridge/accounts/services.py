"""Writes for people: accounts, officers, team assignments, roles and sign-in limits.

Every function takes keyword arguments, runs in one transaction and raises
``DomainError`` naming the field at fault, leaving nothing half-written.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from beatbridge.accounts.models import (
    POLICE_ROLES,
    OfficerProfile,
    Role,
    TeamAssignment,
    TeamRole,
    User,
)
from beatbridge.accounts.permissions import can_grant_roles
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.places.services import mark_public_content_changed
from beatbridge.web.languages import clean_language_codes

logger = logging.getLogger(__name__)

_FULL_NAME_MAX = User._meta.get_field("full_name").max_length or 150


class TooManySignInAttempts(DomainError):
    status = 429
    default_code = "too_many_attempts"


# --- accounts -------------------------------------------------------------------------------


def normalise_new_email(email: str, *, user_id: int | None = None) -> str:
    """An account's e-mail as stored (lower case); DomainError on "email" if invalid or taken.

    Addresses differing only in case belong to one person. ``user_id`` names the
    account being changed, which may keep its own address.
    """
    cleaned = (email or "").strip().lower()
    try:
        validate_email(cleaned)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    if User.objects.filter(email__iexact=cleaned).exclude(pk=user_id).exists():
        raise DomainError(
            _("An account with this e-mail address already exists."),
            field="email",
            code="duplicate",
        )
    return cleaned


def _clean_full_name(full_name: str, *, required: bool = False) -> str:
    cleaned = " ".join((full_name or "").split())
    if required and not cleaned:
        raise DomainError(_("Enter a name."), field="full_name", code="required")
    if len(cleaned) > _FULL_NAME_MAX:
        raise DomainError(
            _("Use at most %(count)d characters.") % {"count": _FULL_NAME_MAX},
            field="full_name",
        )
    return cleaned


def _clean_preferred_language(language: str) -> str:
    if language and language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose one of the languages offered."), field="preferred_language")
    return language or ""


def _check_password(password: str, user: User) -> None:
    """Django's password validators, their messages joined on the "password" field."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from None


@transaction.atomic
def register_resident(
    *,
    email: str,
    password: str,
    full_name: str = "",
    preferred_language: str = "",
    home_neighbourhood: Neighbourhood | None = None,
) -> User:
    """A new resident account, the only role anyone may choose for themselves.

    The e-mail must be valid and not yet used (ignoring case); the password must
    pass the configured validators. Staff roles are granted later by an
    administrator (``grant_role``).
    """
    user = User(
        email=normalise_new_email(email),
        full_name=_clean_full_name(full_name),
        role=Role.RESIDENT,
        preferred_language=_clean_preferred_language(preferred_language),
        home_neighbourhood=home_neighbourhood,
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    logger.info("Resident account %s registered", user.pk)
    return user


@transaction.atomic
def create_officer(
    *,
    email: str,
    full_name: str,
    force: Force,
    rank: str,
    bio: str = "",
    languages: list[str] | None = None,
    role: str = Role.OFFICER,
    is_senior: bool = False,
    password: str | None = None,
    display_name: str | None = None,
) -> OfficerProfile:
    """An officer's account (with a police role) and their public profile, together.

    ``role`` must be a police role. Without a password the account cannot sign in
    until a password reset. ``display_name`` (the public name) defaults to the
    full name. ``languages`` are language codes; duplicates are dropped.
    """
    if role not in POLICE_ROLES:
        raise DomainError(_("Choose a police role."), field="role")
    user = User(
        email=normalise_new_email(email),
        full_name=_clean_full_name(full_name, required=True),
        role=role,
    )
    public_name = " ".join((display_name or user.full_name).split())
    if not public_name:
        raise DomainError(_("Enter a public name."), field="display_name", code="required")
    if password is None:
        user.set_unusable_password()
    else:
        _check_password(password, user)
        user.set_password(password)
    user.save()
    officer = OfficerProfile.objects.create(
        user=user,
        force=force,
        display_name=public_name,
        rank=rank.strip(),
        bio=bio.strip(),
        languages=clean_language_codes(languages),
        is_senior=is_senior,
    )
    mark_public_content_changed()
    logger.info("Officer profile %s created for account %s", officer.pk, user.pk)
    return officer


@transaction.atomic
def update_profile(
    *,
    user: User,
    full_name: str,
    preferred_language: str,
    home_neighbourhood: Neighbourhood | None,
) -> User:
    """Change what a person may change about themselves: name, language, home neighbourhood."""
    # Check everything before changing anything, so a refusal leaves the user as it was.
    cleaned_name = _clean_full_name(full_name)
    cleaned_language = _clean_preferred_language(preferred_language)
    user.full_name, user.preferred_language = cleaned_name, cleaned_language
    user.home_neighbourhood = home_neighbourhood
    user.save(update_fields=["full_name", "preferred_language", "home_neighbourhood"])
    return user


@transaction.atomic
def remember_language(*, user: User, language: str) -> User:
    """Keep the language a signed-in person picked, so it follows them to every device."""
    user.preferred_language = _clean_preferred_language(language)
    user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def grant_role(*, user: User, role: str, granted_by: User) -> User:
    """Give a person a role. Only an administrator may, and never to themselves.

    Administrators get the admin site; any other role loses it (superusers keep it).
    """
    if not can_grant_roles(granted_by):
        raise PermissionDenied(_("Only an administrator may grant roles."), field="role")
    if granted_by.pk == user.pk:
        raise PermissionDenied(_("You cannot change your own role."), field="user")
    if role not in Role.values:
        raise DomainError(_("Choose one of the roles offered."), field="role")
    user.role = role
    # An administrator manages everything in the admin; any other role has no admin access.
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    logger.info("Account %s granted the role %s by account %s", user.pk, role, granted_by.pk)
    return user


# --- team assignments -----------------------------------------------------------------------


def check_assignment(
    *,
    officer: OfficerProfile,
    neighbourhood: Neighbourhood,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    assignment_id: int | None = None,
) -> None:
    """The rules every team assignment keeps, wherever it is written (services, admin).

    The role must be a team role; the officer must belong to the neighbourhood's
    force; it may not end before it starts; and it may not overlap another
    assignment of the same officer to the same neighbourhood in the same role
    (``assignment_id`` names the assignment being changed, so it is not compared
    with itself).
    """
    if role not in TeamRole.values:
        raise DomainError(_("Choose one of the team roles offered."), field="role")
    if officer.force_id != neighbourhood.force_id:
        raise DomainError(
            _("This neighbourhood belongs to another force than the officer's."),
            field="neighbourhood",
        )
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end date must not be before the start date."), field="ends_on")
    if officer.pk is None:
        return
    overlapping = TeamAssignment.objects.filter(
        officer=officer, neighbourhood=neighbourhood, role=role
    ).exclude(ends_on__lt=starts_on)
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if assignment_id is not None:
        overlapping = overlapping.exclude(pk=assignment_id)
    clash = overlapping.order_by("starts_on").first()
    if clash is not None:
        raise DomainError(
            _(
                "This officer already serves this neighbourhood in this role from %(start)s; "
                "end that assignment first or choose other dates."
            )
            % {"start": clash.starts_on.isoformat()},
            field="starts_on",
            code="overlap",
        )


@transaction.atomic
def assign_officer(
    *,
    officer: OfficerProfile,
    neighbourhood: Neighbourhood,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> TeamAssignment:
    """Put an officer on a neighbourhood's team in a role, from a date (open-ended by default).

    Rules as in ``check_assignment``.
    """
    # Serialise assignments of one officer so two concurrent writes cannot both pass the
    # overlap check.
    OfficerProfile.objects.select_for_update().filter(pk=officer.pk).first()
    check_assignment(
        officer=officer,
        neighbourhood=neighbourhood,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    assignment = TeamAssignment.objects.create(
        officer=officer,
        neighbourhood=neighbourhood,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    mark_public_content_changed()
    logger.info("Officer %s assigned to neighbourhood %s", officer.pk, neighbourhood.pk)
    return assignment


@transaction.atomic
def end_assignment(*, assignment: TeamAssignment, ends_on: datetime.date) -> TeamAssignment:
    """Close an assignment on a day (its last day of service); the record is kept as history."""
    OfficerProfile.objects.select_for_update().filter(pk=assignment.officer_id).first()
    check_assignment(
        officer=assignment.officer,
        neighbourhood=assignment.neighbourhood,
        role=assignment.role,
        starts_on=assignment.starts_on,
        ends_on=ends_on,
        assignment_id=assignment.pk,
    )
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    mark_public_content_changed()
    return assignment


# --- sign-in ------------------------------------------------------------------------------


def _attempt_keys(*, email: str, client_address: str | None) -> list[str]:
    """Cache keys for the counters; e-mails and addresses are hashed, never stored as given."""
    keys = [f"sign-in:email:{salted_hmac('sign-in-email', email).hexdigest()}"]
    if client_address:
        keys.append(f"sign-in:client:{salted_hmac('sign-in-client', client_address).hexdigest()}")
    return keys


def _failures(key: str, now: float) -> int:
    """Failures counted under a key in its current window (0 once the window has passed)."""
    started = cache.get(f"{key}:start")
    if started is None or now >= started + settings.LOGIN_ATTEMPT_WINDOW_SECONDS:
        return 0
    return int(cache.get(f"{key}:{started}", 0))


def _record_failure(key: str, now: float) -> None:
    window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
    # The first failure opens the window; add() keeps a concurrent failure from reopening it.
    cache.add(f"{key}:start", now, timeout=window)
    started = cache.get(f"{key}:start", now)
    count_key = f"{key}:{started}"
    cache.add(count_key, 0, timeout=window)
    cache.incr(count_key)
    # Some backends restart an entry's expiry on incr; the window runs from its first failure.
    cache.touch(count_key, timeout=max(1, int(started + window - now)))


def sign_in(
    *, request: HttpRequest | None, email: str, password: str, client_address: str | None
) -> User:
    """Check an e-mail and password, refusing further tries after too many failures.

    After ``LOGIN_ATTEMPT_LIMIT`` failures for an e-mail address, or from one client
    address, within ``LOGIN_ATTEMPT_WINDOW_SECONDS``, every attempt is refused
    (``TooManySignInAttempts``, HTTP 429) until the window passes, even with the
    right password. A success clears the e-mail's counter. Addresses are kept
    only as keyed hashes. Does not start a session: the caller logs the user in.
    """
    email = (email or "").strip().lower()
    keys = _attempt_keys(email=email, client_address=client_address)
    now = time.time()
    if any(_failures(key, now) >= settings.LOGIN_ATTEMPT_LIMIT for key in keys):
        logger.warning("Sign-in refused: too many failed attempts")
        raise TooManySignInAttempts(
            _("Too many failed sign-in attempts. Please wait a few minutes and try again."),
            field="email",
        )
    user = authenticate(request, email=email, password=password)
    if user is None:
        for key in keys:
            _record_failure(key, now)
        raise DomainError(
            _("Enter a correct e-mail address and password. Both may be case-sensitive."),
            code="invalid_login",
        )
    email_key = keys[0]
    started = cache.get(f"{email_key}:start")
    cache.delete_many([f"{email_key}:start", f"{email_key}:{started}"])
    return user  # type: ignore[return-value]
