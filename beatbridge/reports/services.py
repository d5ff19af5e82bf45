"""Writes for reports: submitting, following up, and every step of triage.

Each function takes keyword arguments, runs in one transaction, writes the report's
history (``ReportUpdate``) and, for staff actions, an audit entry in that same
transaction, and queues the reporter's notification to go out after commit. Bad
input raises ``DomainError`` naming the field; nothing is half-written.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import json
import math
import random
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from beatbridge import limits
from beatbridge.accounts.models import User
from beatbridge.audit.services import record as audit
from beatbridge.errors import Conflict, DomainError, NotFound, PermissionDenied
from beatbridge.notify import delivery
from beatbridge.places.models import Neighbourhood
from beatbridge.places.selectors import locate_neighbourhood_ref
from beatbridge.reports import guardrail, photos
from beatbridge.reports.models import (
    CLOSED_STATUSES,
    Category,
    CategoryKind,
    CategoryQuestion,
    GuardrailTrigger,
    NotificationEvent,
    Priority,
    QuestionType,
    Report,
    ReporterNotification,
    ReportKind,
    ReportPhoto,
    ReportUpdate,
    Status,
    UpdateKind,
)
from beatbridge.reports.permissions import can_assign_to, can_triage_report
from beatbridge.web.languages import clean_language_codes
from beatbridge.web.validation import clean_text

# The public sees a report's place as the centre of a cell about this many metres across.
PUBLIC_GRID_METRES = 150
_METRES_PER_DEGREE = 111_320
_DESCRIPTION_MAX = 5000
_ANSWER_MAX = 1000
# Unambiguous characters for codes people read aloud or type from paper (no 0/O, 1/I/L).
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class SubmissionResult:
    report: Report
    # Only for anonymous submissions: shown once, needed to follow the report up.
    follow_up_code: str | None
    # False when the submission key was seen before: a retry, not a new report.
    created: bool


@dataclass
class Place:
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    # Where the reporter came from (a neighbourhood page) when they gave no point.
    neighbourhood: Neighbourhood | None = None


@dataclass
class SuspiciousActivity:
    behaviour: str = ""
    seen_at: str = ""
    direction: str = ""
    vehicle: str = ""


@dataclass
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class _Cleaned:
    neighbourhood: Neighbourhood | None
    latitude: float | None
    longitude: float | None
    address: str
    details: dict[str, str] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)


# --- codes and keys -----------------------------------------------------------------------


def random_code(length: int, *, rng: random.Random | None = None) -> str:
    """A code of unambiguous characters: random from the system's source unless ``rng`` is given
    (the demo city passes a seeded one, to come out the same every time)."""
    choose = rng.choice if rng is not None else secrets.choice
    return "".join(choose(_CODE_ALPHABET) for _ in range(length))


def normalise_follow_up_code(code: str) -> str:
    """What the tipster typed, without spaces, dashes or case: what the hash is made from."""
    return "".join(char for char in (code or "").upper() if char.isalnum())


def hash_follow_up_code(code: str) -> str:
    return hashlib.sha256(normalise_follow_up_code(code).encode()).hexdigest()


def _follow_up_code_for(submission_key: str) -> str:
    """The follow-up code of a submission, derived so a retried submission shows the same code.

    Only its hash is stored; the key is known only to the submitter's browser or app.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"follow-up:{submission_key}".encode(), hashlib.sha256
    ).digest()
    characters = [_CODE_ALPHABET[byte % len(_CODE_ALPHABET)] for byte in digest[:16]]
    return "-".join("".join(characters[start : start + 4]) for start in range(0, 16, 4))


