"""Sending alerts (who may reach whom, how often, with what), following, preferences,
the inbox and replies."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from beatbridge.accounts.models import Role
from beatbridge.accounts.tests.factories import (
    AdministratorFactory,
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.audit.models import AuditEntry
from beatbridge.errors import DomainError, NotFound, PermissionDenied, TooManyRequests
from beatbridge.notify import services
from beatbridge.notify.models import Alert, AlertDelivery, AlertReply, Channel, Follow
from beatbridge.notify.permissions import can_see_alert_figures
from beatbridge.notify.tests.factories import AlertDeliveryFactory, AlertFactory, FollowFactory
from beatbridge.places import services as places_services
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory, square
from beatbridge.watch.models import MemberRole, Membership, MembershipStatus, Scheme, SchemeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def ballard(fremont):
    """Fremont's western neighbour, same force and sector, with its own officer."""
    neighbourhood = NeighbourhoodFactory(
        force=fremont.force, sector=fremont.sector, code="N-BAL", boundary=square(-122.36, 47.65)
    )
    TeamAssignmentFactory(
        officer=OfficerProfileFactory(force=fremont.force), neighbourhood=neighbourhood
    )
    places_services.mark_boundaries_changed()
    return neighbourhood


@pytest.fixture
def scheme(fremont):
    return Scheme.objects.create(
        neighbourhood=fremont,
        name="Elm Road Watch",
        streets=["Elm Road"],
        proposed_by=UserFactory(),
        status=SchemeStatus.ACTIVE,
    )


def member_of(scheme, role=MemberRole.MEMBER, status=MembershipStatus.APPROVED):
    user = UserFactory()
    Membership.objects.create(scheme=scheme, user=user, role=role, status=status)
    return user


