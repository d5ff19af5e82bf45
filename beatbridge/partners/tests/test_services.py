from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import UserFactory
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import Conflict, DomainError, PermissionDenied
from beatbridge.partners import services
from beatbridge.partners.models import (
    Contact,
    Engagement,
    FollowUp,
    OrganisationKind,
    RaisedConcern,
    Referral,
    ReferralStatus,
)
from beatbridge.partners.tests.factories import (
    ConcernFactory,
    EngagementFactory,
    FollowUpFactory,
    OrganisationFactory,
)
from beatbridge.reports.models import Report, Status
from beatbridge.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _details(**overrides):
    values = {"name": "Troll Café", "kind": OrganisationKind.BUSINESS}
    values.update(overrides)
    return services.OrganisationDetails(**values)


def test_organisation_slug_comes_from_the_name_and_is_unique(force, liaison):
    first = services.create_organisation(by=liaison, force=force, details=_details())
    OrganisationFactory(slug="new-hope")
    second = services.create_organisation(
        by=liaison, force=force, details=_details(name="New Hope")
    )
    assert first.slug == "troll-cafe"
    assert second.slug == "new-hope-2"


def test_organisation_named_new_does_not_take_the_add_page_address(force, liaison):
    organisation = services.create_organisation(
        by=liaison, force=force, details=_details(name="New")
    )
    assert organisation.slug == "new-2"


def test_same_name_in_the_same_force_is_refused(force, liaison):
    services.create_organisation(by=liaison, force=force, details=_details())
    with pytest.raises(Conflict) as error:
        services.create_organisation(by=liaison, force=force, details=_details(name="troll café"))
    assert error.value.field == "name"


def test_officer_of_another_force_cannot_create(force, other_force_officer):
    with pytest.raises(PermissionDenied):
        services.create_organisation(by=other_force_officer, force=force, details=_details())


def test_resident_cannot_create(force, resident):
    with pytest.raises(PermissionDenied):
        services.create_organisation(by=resident, force=force, details=_details())


def test_neighbourhood_of_another_force_is_refused(force, liaison):
    from beatbridge.places.tests.factories import NeighbourhoodFactory

    elsewhere = NeighbourhoodFactory()
    with pytest.raises(DomainError) as error:
        services.create_organisation(
            by=liaison, force=force, details=_details(neighbourhoods=[elsewhere])
        )
    assert error.value.field == "neighbourhoods"


def test_update_records_changed_fields(school, liaison, fremont):
    details = _details(
        name="Fremont Primary School", kind=school.kind, neighbourhoods=[fremont], languages=["en"]
    )
    services.update_organisation(organisation=school, by=liaison, details=details)
    school.refresh_from_db()
    assert school.name == "Fremont Primary School"
    assert school.slug == "fremont-primary"
    entry = AuditEntry.objects.get(action="partner.updated")
    assert entry.detail == {"fields": ["name"]}


def test_add_contact_by_email_of_an_existing_account(school, liaison):
    person = UserFactory(email="head@school.example")
    contact = services.add_contact(organisation=school, by=liaison, email="HEAD@school.example")
    assert contact.user == person
    assert contact.is_active


def test_add_contact_refuses_an_unknown_address(school, liaison):
    with pytest.raises(DomainError) as error:
        services.add_contact(organisation=school, by=liaison, email="nobody@example.org")
    assert error.value.field == "email"
    assert not Contact.objects.exists()


def test_add_contact_refuses_police_accounts(school, liaison, supervisor):
    with pytest.raises(DomainError):
        services.add_contact(organisation=school, by=liaison, email=supervisor.email)


@pytest.mark.parametrize("adder", ["administrator", "liaison"])
def test_adding_a_resident_makes_them_a_partner_member(school, adder, request):
    person = UserFactory()
    services.add_contact(organisation=school, by=request.getfixturevalue(adder), email=person.email)
    person.refresh_from_db()
    assert person.role == Role.PARTNER


