"""Background work for community voice; each task is a thin wrapper over a service."""

from __future__ import annotations

from django_tasks import task

from beatbridge.notify import delivery
from beatbridge.voice import notifications
from beatbridge.voice.services import registrations


@task()
def send_registrant_notification(delivery_ids: list[int]) -> dict[str, int]:
    """Deliver messages to people registered; a failure schedules the next try."""
    return delivery.count_by_status(notifications.deliver_many(delivery_ids))


@task()
def send_reminders() -> int:
    """Remind people of meetings and events starting within a day; returns how many."""
    return registrations.send_due_reminders()
