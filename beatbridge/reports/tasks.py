"""Background work for reports; each task is a thin wrapper over a service."""

from __future__ import annotations

from django_tasks import task

from beatbridge.reports import notifications


@task()
def send_reporter_notification(delivery_id: int) -> str:
    """Deliver one notification to a reporter; a failure schedules the next try."""
    return notifications.deliver(delivery_id)
