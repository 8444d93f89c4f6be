"""Queue notifications inside the caller's transaction; deliver them after commit.

The outbox is the queue: each worker's outbox loop claims the due rows fifty at a time, sends
them over one connection to the mail server and records their outcomes together (with another
task backend, a task per notification is queued after commit).

Delivery is at least once: a worker claims rows for a lease, sends outside any transaction
and records the outcome. A worker that dies while sending records nothing; once the lease
expires the loop or the sweep sends the row again, with the same Message-ID, so a duplicate
can be recognised. Whatever keeps failing — a broken template, a refusing server, an unexpected
error, a message that kills its worker — ends as failed, with its reason, after a bounded
number of attempts.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, QuerySet
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
# How many due notifications a worker claims, sends over one connection and records at a time.
OUTBOX_BATCH = 50


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

    if isinstance(notification_deliver.get_backend(), DatabaseBackend):
        # The worker's outbox loop (`notifications_deliver_next`) finds the committed rows
        # itself within a second, in batches: no task row per notification, so a filing writes
        # one row less and the worker claims fifty at a time.
        return

    def enqueue() -> None:
        for pk in notification_ids:
            notification_deliver.enqueue(notification_id=pk)

    transaction.on_commit(enqueue)


def _template(event: str, channel: str, language: str) -> NotificationTemplate | None:
    found = NotificationTemplate.objects.filter(event=event, channel=channel)
    return found.filter(language=language).first() or found.filter(language="es").first()


class _Templates:
    """The templates of one batch, each read and compiled once."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str, str], tuple[str, Template, Template] | RenderError] = {}

    def get(self, event: str, channel: str, language: str) -> tuple[str, Template, Template]:
        key = (event, channel, language)
        if key not in self._found:
            template = _template(event, channel, language)
            if template is None:
                self._found[key] = RenderError(f"no template for {event} by {channel}")
            else:
                try:
                    compiled = Template(template.subject), Template(template.body)
                except Exception as error:  # an administrator's template may fail in any way
                    self._found[key] = _render_error(event, channel, template.language, error)
                else:
                    self._found[key] = (template.language, *compiled)
        found = self._found[key]
        if isinstance(found, RenderError):
            raise found
        return found


def _render_error(event: str, channel: str, language: str, error: Exception) -> RenderError:
    return RenderError(f"template {event}/{channel}/{language}: {type(error).__name__}: {error}")


def _render_into(row: Notification, templates: _Templates | None = None) -> None:
    """Write the row's subject and body from its event's template in its language (Spanish
    when there is none in it); `templates` keeps them compiled for a batch."""
    templates = templates or _Templates()
    language, subject, body = templates.get(row.event, row.channel, row.language)
    context = Context({**row.context, "site_name": settings.SITE_NAME}, autoescape=False)
    try:
        with translation.override(row.language):
            row.subject = subject.render(context).strip()[:200]
            row.body = body.render(context).strip()
    except Exception as error:  # an administrator's template may fail in any way
        raise _render_error(row.event, row.channel, language, error) from error


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


def _send(row: Notification, mailer: BaseEmailBackend) -> None:
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
        # One connection to the mail server for a whole batch: opened by the first message,
        # closed by the batch (and after an error, so the next message opens a fresh one).
        mailer.open()
        mailer.send_messages([message])
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


