from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from beatbridge.accounts.models import Role, User
from beatbridge.demo.partners import load_partners
from beatbridge.demo.reports import load_reports
from beatbridge.demo.services import DEMO_PASSWORD, demo_sign_ins, load_demo
from beatbridge.demo.voice import load_voice
from beatbridge.notify.models import DeliveryStatus
from beatbridge.partners import selectors
from beatbridge.partners.models import (
    Contact,
    Engagement,
    FollowUp,
    Organisation,
    OrganisationKind,
    RaisedConcern,
    Referral,
    ReferralStatus,
)
from beatbridge.reports.models import Report, ReporterNotification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_partners")]

PARTNER = "partner@beatbridge.invalid"
LIAISON = "liaison@beatbridge.invalid"


@pytest.fixture(scope="module")
def demo_partners(django_db_setup, django_db_blocker):
    """The demo city, its reports, voice and partners, loaded once, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        city = load_demo()
        load_reports(city.force)
        load_voice(city.force)
        yield load_partners(city.force)
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    models = [Organisation, Contact, FollowUp, RaisedConcern, Referral]
    return {
        **{model.__name__: model.objects.count() for model in models},
        "Engagement": Engagement.staff_objects.count(),
        "Report": Report.staff_objects.count(),
    }


def test_organisations_of_every_kind_serving_neighbourhoods_with_contacts(demo_partners):
    organisations = Organisation.objects.prefetch_related("neighbourhoods", "contacts")
    assert demo_partners.organisations_created == organisations.count() >= 12
    assert set(organisations.values_list("kind", flat=True)) == set(OrganisationKind.values)
    for organisation in organisations:
        assert organisation.neighbourhoods.exists(), organisation.name
        assert organisation.languages and organisation.help_offered, organisation.name
        assert organisation.contacts.filter(is_active=True).exists(), organisation.name
        assert organisation.email.endswith(".invalid")
    contacts = User.objects.filter(partner_contacts__isnull=False).distinct()
    assert set(contacts.values_list("role", flat=True)) == {Role.PARTNER}


def test_the_partner_account_signs_in_with_the_published_password_and_is_listed(client):
    assert (
        "Partner-organisation member",
        PARTNER,
    ) in demo_sign_ins()
    assert client.login(email=PARTNER, password=DEMO_PASSWORD)
    sam = User.objects.get(email=PARTNER)
    assert sam.role == Role.PARTNER
    assert [
        o.neighbourhoods.filter(code="fremont").exists()
        for o in selectors.portal_organisations(sam)
    ] == [True]


def test_the_partner_sees_a_referral_its_shared_engagements_and_a_co_organised_event():
    sam = User.objects.get(email=PARTNER)

    referrals = list(selectors.portal_referrals(sam))
    engagements = list(selectors.portal_engagements(sam))
    events = list(selectors.portal_events(sam))

    assert {r.status for r in referrals} >= {ReferralStatus.ACCEPTED, ReferralStatus.OPEN}
    accepted = next(r for r in referrals if r.status == ReferralStatus.ACCEPTED)
    assert accepted.response and accepted.responded_at > accepted.referred_at
    assert engagements and all(e.shared_with_partner for e in engagements)
    organisation = selectors.portal_organisations(sam).get()
    hidden = Engagement.staff_objects.filter(organisation=organisation, shared_with_partner=False)
    assert hidden.exists()
    assert events and all(e.starts_at > timezone.now() for e in events)


def test_the_liaison_officer_has_overdue_due_soon_and_later_follow_ups():
    liaison = User.objects.get(email=LIAISON)
    today = timezone.localdate()

    open_ones = list(selectors.follow_ups_for(liaison))

    assert sum(f.is_overdue for f in open_ones) >= 2
    assert sum(today <= f.due_on <= selectors.due_soon_limit() for f in open_ones) >= 2
    assert any(f.due_on > selectors.due_soon_limit() for f in open_ones)
    assert open_ones[0].is_overdue


def test_the_history_spans_six_months_by_several_officers_with_follow_ups_done_and_open():
    engagements = Engagement.staff_objects.all()
    now = timezone.now()
    assert engagements.count() >= 40
    assert all(now - datetime.timedelta(days=200) < e.occurred_at < now for e in engagements)
    assert engagements.values("officer").distinct().count() >= 3
    assert engagements.filter(officer__email=LIAISON).count() >= 8
    done = FollowUp.objects.exclude(done_at=None)
    assert done.exists() and all(f.outcome and f.done_by_id for f in done)
    assert all(f.done_at < now for f in done)


def test_concerns_became_a_report_and_a_priority_candidate_without_messages():
    converted = RaisedConcern.objects.exclude(report_reference="", priority_id=None)
    assert converted.exclude(report_reference="").exists()
    assert converted.exclude(priority_id=None).exists()
    referred = Referral.objects.values("report_id")
    assert not ReporterNotification.objects.filter(
        report__in=referred, status=DeliveryStatus.QUEUED
    ).exists()


def test_loading_again_writes_nothing():
    before = _counts()

    again = load_partners(Organisation.objects.first().force)

    assert again.organisations_created == again.engagements_created == again.referrals_created == 0
    assert _counts() == before