@pytest.fixture
def people(fremont, fremont_officer, ballard, scheme):
    """Everyone the permission matrix asks about, by name."""
    other_force = ForceFactory()
    ended = TeamAssignmentFactory(
        officer=OfficerProfileFactory(force=fremont.force),
        neighbourhood=fremont,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    return {
        "officer": fremont_officer,
        "ballard_officer": services_user(ballard),
        "former_officer": ended.officer.user,
        "supervisor": OfficerProfileFactory(force=fremont.force, supervisor=True).user,
        "other_supervisor": OfficerProfileFactory(force=other_force, supervisor=True).user,
        "liaison": OfficerProfileFactory(
            force=fremont.force, user=UserFactory(role=Role.LIAISON_OFFICER)
        ).user,
        "administrator": AdministratorFactory(),
        "resident": UserFactory(),
        "partner": UserFactory(role=Role.PARTNER),
        "coordinator": member_of(scheme, MemberRole.COORDINATOR),
        "deputy": member_of(scheme, MemberRole.DEPUTY),
        "member": member_of(scheme),
        "requested_coordinator": member_of(
            scheme, MemberRole.COORDINATOR, MembershipStatus.REQUESTED
        ),
        "inactive_officer": inactive(services_user(fremont, fresh=True)),
    }


def services_user(neighbourhood, fresh=False):
    from beatbridge.accounts.models import TeamAssignment

    if fresh:
        return TeamAssignmentFactory(
            officer=OfficerProfileFactory(force=neighbourhood.force), neighbourhood=neighbourhood
        ).officer.user
    return TeamAssignment.objects.filter(neighbourhood=neighbourhood).first().officer.user


def inactive(user):
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def send(author, **fields):
    values = {
        "severity": "warning",
        "category": "crime",
        "title": "Break-ins on Elm Road",
        "message": "Lock your doors and sheds tonight.",
        "audience": "neighbourhoods",
        **fields,
    }
    return services.send_alert(author=author, **values)


ALLOWED, REFUSED = True, False

NEIGHBOURHOOD_MATRIX = {
    "officer": ALLOWED,
    "supervisor": ALLOWED,
    "administrator": ALLOWED,
    "ballard_officer": REFUSED,
    "former_officer": REFUSED,
    "other_supervisor": REFUSED,
    "liaison": REFUSED,  # serves no neighbourhood
    "resident": REFUSED,
    "partner": REFUSED,
    "coordinator": REFUSED,
    "inactive_officer": REFUSED,
}


@pytest.mark.parametrize(("who", "allowed"), NEIGHBOURHOOD_MATRIX.items())
def test_who_may_alert_a_neighbourhood(people, fremont, who, allowed):
    if allowed:
        assert send(people[who], neighbourhoods=[fremont]).pk
    else:
        with pytest.raises(PermissionDenied):
            send(people[who], neighbourhoods=[fremont])
        assert Alert.objects.count() == 0


def test_one_neighbourhood_the_sender_may_not_alert_refuses_the_whole_alert(
    people, fremont, ballard
):
    with pytest.raises(PermissionDenied) as refused:
        send(people["officer"], neighbourhoods=[fremont, ballard])
    assert refused.value.field == "neighbourhoods"
    assert Alert.objects.count() == 0


SECTOR_MATRIX = {
    "supervisor": ALLOWED,
    "administrator": ALLOWED,
    "officer": REFUSED,
    "other_supervisor": REFUSED,
    "resident": REFUSED,
    "coordinator": REFUSED,
}


@pytest.mark.parametrize(("who", "allowed"), SECTOR_MATRIX.items())
def test_who_may_alert_a_sector(people, fremont, who, allowed):
    if allowed:
        assert send(people[who], audience="sector", sector=fremont.sector).sector == fremont.sector
    else:
        with pytest.raises(PermissionDenied):
            send(people[who], audience="sector", sector=fremont.sector)
        assert Alert.objects.count() == 0


SCHEME_MATRIX = {
    "coordinator": ALLOWED,
    "deputy": ALLOWED,
    "officer": ALLOWED,
    "supervisor": ALLOWED,
    "administrator": ALLOWED,
    "member": REFUSED,
    "requested_coordinator": REFUSED,
    "ballard_officer": REFUSED,
    "resident": REFUSED,
    "partner": REFUSED,
}


@pytest.mark.parametrize(("who", "allowed"), SCHEME_MATRIX.items())
def test_who_may_message_a_scheme(people, scheme, who, allowed):
    if allowed:
        assert send(people[who], audience="scheme", scheme=scheme).scheme == scheme
    else:
        with pytest.raises(PermissionDenied):
            send(people[who], audience="scheme", scheme=scheme)
        assert Alert.objects.count() == 0


def test_coordinators_may_not_send_urgent_alerts(people, scheme):
    with pytest.raises(PermissionDenied) as refused:
        send(people["coordinator"], audience="scheme", scheme=scheme, severity="urgent")
    assert refused.value.field == "severity"
    assert send(people["officer"], audience="scheme", scheme=scheme, severity="urgent").pk


@pytest.mark.parametrize(
    "status", [SchemeStatus.PROPOSED, SchemeStatus.CLOSED, SchemeStatus.DECLINED]
)
def test_a_scheme_that_is_not_running_cannot_be_messaged(people, scheme, status):
    Scheme.objects.filter(pk=scheme.pk).update(status=status)
    scheme.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        send(people["officer"], audience="scheme", scheme=scheme)
    assert refused.value.field == "scheme"


def test_a_scheme_message_is_sent_to_the_scheme_only_whatever_else_is_given(
    people, scheme, ballard
):
    alert = send(people["coordinator"], audience="scheme", scheme=scheme, neighbourhoods=[ballard])
    assert list(alert.neighbourhoods.all()) == []
    assert alert.latitude is None


def test_an_area_alert_is_for_the_team_of_the_neighbourhood_at_its_centre(people):
    centre = {"audience": "area", "latitude": 47.655, "longitude": -122.345, "radius_metres": 300}
    assert send(people["officer"], **centre).radius_metres == 300
    with pytest.raises(PermissionDenied):
        send(people["ballard_officer"], **centre)
    with pytest.raises(PermissionDenied):
        send(people["coordinator"], **centre)


def test_an_area_alert_outside_every_neighbourhood_is_for_administrators(people):
    outside = {"audience": "area", "latitude": 10.0, "longitude": 10.0, "radius_metres": 300}
    with pytest.raises(PermissionDenied):
        send(people["officer"], **outside)
    assert send(people["administrator"], **outside).pk


def test_an_officer_may_not_reach_other_teams_neighbourhoods_with_a_wide_area_alert(
    people, ballard
):
    """Centred in Fremont with a 5 km radius, the circle covers Ballard, whose team the
    sender is not on: it is a Ballard alert too and needs the right to alert Ballard."""
    FollowFactory(neighbourhood=ballard)
    with pytest.raises(PermissionDenied):
        send(
            people["officer"],
            audience="area",
            latitude=47.655,
            longitude=-122.345,
            radius_metres=5000,
        )


# --- input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "T" * 141}, "title"),
        ({"message": "  "}, "message"),
        ({"message": "a\x00b"}, "message"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"category": "gossip"}, "category"),
        ({"audience": "everyone"}, "audience"),
        ({"neighbourhoods": []}, "neighbourhoods"),
        ({"expires_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}, "expires_at"),
        ({"translations": ["es"]}, "translations"),
        ({"translations": {"es": {"body": "x"}}}, "translations.es.body"),
        ({"translations": {"Español": {"title": "x"}}}, "translations"),
    ],
)
def test_bad_input_is_refused_with_the_field_and_nothing_written(people, fremont, fields, field):
    values = {"neighbourhoods": [fremont], **fields}
    with pytest.raises(DomainError) as refused:
        send(people["officer"], **values)
    assert refused.value.field == field
    assert Alert.objects.count() == 0


