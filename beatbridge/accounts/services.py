"""Writes for people: accounts, officers, team assignments, roles and sign-in limits.

Every function takes keyword arguments, runs in one transaction and raises
``DomainError`` naming the field at fault, leaving nothing half-written.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from beatbridge import limits
from beatbridge.accounts.models import (
    POLICE_ROLES,
    OfficerProfile,
    Role,
    TeamAssignment,
    TeamRole,
    User,
)
from beatbridge.accounts.permissions import can_grant_roles, is_administrator
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.models import Force, Neighbourhood
from beatbridge.places.services import mark_public_content_changed
from beatbridge.web.languages import clean_language_codes

logger = logging.getLogger(__name__)

_FULL_NAME_MAX = User._meta.get_field("full_name").max_length or 150


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
    client_address: str | None = None,
) -> User:
    """A new resident account, the only role anyone may choose for themselves.

    The e-mail must be valid and not yet used (ignoring case); the password must
    pass the configured validators. Staff roles are granted later by an
    administrator (``grant_role``). ``client_address`` is the web client signing up
    (see ``sign_in``): every attempt from it counts, successful or not, so the form
    cannot be used to probe many e-mails for an account, and a client that tried too
    often in the window is refused (``TooManyRequests``, HTTP 429). Accounts made
    without a web request (the demo) pass None and are not counted.
    """
    if client_address is not None:
        counters = [
            _counter("sign-up", "client", SIGN_UP_CLIENT_CEILING, limits.client_of(client_address))
        ]
        limits.refuse_over_limit(
            counters,
            message=_(
                "Too many sign-ups from your network. Please wait a few minutes and try again."
            ),
            field=None,
        )
        limits.count_attempt(counters)
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


def make_partner_member(*, user: User, by: User) -> User:
    """A resident who now acts for a partner organisation gets the partner role.

    The police who add them as a contact may do this (administrators too); it never
    raises anyone above a resident's reach, and leaves every other role alone.
    """
    if not (is_administrator(by) or (by.is_active and by.is_police)):
        raise PermissionDenied(_("Only the police or an administrator may do this."))
    if user.role != Role.RESIDENT:
        return user
    user.role = Role.PARTNER
    user.save(update_fields=["role"])
    logger.info("Account %s became a partner member, by account %s", user.pk, by.pk)
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


# --- rate limits ----------------------------------------------------------------------------

# Ceilings per window of LOGIN_ATTEMPT_WINDOW_SECONDS, as multiples of LOGIN_ATTEMPT_LIMIT so
# that one setting tunes them all. Sign-in failures count per e-mail and client together, so a
# stranger's failures never lock a person out; the wider sign-in ceilings stop a guesser who
# spreads over many clients (per e-mail) or tries many e-mails from one (per client).
SIGN_IN_EMAIL_CEILING = 10
SIGN_IN_CLIENT_CEILING = 4
SIGN_UP_CLIENT_CEILING = 2
# Every reset request may send a mail: the per-e-mail ceiling stops anyone flooding an inbox.
PASSWORD_RESET_EMAIL_CEILING = 1
PASSWORD_RESET_CLIENT_CEILING = 2


def _counter(action: str, scope: str, times: int, *values: str) -> limits.Counter:
    """A counter whose ceiling is ``times`` LOGIN_ATTEMPT_LIMIT, so one setting tunes them all."""
    return limits.counter(action, scope, settings.LOGIN_ATTEMPT_LIMIT * times, *values)


def count_password_reset(*, email: str, client_address: str | None) -> None:
    """Count a request for a password reset mail, refusing it once the e-mail or client has
    asked too often (TooManyRequests, HTTP 429).

    Requests count whether or not an account has the e-mail, and the refusal is the same.
    """
    counters = [
        _counter(
            "password-reset", "email", PASSWORD_RESET_EMAIL_CEILING, (email or "").strip().lower()
        ),
        _counter(
            "password-reset",
            "client",
            PASSWORD_RESET_CLIENT_CEILING,
            limits.client_of(client_address),
        ),
    ]
    limits.refuse_over_limit(
        counters,
        message=_(
            "Too many password reset requests. Please wait a few minutes and try again, "
            "and check your inbox: a link may already be on its way."
        ),
        field="email",
    )
    limits.count_attempt(counters)


def sign_in(
    *, request: HttpRequest | None, email: str, password: str, client_address: str | None
) -> User:
    """Check an e-mail and password, refusing further tries after too many failures.

    Failures count per window of ``LOGIN_ATTEMPT_WINDOW_SECONDS``. Once an e-mail has
    failed ``LOGIN_ATTEMPT_LIMIT`` times from one client, that e-mail is refused to that
    client until the window passes, even with the right password
    (``TooManyRequests``, HTTP 429); other clients may still sign in with it. Two wider
    ceilings (see ``SIGN_IN_EMAIL_CEILING`` and ``SIGN_IN_CLIENT_CEILING``) refuse an
    e-mail to every client, and a client every e-mail. Unknown e-mails count like known
    ones and every refusal reads the same, so none tells whether an account exists. A
    success clears the count of its e-mail and client. Does not start a session: the
    caller logs the user in.
    """
    email = (email or "").strip().lower()
    client = limits.client_of(client_address)
    pair = _counter("sign-in", "pair", 1, email, client)
    counters = [
        pair,
        _counter("sign-in", "email", SIGN_IN_EMAIL_CEILING, email),
        _counter("sign-in", "client", SIGN_IN_CLIENT_CEILING, client),
    ]
    limits.refuse_over_limit(
        counters,
        message=_("Too many failed sign-in attempts. Please wait a few minutes and try again."),
        field="email",
    )
    user = authenticate(request, email=email, password=password)
    if user is None:
        limits.count_attempt(counters)
        raise DomainError(
            _("Enter a correct e-mail address and password. Both may be case-sensitive."),
            code="invalid_login",
        )
    limits.clear(pair)
    return user  # type: ignore[return-value]
