"""Delivery: what cannot be rendered or keeps failing ends as failed with its reason; a worker
that dies while sending is replaced after a lease of seconds, with the same Message-ID; and
administrators see what failed without looking for it."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.notifications import services
from ventanilla.notifications.checks import lease_outlasts_smtp_timeout
from ventanilla.notifications.models import (
    Channel,
    Event,
    Notification,
    NotificationTemplate,
    State,
)
from ventanilla.notifications.selectors import notifications_for
from ventanilla.notifications.services import (
    MAX_ATTEMPTS,
    Recipient,
    lease,
    message_id,
    notification_deliver,
    notification_queue,
    notifications_deliver_due,
)

pytestmark = pytest.mark.django_db


def queue_code(email: str = "rosa@example.co") -> Notification:
    [row] = notification_queue(
        event=Event.GUEST_CODE,
        recipients=[Recipient(channel=Channel.EMAIL, address=email)],
        context={"code": "482913"},
    )
    return row


def break_template(event: str, channel: str, body: str) -> None:
    NotificationTemplate.objects.filter(event=event, channel=channel).update(body=body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("Su código es {% if %}", "TemplateSyntaxError"),
        ("Entre en {% url 'no-existe' %}", "NoReverseMatch"),
    ],
)
def test_a_template_that_cannot_be_rendered_fails_at_once_with_its_reason(
    body: str, reason: str
) -> None:
    break_template("guest_code", "email", body)
    row = queue_code()
    assert notification_deliver(notification_id=row.pk) == State.FAILED
    row.refresh_from_db()
    assert row.state == State.FAILED and row.failed_at is not None
    assert reason in row.last_error and "guest_code/email/es" in row.last_error
    assert mail.outbox == []
    with clock.frozen(clock.now() + timedelta(days=2)):
        assert notifications_deliver_due() == 0  # never tried again by itself
    row.refresh_from_db()
    assert row.attempts == 1


def test_any_error_is_retried_with_backoff_then_ends_as_failed_with_its_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nonsense(row: Notification, *mailer: Any) -> None:
        raise ValueError("the gateway answered nonsense")

    monkeypatch.setattr(services, "_send", nonsense)
    row = queue_code()
    when = clock.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with clock.frozen(when):
            outcome = notification_deliver(notification_id=row.pk)
        row.refresh_from_db()
        assert row.attempts == attempt
        assert row.last_error == "ValueError: the gateway answered nonsense"
        if attempt < MAX_ATTEMPTS:
            assert outcome == State.PENDING and row.next_attempt_at is not None
            assert row.next_attempt_at > when  # backoff, not a busy loop
            when = row.next_attempt_at
    assert outcome == State.FAILED and row.state == State.FAILED
    assert row.next_attempt_at is None and row.failed_at is not None
    with clock.frozen(when + timedelta(days=30)):
        assert notifications_deliver_due() == 0


def send_then_die(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker is killed right after the server took the message: no `except` runs and
    nothing is recorded (SystemExit stands for the signal)."""
    real_send = services._send

    def dying(row: Notification, *mailer: Any) -> None:
        real_send(row, *mailer)
        raise SystemExit("killed while sending")

    monkeypatch.setattr(services, "_send", dying)


def test_a_notification_whose_worker_died_is_sent_again_after_a_short_lease_with_its_message_id(
    smtp: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SITE_URL = "https://ventanilla.example.gov.co"
    smtp.start()
    row = queue_code()
    claimed_at = clock.now()
    send_then_die(monkeypatch)
    with clock.frozen(claimed_at), pytest.raises(SystemExit):
        notification_deliver(notification_id=row.pk)
    monkeypatch.undo()
    row.refresh_from_db()
    assert row.state == State.PENDING and row.next_attempt_at is not None
    # The lease is seconds, longer than the SMTP timeout, and nobody sends before it ends.
    assert timedelta(seconds=settings.MAILERS["default"]["OPTIONS"]["timeout"]) < lease()
    assert row.next_attempt_at - claimed_at == lease() <= timedelta(seconds=60)
    with clock.frozen(row.next_attempt_at - timedelta(seconds=1)):
        assert notifications_deliver_due() == 0
    with clock.frozen(row.next_attempt_at):
        assert notifications_deliver_due() == 1
    expected = f"<notification.{row.pk}@ventanilla.example.gov.co>"
    assert message_id(row.pk) == expected
    assert smtp.inbox.message_ids() == [expected, expected]  # a re-send, recognisable as one
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.SENT, 2)


