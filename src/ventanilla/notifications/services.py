"""Queue notifications inside the caller's transaction; deliver them after commit."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, Template
from django.utils import translation

from ventanilla.core import clock
from ventanilla.notifications.models import (
    Channel,
    Notification,
    NotificationTemplate,
    State,
)
from ventanilla.notifications.sms import SmsMessage, provider

logger = logging.getLogger(__name__)

# Minutes to wait after each failed attempt; after the last, the notification is marked failed
# and shows in the admin (about 31 hours of trying in all).
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60, 120, 240, 480, 900)
# How long a worker owns a notification it is sending before another may try again.
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: a user (for the in-app list and their preferred language) and/or an
    address on a channel."""

    channel: str
    address: str = ""
    user_id: int | None = None
    language: str = "es"


def notification_queue(
    *, event: str, recipients: list[Recipient], context: dict[str, Any], reference: str = ""
) -> list[Notification]:
    """Write one outbox row per recipient in the current transaction; after commit, the worker
    is asked to deliver them. In-app notices are delivered at once (they are the row)."""
    now = clock.now()
    rows = [
        Notification(
            created_at=now,
            event=event,
            channel=r.channel,
            language=r.language,
            user_id=r.user_id,
            recipient=r.address,
            reference=reference,
            context=context,
            state=State.SENT if r.channel == Channel.IN_APP else State.PENDING,
            sent_at=now if r.channel == Channel.IN_APP else None,
            next_attempt_at=None if r.channel == Channel.IN_APP else now,
        )
        for r in recipients
        if r.channel == Channel.IN_APP or r.address
    ]
    created = Notification.objects.bulk_create(rows)
    for row in created:
        if row.channel == Channel.IN_APP:
            _render_into(row)
            row.save(update_fields=["subject", "body"])
    pending = [row.pk for row in created if row.state == State.PENDING]
    if pending:
        from ventanilla.notifications.tasks import notification_deliver

        def enqueue() -> None:
            for pk in pending:
                notification_deliver.enqueue(notification_id=pk)

        transaction.on_commit(enqueue)
    return created


def _template(event: str, channel: str, language: str) -> NotificationTemplate | None:
    found = NotificationTemplate.objects.filter(event=event, channel=channel)
    return found.filter(language=language).first() or found.filter(language="es").first()


def _render_into(row: Notification) -> None:
    template = _template(row.event, row.channel, row.language)
    if template is None:
        row.subject, row.body = row.event, ""
        return
    context = Context({**row.context, "site_name": settings.SITE_NAME}, autoescape=False)
    with translation.override(row.language):
        row.subject = Template(template.subject).render(context).strip()[:200]
        row.body = Template(template.body).render(context).strip()


def _send(row: Notification) -> None:
    if row.channel == Channel.EMAIL:
        message = EmailMultiAlternatives(subject=row.subject, body=row.body, to=[row.recipient])
        message.send()
    elif row.channel == Channel.SMS:
        result = provider().send(SmsMessage(to=row.recipient, body=row.body))
        if not result.accepted:
            raise RuntimeError(result.error or "the SMS gateway refused the message")


def notification_deliver(*, notification_id: int) -> State | None:
    """Try to deliver one pending notification whose time has come.

    The row is claimed in a short transaction (its next attempt is pushed past a lease), sent
    outside any transaction — a slow mail server must never hold the database — and the
    outcome recorded in another. A failure schedules the next attempt with backoff.
    """
    now = clock.now()
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, state=State.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return None  # sent, failed for good, not due yet, or another worker has it
        _render_into(row)
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        row.save(update_fields=["subject", "body", "attempts", "next_attempt_at"])
    try:
        _send(row)
    except (smtplib.SMTPException, OSError, RuntimeError) as error:
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts > len(BACKOFF_MINUTES):
            row.state = State.FAILED
            row.next_attempt_at = None
            logger.error("notification %s failed for good: %s", row.pk, row.last_error)
        else:
            delay = BACKOFF_MINUTES[row.attempts - 1]
            row.next_attempt_at = clock.now() + timedelta(minutes=delay)
            logger.warning("notification %s will be retried in %s min", row.pk, delay)
    else:
        row.state = State.SENT
        row.sent_at = clock.now()
        row.next_attempt_at = None
        row.last_error = ""
    with transaction.atomic():
        row.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    return State(row.state)


def notifications_deliver_due(*, limit: int = 200) -> int:
    """Deliver the pending notifications whose time has come (the worker's sweep)."""
    due = Notification.objects.filter(
        state=State.PENDING, next_attempt_at__lte=clock.now()
    ).order_by("next_attempt_at")[:limit]
    delivered = 0
    for pk in list(due.values_list("pk", flat=True)):
        if notification_deliver(notification_id=pk) == State.SENT:
            delivered += 1
    return delivered


def notifications_settle_history(*, before: datetime) -> int:
    """Mark pending notifications created before `before` as sent without sending them: for
    history imported or generated after the fact, which nobody should receive today."""
    return Notification.objects.filter(state=State.PENDING, created_at__lt=before).update(
        state=State.SENT, sent_at=clock.now(), next_attempt_at=None, last_error=""
    )