def test_ending_a_contact_keeps_the_row_and_adding_again_reactivates(school, liaison, contact):
    row = Contact.objects.get(user=contact)
    services.end_contact(contact=row, by=liaison)
    row.refresh_from_db()
    assert not row.is_active
    again = services.add_contact(organisation=school, by=liaison, email=contact.email)
    assert again.pk == row.pk and again.is_active


def test_adding_an_active_contact_twice_is_a_conflict(school, liaison, contact):
    with pytest.raises(Conflict):
        services.add_contact(organisation=school, by=liaison, email=contact.email)


def _log(school, liaison, **overrides):
    values = {
        "by": liaison,
        "organisation": school,
        "kind": "meeting",
        "occurred_at": timezone.now() - datetime.timedelta(hours=2),
        "summary": "Termly catch-up",
        "topics": ["parking", "Parking", "knife crime"],
        "concerns": ["Parking on the zig-zags"],
        "follow_ups": [
            services.FollowUpDetails(
                description="Send a PCSO", due_on=timezone.localdate(), owner=liaison
            )
        ],
    }
    values.update(overrides)
    return services.log_engagement(**values)


def test_log_engagement_with_concerns_and_follow_ups(school, liaison):
    engagement = _log(school, liaison)
    assert engagement.topics == ["parking", "knife crime"]
    assert [c.description for c in engagement.concerns.all()] == ["Parking on the zig-zags"]
    assert engagement.follow_ups.get().owner == liaison
    assert AuditEntry.objects.filter(action="engagement.logged").count() == 1


def test_a_bad_follow_up_refuses_the_whole_engagement(school, liaison, resident):
    bad = services.FollowUpDetails(description="x", due_on=timezone.localdate(), owner=resident)
    with pytest.raises(DomainError) as error:
        _log(school, liaison, follow_ups=[bad])
    assert error.value.field == "follow_ups.0"
    assert (Engagement.staff_objects.count(), RaisedConcern.objects.count()) == (0, 0)


def test_engagement_in_the_future_is_refused(school, liaison):
    with pytest.raises(DomainError) as error:
        _log(school, liaison, occurred_at=timezone.now() + datetime.timedelta(days=1))
    assert error.value.field == "occurred_at"


def test_nul_in_a_concern_is_refused(school, liaison):
    with pytest.raises(DomainError):
        _log(school, liaison, concerns=["bad\x00"])


def test_complete_follow_up_once(school, liaison):
    follow_up = FollowUpFactory(engagement=EngagementFactory(organisation=school, officer=liaison))
    services.complete_follow_up(follow_up=follow_up, by=liaison, outcome="PCSO went")
    follow_up.refresh_from_db()
    assert follow_up.done_by == liaison and follow_up.outcome == "PCSO went"
    with pytest.raises(Conflict):
        services.complete_follow_up(follow_up=follow_up, by=liaison, outcome="again")


def test_reassign_only_to_police_of_the_force(school, liaison, supervisor, other_force_officer):
    follow_up = FollowUpFactory(engagement=EngagementFactory(organisation=school, officer=liaison))
    services.reassign_follow_up(follow_up=follow_up, by=liaison, owner=supervisor)
    assert FollowUp.objects.get().owner == supervisor
    with pytest.raises(DomainError):
        services.reassign_follow_up(follow_up=follow_up, by=liaison, owner=other_force_officer)


def test_concern_becomes_a_private_report_once(school, fremont, fremont_officer, street_light):
    concern = ConcernFactory(
        engagement=EngagementFactory(organisation=school, neighbourhood=fremont)
    )
    report = services.concern_to_report(concern=concern, by=fremont_officer, category=street_light)
    concern.refresh_from_db()
    assert concern.report_reference == report.reference
    assert report.is_private and report.neighbourhood == fremont
    with pytest.raises(Conflict):
        services.concern_to_report(concern=concern, by=fremont_officer, category=street_light)
    assert Report.staff_objects.count() == 1