def test_a_notification_that_kills_every_worker_ends_as_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    send_then_die(monkeypatch)
    row = queue_code()
    when = clock.now()
    for _ in range(MAX_ATTEMPTS):
        with clock.frozen(when), pytest.raises(SystemExit):
            notification_deliver(notification_id=row.pk)
        when += lease()
    with clock.frozen(when):
        assert notification_deliver(notification_id=row.pk) == State.FAILED
    row.refresh_from_db()
    assert row.state == State.FAILED and "did not finish" in row.last_error
    assert len(mail.outbox) == MAX_ATTEMPTS


def test_a_slow_worker_does_not_overwrite_the_outcome_of_the_one_that_took_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_send = services._send
    first = True

    def slow_then_timeout(row: Notification, *mailer: Any) -> None:
        nonlocal first
        if first:
            first = False
            # While this worker waits for the server, its lease ends and another sends it.
            with clock.frozen(clock.now() + lease() + timedelta(seconds=1)):
                assert notification_deliver(notification_id=row.pk) == State.SENT
            raise smtplib.SMTPServerDisconnected("timed out")
        real_send(row, *mailer)

    monkeypatch.setattr(services, "_send", slow_then_timeout)
    row = queue_code()
    notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.state, row.last_error, row.attempts) == (State.SENT, "", 2)
    assert len(mail.outbox) == 1


def test_a_broken_in_app_template_does_not_stop_a_filing(reference_service: Service) -> None:
    break_template("case_filed", "in_app", "{% if %}")
    citizen = factories.user("ana@example.co")
    case = file_one(reference_service, filer_kind="citizen", applicant=citizen, contact=None).case
    notice = Notification.objects.get(reference=case.filing_number, channel=Channel.IN_APP)
    assert notice.state == State.FAILED and "TemplateSyntaxError" in notice.last_error
    assert not notifications_for(citizen.pk).exists()  # no empty notice in the citizen's list
    assert Notification.objects.get(reference=case.filing_number, channel=Channel.EMAIL)


def test_the_lease_must_outlast_the_smtp_timeout(settings: Any) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"timeout": 20},
        }
    }
    settings.NOTIFICATION_LEASE_SECONDS = 30
    assert lease_outlasts_smtp_timeout(None) == []
    settings.NOTIFICATION_LEASE_SECONDS = 20
    [error] = lease_outlasts_smtp_timeout(None)
    assert error.id == "notifications.E001"


@pytest.fixture
def admin_client(client: Client) -> Client:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    return client


def test_administrators_see_failed_notifications_and_send_them_again(
    admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    assert "no se pudo entregar" not in admin_client.get("/admin/").content.decode()
    break_template("guest_code", "email", "{% if %}")
    row = queue_code()
    notification_deliver(notification_id=row.pk)
    index = admin_client.get("/admin/").content.decode()
    assert "1 notificación no se pudo entregar." in index
    assert "/admin/notifications/notification/?state__exact=failed" in index
    listing = admin_client.get("/admin/notifications/notification/?state__exact=failed")
    assert "TemplateSyntaxError" in listing.content.decode()

    # The administrator fixes the template, then sends the failed one again.
    template = NotificationTemplate.objects.get(event="guest_code", channel="email", language="es")
    change = f"/admin/notifications/notificationtemplate/{template.pk}/change/"
    fields = {"event": "guest_code", "channel": "email", "language": "es", "subject": "Código"}
    refused = admin_client.post(change, {**fields, "body": "Su código es {% if %}"})
    assert "La plantilla no es válida" in refused.content.decode()
    admin_client.post(change, {**fields, "body": "Su código es {{ code }}."})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/notifications/notification/",
            {"action": "retry", "_selected_action": [row.pk]},
        )
    row.refresh_from_db()
    assert row.state == State.SENT
    assert mail.outbox[-1].body == "Su código es 482913."
    assert "no se pudo entregar" not in admin_client.get("/admin/").content.decode()


def test_healthz_reports_failed_and_late_mail(client: Client) -> None:
    from ventanilla.core.services import heartbeat_record

    heartbeat_record(worker_id="w1", started_at=clock.now())
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["outbox"] == {
        "ok": True,
        "pending": 0,
        "due": 0,
        "oldest_pending_age_seconds": None,
        "failed": 0,
        "failed_last_day": 0,
    }
    queue_code()  # waiting, and not yet late
    assert client.get("/healthz").json()["outbox"]["ok"] is True
    with clock.frozen(clock.now() + timedelta(minutes=20)):
        heartbeat_record(worker_id="w1", started_at=clock.now())
        late = client.get("/healthz").json()
    assert late["status"] == "degraded" and late["outbox"]["ok"] is False
    assert late["outbox"]["due"] == 1 and late["outbox"]["oldest_pending_age_seconds"] >= 1200
    break_template("guest_code", "email", "{% if %}")
    notifications_deliver_due()
    failed = client.get("/healthz").json()
    assert failed["status"] == "degraded"
    assert (failed["outbox"]["failed"], failed["outbox"]["failed_last_day"]) == (1, 1)