def _submission_key(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()


def _fingerprint(payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def public_point(latitude: float, longitude: float) -> tuple[float, float]:
    """The centre of the grid cell holding a point: what the public sees instead of the point."""
    lat_step = PUBLIC_GRID_METRES / _METRES_PER_DEGREE
    row = math.floor(latitude / lat_step)
    centre_latitude = (row + 0.5) * lat_step
    # Cells keep their width in metres away from the equator; the row fixes the scale.
    lng_step = lat_step / max(math.cos(math.radians(centre_latitude)), 0.01)
    column = math.floor(longitude / lng_step)
    return round(centre_latitude, 6), round((column + 0.5) * lng_step, 6)


# --- validation ---------------------------------------------------------------------------


def _clean_place(place: Place, *, category: Category) -> _Cleaned:
    """A point inside the force's area, or an address; the neighbourhood follows from the point."""
    address = clean_text(
        place.address, field="address", required=False, max_length=300, label=_("the address")
    )
    if (place.latitude is None) != (place.longitude is None):
        raise DomainError(
            _("Give both the latitude and the longitude, or neither."),
            field="latitude" if place.latitude is None else "longitude",
        )
    if place.latitude is None or place.longitude is None:
        if not address:
            raise DomainError(
                _(
                    "Tell us where: put a pin on the map, use your location, "
                    "or give an address or landmark."
                ),
                field="location",
                code="required",
            )
        neighbourhood = place.neighbourhood
        if neighbourhood is not None and neighbourhood.force_id != category.force_id:
            neighbourhood = None
        return _Cleaned(neighbourhood, None, None, address)
    latitude, longitude = float(place.latitude), float(place.longitude)
    if not (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    ):
        raise DomainError(_("That place is not on the map."), field="location")
    ref = locate_neighbourhood_ref(latitude, longitude)
    if ref is None or ref.force_id != category.force_id:
        raise DomainError(
            _("That place is outside the area this service covers."),
            field="location",
            code="outside_area",
        )
    neighbourhood = Neighbourhood.objects.get(pk=ref.id)
    return _Cleaned(neighbourhood, latitude, longitude, address)


def _clean_answer(question: CategoryQuestion, value: Any, field: str) -> Any:
    if question.datatype == QuestionType.MULTIPLE_CHOICE:
        values = [value] if isinstance(value, str) else list(value or [])
        values = [str(item).strip() for item in values if str(item).strip()]
    else:
        items = value if isinstance(value, (list, tuple)) else [value]
        values = [str(item).strip() for item in items if item is not None and str(item).strip()]
        if len(values) > 1:
            raise DomainError(
                _("Give one answer for “%(question)s”.")
                % {"question": question.translated("prompt")},
                field=field,
            )
    if not values:
        if question.required:
            raise DomainError(
                _("Answer the question “%(question)s”.")
                % {"question": question.translated("prompt")},
                field=field,
                code="required",
            )
        return None
    keys = {choice["key"] for choice in question.choices}
    if question.datatype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        unknown = [item for item in values if item not in keys]
        if unknown:
            raise DomainError(
                _("“%(value)s” is not one of the choices for “%(question)s”.")
                % {"value": unknown[0][:50], "question": question.translated("prompt")},
                field=field,
            )
        if question.datatype == QuestionType.SINGLE_CHOICE:
            return values[0]
        return sorted(set(values))
    answer = values[0]
    if len(answer) > _ANSWER_MAX:
        raise DomainError(
            _("The answer to “%(question)s” is too long: at most %(max)d characters.")
            % {"question": question.translated("prompt"), "max": _ANSWER_MAX},
            field=field,
            code="too_long",
        )
    if question.datatype == QuestionType.NUMBER:
        try:
            number = Decimal(answer)
        except InvalidOperation:
            number = None
        # A bounded exponent: "1e1000000" would take the server half a minute to expand.
        if number is None or not number.is_finite() or abs(number.adjusted()) > 15:
            raise DomainError(
                _("Give a number for “%(question)s”.")
                % {"question": question.translated("prompt")},
                field=field,
            )
        return float(number) if number != number.to_integral_value() else int(number)
    if question.datatype == QuestionType.DATETIME:
        try:
            moment = parse_datetime(answer)
        except ValueError:  # shaped like a date-time but impossible, e.g. 2026-02-30
            moment = None
        if moment is None:
            try:
                moment = datetime.datetime.combine(
                    datetime.date.fromisoformat(answer), datetime.time()
                )
            except ValueError:
                moment = None
        if moment is None:
            raise DomainError(
                _("Give a date (and time) like 2026-05-31 14:30 for “%(question)s”.")
                % {"question": question.translated("prompt")},
                field=field,
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.isoformat()
    return answer


def clean_answers(category: Category, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """Answers to the category's questions by code, validated by datatype.

    A bad answer names its field as Open311 does: ``attribute[code]``. Answers to
    questions the category does not ask are refused, so nothing is silently dropped.
    """
    answers = dict(answers or {})
    questions = list(category.questions.all())
    known = {question.code for question in questions}
    unknown = sorted(code for code in answers if code not in known)
    if unknown:
        raise DomainError(
            _("This category has no question “%(code)s”.") % {"code": unknown[0][:64]},
            field=f"attribute[{unknown[0][:64]}]",
        )
    cleaned = {}
    for question in questions:
        value = _clean_answer(question, answers.get(question.code), f"attribute[{question.code}]")
        if value is not None:
            cleaned[question.code] = value
    return cleaned


def _clean_suspicious(activity: SuspiciousActivity, *, description: str, language: str) -> dict:
    labels = {
        "behaviour": _("what the person did"),
        "seen_at": _("when it happened"),
        "direction": _("the direction they went"),
        "vehicle": _("the vehicle"),
    }
    details = {
        name: clean_text(
            getattr(activity, name), field=name, required=False, max_length=1000, label=label
        )
        for name, label in labels.items()
    }
    result = guardrail.check_suspicious_activity(
        behaviour=details["behaviour"],
        description=description,
        vehicle=details["vehicle"],
        direction=details["direction"],
    )
    if not result.passed:
        _count_guardrail_trigger(result.rule, language)
        raise DomainError(result.message, field=result.field, code=f"guardrail_{result.rule}")
    return {name: value for name, value in details.items() if value}


def _count_guardrail_trigger(rule: str, language: str) -> None:
    # Runs before the submission's transaction opens: the count stays though the report is refused.
    GuardrailTrigger.objects.create(rule=rule, language=language[:16])


def _clean_contact(contact: Contact | None, *, kind: str, reporter: User | None) -> Contact:
    contact = contact or Contact()
    if kind == ReportKind.TIP:
        if reporter is not None or contact.name or contact.email or contact.phone:
            raise DomainError(
                _(
                    "An anonymous tip carries no name or contact details. "
                    "Leave them out, or make a report instead."
                ),
                field="contact",
            )
        return Contact()
    email = (contact.email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    return Contact(
        name=clean_text(
            contact.name, field="name", required=False, max_length=150, label=_("your name")
        ),
        email=email,
        phone=clean_text(
            contact.phone,
            field="phone",
            required=False,
            max_length=40,
            label=_("your telephone number"),
        ),
    )


def _clean_language(language: str) -> str:
    if not language:
        return ""
    codes = {code for code, _name in settings.LANGUAGES}
    language = language.split("-")[0].lower()
    return language if language in codes else ""


# --- submitting ---------------------------------------------------------------------------


def submit_report(
    *,
    kind: str,
    category: Category,
    description: str,
    place: Place,
    source: str,
    reporter: User | None = None,
    suspicious_activity: SuspiciousActivity | None = None,
    answers: Mapping[str, Any] | None = None,
    uploads: Sequence[Any] = (),
    is_private: bool = False,
    contact: Contact | None = None,
    language: str = "",
    submission_key: str = "",
    submitter_scope: str = "",
    client_address: str | None = None,
) -> SubmissionResult:
    """File a concern, a suspicious-activity report or an anonymous tip, photos included.

    ``submission_key`` is the client's idempotency key: the same key from the same
    submitter (``submitter_scope``: an account, an API client, or anonymous) returns
    the report it made the first time instead of a second one. The same key with a
    different payload is refused. Anonymous submissions get a follow-up code; only
    its hash is kept. A tip keeps no account, name or contact, and nothing here
    stores the client's address or software. Given ``client_address`` (pages and the
    API; Open311 clients have keys instead), a client may make
    ``REPORT_SUBMISSIONS_PER_HOUR`` new reports an hour: counted under a keyed hash,
    never beside a report.
    """
    if kind not in ReportKind.values:
        raise DomainError(_("Choose what kind of report this is."), field="kind")
    if kind == ReportKind.TIP:
        reporter = None
    uploads = list(uploads)

    # A retry is recognised before anything is checked again, so it gets the report it made
    # even if the category or the boundaries have changed in between.
    scope = f"user:{reporter.pk}" if reporter is not None else (submitter_scope or "anonymous")
    key_given = (submission_key or "").strip()
    if len(key_given) > 200:
        raise DomainError(_("The submission key is too long."), field="submission_key")
    stored_key = _submission_key(scope, key_given or uuid.uuid4().hex)
    fingerprint = _fingerprint(
        {
            "kind": kind,
            "category": category.pk,
            "description": (description or "").strip(),
            "place": [place.latitude, place.longitude, (place.address or "").strip()],
            "activity": dataclasses.asdict(suspicious_activity) if suspicious_activity else None,
            "answers": dict(answers or {}),
            "photos": [_digest(upload) for upload in uploads],
        }
    )
    follow_up_code = _follow_up_code_for(stored_key) if reporter is None else None
    existing = Report.staff_objects.filter(submission_key=stored_key).first()
    if existing is not None:
        return _replayed(existing, fingerprint, follow_up_code)

    submissions = (
        [
            limits.counter(
                "report",
                "client",
                settings.REPORT_SUBMISSIONS_PER_HOUR,
                limits.client_of(client_address),
                window_seconds=3600,
            )
        ]
        if client_address is not None
        else []
    )
    limits.refuse_over_limit(
        submissions,
        message=_(
            "Too many reports were sent from here in the last hour. Please wait and try "
            "again, or call the non-emergency number."
        ),
        field=None,
    )
    if not category.is_active:
        raise DomainError(_("This category no longer takes reports."), field="category")
    if kind == ReportKind.SUSPICIOUS_ACTIVITY and category.kind != CategoryKind.SUSPICIOUS_ACTIVITY:
        raise DomainError(_("Choose a suspicious-activity category."), field="category")
    if kind == ReportKind.CONCERN and category.kind == CategoryKind.SUSPICIOUS_ACTIVITY:
        kind = ReportKind.SUSPICIOUS_ACTIVITY
    # A tip keeps nothing that could point to its sender, not even the language of the page.
    language = "" if kind == ReportKind.TIP else _clean_language(language)
    description = clean_text(
        description,
        field="description",
        required=True,
        max_length=_DESCRIPTION_MAX,
        label=_("a description"),
    )
    cleaned = _clean_place(place, category=category)
    # Tips in a suspicious-activity category are held to the same rule as reports.
    if category.kind == CategoryKind.SUSPICIOUS_ACTIVITY:
        cleaned.details = _clean_suspicious(
            suspicious_activity or SuspiciousActivity(), description=description, language=language
        )
    cleaned.answers = clean_answers(category, answers)
    contact = _clean_contact(contact, kind=kind, reporter=reporter)
    clean_uploads = photos.clean_photos(uploads)

    saved_files: list[str] = []
    try:
        with transaction.atomic():
            report = _create_report(
                kind=kind,
                category=category,
                description=description,
                cleaned=cleaned,
                source=source,
                reporter=reporter,
                is_private=is_private,
                contact=contact,
                language=language,
                stored_key=stored_key,
                fingerprint=fingerprint,
                follow_up_code=follow_up_code,
            )
            _attach_photos(report, clean_uploads, saved_files)
    except IntegrityError:
        _delete_files(saved_files)
        # Another request with the same key won the race: answer as a retry.
        existing = Report.staff_objects.filter(submission_key=stored_key).first()
        if existing is None:
            raise
        return _replayed(existing, fingerprint, follow_up_code)
    except BaseException:
        _delete_files(saved_files)
        raise
    limits.count_attempt(submissions)
    return SubmissionResult(report=report, follow_up_code=follow_up_code, created=True)


def _digest(upload: Any) -> str:
    """A hash of an upload's bytes as sent, read in chunks and rewound for the photo checks."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _replayed(report: Report, fingerprint: str, follow_up_code: str | None) -> SubmissionResult:
    if report.submission_fingerprint != fingerprint:
        raise Conflict(
            _(
                "This submission key was already used for a different report. "
                "Use a new key for a new report."
            ),
            field="submission_key",
            code="submission_key_reused",
        )
    return SubmissionResult(report=report, follow_up_code=follow_up_code, created=False)


def _attach_photos(report: Report, clean: Sequence[photos.CleanPhoto], saved: list[str]) -> None:
    """Store cleaned photos with the report, noting each file so a rollback can remove it."""
    for photo in clean:
        row = ReportPhoto.objects.create(
            report=report,
            image=ContentFile(photo.content, name=f"{uuid.uuid4().hex}.{photo.extension}"),
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
        )
        saved.append(row.image.name)


def _delete_files(names: Iterable[str]) -> None:
    storage = ReportPhoto._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


def _create_report(
    *,
    kind: str,
    category: Category,
    description: str,
    cleaned: _Cleaned,
    source: str,
    reporter: User | None,
    is_private: bool,
    contact: Contact,
    language: str,
    stored_key: str,
    fingerprint: str,
    follow_up_code: str | None,
) -> Report:
    public_latitude = public_longitude = None
    if cleaned.latitude is not None and cleaned.longitude is not None:
        public_latitude, public_longitude = public_point(cleaned.latitude, cleaned.longitude)
    now = timezone.now()
    for _attempt in range(5):
        reference = random_code(8)
        if not Report.staff_objects.filter(reference=reference).exists():
            break
    return Report.staff_objects.create(
        reference=reference,
        kind=kind,
        force_id=category.force_id,
        category=category,
        neighbourhood=cleaned.neighbourhood,
        description=description,
        details=cleaned.details,
        answers=cleaned.answers,
        latitude=cleaned.latitude,
        longitude=cleaned.longitude,
        address=cleaned.address,
        public_latitude=public_latitude,
        public_longitude=public_longitude,
        is_private=is_private,
        reporter=reporter,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        language=language,
        source=source,
        submission_key=stored_key,
        submission_fingerprint=fingerprint,
        follow_up_code_hash=hash_follow_up_code(follow_up_code) if follow_up_code else None,
        created_at=now,
        updated_at=now,
        public_updated_at=now,
    )


def add_reporter_information(
    *, report: Report, text: str, uploads: Sequence[Any] = ()
) -> ReportUpdate:
    """More from the reporter or the tipster (who proved it with their code or account)."""
    text = clean_text(
        text,
        field="text",
        required=True,
        max_length=_DESCRIPTION_MAX,
        label=_("what you want to add"),
    )
    clean_uploads = photos.clean_photos(list(uploads))
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            report = Report.staff_objects.select_for_update().get(pk=report.pk)
            update = ReportUpdate.objects.create(report=report, kind=UpdateKind.REPORTER, text=text)
            _attach_photos(report, clean_uploads, saved_files)
            report.updated_at = update.created_at
            report.save(update_fields=["updated_at"])
    except BaseException:
        _delete_files(saved_files)
        raise
    return update


# Wrong follow-up codes a client may try in a window before it must wait: codes carry about
# 79 bits, so this only stops a machine from walking through them.
FOLLOW_UP_GUESSES = 10
FOLLOW_UP_WINDOW_SECONDS = 15 * 60


def open_follow_up(*, code: str, client_address: str | None) -> Report:
    """The anonymous report a follow-up code opens; NotFound for a code that opens none.

    Wrong codes are counted per client (``FOLLOW_UP_GUESSES`` a window, then
    TooManyRequests for every try); a code that works is never counted, so no cache
    entry stands beside it.
    """
    guesses = limits.counter(
        "follow-up",
        "client",
        FOLLOW_UP_GUESSES,
        limits.client_of(client_address),
        window_seconds=FOLLOW_UP_WINDOW_SECONDS,
    )
    limits.refuse_over_limit(
        [guesses],
        message=_("Too many codes were tried from here. Please wait a few minutes and try again."),
        field="code",
    )
    report = (
        Report.staff_objects.select_related("category", "neighbourhood")
        .defer("neighbourhood__boundary")
        .filter(follow_up_code_hash=hash_follow_up_code(code))
        .first()
    )
    if report is None:
        limits.count_attempt([guesses])
        raise NotFound(
            _("We could not find a report with that code. Check it and try again."), field="code"
        )
    return report


# --- triage -------------------------------------------------------------------------------


def _lock_for_triage(report: Report, by: User) -> Report:
    if not can_triage_report(by, report):
        raise PermissionDenied(_("You may not handle this report."), field="report")
    return (
        Report.staff_objects.select_for_update(of=("self",))
        .select_related("category")
        .get(pk=report.pk)
    )


def _record(
    report: Report,
    *,
    by: User,
    kind: str,
    action: str,
    text: str = "",
    is_public: bool = False,
    status_before: str = "",
    detail: dict[str, Any] | None = None,
    notify: str | None = None,
) -> ReportUpdate:
    """The history row, the audit entry and the reporter's notification of one triage step."""
    now = timezone.now()
    update = ReportUpdate.objects.create(
        report=report,
        kind=kind,
        author=by,
        text=text,
        is_public=is_public,
        status_before=status_before,
        status_after=report.status if status_before else "",
        created_at=now,
    )
    report.updated_at = now
    if is_public:
        report.public_updated_at = now
    report.save()
    audit(actor=by, action=f"report.{action}", target=report, detail=detail or {})
    if notify:
        _queue_notification(report, update, notify)
    return update


def _queue_notification(report: Report, update: ReportUpdate, event: str) -> None:
    from beatbridge.reports import notifications

    notification = ReporterNotification.objects.create(report=report, update=update, event=event)
    delivery.queue(notifications.channel(), notification)


def _set_status(report: Report, status: str) -> None:
    now = timezone.now()
    report.status = status
    if status != Status.NEW and report.acknowledged_at is None:
        report.acknowledged_at = now
    if status in CLOSED_STATUSES:
        report.resolved_at = now
    else:
        report.resolved_at = None


def acknowledge(*, report: Report, by: User, message: str = "") -> Report:
    """Tell the reporter a person has read their report; starts the clock's second half."""
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        if report.status != Status.NEW:
            raise DomainError(_("This report has already been acknowledged."), field="status")
        message = clean_text(
            message,
            field="message",
            required=False,
            max_length=_DESCRIPTION_MAX,
            label=_("the message"),
        )
        _set_status(report, Status.ACKNOWLEDGED)
        _record(
            report,
            by=by,
            kind=UpdateKind.STATUS,
            action="acknowledged",
            text=message,
            is_public=True,
            status_before=Status.NEW,
            notify=NotificationEvent.ACKNOWLEDGED,
        )
    return report


def change_status(*, report: Report, by: User, status: str, reason: str) -> Report:
    """Move a report to another status with a reason the reporter (and the public) can read.

    Closing as a duplicate goes through ``merge_duplicate``, referring through ``refer``.
    """
    if status not in Status.values:
        raise DomainError(_("Choose a status."), field="status")
    if status == Status.DUPLICATE:
        raise DomainError(_("Merge the report into the one it repeats instead."), field="status")
    if status == Status.REFERRED:
        raise DomainError(_("Refer the report to say who takes it."), field="status")
    reason = clean_text(
        reason, field="reason", required=True, max_length=_DESCRIPTION_MAX, label=_("a reason")
    )
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        before = report.status
        if status == before:
            raise DomainError(_("The report already has that status."), field="status")
        if status == Status.NEW:
            raise DomainError(_("A report cannot go back to new."), field="status")
        if before == Status.DUPLICATE:
            report.duplicate_of = None
        _set_status(report, status)
        if status == Status.RESOLVED:
            event = NotificationEvent.RESOLVED
        elif before == Status.NEW:
            event = NotificationEvent.ACKNOWLEDGED
        else:
            event = NotificationEvent.PUBLIC_UPDATE
        _record(
            report,
            by=by,
            kind=UpdateKind.STATUS,
            action="status_changed",
            text=reason,
            is_public=True,
            status_before=before,
            detail={"from": before, "to": status},
            notify=event,
        )
    return report


def post_public_update(*, report: Report, by: User, text: str) -> ReportUpdate:
    text = clean_text(
        text, field="text", required=True, max_length=_DESCRIPTION_MAX, label=_("the update")
    )
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        return _record(
            report,
            by=by,
            kind=UpdateKind.PUBLIC,
            action="public_update",
            text=text,
            is_public=True,
            notify=NotificationEvent.PUBLIC_UPDATE,
        )


def add_note(*, report: Report, by: User, text: str) -> ReportUpdate:
    """An internal note: staff only, never shown to the reporter or the public."""
    text = clean_text(
        text, field="text", required=True, max_length=_DESCRIPTION_MAX, label=_("the note")
    )
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        return _record(report, by=by, kind=UpdateKind.NOTE, action="note_added", text=text)


def assign(*, report: Report, by: User, officer: User | None) -> Report:
    """Give the report to an officer who may handle it (None takes it back to the team)."""
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        if officer is not None and not can_assign_to(officer, report):
            raise DomainError(
                _("That person does not serve this report's neighbourhood."), field="assigned_to"
            )
        if report.assigned_to_id == (officer.pk if officer else None):
            raise DomainError(_("The report already has that assignment."), field="assigned_to")
        report.assigned_to = officer
        _record(
            report,
            by=by,
            kind=UpdateKind.ASSIGNMENT,
            action="assigned",
            detail={"assigned_to": officer.pk if officer else None},
        )
    return report


def set_priority(*, report: Report, by: User, priority: int) -> Report:
    if priority not in Priority.values:
        raise DomainError(_("Choose a priority."), field="priority")
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        before = report.priority
        report.priority = priority
        _record(
            report,
            by=by,
            kind=UpdateKind.NOTE,
            action="priority_changed",
            text=_("Priority: %(priority)s") % {"priority": report.get_priority_display()},
            detail={"from": before, "to": priority},
        )
    return report


def change_neighbourhood(*, report: Report, by: User, neighbourhood: Neighbourhood) -> Report:
    """Move a report to another neighbourhood's inbox, in the same force."""
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        if neighbourhood.force_id != report.force_id:
            raise DomainError(_("Choose a neighbourhood of the same force."), field="neighbourhood")
        if neighbourhood.pk == report.neighbourhood_id:
            raise DomainError(
                _("The report is already in that neighbourhood."), field="neighbourhood"
            )
        before = report.neighbourhood_id
        report.neighbourhood = neighbourhood
        # Whoever had it may not serve the new neighbourhood; the new team assigns afresh.
        report.assigned_to = None
        _record(
            report,
            by=by,
            kind=UpdateKind.NEIGHBOURHOOD,
            action="neighbourhood_changed",
            text=neighbourhood.name,
            detail={"from": before, "to": neighbourhood.pk},
        )
    return report


def refer(*, report: Report, by: User, to: str, note: str) -> Report:
    """Pass the report to a partner organisation or another agency, with a public note."""
    to = clean_text(to, field="referred_to", required=True, max_length=200, label=_("who takes it"))
    note = clean_text(
        note, field="note", required=True, max_length=_DESCRIPTION_MAX, label=_("a note")
    )
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        before = report.status
        report.referred_to = to
        _set_status(report, Status.REFERRED)
        _record(
            report,
            by=by,
            kind=UpdateKind.REFERRAL,
            action="referred",
            text=note,
            is_public=True,
            status_before=before,
            detail={"from": before},
            notify=NotificationEvent.PUBLIC_UPDATE,
        )
    return report


def merge_duplicate(*, report: Report, by: User, into: Report) -> Report:
    """Close ``report`` as a duplicate of ``into``; the reporter is told where to follow it."""
    with transaction.atomic():
        report = _lock_for_triage(report, by)
        if into.pk == report.pk:
            raise DomainError(_("A report cannot duplicate itself."), field="duplicate_of")
        if into.force_id != report.force_id or not can_triage_report(by, into):
            raise DomainError(
                _("Choose a report you handle in the same force."), field="duplicate_of"
            )
        if into.status == Status.DUPLICATE:
            raise DomainError(
                _("That report is itself a duplicate: merge into %(reference)s instead.")
                % {"reference": into.duplicate_of.reference if into.duplicate_of else ""},
                field="duplicate_of",
            )
        if report.status == Status.DUPLICATE:
            raise DomainError(
                _("This report is already closed as a duplicate."), field="duplicate_of"
            )
        before = report.status
        report.duplicate_of = into
        _set_status(report, Status.DUPLICATE)
        _record(
            report,
            by=by,
            kind=UpdateKind.MERGE,
            action="merged",
            # A tip or a private report is not named outside the team, the reporter included.
            text=(
                _("This report is followed up with report %(reference)s.")
                % {"reference": into.reference}
                if into.is_public
                else _(
                    "This report is followed up together with another report of the same matter."
                )
            ),
            is_public=True,
            status_before=before,
            detail={"into": into.pk},
            notify=NotificationEvent.RESOLVED,
        )
    return report


# --- categories ---------------------------------------------------------------------------


def clean_category_translations(value: object) -> dict[str, dict[str, str]]:
    """{language: {field: text}} with known languages and fields only; DomainError otherwise."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise DomainError(
            _("Give translations as an object keyed by language code."), field="translations"
        )
    languages = set(clean_language_codes(list(value), field="translations"))
    cleaned: dict[str, dict[str, str]] = {}
    for language, fields in value.items():
        if language not in languages or not isinstance(fields, dict):
            raise DomainError(
                _("Translations for “%(language)s” must be an object of texts.")
                % {"language": str(language)[:16]},
                field="translations",
            )
        cleaned[language] = {
            str(key): str(text) for key, text in fields.items() if str(text).strip()
        }
    return cleaned


def clean_question_choices(datatype: str, choices: object) -> list[dict[str, str]]:
    """The choices of a question: required for the choice types, none for the others.

    A list of ``{"key": ..., "name": ...}`` with unique, non-empty keys (the Open311 values).
    """
    is_choice = datatype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
    if choices in (None, ""):
        choices = []
    if not isinstance(choices, list) or not all(isinstance(item, dict) for item in choices):
        raise DomainError(
            _('Give the choices as a list like [{"key": "north", "name": "Northbound"}].'),
            field="choices",
        )
    if not is_choice:
        if choices:
            raise DomainError(_("Only choice questions have choices."), field="choices")
        return []
    cleaned: list[dict[str, str]] = []
    for item in choices:
        key = str(item.get("key", "")).strip()
        name = str(item.get("name", "")).strip()
        if not key or not name or set(item) - {"key", "name"}:
            raise DomainError(
                _("Every choice needs a key and a name, and nothing else."), field="choices"
            )
        if any(existing["key"] == key for existing in cleaned):
            raise DomainError(
                _("The choice key “%(key)s” is used twice.") % {"key": key[:64]}, field="choices"
            )
        cleaned.append({"key": key, "name": name})
    if not cleaned:
        raise DomainError(_("A choice question needs at least one choice."), field="choices")
    return cleaned
