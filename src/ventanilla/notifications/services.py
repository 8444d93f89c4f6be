"""Queue notifications inside the caller's transaction; deliver them after commit.

Delivery is at least once: a worker claims a row for a lease, sends outside any transaction
and records the outcome. A worker that dies while sending records nothing; once the lease
expires the sweep sends the row again, with the same Message-ID, so a duplicate can be
recognised. Whatever keeps failing — a broken template, a refusing server, an unexpected
error, a message that kills its worker — ends as failed, with its reason, after a bounded
number of attempts.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context, Template
from django.utils import translation
from django_tasks_db import DatabaseBackend

from ventanilla.core import clock
from ventanilla.notifications.models import (
    PRERENDERED_EVENTS,
    Channel,
    Notification,
    NotificationTemplate,
    State,
    is_secret,
)
from ventanilla.notifications.sms import SmsMessage, provider

logger = logging.getLogger(__name__)

# Minutes to wait after each failed attempt (about 31 hours of trying in all).
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60, 120, 240, 480, 900)
# After this many attempts a notification that has not left is marked failed: the last retry
# of the backoff failed, or every claim so far ended without an outcome (its worker died).
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# Errors of the mail server, the network or the SMS gateway: expected in an outage.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, RuntimeError)


class RenderError(Exception):
    """The notification's template is missing or cannot be rendered."""


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: a user (for the in-app list and their preferred language) and/or an
    address on a channel."""

    channel: str
    address: str = ""
    user_id: int | None = None
    language: str = "es"


def lease() -> timedelta:
    """How long a worker owns a notification it is sending before another may send it again.
    Longer than the SMTP timeout (a system check says so), short enough that a crash delays
    mail by seconds."""
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def message_id(notification_id: int) -> str:
    """The Message-ID of a notification's email: the same on every attempt, so a re-send after
    a crash is recognisable (and mail clients show it once)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification.{notification_id}@{domain}>"


def notification_queue(
    *, event: str, recipients: list[Recipient], context: dict[str, Any], reference: str = ""
) -> list[Notification]:
    """Write one outbox row per recipient in the current transaction, and ask the worker to
    deliver them once it commits. In-app notices are delivered at once (they are the row)."""
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
            _render_in_app(row, now)
    _deliver_after_commit([row.pk for row in created if row.state == State.PENDING])
    return created


def notification_queue_rendered(
    *,
    event: str,
    address: str,
    language: str,
    subject: str,
    body: str,
    html: str = "",
    reference: str = "",
) -> Notification:
    """Queue an email whose text is already written (allauth renders its own mail), to be
    delivered like every other notification."""
    if event not in PRERENDERED_EVENTS:
        raise ValueError(f"{event} is rendered from its templates; use notification_queue")
    now = clock.now()
    row = Notification.objects.create(
        created_at=now,
        event=event,
        channel=Channel.EMAIL,
        language=language,
        recipient=address,
        reference=reference[:60],
        context={"html": html} if html else {},
        subject=subject[:200],
        body=body,
        state=State.PENDING,
        next_attempt_at=now,
    )
    _deliver_after_commit([row.pk])
    return row


def notifications_retry(*, notification_ids: list[int]) -> int:
    """Give failed notifications a fresh set of attempts (after an administrator fixed their
    template or the mail server); returns how many were queued again."""
    with transaction.atomic():
        failed = Notification.objects.select_for_update().filter(
            pk__in=notification_ids, state=State.FAILED
        )
        again = list(failed.values_list("pk", flat=True))
        Notification.objects.filter(pk__in=again).update(
            state=State.PENDING, attempts=0, next_attempt_at=clock.now(), failed_at=None
        )
        _deliver_after_commit(again)
    return len(again)


def _deliver_after_commit(notification_ids: list[int]) -> None:
    if not notification_ids:
        return
    from ventanilla.notifications.tasks import notification_deliver

    def enqueue() -> None:
        for pk in notification_ids:
            notification_deliver.enqueue(notification_id=pk)

    if isinstance(notification_deliver.get_backend(), DatabaseBackend):
        # The queue is a table of the same database: its rows commit with the notifications'
        # (one commit per filing, not two; the worker sees both or neither).
        enqueue()
    else:
        transaction.on_commit(enqueue)


def _template(event: str, channel: str, language: str) -> NotificationTemplate | None:
    found = NotificationTemplate.objects.filter(event=event, channel=channel)
    return found.filter(language=language).first() or found.filter(language="es").first()


