"""Who sees which report, and what the inbox, the public list and the suggestions return."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.places.tests.factories import NeighbourhoodFactory, SectorFactory
from beatbridge.reports import selectors, services
from beatbridge.reports.models import GuardrailTrigger, Priority, ReportKind, Source, Status
from beatbridge.reports.selectors import InboxFilters
from beatbridge.reports.tests.factories import CategoryFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(fremont, street_light, force):
    """One report of each kind that the public must or must not see."""
    sensitive = CategoryFactory(force=force, code="harassment", sensitive=True)
    suspicious = CategoryFactory(force=force, code="suspicious", suspicious=True)
    return {
        "public": ReportFactory(category=street_light, neighbourhood=fremont),
        "private": ReportFactory(category=street_light, neighbourhood=fremont, is_private=True),
        "sensitive": ReportFactory(category=sensitive, neighbourhood=fremont),
        "tip": ReportFactory(category=street_light, neighbourhood=fremont, kind=ReportKind.TIP),
        "suspicious": ReportFactory(
            category=suspicious, neighbourhood=fremont, kind=ReportKind.SUSPICIOUS_ACTIVITY
        ),
    }


def test_the_public_sees_only_open_categories_of_concerns(reports, fremont):
    assert list(selectors.public_reports(neighbourhood=fremont)) == [reports["public"]]


@pytest.mark.parametrize("name", ["private", "sensitive", "tip", "suspicious"])
def test_a_non_public_report_does_not_exist_for_the_public(reports, name):
    reference = reports[name].reference
    for person in (AnonymousUser(), UserFactory()):
        with pytest.raises(NotFound):
            selectors.get_report_for_user(person, reference)


def test_a_public_report_is_readable_by_anyone_but_handled_by_its_team(reports, fremont_officer):
    reference = reports["public"].reference
    assert selectors.get_report_for_user(AnonymousUser(), reference) == reports["public"]
    with pytest.raises(PermissionDenied):
        selectors.get_report_for_triage(UserFactory(), reference)
    assert selectors.get_report_for_triage(fremont_officer, reference) == reports["public"]


def test_the_reporter_sees_their_private_report_but_cannot_handle_it(reports):
    reporter = UserFactory()
    private = reports["private"]
    private.reporter = reporter
    private.save()
    assert selectors.get_report_for_user(reporter, private.reference) == private
    with pytest.raises(PermissionDenied):
        selectors.get_report_for_triage(reporter, private.reference)


def test_an_unknown_reference_is_not_found(fremont_officer):
    with pytest.raises(NotFound):
        selectors.get_report_for_user(fremont_officer, "NOPE1234")


def test_the_follow_up_code_finds_its_report_however_it_is_typed(fremont, street_light):
    result = services.submit_report(
        kind=ReportKind.TIP,
        category=street_light,
        description="Cars racing every night after midnight.",
        place=services.Place(address="N 36th St", neighbourhood=fremont),
        source=Source.WEB,
    )
    typed = result.follow_up_code.lower().replace("-", " ")
    assert selectors.get_report_by_follow_up_code(typed) == result.report
    assert selectors.get_report_by_follow_up_code("AAAA-BBBB-CCCC-DDDD") is None


def test_the_inbox_shows_open_reports_oldest_first_and_filters(fremont, street_light, reports):
    now = timezone.now()
    old = ReportFactory(
        category=street_light,
        neighbourhood=fremont,
        created_at=now - datetime.timedelta(days=9),
        priority=Priority.HIGH,
    )
    ReportFactory(category=street_light, neighbourhood=fremont, status=Status.RESOLVED)
    ReportFactory(category=street_light)  # no neighbourhood: not Fremont's

    inbox = list(selectors.inbox(fremont))
    assert inbox[0] == old
    assert len(inbox) == 6
    assert all(report.status != Status.RESOLVED for report in inbox)

    tips = selectors.inbox(fremont, InboxFilters(kind=ReportKind.TIP))
    assert list(tips) == [reports["tip"]]
    resolved = selectors.inbox(fremont, InboxFilters(statuses=(Status.RESOLVED,)))
    assert [report.status for report in resolved] == [Status.RESOLVED]
    by_priority = list(selectors.inbox(fremont, InboxFilters(sort="priority")))
    assert by_priority[0] == old
    assert list(selectors.inbox(fremont, InboxFilters(search=old.reference))) == [old]


def test_the_inbox_reads_in_one_query_however_long(
    fremont, street_light, django_assert_num_queries
):
    ReportFactory.create_batch(30, category=street_light, neighbourhood=fremont)
    with django_assert_num_queries(1):
        rows = list(selectors.inbox(fremont))
        assert [row.category.name for row in rows]
        assert [row.neighbourhood.name for row in rows]


def test_status_counts_name_every_status(fremont, street_light):
    ReportFactory(category=street_light, neighbourhood=fremont, status=Status.REFERRED)
    counts = selectors.status_counts(selectors.inbox(fremont, InboxFilters(open_only=False)))
    assert counts[Status.REFERRED] == 1
    assert counts[Status.NEW] == 0
    assert set(counts) == set(Status.values)


def test_a_sector_inbox_holds_its_neighbourhoods_reports(fremont, street_light, force):
    elsewhere = NeighbourhoodFactory(force=force, sector=SectorFactory(force=force))
    ours = ReportFactory(category=street_light, neighbourhood=fremont)
    ReportFactory(category=street_light, neighbourhood=elsewhere)
    assert list(selectors.sector_inbox(fremont.sector)) == [ours]


def test_unplaced_reports_are_the_forces_without_a_neighbourhood(fremont, street_light, force):
    unplaced = ReportFactory(category=street_light, neighbourhood=None)
    ReportFactory(category=street_light, neighbourhood=fremont)
    assert list(selectors.unplaced_inbox(force)) == [unplaced]


def test_duplicate_suggestions_are_near_in_place_and_time(fremont, street_light, force):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    near = ReportFactory(
        category=street_light,
        neighbourhood=fremont,
        latitude=report.latitude + 0.0005,  # about 55 m
    )
    ReportFactory(category=street_light, latitude=report.latitude + 0.01)  # about 1.1 km
    ReportFactory(
        category=street_light,
        created_at=report.created_at - datetime.timedelta(days=60),
    )
    ReportFactory(category=CategoryFactory(force=force), neighbourhood=fremont)
    ReportFactory(category=street_light, status=Status.DUPLICATE, duplicate_of=near)

    candidates = selectors.duplicate_candidates(report, viewer=AdministratorFactory())
    assert [candidate.report for candidate in candidates] == [near]
    assert 50 <= candidates[0].distance_metres <= 60


def test_duplicate_suggestions_offer_only_reports_the_viewer_may_handle(
    fremont, fremont_officer, street_light, force
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    mine = ReportFactory(category=street_light, neighbourhood=fremont, latitude=report.latitude)
    next_door = NeighbourhoodFactory(force=force)
    ReportFactory(
        category=street_light,
        neighbourhood=next_door,
        kind=ReportKind.TIP,
        latitude=report.latitude + 0.0002,
    )
    offered = selectors.duplicate_candidates(report, viewer=fremont_officer)
    assert [candidate.report for candidate in offered] == [mine]


def test_duplicate_suggestions_for_an_address_match_the_address(street_light):
    report = ReportFactory(category=street_light, latitude=None, address="Troll Ave N")
    same = ReportFactory(category=street_light, latitude=None, address="troll ave n")
    assert [
        candidate.report
        for candidate in selectors.duplicate_candidates(report, viewer=AdministratorFactory())
    ] == [same]


def test_who_has_an_inbox(fremont, fremont_officer, force):
    other = NeighbourhoodFactory(force=force)
    supervisor = OfficerProfileFactory(force=force, supervisor=True).user
    assert selectors.neighbourhoods_to_triage(fremont_officer) == [fremont]
    assert set(selectors.neighbourhoods_to_triage(supervisor)) == {fremont, other}
    assert len(selectors.neighbourhoods_to_triage(AdministratorFactory())) == 2
    assert selectors.neighbourhoods_to_triage(UserFactory()) == []
    assert selectors.neighbourhoods_to_triage(AnonymousUser()) == []
    ended = TeamAssignmentFactory(
        officer__force=force,
        neighbourhood=other,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    assert selectors.neighbourhoods_to_triage(ended.officer.user) == []


def test_my_reports_are_only_mine(street_light):
    me, someone = UserFactory(), UserFactory()
    mine = ReportFactory(category=street_light, reporter=me)
    ReportFactory(category=street_light, reporter=someone)
    assert list(selectors.reports_of(me)) == [mine]


def test_public_features_carry_the_approximate_place_only(reports, fremont):
    features = selectors.public_report_features(selectors.public_reports(neighbourhood=fremont))[
        "features"
    ]
    assert len(features) == 1
    report = reports["public"]
    assert features[0]["geometry"]["coordinates"] == [
        report.public_longitude,
        report.public_latitude,
    ]
    assert set(features[0]["properties"]) == {"reference", "category", "status", "reported"}


def test_guardrail_counts_by_rule_in_the_period():
    GuardrailTrigger.objects.create(rule="appearance_only")
    GuardrailTrigger.objects.create(rule="appearance_only")
    GuardrailTrigger.objects.create(rule="no_behaviour")
    GuardrailTrigger.objects.create(
        rule="no_behaviour", at=timezone.now() - datetime.timedelta(days=400)
    )
    assert selectors.guardrail_counts() == [
        {"rule": "appearance_only", "count": 2},
        {"rule": "no_behaviour", "count": 1},
    ]


@pytest.mark.parametrize("reference", ["NUL\x00BYTE", "a b", "Ü1234567", "X" * 17, ""])
def test_a_malformed_reference_is_simply_not_found(fremont_officer, reference):
    with pytest.raises(NotFound):
        selectors.get_report_for_user(fremont_officer, reference)
