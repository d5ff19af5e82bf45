"""The demo city's followers and alert history.

Every demo resident follows their home neighbourhood, some an area too, with a spread of
channels, quiet hours, digests and languages; a few neighbourhoods have alerts from the
past two months whose deliveries ended as real ones do (read, sent, delivered, a few
failed). Nothing here is sent: new alerts sent on the demo go out through the worker.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from beatbridge.accounts.models import Role, User
from beatbridge.accounts.selectors import current_team_for
from beatbridge.demo.services import DEMO_NEIGHBOURHOOD, DEMO_SEED
from beatbridge.notify.alerts import Choices, choices_of, delivery_rows_for
from beatbridge.notify.models import (
    Alert,
    AlertCategory,
    AlertDelivery,
    Audience,
    Channel,
    DeliveryStatus,
    Follow,
    Preferences,
    Severity,
)
from beatbridge.places.models import Force, Neighbourhood

# Published demo residents who work in Fremont and follow it as well as their home.
WORK_IN_FREMONT = frozenset({"residente@beatbridge.invalid", "resident.ar@beatbridge.invalid"})
AREA_LABELS = ("Near work", "My parents' street", "The kids' school", "The allotment")
# (severity, category, title, message, Spanish title, Spanish message, days ago, lifetime days)
HISTORY = (
    (
        Severity.WARNING,
        AlertCategory.CRIME,
        "Car break-ins overnight",
        "Several cars had windows smashed overnight around the park. Leave nothing on show "
        "and tell us if your camera caught anything.",
        "Robos en coches durante la noche",
        "Varios coches tuvieron las ventanillas rotas alrededor del parque. No deje nada a la "
        "vista y avísenos si su cámara grabó algo.",
        52,
        3,
    ),
    (
        Severity.ADVICE,
        AlertCategory.SCAM,
        "Callers pretending to be the bank",
        "People are being phoned by someone claiming to be their bank's fraud team. Your bank "
        "will never ask you to move money: hang up and call the number on your card.",
        "Llamadas que se hacen pasar por el banco",
        "Alguien llama diciendo ser del equipo de fraude del banco. Su banco nunca le pedirá "
        "mover dinero: cuelgue y llame al número de su tarjeta.",
        30,
        14,
    ),
    (
        Severity.INFORMATION,
        AlertCategory.COMMUNITY,
        "Street party road closure on Saturday",
        "The block party closes the high street to cars from 10am to 6pm on Saturday. Come "
        "and meet your neighbourhood team.",
        "Calle cortada por la fiesta del sábado",
        "La fiesta del barrio cierra la calle principal a los coches de 10 a 18 h el sábado. "
        "Venga a conocer a su equipo de barrio.",
        9,
        7,
    ),
)
ALERT_NEIGHBOURHOODS = ("fremont", "south-park", "columbia-city", "rainier-beach", "georgetown")


@dataclass(frozen=True)
class AlertsSummary:
    followers_created: int
    alerts_created: int
    deliveries_created: int


def load_alerts(force: Force, *, seed: int = DEMO_SEED) -> AlertsSummary:
    """Followers for every demo resident without a follow yet, and the alert history once."""
    with transaction.atomic():
        followers = _followers(force, seed)
        alerts, deliveries = (0, 0)
        if not Alert.objects.filter(neighbourhoods__force=force).exists():
            alerts, deliveries = _history(force, seed)
    return AlertsSummary(followers, alerts, deliveries)


def _followers(force: Force, seed: int) -> int:
    residents = list(
        User.objects.filter(
            role=Role.RESIDENT, home_neighbourhood__force=force, follows__isnull=True
        ).select_related("home_neighbourhood")
    )
    follows, preferences = [], []
    fremont = Neighbourhood.objects.filter(force=force, code=DEMO_NEIGHBOURHOOD).first()
    for user in residents:
        rng = random.Random(f"{seed}:followers:{user.email}")  # noqa: S311 (made-up data)
        home = user.home_neighbourhood
        follows.append(Follow(user=user, neighbourhood=home))
        if user.email in WORK_IN_FREMONT and fremont is not None and fremont != home:
            # An alert to Fremont then reaches readers of Spanish and Arabic too.
            follows.append(Follow(user=user, neighbourhood=fremont))
        if rng.random() < 0.25:
            follows.append(
                Follow(
                    user=user,
                    label=rng.choice(AREA_LABELS),
                    latitude=home.centre_latitude + rng.uniform(-0.01, 0.01),
                    longitude=home.centre_longitude + rng.uniform(-0.01, 0.01),
                    radius_metres=rng.choice((400, 600, 1000)),
                )
            )
        sms = rng.random() < 0.25
        quiet = rng.random() < 0.3
        preferences.append(
            Preferences(
                user=user,
                email_enabled=rng.random() < 0.85,
                sms_enabled=sms,
                # 555-01xx numbers are set aside for fiction.
                phone_number=f"+1206555{rng.randint(100, 199):04d}" if sms else "",
                minimum_severity=Severity.WARNING if rng.random() < 0.1 else Severity.INFORMATION,
                quiet_hours_start=datetime.time(22) if quiet else None,
                quiet_hours_end=datetime.time(7) if quiet else None,
                daily_digest=rng.random() < 0.15,
            )
        )
    Follow.objects.bulk_create(follows)
    Preferences.objects.bulk_create(preferences, ignore_conflicts=True)
    return len(residents)


def _history(force: Force, seed: int) -> tuple[int, int]:
    now = timezone.now()
    neighbourhoods = Neighbourhood.objects.filter(force=force, code__in=ALERT_NEIGHBOURHOODS)
    alerts = deliveries = 0
    for neighbourhood in neighbourhoods:
        team = current_team_for(neighbourhood.pk)
        if not team:
            continue
        author = team[0].officer.user
        followers = sorted(
            set(
                Follow.objects.filter(neighbourhood=neighbourhood).values_list("user_id", flat=True)
            )
        )
        rng = random.Random(f"{seed}:alerts:{neighbourhood.code}")  # noqa: S311
        for severity, category, title, message, title_es, message_es, ago, life in HISTORY:
            sent = now - datetime.timedelta(days=ago, hours=rng.randint(8, 18))
            alert = Alert.objects.create(
                author=author,
                severity=severity,
                category=category,
                title=title,
                message=message,
                translations={"es": {"title": title_es, "message": message_es}},
                original_language="en",
                audience=Audience.NEIGHBOURHOODS,
                expires_at=sent + datetime.timedelta(days=life),
                created_at=sent,
                fanned_out_at=sent,
                recipient_count=len(followers),
            )
            alert.neighbourhoods.set([neighbourhood])
            alerts += 1
            deliveries += write_past_deliveries(alert, followers, rng=rng, sent=sent)
    return alerts, deliveries


def write_past_deliveries(
    alert: Alert, recipient_ids: list[int], *, rng: random.Random, sent: datetime.datetime
) -> int:
    """The delivery rows of an alert sent at ``sent``, each as it ended; returns how many.

    Each recipient gets the rows their channels and language give today, as the fan-out
    would have written them, then read, delivered or failed as real ones end.
    """
    languages = dict(
        User.objects.filter(pk__in=recipient_ids).values_list("pk", "preferred_language")
    )
    choices = choices_of(recipient_ids)
    rows = [
        _as_delivered(row, rng, sent)
        for user_id in recipient_ids
        for row in delivery_rows_for(
            alert,
            user_id,
            languages.get(user_id) or "en",
            choices.get(user_id, Choices()),
            sent,
        )
    ]
    AlertDelivery.objects.bulk_create(rows)
    return len(rows)


def _as_delivered(row: AlertDelivery, rng: random.Random, sent: datetime.datetime) -> AlertDelivery:
    """What became of a past alert's delivery: most arrived, many were read, a few failed."""
    later = sent + datetime.timedelta(minutes=rng.randint(1, 30))
    row.attempts = 1
    row.sent_at = later
    row.next_attempt_at = later
    if row.channel == Channel.INBOX:
        if rng.random() < 0.55:
            row.status, row.read_at = DeliveryStatus.READ, later + datetime.timedelta(hours=3)
    elif row.channel == Channel.SMS:
        if rng.random() < 0.05:
            row.status, row.last_error, row.sent_at = DeliveryStatus.FAILED, "undeliverable", None
        else:
            row.status, row.delivered_at = DeliveryStatus.DELIVERED, later
    else:
        row.status = DeliveryStatus.SENT
    return row
