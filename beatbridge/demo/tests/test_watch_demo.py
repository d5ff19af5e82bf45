from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from beatbridge.accounts.models import User
from beatbridge.demo.services import load_demo
from beatbridge.demo.voice import load_voice
from beatbridge.demo.watch import load_watch
from beatbridge.notify.models import Alert, AlertDelivery, Audience, Channel
from beatbridge.watch import selectors
from beatbridge.watch.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    RotaSignup,
    RotaSlot,
    Scheme,
    SchemeStatus,
)
from beatbridge.watch.services import WATCH_DORMANT_AFTER_DAYS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_watch")]


@pytest.fixture(scope="module")
def demo_watch(django_db_setup, django_db_blocker):
    """The demo city, its residents and watch schemes, loaded once, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        city = load_demo()
        load_voice(city.force)
        yield load_watch(city.force)
        transaction.set_rollback(True)


def _snapshot() -> list[list[tuple]]:
    return [
        list(Scheme.objects.order_by("name").values_list("name", "status", "created_at")),
        list(
            Membership.objects.order_by("scheme__name", "user__email").values_list(
                "scheme__name", "user__email", "role", "status", "requested_at"
            )
        ),
        list(RotaSlot.objects.order_by("scheme__name", "starts_at").values_list("starts_at")),
        list(Alert.objects.filter(audience=Audience.SCHEME).order_by("created_at").values_list(
            "scheme__name", "title", "created_at"
        )),
    ]  # fmt: skip


def test_schemes_in_about_a_dozen_neighbourhoods_in_every_status(demo_watch):
    schemes = Scheme.objects.all()
    assert demo_watch.schemes_created == schemes.count()
    assert 10 <= schemes.values("neighbourhood").distinct().count() <= 14
    statuses = [scheme.status for scheme in schemes]
    assert set(statuses) == set(SchemeStatus.values)
    assert statuses.count(SchemeStatus.ACTIVE) > len(statuses) / 2
    declined = schemes.get(status=SchemeStatus.DECLINED)
    assert declined.decision_note and declined.decided_by is not None
    proposed = schemes.get(status=SchemeStatus.PROPOSED)
    assert proposed.neighbourhood.code == "fremont" and proposed.decided_at is None


def test_drawn_areas_lie_inside_their_neighbourhood():
    with_area = Scheme.objects.exclude(area=None).select_related("neighbourhood")
    assert with_area.count() >= 3
    for scheme in with_area:
        area, boundary = shape(scheme.area), shape(scheme.neighbourhood.boundary).buffer(1e-6)
        assert area.difference(boundary).area <= 0.1 * area.area, scheme.name


def test_the_dormant_scheme_has_been_quiet_longer_than_the_team_waits():
    dormant = Scheme.objects.get(status=SchemeStatus.DORMANT)
    quiet = timezone.now() - dormant.last_activity_at
    assert quiet > datetime.timedelta(days=WATCH_DORMANT_AFTER_DAYS)
    assert not RotaSlot.objects.filter(scheme=dormant, starts_at__gt=timezone.now()).exists()
    for scheme in Scheme.objects.filter(status=SchemeStatus.ACTIVE):
        assert timezone.now() - scheme.last_activity_at < datetime.timedelta(days=7)


def test_members_are_the_neighbourhoods_residents_with_a_coordinator_and_a_deputy():
    for scheme in Scheme.objects.filter(status=SchemeStatus.ACTIVE):
        members = Membership.objects.filter(scheme=scheme).select_related("user")
        assert all(m.user.home_neighbourhood_id == scheme.neighbourhood_id for m in members), (
            scheme.name
        )
        approved = members.filter(status=MembershipStatus.APPROVED)
        roles = set(approved.values_list("role", flat=True))
        assert {MemberRole.COORDINATOR, MemberRole.DEPUTY, MemberRole.MEMBER} <= roles
        assert members.filter(status=MembershipStatus.REQUESTED).count() == 2


def test_jordan_coordinates_an_active_fremont_scheme_with_requests_and_an_upcoming_rota():
    jordan = User.objects.get(email="resident@beatbridge.invalid")
    scheme = Scheme.objects.get(
        neighbourhood__code="fremont", status=SchemeStatus.ACTIVE, proposed_by=jordan
    )

    assert selectors.runs_scheme(jordan, scheme)
    assert selectors.membership_of(jordan, scheme).role == MemberRole.COORDINATOR
    assert selectors.member_count(scheme) >= 4
    assert selectors.requests_to_join(scheme).count() == 2
    upcoming = list(selectors.upcoming_rota(scheme))
    assert len(upcoming) >= 4
    assert all(
        timezone.now() < slot.starts_at < timezone.now() + datetime.timedelta(days=15)
        for slot in upcoming
    )


def test_lucia_belongs_to_the_south_park_scheme_and_reads_its_messages_in_spanish():
    lucia = User.objects.get(email="residente@beatbridge.invalid")
    scheme = Scheme.objects.get(neighbourhood__code="south-park")

    assert selectors.membership_of(lucia, scheme).status == MembershipStatus.APPROVED
    inbox = AlertDelivery.objects.filter(
        recipient=lucia, channel=Channel.INBOX, alert__scheme=scheme
    ).select_related("alert")
    assert inbox.exists()
    assert all(row.language == "es" and "es" in row.alert.translations for row in inbox)


def test_rota_slots_are_never_overfilled_and_some_are_full():
    full = 0
    for slot in RotaSlot.objects.prefetch_related("signups__member"):
        signups = list(slot.signups.all())
        assert len(signups) <= slot.places
        assert all(s.member.status == MembershipStatus.APPROVED for s in signups)
        assert all(s.member.scheme_id == slot.scheme_id for s in signups)
        full += slot.starts_at > timezone.now() and len(signups) == slot.places
    assert full >= 3
    assert RotaSlot.objects.filter(starts_at__lt=timezone.now()).exists()
    assert RotaSignup.objects.filter(slot__starts_at__lt=timezone.now()).exists()


def test_past_scheme_messages_reached_the_members_once_on_each_channel():
    messages = Alert.objects.filter(audience=Audience.SCHEME).select_related("scheme")
    assert messages.count() >= 10
    for alert in messages:
        assert alert.created_at < timezone.now()
        recipients = set(selectors.message_recipient_ids(alert.scheme))
        delivered = list(alert.deliveries.values_list("recipient_id", "channel"))
        assert len(delivered) == len(set(delivered))
        assert {user for user, _channel in delivered} == recipients
        assert alert.recipient_count == len(recipients)
        joined = Membership.objects.filter(scheme=alert.scheme, user_id__in=recipients)
        assert all(m.decided_at < alert.created_at for m in joined)


def test_loading_again_writes_nothing():
    before = _snapshot()

    again = load_watch(Scheme.objects.first().neighbourhood.force)

    assert again.schemes_created == again.memberships_created == again.messages_created == 0
    assert _snapshot() == before