def test_an_alert_may_not_outlive_ninety_days(people, fremont):
    with pytest.raises(DomainError) as refused:
        send(
            people["officer"],
            neighbourhoods=[fremont],
            expires_at=timezone.now() + datetime.timedelta(days=91),
        )
    assert refused.value.field == "expires_at"


def test_an_urgent_alert_expires_after_a_day_by_default(people, fremont):
    alert = send(people["officer"], neighbourhoods=[fremont], severity="urgent")
    lifetime = alert.expires_at - alert.created_at
    assert datetime.timedelta(hours=23, minutes=59) < lifetime <= datetime.timedelta(days=1)


def test_sending_is_audited_with_the_author(people, fremont):
    alert = send(people["officer"], neighbourhoods=[fremont])
    entry = AuditEntry.objects.get(action="alert.sent")
    assert (entry.actor, entry.target_id) == (people["officer"], str(alert.pk))


# --- rate limit ---------------------------------------------------------------------------


def test_each_author_may_send_only_so_many_alerts_an_hour(people, fremont, settings):
    settings.NOTIFY_ALERTS_PER_HOUR = 2
    officer = people["officer"]
    send(officer, neighbourhoods=[fremont])
    with pytest.raises(DomainError):
        send(officer, neighbourhoods=[fremont], title="")  # refused input does not count
    send(officer, neighbourhoods=[fremont])
    with pytest.raises(TooManyRequests):
        send(officer, neighbourhoods=[fremont])
    assert Alert.objects.filter(author=officer).count() == 2
    # Another author has their own allowance.
    assert send(people["supervisor"], neighbourhoods=[fremont]).pk


def test_the_hourly_allowance_comes_back_after_an_hour(people, fremont, settings):
    from freezegun import freeze_time

    settings.NOTIFY_ALERTS_PER_HOUR = 1
    start = timezone.now()
    with freeze_time(start):
        send(people["officer"], neighbourhoods=[fremont])
    with freeze_time(start + datetime.timedelta(minutes=59)), pytest.raises(TooManyRequests):
        send(people["officer"], neighbourhoods=[fremont])
    with freeze_time(start + datetime.timedelta(minutes=61)):
        assert send(people["officer"], neighbourhoods=[fremont]).pk


# --- figures and replies ------------------------------------------------------------------


def test_the_sender_and_their_team_see_the_figures_others_do_not(people, fremont):
    alert = send(people["officer"], neighbourhoods=[fremont])
    teammate = services_user(fremont, fresh=True)
    assert can_see_alert_figures(people["officer"], alert)
    assert can_see_alert_figures(teammate, alert)
    assert can_see_alert_figures(people["supervisor"], alert)
    assert not can_see_alert_figures(people["ballard_officer"], alert)
    assert not can_see_alert_figures(people["resident"], alert)


def test_the_team_sees_the_figures_of_an_area_alert_in_their_neighbourhood(people, fremont):
    alert = send(
        people["officer"], audience="area", latitude=47.655, longitude=-122.345, radius_metres=300
    )
    teammate = services_user(fremont, fresh=True)
    assert can_see_alert_figures(teammate, alert)
    assert not can_see_alert_figures(people["ballard_officer"], alert)


