"""Background work for alerts; each task is a thin wrapper over ``notify.alerts``."""

from __future__ import annotations

from django_tasks import task

from beatbridge.notify import alerts, delivery


@task()
def fan_out_alert(alert_id: int) -> int:
    """Write an alert's delivery rows and queue them; returns how many people it reaches."""
    return alerts.fan_out(alert_id)


@task()
def send_alert_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of an alert's deliveries; a failure schedules the next try."""
    return delivery.count_by_status(alerts.deliver_many(delivery_ids))


@task()
def send_digests() -> int:
    """Send the daily digests that are due; returns how many went."""
    return alerts.send_digests()
