"""What a case tells its citizen, queued in the same transaction as the change: the outbox
rows are written by subscribers of the case's events (`cases.events`), inside the transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.guest_access import guest_token, is_guest_case
from ventanilla.cases.models import Case
from ventanilla.cases.workflow import CITIZEN_SIDE, Actor
from ventanilla.notifications.models import Channel, Event
from ventanilla.notifications.services import Recipient, notification_queue

# Events important enough for a text message, when we have a phone number.
SMS_EVENTS = frozenset({Event.INFORMATION_REQUESTED, Event.INFORMATION_REMINDER, Event.CASE_CLOSED})


# What other apps add to a case's notices (the survey's link on the closing one): callables of
# (case, event, language) returning extra context, called inside the transaction that writes
# the notice, only when the notice goes to somebody. Registered from the app's `ready()`.
NoticeExtra = Callable[[Case, str, str], dict[str, Any]]
_NOTICE_EXTRAS: list[NoticeExtra] = []


def notice_extra_register(extra: NoticeExtra) -> None:
    if extra not in _NOTICE_EXTRAS:
        _NOTICE_EXTRAS.append(extra)


def notice_extra_unregister(extra: NoticeExtra) -> None:
    _NOTICE_EXTRAS[:] = [e for e in _NOTICE_EXTRAS if e is not extra]


def case_link(case: Case, language: str) -> str:
    """Where the citizen follows and answers the case: their case page if they have an account,
    the guest link if they filed as a guest, else the public tracking page."""
    with translation.override(language):
        if case.applicant_id is not None:
            path = reverse("portal:my_case", args=[case.filing_number])
        elif is_guest_case(case):
            path = reverse("portal:guest_access", args=[case.filing_number, guest_token(case)])
        else:
            path = reverse("portal:tracking") + f"?radicado={case.filing_number}"
    return settings.SITE_URL.rstrip("/") + path


def case_notify(
    *,
    case: Case,
    event: str,
    language: str | None = None,
    code: str = "",
    message: str = "",
    extra: dict[str, Any] | None = None,
    sms: bool | None = None,
) -> None:
    """Queue `event` for the case's applicant: email (if we have an address), a text message
    (if they gave a phone, for the events that warrant one, or as `sms` says), and an in-app
    notice."""
    applicant = case.applicant
    language = language or (applicant.preferred_language if applicant else "es")
    definition = case.service_version.parsed
    stage = definition.workflow.stage(case.stage)
    context: dict[str, Any] = {
        "filing_number": case.filing_number,
        "service_title_es": definition.title.es,
        "service_title_en": definition.title.en,
        "stage_es": stage.citizen_label.es,
        "stage_en": stage.citizen_label.en,
        # Dates in words in the reader's language ("15 de diciembre de 2026"), and as ISO
        # dates for whoever reads the notification's data.
        "due_date": _in_words(case.due_date, language),
        "due_date_iso": case.due_date.isoformat(),
        "information_deadline": _in_words(case.information_deadline, language),
        "information_deadline_iso": (
            case.information_deadline.isoformat() if case.information_deadline else ""
        ),
        "applicant_name": case.applicant_name,
        "tracking_path": case_link(case, language),
        "code": code,
        "message": message,
        **(extra or {}),
    }
    recipients = []
    email = applicant.email if applicant else case.contact_email
    if email:
        recipients.append(
            Recipient(
                channel=Channel.EMAIL,
                address=email,
                user_id=applicant.pk if applicant else None,
                language=language,
            )
        )
    phone = applicant.phone if applicant else case.contact_phone
    if phone and (event in SMS_EVENTS if sms is None else sms):
        recipients.append(Recipient(channel=Channel.SMS, address=phone, language=language))
    if applicant is not None:
        recipients.append(
            Recipient(channel=Channel.IN_APP, user_id=applicant.pk, language=language)
        )
    if recipients:
        for notice_extra in list(_NOTICE_EXTRAS):
            context.update(notice_extra(case, event, language))
        notification_queue(
            event=event, recipients=recipients, context=context, reference=case.filing_number
        )


def _in_words(day: date | None, language: str) -> str:
    if day is None:
        return ""
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


def guest_link_email(case: Case, *, language: str = "es") -> None:
    """Send the guest their case's link again (they lost the email that had it)."""
    if not case.contact_email:
        return
    notification_queue(
        event=Event.GUEST_LINK,
        recipients=[
            Recipient(channel=Channel.EMAIL, address=case.contact_email, language=language)
        ],
        context={
            "filing_number": case.filing_number,
            "applicant_name": case.applicant_name,
            "tracking_path": case_link(case, language),
        },
        reference=case.filing_number,
    )


def guest_code_email(*, email: str, code: str, language: str) -> None:
    """Send the code with which a guest proves that `email` is theirs before filing."""
    notification_queue(
        event=Event.GUEST_CODE,
        recipients=[Recipient(channel=Channel.EMAIL, address=email, language=language)],
        context={"code": code},
    )


# ---- What the citizen is told, as a subscriber of the case's events -------------------------


@subscribe(CaseEvent.FILED)
def _receipt(happened: Happened) -> None:
    case_notify(
        case=happened.case,
        event=Event.CASE_FILED,
        language=happened.context.get("language"),
        code=happened.context.get("code", ""),
    )


@subscribe(CaseEvent.ACTION_TAKEN)
def _action_notice(happened: Happened) -> None:
    """One notice per action an official or the platform took (the citizen knows what they
    did themself): the most telling of what it amounted to."""
    if happened.as_actor in CITIZEN_SIDE:
        return
    if CaseEvent.INFORMATION_REQUESTED in happened.events:
        event = Event.INFORMATION_REQUESTED
    elif CaseEvent.CLOSED in happened.events:
        event = Event.CASE_CLOSED
    else:
        event = Event.CASE_UPDATED
    case_notify(case=happened.case, event=event, message=happened.message)


@subscribe(CaseEvent.INFORMATION_REMINDED)
def _reminder(happened: Happened) -> None:
    case_notify(case=happened.case, event=Event.INFORMATION_REMINDER)


@subscribe(CaseEvent.MESSAGE_POSTED)
def _message(happened: Happened) -> None:
    if happened.as_actor == Actor.OFFICIAL:
        case_notify(case=happened.case, event=Event.MESSAGE_RECEIVED, message=happened.message)