def test_concern_without_a_neighbourhood_needs_one(school, liaison, street_light):
    concern = ConcernFactory(engagement=EngagementFactory(organisation=school))
    with pytest.raises(DomainError) as error:
        services.concern_to_report(concern=concern, by=liaison, category=street_light)
    assert error.value.field == "neighbourhood"


def test_concern_becomes_a_priority_candidate(school, fremont, fremont_officer):
    from beatbridge.voice.models import Cycle, Priority

    today = timezone.localdate()
    Cycle.objects.create(
        neighbourhood=fremont,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=60),
        voting_opens_on=today + datetime.timedelta(days=10),
        voting_closes_on=today + datetime.timedelta(days=20),
    )
    concern = ConcernFactory(
        engagement=EngagementFactory(organisation=school, neighbourhood=fremont)
    )
    priority = services.concern_to_priority(concern=concern, by=fremont_officer)
    concern.refresh_from_db()
    assert concern.priority_id == priority.pk
    assert Priority.objects.get().description == concern.description


def test_concern_to_priority_without_a_cycle_is_refused(school, fremont, fremont_officer):
    concern = ConcernFactory(
        engagement=EngagementFactory(organisation=school, neighbourhood=fremont)
    )
    with pytest.raises(DomainError) as error:
        services.concern_to_priority(concern=concern, by=fremont_officer)
    assert error.value.code == "no_open_cycle"


def test_refer_to_organisation_refers_the_report_and_creates_a_referral(
    school, fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    services.refer_to_organisation(
        report=report, by=fremont_officer, organisation=school, note="The school can help."
    )
    report.refresh_from_db()
    assert report.status == Status.REFERRED and report.referred_to == school.name
    assert Referral.objects.get().organisation == school


def test_refer_twice_to_the_same_organisation_is_a_conflict(
    school, fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    services.refer_to_organisation(report=report, by=fremont_officer, organisation=school, note="a")
    with pytest.raises(Conflict):
        services.refer_to_organisation(
            report=report, by=fremont_officer, organisation=school, note="b"
        )
    assert Referral.objects.count() == 1


def test_refer_to_an_organisation_of_another_force_is_refused(
    fremont, fremont_officer, street_light
):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    with pytest.raises(DomainError):
        services.refer_to_organisation(
            report=report, by=fremont_officer, organisation=OrganisationFactory(), note="a"
        )
    assert not Referral.objects.exists()


@pytest.fixture
def referral(school, fremont, fremont_officer, street_light):
    report = ReportFactory(category=street_light, neighbourhood=fremont)
    services.refer_to_organisation(report=report, by=fremont_officer, organisation=school, note="a")
    return Referral.objects.get()


def test_contact_accepts_then_closes(referral, contact):
    services.respond_to_referral(referral=referral, by=contact, status="accepted", response="")
    services.respond_to_referral(referral=referral, by=contact, status="closed", response="Done")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED and referral.response == "Done"


def test_decline_needs_a_reason(referral, contact):
    with pytest.raises(DomainError) as error:
        services.respond_to_referral(referral=referral, by=contact, status="declined", response="")
    assert error.value.field == "response"


def test_closed_referral_cannot_be_accepted(referral, contact):
    services.respond_to_referral(referral=referral, by=contact, status="declined", response="No")
    with pytest.raises(Conflict):
        services.respond_to_referral(referral=referral, by=contact, status="accepted", response="")


def test_only_the_organisations_contacts_respond(referral, fremont_officer):
    other = Contact.objects.create(organisation=OrganisationFactory(), user=UserFactory()).user
    for person in (fremont_officer, other):
        with pytest.raises(PermissionDenied):
            services.respond_to_referral(
                referral=referral, by=person, status="accepted", response=""
            )


def test_an_ended_contact_cannot_respond(referral, contact):
    Contact.objects.filter(user=contact).update(is_active=False)
    with pytest.raises(PermissionDenied):
        services.respond_to_referral(referral=referral, by=contact, status="accepted", response="")