def _claim(due: QuerySet[Notification], limit: int) -> list[Notification]:
    """Take up to `limit` due notifications of `due` for one lease, in one short transaction
    (rows another worker holds are skipped); a row that has used up its attempts is marked
    failed instead. Returns every row taken, the failed ones included."""
    now = clock.now()
    with transaction.atomic():
        rows = list(
            due.select_for_update(skip_locked=True)
            .filter(state=State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        spent = [row for row in rows if row.attempts >= MAX_ATTEMPTS]
        for row in spent:
            # Only claims that never recorded an outcome get here: their worker died.
            _fail(
                row,
                f"gave up after {row.attempts} attempts; the last did not finish (its worker "
                f"stopped while sending). {row.last_error}".strip(),
            )
        if spent:
            Notification.objects.bulk_update(
                spent, ["state", "failed_at", "next_attempt_at", "last_error"]
            )
        live = [row for row in rows if row.state == State.PENDING]
        if live:
            Notification.objects.filter(pk__in=[row.pk for row in live]).update(
                attempts=F("attempts") + 1, next_attempt_at=now + lease()
            )
        for row in live:
            row.attempts += 1
            row.next_attempt_at = now + lease()
    return rows


def _attempt(row: Notification, templates: _Templates, mailer: BaseEmailBackend) -> None:
    """Render and send one claimed row, and set its outcome on it (not saved)."""
    try:
        if row.event not in PRERENDERED_EVENTS:
            _render_into(row, templates)
        _send(row, mailer)
    except RenderError as error:
        _fail(row, str(error))
    except Exception as error:  # any failure is retried, then ends as failed with its reason
        mailer.close()
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


OUTCOME_FIELDS = (
    "state",
    "attempts",
    "sent_at",
    "failed_at",
    "next_attempt_at",
    "last_error",
    "subject",
    "body",
    "context",
)


def _deliver(rows: list[Notification]) -> int:
    """Send the rows `_claim` took — outside any transaction: a slow mail server must never
    hold the database — over one connection to the mail server, then record every outcome in
    one short transaction, each only if no other worker has claimed its row since (its attempt
    count is the fence). Rows left when half the lease has gone are given back untried, so a
    slow server never lets a lease run out under a batch. Returns how many were sent."""
    claimed = [row for row in rows if row.state == State.PENDING]
    fence = {row.pk: row.attempts for row in claimed}
    templates, mailer = _Templates(), mailers.default
    deadline = time.monotonic() + lease().total_seconds() / 2
    try:
        for row in claimed:
            if time.monotonic() < deadline:
                _attempt(row, templates, mailer)
            else:  # untried: due again at once, the attempt not counted
                row.attempts -= 1
                row.next_attempt_at = clock.now()
    finally:
        mailer.close()
    if not claimed:
        return 0
    taken_over: set[int] = set()
    with transaction.atomic():
        for row in claimed:
            recorded = Notification.objects.filter(
                pk=row.pk, state=State.PENDING, attempts=fence[row.pk]
            ).update(**{field: getattr(row, field) for field in OUTCOME_FIELDS})
            if not recorded:
                taken_over.add(row.pk)
                logger.warning(
                    "notification %s was taken over by another worker while sending", row.pk
                )
    return sum(1 for row in claimed if row.state == State.SENT and row.pk not in taken_over)


def notification_deliver(*, notification_id: int) -> State | None:
    """Try to deliver one pending notification whose time has come (see `_deliver`): its
    state afterwards, or None when it was not due or another worker has it."""
    rows = _claim(Notification.objects.filter(pk=notification_id), 1)
    if not rows:
        return None  # sent, failed for good, not due yet, or another worker has it
    _deliver(rows)
    return State(rows[0].state)


def notifications_deliver_next(*, limit: int = OUTBOX_BATCH) -> int:
    """Deliver up to `limit` of the pending notifications whose time has come, oldest first:
    the worker's outbox loop calls it again at once while it finds a full batch. Returns how
    many it took (sent, retried later or failed)."""
    rows = _claim(Notification.objects.all(), limit)
    _deliver(rows)
    return len(rows)


def notifications_deliver_due(*, limit: int = 200) -> int:
    """Deliver the pending notifications whose time has come — retries after an outage, and
    rows whose worker died while sending once their lease has expired. Returns how many were
    sent."""
    sent = 0
    for start in range(0, limit, OUTBOX_BATCH):
        rows = _claim(Notification.objects.all(), min(OUTBOX_BATCH, limit - start))
        sent += _deliver(rows)
        if len(rows) < OUTBOX_BATCH:
            break
    return sent


def notifications_settle_history(*, before: datetime) -> int:
    """Mark pending notifications created before `before` as sent without sending them: for
    history imported or generated after the fact, which nobody should receive today."""
    return Notification.objects.filter(state=State.PENDING, created_at__lt=before).update(
        state=State.SENT, sent_at=clock.now(), next_attempt_at=None, last_error=""
    )