def _render_into(row: Notification) -> None:
    template = _template(row.event, row.channel, row.language)
    if template is None:
        raise RenderError(f"no template for {row.event} by {row.channel}")
    context = Context({**row.context, "site_name": settings.SITE_NAME}, autoescape=False)
    try:
        with translation.override(row.language):
            subject = Template(template.subject).render(context).strip()[:200]
            body = Template(template.body).render(context).strip()
    except Exception as error:  # an administrator's template may fail in any way
        raise RenderError(
            f"template {row.event}/{row.channel}/{template.language}: "
            f"{type(error).__name__}: {error}"
        ) from error
    row.subject, row.body = subject, body


def _render_in_app(row: Notification, now: datetime) -> None:
    """An in-app notice is rendered as it is queued; a broken template must not fail the
    change it tells about, so the notice is marked failed instead."""
    try:
        _render_into(row)
    except RenderError as error:
        row.state, row.sent_at, row.failed_at = State.FAILED, None, now
        row.last_error = str(error)[:2000]
        logger.error("notification %s failed for good: %s", row.pk, row.last_error)
    row.save(update_fields=["subject", "body", "state", "sent_at", "failed_at", "last_error"])


def _send(row: Notification) -> None:
    if row.channel == Channel.EMAIL:
        message = EmailMultiAlternatives(
            subject=row.subject,
            body=row.body,
            to=[row.recipient],
            headers={"Message-ID": message_id(row.pk)},
        )
        html = row.context.get("html") if row.event in PRERENDERED_EVENTS else None
        if html:
            message.attach_alternative(html, "text/html")
        message.send()
    elif row.channel == Channel.SMS:
        result = provider().send(SmsMessage(to=row.recipient, body=row.body))
        if not result.accepted:
            raise RuntimeError(result.error or "the SMS gateway refused the message")


def _fail(row: Notification, reason: str) -> None:
    row.state = State.FAILED
    row.failed_at = clock.now()
    row.next_attempt_at = None
    row.last_error = reason[:2000]
    logger.error("notification %s failed for good: %s", row.pk, row.last_error)


def _claim(notification_id: int) -> Notification | None:
    """Take a due notification for one lease, in a short transaction of its own; a row that
    has used up its attempts is marked failed instead."""
    now = clock.now()
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, state=State.PENDING, next_attempt_at__lte=now)
            .first()
        )
        if row is None:
            return None  # sent, failed for good, not due yet, or another worker has it
        if row.attempts >= MAX_ATTEMPTS:
            # Only claims that never recorded an outcome get here: their worker died.
            _fail(
                row,
                f"gave up after {row.attempts} attempts; the last did not finish (its worker "
                f"stopped while sending). {row.last_error}".strip(),
            )
            row.save(update_fields=["state", "failed_at", "next_attempt_at", "last_error"])
            return row
        row.attempts += 1
        row.next_attempt_at = now + lease()
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def notification_deliver(*, notification_id: int) -> State | None:
    """Try to deliver one pending notification whose time has come.

    The row is claimed in a short transaction, rendered and sent outside any transaction — a
    slow mail server must never hold the database — and the outcome recorded only if no other
    worker has claimed the row since (its attempt count is the fence). A failure schedules the
    next attempt with backoff; a template that cannot be rendered fails at once.
    """
    row = _claim(notification_id)
    if row is None or row.state == State.FAILED:
        return None if row is None else State.FAILED
    try:
        if row.event not in PRERENDERED_EVENTS:
            _render_into(row)
        _send(row)
    except RenderError as error:
        _fail(row, str(error))
    except Exception as error:  # any failure is retried, then ends as failed with its reason
        if not isinstance(error, DELIVERY_ERRORS):
            logger.exception("notification %s: unexpected error while sending", row.pk)
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            _fail(row, row.last_error)
        else:
            delay = BACKOFF_MINUTES[row.attempts - 1]
            row.next_attempt_at = clock.now() + timedelta(minutes=delay)
            logger.warning("notification %s will be retried in %s min", row.pk, delay)
    else:
        row.state = State.SENT
        row.sent_at = clock.now()
        row.next_attempt_at = None
        row.last_error = ""
        if is_secret(row.event):
            row.body, row.context = "", {}
    recorded = Notification.objects.filter(
        pk=row.pk, state=State.PENDING, attempts=row.attempts
    ).update(
        state=row.state,
        sent_at=row.sent_at,
        failed_at=row.failed_at,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        subject=row.subject,
        body=row.body,
        context=row.context,
    )
    if not recorded:
        logger.warning("notification %s was taken over by another worker while sending", row.pk)
    return State(row.state)


def notifications_deliver_due(*, limit: int = 200) -> int:
    """Deliver the pending notifications whose time has come — retries after an outage, and
    rows whose worker died while sending once their lease has expired (the worker's sweep)."""
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
