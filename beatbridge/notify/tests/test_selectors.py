"""Reads for the notify pages and API: the access helpers, figures and what a team sent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.errors import NotFound, PermissionDenied
from beatbridge.notify import selectors
from beatbridge.notify.models import Audience, Channel, DeliveryStatus
from beatbridge.notify.tests.factories import AlertDeliveryFactory, AlertFactory
from beatbridge.places.tests.factories import NeighbourhoodFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_figures_are_one_grouped_query_plus_reasons(django_assert_num_queries, fremont):
    alert = AlertFactory(neighbourhoods=[fremont], recipient_count=40)
    for status in (DeliveryStatus.SENT, DeliveryStatus.SENT, DeliveryStatus.FAILED):
        AlertDeliveryFactory(alert=alert, channel=Channel.EMAIL, status=status, last_error="x")
    AlertDeliveryFactory(alert=alert, channel=Channel.SMS, status=DeliveryStatus.QUEUED)
    with django_assert_num_queries(2):
        figures = selectors.delivery_figures(alert)
    assert figures.counts[Channel.EMAIL][DeliveryStatus.SENT] == 2
    assert figures.status_totals[DeliveryStatus.FAILED] == 1
    assert figures.total == 4
    assert figures.recipients == 40
    assert figures.in_progress
    assert [(f.channel, f.count) for f in figures.failures] == [("email", 1)]


def test_an_unknown_or_malformed_alert_id_is_not_found():
    with pytest.raises(NotFound):
        selectors.get_alert_for_viewer(UserFactory(), "not-a-uuid")
    with pytest.raises(NotFound):
        selectors.get_alert_for_sender(UserFactory(), "00000000-0000-0000-0000-000000000000")


def test_a_recipient_gets_403_from_the_senders_helper(fremont):
    alert = AlertFactory(neighbourhoods=[fremont])
    person = AlertDeliveryFactory(alert=alert, channel=Channel.INBOX).recipient
    assert selectors.get_alert_for_viewer(person, alert.public_id) == alert
    with pytest.raises(PermissionDenied):
        selectors.get_alert_for_sender(person, alert.public_id)


def test_a_team_sees_its_neighbourhoods_sectors_and_schemes_alerts(force, fremont, fremont_officer):
    ballard = NeighbourhoodFactory(force=force, sector=SectorFactory(force=force))
    ours = AlertFactory(neighbourhoods=[fremont])
    theirs = AlertFactory(neighbourhoods=[ballard])
    own_area = AlertFactory(
        author=fremont_officer,
        audience=Audience.AREA,
        latitude=47.6,
        longitude=-122.3,
        radius_metres=500,
    )
    sector_alert = AlertFactory(audience=Audience.SECTOR, sector=ballard.sector)
    assert set(selectors.alerts_sent_by_team(fremont_officer)) == {ours, own_area}
    supervisor = OfficerProfileFactory(force=force, supervisor=True).user
    assert set(selectors.alerts_sent_by_team(supervisor)) == {ours, theirs, sector_alert}
    assert set(selectors.alerts_sent_by_team(AdministratorFactory())) == {
        ours,
        theirs,
        own_area,
        sector_alert,
    }
    assert not selectors.alerts_sent_by_team(UserFactory()).exists()


def test_unread_replies_are_counted_per_alert(fremont, fremont_officer):
    from beatbridge.notify.models import AlertReply

    alert = AlertFactory(author=fremont_officer, neighbourhoods=[fremont])
    for read_at in (None, None, timezone.now()):
        AlertReply.objects.create(alert=alert, author=UserFactory(), body="hi", read_at=read_at)
    assert selectors.alerts_sent_by_team(fremont_officer).get().unread_replies == 2


def test_only_supervisors_and_administrators_may_alert_sectors(force, fremont, fremont_officer):
    other_force_sector = SectorFactory()
    supervisor = OfficerProfileFactory(force=force, supervisor=True).user
    assert selectors.sectors_user_may_alert(fremont_officer) == []
    assert selectors.sectors_user_may_alert(supervisor) == [fremont.sector]
    assert other_force_sector in selectors.sectors_user_may_alert(AdministratorFactory())


def test_the_inbox_is_newest_first_and_counts_unread(fremont):
    person = UserFactory()
    older = AlertDeliveryFactory(
        alert=AlertFactory(neighbourhoods=[fremont]),
        recipient=person,
        channel=Channel.INBOX,
        created_at=timezone.now() - datetime.timedelta(days=1),
        read_at=timezone.now(),
    )
    newer = AlertDeliveryFactory(
        alert=AlertFactory(neighbourhoods=[fremont]), recipient=person, channel=Channel.INBOX
    )
    AlertDeliveryFactory(recipient=person, channel=Channel.EMAIL)
    assert list(selectors.inbox_of(person)) == [newer, older]
    assert selectors.unread_count(person) == 1


def test_an_officer_may_alert_only_their_teams_neighbourhoods(force, fremont, fremont_officer):
    TeamAssignmentFactory(officer__force=force)
    assert selectors.neighbourhoods_user_may_alert(fremont_officer) == [fremont]
    assert not selectors.may_send_alerts(UserFactory())


def test_figures_are_in_progress_until_the_fan_out_has_written_every_row(fremont):
    """Right after sending, no row exists yet: the figures must not look finished."""
    alert = AlertFactory(neighbourhoods=[fremont], fanned_out_at=None)
    assert selectors.delivery_figures(alert).in_progress
    alert.fanned_out_at = timezone.now()
    AlertDeliveryFactory(alert=alert, channel=Channel.INBOX, status=DeliveryStatus.DELIVERED)
    assert not selectors.delivery_figures(alert).in_progress