def test_only_people_the_alert_reached_may_reply(people, fremont):
    alert = AlertFactory(neighbourhoods=[fremont], author=people["officer"])
    reached = AlertDeliveryFactory(alert=alert, channel=Channel.INBOX).recipient
    created = services.reply(user=reached, alert=alert, body="I saw a van at 10pm.")
    assert created.author == reached
    with pytest.raises(PermissionDenied):
        services.reply(user=people["resident"], alert=alert, body="Me too")
    assert AlertReply.objects.count() == 1


def test_reading_replies_is_for_the_team_and_audited(people, fremont):
    alert = AlertFactory(neighbourhoods=[fremont], author=people["officer"])
    reached = AlertDeliveryFactory(alert=alert, channel=Channel.INBOX).recipient
    services.reply(user=reached, alert=alert, body="I saw a van at 10pm.")
    with pytest.raises(PermissionDenied):
        services.mark_replies_read(user=people["ballard_officer"], alert=alert)
    assert services.mark_replies_read(user=people["officer"], alert=alert) == 1
    assert AuditEntry.objects.filter(
        action="alert.replies_viewed", actor=people["officer"]
    ).exists()


def test_opening_an_alert_marks_the_inbox_copy_read_and_only_that(people, fremont):
    alert = AlertFactory(neighbourhoods=[fremont])
    inbox = AlertDeliveryFactory(alert=alert, channel=Channel.INBOX, status="delivered")
    email = AlertDeliveryFactory(
        alert=alert, recipient=inbox.recipient, channel=Channel.EMAIL, status="sent"
    )
    services.mark_read(user=inbox.recipient, alert=alert)
    inbox.refresh_from_db()
    email.refresh_from_db()
    assert (inbox.status, email.status) == ("read", "sent")
    assert inbox.read_at is not None


# --- following and preferences ------------------------------------------------------------


def test_following_a_neighbourhood_twice_keeps_one_follow(people, fremont):
    resident = people["resident"]
    first = services.follow_neighbourhood(user=resident, neighbourhood=fremont)
    assert services.follow_neighbourhood(user=resident, neighbourhood=fremont) == first
    assert Follow.objects.filter(user=resident).count() == 1


def test_a_person_may_follow_twenty_places_at_most(people):
    resident = people["resident"]
    for _ in range(services.MAX_FOLLOWS):
        services.follow_area(user=resident, latitude=47.655, longitude=-122.345, radius_metres=300)
    with pytest.raises(DomainError):
        services.follow_area(user=resident, latitude=47.655, longitude=-122.345, radius_metres=300)


def test_nobody_unfollows_another_persons_place(people, fremont):
    follow = services.follow_neighbourhood(user=people["resident"], neighbourhood=fremont)
    with pytest.raises(NotFound):
        services.unfollow(user=people["partner"], follow_id=follow.pk)
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_text_messages_need_a_valid_number_and_nothing_is_half_saved(people):
    resident = people["resident"]
    with pytest.raises(DomainError) as refused:
        services.update_preferences(
            user=resident, email_enabled=False, sms_enabled=True, phone_number="07700 900123"
        )
    assert refused.value.field == "phone_number"
    preferences = services.preferences_of(resident)
    assert (preferences.email_enabled, preferences.sms_enabled) == (True, False)


def test_quiet_hours_need_both_ends(people):
    with pytest.raises(DomainError) as refused:
        services.update_preferences(user=people["resident"], quiet_hours_start=datetime.time(22))
    assert refused.value.field == "quiet_hours_end"


def test_an_unknown_preference_is_refused(people):
    with pytest.raises(DomainError) as refused:
        services.update_preferences(user=people["resident"], webhook_secret="mine")
    assert refused.value.field == "webhook_secret"


def test_anonymous_people_cannot_send_follow_or_change_preferences(fremont):
    from django.contrib.auth.models import AnonymousUser

    nobody = AnonymousUser()
    with pytest.raises(PermissionDenied):
        send(nobody, neighbourhoods=[fremont])
    with pytest.raises(PermissionDenied):
        services.follow_neighbourhood(user=nobody, neighbourhood=fremont)
    with pytest.raises(PermissionDenied):
        services.update_preferences(user=nobody, email_enabled=False)
    assert AlertDelivery.objects.count() == 0
