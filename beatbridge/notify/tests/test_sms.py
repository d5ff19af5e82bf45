"""Text messages: the gateway adapters and their delivery receipts."""

from __future__ import annotations

import json

import pytest

from beatbridge.notify import alerts, sms
from beatbridge.notify.models import AlertDelivery, Channel, DeliveryStatus
from beatbridge.notify.tests.factories import AlertDeliveryFactory, PreferencesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_sms(settings):
    settings.SMS_BACKEND = "beatbridge.notify.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def sms_row(**fields) -> AlertDelivery:
    row = AlertDeliveryFactory(channel=Channel.SMS, **fields)
    PreferencesFactory(user=row.recipient, sms=True)
    return row


def test_a_sent_text_records_the_gateways_reference_and_its_receipt_marks_it_delivered():
    row = sms_row()
    assert alerts.deliver_many([row.pk]) == {row.pk: DeliveryStatus.SENT}
    [(reference, to, _body)] = sms.outbox
    row.refresh_from_db()
    assert (row.provider_reference, to) == (reference, "+447700900123")

    assert alerts.record_sms_receipt(reference, delivered=True) is True
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DELIVERED
    assert row.delivered_at is not None


def test_a_failure_receipt_marks_the_text_failed_with_the_reason():
    row = sms_row()
    alerts.deliver_many([row.pk])
    [(reference, _to, _body)] = sms.outbox
    assert alerts.record_sms_receipt(reference, delivered=False, reason="absent subscriber")
    row.refresh_from_db()
    assert (row.status, row.last_error) == (DeliveryStatus.FAILED, "absent subscriber")


def test_a_receipt_for_an_unknown_or_empty_reference_changes_nothing():
    sent = sms_row(status=DeliveryStatus.SENT, provider_reference="")
    assert alerts.record_sms_receipt("no-such-reference", delivered=True) is False
    assert alerts.record_sms_receipt("", delivered=True) is False
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.SENT


def test_a_receipt_names_an_sms_row_only():
    email = AlertDeliveryFactory(
        channel=Channel.EMAIL, status=DeliveryStatus.SENT, provider_reference="abc"
    )
    assert alerts.record_sms_receipt("abc", delivered=False, reason="x") is False
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT


def test_a_receipt_that_arrives_while_the_batch_is_still_sending_is_not_lost(monkeypatch):
    """Gateways send receipts within seconds; a batch of 500 texts records every reference
    only after the last one went, so an early receipt must still find its row."""
    first, second = sms_row(), sms_row()
    receipts: list[bool] = []
    real = sms.LocmemBackend.send

    def send_and_receipt(self, to, body):
        reference = real(self, to, body)
        if len(sms.outbox) == 2:
            # The gateway's receipt for the first text arrives as the second goes out.
            receipts.append(alerts.record_sms_receipt(sms.outbox[0][0], delivered=True))
        return reference

    monkeypatch.setattr(sms.LocmemBackend, "send", send_and_receipt)
    alerts.deliver_many([first.pk, second.pk])

    first.refresh_from_db()
    assert receipts == [True]
    assert first.status == DeliveryStatus.DELIVERED


def test_the_file_backend_writes_one_json_line_per_text(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "sms"
    reference = sms.FileBackend().send("+447700900123", "Warning: lock up")
    [day] = (tmp_path / "sms").iterdir()
    [line] = day.read_text().splitlines()
    assert json.loads(line) | {"at": None} == {
        "reference": reference,
        "to": "+447700900123",
        "body": "Warning: lock up",
        "at": None,
    }


def test_the_console_backend_prints_the_text(capsys):
    reference = sms.ConsoleBackend().send("+447700900123", "Warning: lock up")
    out = capsys.readouterr().out
    assert reference in out
    assert "Warning: lock up" in out
