from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from beatbridge.accounts.models import TeamAssignment, User
from beatbridge.demo.reports import CATEGORIES, load_reports
from beatbridge.demo.services import DEMO_RESIDENTS, load_demo
from beatbridge.places.models import Force
from beatbridge.places.selectors import locate_neighbourhood_ref
from beatbridge.reports import guardrail
from beatbridge.reports.models import (
    CLOSED_STATUSES,
    Category,
    CategoryKind,
    QuestionType,
    Report,
    ReporterNotification,
    ReportKind,
    ReportUpdate,
    Status,
    UpdateKind,
)
from beatbridge.reports.services import clean_answers, public_point

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_reports")]


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker):
    """The demo city and its reports, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        city = load_demo()
        yield load_reports(city.force)
        transaction.set_rollback(True)


@pytest.fixture
def reports():
    return list(
        Report.staff_objects.select_related("category", "duplicate_of").prefetch_related("updates")
    )


def _snapshot() -> list[tuple]:
    return list(
        Report.staff_objects.order_by("external_id").values_list(
            "external_id", "reference", "status", "created_at", "category__code", "neighbourhood_id"
        )
    )


def test_a_few_hundred_reports_in_every_status(demo_reports):
    assert 300 <= demo_reports.reports_created == Report.staff_objects.count() <= 600
    counts = {status: Report.staff_objects.filter(status=status).count() for status in Status}
    assert all(count > 0 for count in counts.values()), counts


def test_loading_again_writes_nothing():
    before = (Report.staff_objects.count(), ReportUpdate.objects.count(), Category.objects.count())

    again = load_reports(Force.objects.get(slug="seattle"))

    assert (again.reports_created, again.updates_created) == (0, 0)
    assert (again.categories_created, again.questions_created) == (0, 0)
    assert (
        Report.staff_objects.count(),
        ReportUpdate.objects.count(),
        Category.objects.count(),
    ) == before


def test_the_same_seed_gives_the_same_reports():
    before = _snapshot()
    with transaction.atomic():
        ReportUpdate.objects.all().delete()
        Report.staff_objects.exclude(duplicate_of=None).delete()
        Report.staff_objects.all().delete()

        load_reports(Force.objects.get(slug="seattle"))

        assert _snapshot() == before
        transaction.set_rollback(True)


def test_every_neighbourhood_with_a_team_has_reports():
    served = set(TeamAssignment.objects.current().values_list("neighbourhood_id", flat=True))
    reported = set(Report.staff_objects.values_list("neighbourhood_id", flat=True))
    assert served
    assert served <= reported


def test_the_public_sees_a_snapped_point_and_the_neighbourhood_matches_it(reports):
    for report in reports:
        assert (report.public_latitude, report.public_longitude) == public_point(
            report.latitude, report.longitude
        )
        assert locate_neighbourhood_ref(report.latitude, report.longitude).id == (
            report.neighbourhood_id
        )


def test_tips_carry_no_identity_and_some_exist(reports):
    tips = [report for report in reports if report.kind == ReportKind.TIP]
    assert tips
    for tip in tips:
        assert tip.reporter_id is None
        assert (tip.contact_name, tip.contact_email, tip.contact_phone) == ("", "", "")
        assert tip.follow_up_code_hash


def test_internal_notes_and_assignments_are_never_public():
    assert ReportUpdate.objects.filter(kind=UpdateKind.NOTE).exists()
    assert not ReportUpdate.objects.filter(
        kind__in=[UpdateKind.NOTE, UpdateKind.ASSIGNMENT], is_public=True
    ).exists()


def test_timelines_are_ordered_and_in_the_past(reports):
    now = timezone.now()
    for report in reports:
        moments = [report.created_at]
        if report.acknowledged_at:
            moments.append(report.acknowledged_at)
        if report.resolved_at:
            moments.append(report.resolved_at)
        assert moments == sorted(moments)
        updates = [update.created_at for update in report.updates.all()]
        assert updates == sorted(updates)
        assert all(report.created_at < moment <= report.updated_at for moment in updates)
        assert report.updated_at <= now


def test_each_status_has_what_it_implies(reports):
    for report in reports:
        assert (report.acknowledged_at is None) == (report.status == Status.NEW)
        assert (report.resolved_at is not None) == (report.status in CLOSED_STATUSES)
        assert (report.duplicate_of_id is not None) == (report.status == Status.DUPLICATE)
        assert bool(report.referred_to) == (report.status == Status.REFERRED)
        status_changes = [
            update.status_after for update in report.updates.all() if update.status_after
        ]
        assert (status_changes[-1] if status_changes else Status.NEW) == report.status


def test_duplicates_point_at_an_earlier_open_report_of_the_same_place_and_category(reports):
    duplicates = [report for report in reports if report.status == Status.DUPLICATE]
    assert duplicates
    for duplicate in duplicates:
        original = duplicate.duplicate_of
        assert original.status != Status.DUPLICATE
        assert original.created_at < duplicate.created_at
        assert (original.neighbourhood_id, original.category_id) == (
            duplicate.neighbourhood_id,
            duplicate.category_id,
        )
        assert original.reference in duplicate.updates.get(kind=UpdateKind.MERGE).text


def test_updates_are_written_by_the_neighbourhoods_team(reports):
    teams: dict[int, set[int]] = {}
    for neighbourhood_id, user_id in TeamAssignment.objects.current().values_list(
        "neighbourhood_id", "officer__user_id"
    ):
        teams.setdefault(neighbourhood_id, set()).add(user_id)
    for report in reports:
        for update in report.updates.all():
            assert update.author_id in teams[report.neighbourhood_id]
        if report.assigned_to_id:
            assert report.assigned_to_id in teams[report.neighbourhood_id]
    assert any(report.assigned_to_id for report in reports)


def test_suspicious_activity_describes_behaviour_and_passes_the_guardrail(reports):
    suspicious = [r for r in reports if r.kind == ReportKind.SUSPICIOUS_ACTIVITY]
    assert suspicious
    for report in suspicious:
        assert report.category.kind == CategoryKind.SUSPICIOUS_ACTIVITY
        assert report.category.is_sensitive
        assert report.details["behaviour"]
        assert guardrail.check_suspicious_activity(
            behaviour=report.details["behaviour"],
            description=report.description,
            vehicle=report.details.get("vehicle", ""),
            direction=report.details.get("direction", ""),
        ).passed


def test_answers_are_valid_for_their_categories_questions(reports):
    answered = [report for report in reports if report.answers]
    assert answered
    for report in answered:
        assert clean_answers(report.category, report.answers) == report.answers


def test_some_reports_are_private_some_by_demo_residents_some_in_spanish(reports):
    residents = set(
        User.objects.filter(email__in=[email for email, *_ in DEMO_RESIDENTS]).values_list(
            "pk", flat=True
        )
    )
    assert any(report.is_private for report in reports)
    assert {report.reporter_id for report in reports if report.reporter_id} <= residents
    assert len({report.reporter_id for report in reports if report.reporter_id}) >= 5
    assert any(report.language == "es" for report in reports)
    assert Report.public_objects.count() < len(reports)


def test_no_notification_is_queued_for_demo_reports():
    assert ReporterNotification.objects.count() == 0


def test_categories_have_groups_and_spanish_translations():
    categories = Category.objects.filter(force__slug="seattle")
    assert {category.code for category in categories} >= {spec.code for spec in CATEGORIES}
    for category in categories:
        assert category.group
        spanish = category.translations["es"]
        assert spanish["name"] and spanish["description"] and spanish["group"]
        assert category.translated("name", "es") != category.name
    assert categories.get(code="street-light").handled_by == "Seattle City Light"
    assert categories.filter(is_sensitive=True).count() >= 2


def test_categories_ask_open311_questions_of_each_type():
    vehicle = Category.objects.get(code="abandoned-vehicle")
    colour = vehicle.questions.get(code="vehicle-colour")
    assert colour.datatype == QuestionType.SINGLE_CHOICE
    assert dict(colour.choice_pairs("es"))["red"] == "Rojo"
    assert vehicle.questions.filter(code="licence-plate").exists()
    speeding = Category.objects.get(code="speeding").questions.get()
    assert speeding.datatype == QuestionType.MULTIPLE_CHOICE
    noise = Category.objects.get(code="noise").questions.get()
    assert noise.datatype == QuestionType.DATETIME
    assert noise.translated("prompt", "es") == "¿Cuándo lo oyó por última vez?"
