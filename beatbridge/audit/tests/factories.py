from __future__ import annotations

import factory

from beatbridge.audit.models import AuditEntry


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    actor = None
    actor_label = "system"
    action = "neighbourhood.viewed"
    target_type = "places.neighbourhood"
    target_id = factory.Sequence(str)
