"""The rules of submitting a report and of every triage step."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import DomainError, PermissionDenied
from beatbridge.places.tests.factories import NeighbourhoodFactory, square
from beatbridge.reports import services
from beatbridge.reports.models import (
    DeliveryStatus,
    GuardrailTrigger,
    QuestionType,
    Report,
    ReporterNotification,
    ReportKind,
    ReportPhoto,
    Source,
    Status,
    UpdateKind,
)
from beatbridge.reports.services import Contact, Place, SuspiciousActivity
from beatbridge.reports.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

IN_FREMONT = Place(latitude=47.6552, longitude=-122.3447)


def submit(category, **overrides):
    arguments = {
        "kind": ReportKind.CONCERN,
        "category": category,
        "description": "The street light on the corner has been out for a week.",
        "place": IN_FREMONT,
        "source": Source.WEB,
    }
    arguments.update(overrides)
    return services.submit_report(**arguments)


def jpeg_bytes() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "photo.jpg"
    return buffer


# --- submitting ---------------------------------------------------------------------------


def test_a_located_report_is_placed_in_its_neighbourhood_and_shown_approximately(
    fremont, street_light
):
    result = submit(street_light)

    report = result.report
    assert result.created
    assert report.neighbourhood == fremont
    assert report.status == Status.NEW
    assert (report.latitude, report.longitude) == (47.6552, -122.3447)
    assert (report.public_latitude, report.public_longitude) != (47.6552, -122.3447)
    assert services.public_point(47.6552, -122.3447) == (
        report.public_latitude,
        report.public_longitude,
    )
    assert len(report.reference) == 8


def test_points_close_together_share_a_public_place_and_it_stays_near():
    first = services.public_point(47.65520, -122.34470)
    second = services.public_point(47.65525, -122.34475)
    assert first == second
    # Within the cell's half diagonal (about 106 m for 150 m cells).
    assert abs(first[0] - 47.6552) < 0.0014 and abs(first[1] - -122.3447) < 0.0021


def test_a_place_outside_the_forces_area_is_refused(fremont, street_light):
    with pytest.raises(DomainError) as refused:
        submit(street_light, place=Place(latitude=51.5, longitude=-0.12))
    assert refused.value.field == "location"
    assert refused.value.code == "outside_area"
    assert not Report.staff_objects.exists()


@pytest.mark.parametrize(
    ("place", "field"),
    [
        (Place(), "location"),
        (Place(latitude=47.65), "longitude"),
        (Place(latitude=float("nan"), longitude=-122.3), "location"),
        (Place(latitude=91, longitude=-122.3), "location"),
        (Place(address="x" * 301), "address"),
    ],
)
def test_a_place_must_be_a_point_on_earth_or_an_address(fremont, street_light, place, field):
    with pytest.raises(DomainError) as refused:
        submit(street_light, place=place)
    assert refused.value.field == field


def test_an_address_only_report_takes_the_neighbourhood_it_was_made_from(fremont, street_light):
    report = submit(
        street_light, place=Place(address="Troll Ave N & N 36th St", neighbourhood=fremont)
    ).report
    assert report.neighbourhood == fremont
    assert report.latitude is None and report.public_latitude is None


@pytest.mark.parametrize(
    ("description", "code"), [("", "required"), ("   ", "required"), ("x" * 5001, "too_long")]
)
def test_the_description_is_required_and_bounded(fremont, street_light, description, code):
    with pytest.raises(DomainError) as refused:
        submit(street_light, description=description)
    assert (refused.value.field, refused.value.code) == ("description", code)


def test_an_inactive_category_takes_no_reports(fremont, street_light):
    street_light.is_active = False
    street_light.save()
    with pytest.raises(DomainError) as refused:
        submit(street_light)
    assert refused.value.field == "category"


def test_a_tip_keeps_no_identity_even_from_a_signed_in_person(fremont, street_light):
    resident = UserFactory()
    result = submit(street_light, kind=ReportKind.TIP, reporter=resident)

    assert result.report.reporter is None
    assert result.report.contact_email == ""
    assert result.follow_up_code
    assert result.report.follow_up_code_hash == services.hash_follow_up_code(result.follow_up_code)


def test_a_tip_with_contact_details_is_refused(fremont, street_light):
    with pytest.raises(DomainError) as refused:
        submit(street_light, kind=ReportKind.TIP, contact=Contact(email="me@example.org"))
    assert refused.value.field == "contact"


def test_a_signed_in_report_has_a_reporter_and_no_follow_up_code(fremont, street_light):
    resident = UserFactory()
    result = submit(street_light, reporter=resident)
    assert result.report.reporter == resident
    assert result.follow_up_code is None
    assert result.report.follow_up_code_hash is None


def test_contact_details_are_validated(fremont, street_light):
    with pytest.raises(DomainError) as refused:
        submit(street_light, contact=Contact(email="not an address"))
    assert refused.value.field == "email"


def test_the_same_submission_key_returns_the_first_report_and_the_same_code(fremont, street_light):
    first = submit(street_light, submission_key="key-1")
    again = submit(street_light, submission_key="key-1")

    assert again.report.pk == first.report.pk
    assert not again.created
    assert again.follow_up_code == first.follow_up_code
    assert Report.staff_objects.count() == 1


def test_a_submission_key_reused_for_other_content_is_refused(fremont, street_light):
    submit(street_light, submission_key="key-1")
    with pytest.raises(DomainError) as refused:
        submit(street_light, submission_key="key-1", description="Something else entirely.")
    assert refused.value.code == "submission_key_reused"
    assert Report.staff_objects.count() == 1


def test_submission_keys_are_scoped_to_the_submitter(fremont, street_light):
    submit(street_light, submission_key="1", submitter_scope="open311:1")
    other = submit(street_light, submission_key="1", submitter_scope="open311:2")
    assert other.created
    assert Report.staff_objects.count() == 2


def test_photos_are_stored_with_the_report(fremont, street_light):
    report = submit(street_light, uploads=[jpeg_bytes(), jpeg_bytes()]).report
    photos = list(report.photos.all())
    assert len(photos) == 2
    assert photos[0].content_type == "image/jpeg"
    assert photos[0].width == 40
    with photos[0].image.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"


def test_a_bad_photo_writes_nothing(fremont, street_light):
    not_a_photo = io.BytesIO(b"%PDF-1.4 pretending")
    not_a_photo.name = "photo.jpg"
    with pytest.raises(DomainError) as refused:
        submit(street_light, uploads=[jpeg_bytes(), not_a_photo])
    assert refused.value.field == "photos"
    assert not Report.staff_objects.exists()
    assert not ReportPhoto.objects.exists()


# --- questions ----------------------------------------------------------------------------


@pytest.fixture
def speeding(force):
    category = CategoryFactory(force=force, code="speeding", name="Speeding")
    CategoryQuestionFactory(
        category=category,
        code="when",
        datatype=QuestionType.MULTIPLE_CHOICE,
        choices=[{"key": "am", "name": "Morning"}, {"key": "pm", "name": "Evening"}],
        required=True,
    )
    CategoryQuestionFactory(category=category, code="speed", datatype=QuestionType.NUMBER)
    CategoryQuestionFactory(category=category, code="seen", datatype=QuestionType.DATETIME)
    CategoryQuestionFactory(
        category=category,
        code="direction",
        datatype=QuestionType.SINGLE_CHOICE,
        choices=[{"key": "n", "name": "North"}, {"key": "s", "name": "South"}],
    )
    return category


def test_answers_are_cleaned_by_their_type(fremont, speeding):
    report = submit(
        speeding,
        answers={
            "when": ["pm", "am", "pm"],
            "speed": "45",
            "seen": "2026-11-01 08:15",
            "direction": "n",
        },
    ).report
    assert report.answers["when"] == ["am", "pm"]
    assert report.answers["speed"] == 45
    assert report.answers["seen"].startswith("2026-11-01T08:15:00")
    assert report.answers["direction"] == "n"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "attribute[when]"),
        ({"when": ["dawn"]}, "attribute[when]"),
        ({"when": "am", "speed": "fast"}, "attribute[speed]"),
        ({"when": "am", "speed": "Infinity"}, "attribute[speed]"),
        ({"when": "am", "seen": "yesterday"}, "attribute[seen]"),
        ({"when": "am", "direction": ["n", "s"]}, "attribute[direction]"),
        ({"when": "am", "colour": "red"}, "attribute[colour]"),
    ],
)
def test_bad_answers_name_the_question(fremont, speeding, answers, field):
    with pytest.raises(DomainError) as refused:
        submit(speeding, answers=answers)
    assert refused.value.field == field
    assert not Report.staff_objects.exists()


@pytest.mark.parametrize(
    ("datatype", "choices", "ok"),
    [
        (QuestionType.SINGLE_CHOICE, [{"key": "a", "name": "A"}], True),
        (QuestionType.SINGLE_CHOICE, [], False),
        (QuestionType.SINGLE_CHOICE, [{"key": "a", "name": "A"}, {"key": "a", "name": "B"}], False),
        (QuestionType.MULTIPLE_CHOICE, [{"key": "a"}], False),
        (QuestionType.STRING, [{"key": "a", "name": "A"}], False),
        (QuestionType.STRING, [], True),
        (QuestionType.SINGLE_CHOICE, "a,b", False),
    ],
)
def test_question_choices(datatype, choices, ok):
    if ok:
        assert services.clean_question_choices(datatype, choices) == choices
    else:
        with pytest.raises(DomainError):
            services.clean_question_choices(datatype, choices)


# --- suspicious activity ------------------------------------------------------------------


@pytest.fixture
def suspicious(force):
    return CategoryFactory(
        force=force, code="suspicious", name="Suspicious activity", suspicious=True
    )


def test_suspicious_activity_must_describe_behaviour_and_the_refusal_is_counted(
    fremont, suspicious
):
    with pytest.raises(DomainError) as refused:
        submit(
            suspicious,
            kind=ReportKind.SUSPICIOUS_ACTIVITY,
            description="A man who did not look like he belonged here.",
            suspicious_activity=SuspiciousActivity(behaviour="He looked out of place"),
            language="en",
        )
    assert refused.value.field == "behaviour"
    assert refused.value.code.startswith("guardrail_")
    assert not Report.staff_objects.exists()
    trigger = GuardrailTrigger.objects.get()
    assert refused.value.code == f"guardrail_{trigger.rule}"


def test_suspicious_activity_with_behaviour_is_accepted_with_its_details(fremont, suspicious):
    report = submit(
        suspicious,
        kind=ReportKind.SUSPICIOUS_ACTIVITY,
        description="Tall, grey jacket.",
        suspicious_activity=SuspiciousActivity(
            behaviour="Tried the door handles of three parked cars, one after another",
            seen_at="about 2am",
            direction="north on Fremont Ave",
        ),
    ).report
    assert report.kind == ReportKind.SUSPICIOUS_ACTIVITY
    assert report.details["direction"] == "north on Fremont Ave"
    assert "vehicle" not in report.details
    assert not report.is_public


def test_a_concern_filed_under_a_suspicious_category_is_checked_as_suspicious(fremont, suspicious):
    with pytest.raises(DomainError) as refused:
        submit(suspicious, kind=ReportKind.CONCERN)
    assert refused.value.field == "behaviour"


def test_suspicious_activity_needs_a_suspicious_category(fremont, street_light):
    with pytest.raises(DomainError) as refused:
        submit(street_light, kind=ReportKind.SUSPICIOUS_ACTIVITY)
    assert refused.value.field == "category"


# --- triage -------------------------------------------------------------------------------


@pytest.fixture
def report(fremont, street_light):
    return submit(street_light, contact=Contact(email="reporter@example.org"), language="es").report


def test_acknowledging_records_the_time_audits_and_tells_the_reporter_in_their_language(
    report, fremont_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(report=report, by=fremont_officer, message="Gracias, lo miramos.")

    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert report.acknowledged_at is not None
    assert report.time_to_acknowledge is not None
    update = report.updates.get()
    assert (update.kind, update.is_public, update.status_before, update.status_after) == (
        UpdateKind.STATUS,
        True,
        Status.NEW,
        Status.ACKNOWLEDGED,
    )
    entry = AuditEntry.objects.get(action="report.acknowledged")
    assert entry.actor == fremont_officer and entry.target_id == str(report.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reporter@example.org"]
    assert report.reference in message.subject
    assert "Gracias, lo miramos." in message.body
    assert "911" in message.body
    notification = ReporterNotification.objects.get()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 1)


def test_acknowledging_twice_is_refused(report, fremont_officer):
    services.acknowledge(report=report, by=fremont_officer)
    with pytest.raises(DomainError) as refused:
        services.acknowledge(report=report, by=fremont_officer)
    assert refused.value.field == "status"


@pytest.mark.parametrize(
    "who",
    ["resident", "reporter", "officer_elsewhere", "supervisor_elsewhere", "inactive_officer"],
)
def test_people_who_do_not_serve_the_neighbourhood_cannot_triage(report, force, who):
    other_force_officer = OfficerProfileFactory(supervisor=True)
    elsewhere = TeamAssignmentFactory(
        officer__force=force, neighbourhood=NeighbourhoodFactory(force=force)
    )
    inactive = TeamAssignmentFactory(officer__force=force, neighbourhood=report.neighbourhood)
    inactive.officer.user.is_active = False
    inactive.officer.user.save()
    reporter = UserFactory()
    report.reporter = reporter
    report.save()
    people = {
        "resident": UserFactory(),
        "reporter": reporter,
        "officer_elsewhere": elsewhere.officer.user,
        "supervisor_elsewhere": other_force_officer.user,
        "inactive_officer": inactive.officer.user,
    }
    with pytest.raises(PermissionDenied):
        services.add_note(report=report, by=people[who], text="Looking at it.")
    assert not report.updates.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["supervisor", "administrator"])
def test_the_forces_supervisors_and_administrators_can_triage(report, force, who):
    person = (
        OfficerProfileFactory(force=force, supervisor=True).user
        if who == "supervisor"
        else AdministratorFactory()
    )
    services.add_note(report=report, by=person, text="Seen.")
    assert report.updates.get().is_public is False


def test_resolving_records_the_time_and_reopening_clears_it(
    report, fremont_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(
            report=report, by=fremont_officer, status=Status.RESOLVED, reason="Light fixed."
        )
    report.refresh_from_db()
    assert report.resolved_at is not None and report.acknowledged_at is not None
    assert ReporterNotification.objects.get().event == "resolved"

    services.change_status(
        report=report, by=fremont_officer, status=Status.IN_PROGRESS, reason="Out again."
    )
    report.refresh_from_db()
    assert report.resolved_at is None
    assert report.acknowledged_at is not None


@pytest.mark.parametrize(
    ("status", "reason", "field"),
    [
        ("nonsense", "x", "status"),
        (Status.DUPLICATE, "x", "status"),
        (Status.REFERRED, "x", "status"),
        (Status.NEW, "x", "status"),
        (Status.RESOLVED, "", "reason"),
    ],
)
def test_bad_status_changes_are_refused(report, fremont_officer, status, reason, field):
    with pytest.raises(DomainError) as refused:
        services.change_status(report=report, by=fremont_officer, status=status, reason=reason)
    assert refused.value.field == field
    assert not report.updates.exists()


def test_internal_notes_are_never_public_and_never_notify(
    report, fremont_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(report=report, by=fremont_officer, text="Caller sounded drunk.")
    assert report.updates.get().is_public is False
    assert not mail.outbox
    assert not ReporterNotification.objects.exists()


def test_a_public_update_reaches_the_reporter(
    report, fremont_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_public_update(
            report=report, by=fremont_officer, text="City lighting has the job."
        )
    assert "City lighting has the job." in mail.outbox[0].body


def test_a_reporter_with_no_address_is_skipped_not_failed(
    fremont, street_light, fremont_officer, django_capture_on_commit_callbacks
):
    report = submit(street_light).report
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(report=report, by=fremont_officer)
    assert ReporterNotification.objects.get().status == DeliveryStatus.SKIPPED
    assert not mail.outbox


def test_a_failed_delivery_is_retried_when_due_then_recorded_as_failed(
    report, fremont_officer, django_capture_on_commit_callbacks, monkeypatch, settings
):
    from beatbridge.reports import notifications

    settings.NOTIFY_ATTEMPTS = 3

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(report=report, by=fremont_officer)
    notification = ReporterNotification.objects.get()
    assert (notification.status, notification.attempts) == (DeliveryStatus.QUEUED, 1)

    # Not due yet: a task that runs early changes nothing.
    assert notifications.deliver(notification.pk) == DeliveryStatus.QUEUED
    for _attempt in range(2):
        ReporterNotification.objects.filter(pk=notification.pk).update(
            next_attempt_at=timezone.now()
        )
        notifications.deliver(notification.pk)

    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.FAILED
    assert notification.attempts == 3
    assert notification.last_error == "ConnectionRefusedError"


def test_a_sent_notification_is_never_sent_twice(
    report, fremont_officer, django_capture_on_commit_callbacks
):
    from beatbridge.reports import notifications

    with django_capture_on_commit_callbacks(execute=True):
        services.acknowledge(report=report, by=fremont_officer)
    notification = ReporterNotification.objects.get()
    assert notifications.deliver(notification.pk) == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_assigning_only_to_someone_who_serves_the_report(report, force, fremont_officer):
    stranger = TeamAssignmentFactory(
        officer__force=force, neighbourhood=NeighbourhoodFactory(force=force)
    ).officer.user
    with pytest.raises(DomainError) as refused:
        services.assign(report=report, by=fremont_officer, officer=stranger)
    assert refused.value.field == "assigned_to"

    services.assign(report=report, by=fremont_officer, officer=fremont_officer)
    report.refresh_from_db()
    assert report.assigned_to == fremont_officer
    assert AuditEntry.objects.get(action="report.assigned").detail == {
        "assigned_to": fremont_officer.pk
    }


def test_moving_a_report_to_another_neighbourhood_clears_the_assignee(
    report, force, fremont_officer
):
    wallingford = NeighbourhoodFactory(force=force, boundary=square(-122.34, 47.65))
    services.assign(report=report, by=fremont_officer, officer=fremont_officer)
    services.change_neighbourhood(report=report, by=fremont_officer, neighbourhood=wallingford)
    report.refresh_from_db()
    assert report.neighbourhood == wallingford
    assert report.assigned_to is None


def test_a_report_cannot_move_to_another_forces_neighbourhood(report, fremont_officer):
    with pytest.raises(DomainError) as refused:
        services.change_neighbourhood(
            report=report, by=fremont_officer, neighbourhood=NeighbourhoodFactory()
        )
    assert refused.value.field == "neighbourhood"


def test_referring_says_to_whom_and_counts_as_acknowledged(report, fremont_officer):
    services.refer(
        report=report, by=fremont_officer, to="Seattle Public Utilities", note="Their lamp."
    )
    report.refresh_from_db()
    assert report.status == Status.REFERRED
    assert report.referred_to == "Seattle Public Utilities"
    assert report.acknowledged_at is not None


def test_merging_a_duplicate(report, fremont, street_light, fremont_officer):
    original = ReportFactory(category=street_light, neighbourhood=fremont)
    services.merge_duplicate(report=report, by=fremont_officer, into=original)
    report.refresh_from_db()
    assert report.status == Status.DUPLICATE
    assert report.duplicate_of == original
    assert report.resolved_at is not None
    assert original.reference in report.updates.get().text


def test_merge_rules(report, fremont, street_light, fremont_officer, force):
    with pytest.raises(DomainError):
        services.merge_duplicate(report=report, by=fremont_officer, into=report)
    elsewhere = ReportFactory(
        category=street_light, neighbourhood=NeighbourhoodFactory(force=force)
    )
    with pytest.raises(DomainError):
        services.merge_duplicate(report=report, by=fremont_officer, into=elsewhere)
    original = ReportFactory(category=street_light, neighbourhood=fremont)
    duplicate = ReportFactory(
        category=street_light, neighbourhood=fremont, status=Status.DUPLICATE, duplicate_of=original
    )
    with pytest.raises(DomainError) as refused:
        services.merge_duplicate(report=report, by=fremont_officer, into=duplicate)
    assert original.reference in refused.value.message


def test_priority_must_be_one_of_the_choices(report, fremont_officer):
    with pytest.raises(DomainError):
        services.set_priority(report=report, by=fremont_officer, priority=9)
    services.set_priority(report=report, by=fremont_officer, priority=1)
    report.refresh_from_db()
    assert report.priority == 1


def test_the_reporter_can_add_information(report):
    update = services.add_reporter_information(report=report, text="It flickers too.")
    assert update.kind == UpdateKind.REPORTER
    assert update.author is None
    with pytest.raises(DomainError):
        services.add_reporter_information(report=report, text=" ")
