"""Background work for reports; each task is a thin wrapper over a service."""

from __future__ import annotations

from django_tasks import task

from beatbridge.notify import delivery
from beatbridge.reports import notifications


@task()
def send_reporter_notification(delivery_ids: list[int]) -> dict[str, int]:
    """Deliver notifications to reporters; a failure schedules the next try."""
    return delivery.count_by_status(notifications.deliver_many(delivery_ids))
