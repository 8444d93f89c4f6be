"""Inviting the citizen: once per closed case, by the channels the closing notice uses, and
once per finished turn, by the contact the holder left (email, else text message).

The closing notice itself carries the survey's link (a `cases.notify` notice extra), so the
invitation is opened while that notice is written, inside the closing transaction, and the
citizen answers from the email or text message that tells them the case ended. A case whose
notice goes to nobody (anonymous, or filed in person without email or phone) gets none.

A turn served to the end (an attended appointment is checked in as a turn) is heard of through
`turns.services.ticket_finished_register`, inside the finishing transaction, while the ticket
still has its contact (turns forgets contacts after some days)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from ventanilla.cases import notify
from ventanilla.cases.models import Case, FilingChannel
from ventanilla.core import clock
from ventanilla.notifications.models import Channel, Event
from ventanilla.notifications.services import Recipient, notification_queue
from ventanilla.surveys.models import Invitation
from ventanilla.surveys.notices import SURVEY_INVITATION
from ventanilla.surveys.selectors import survey_for
from ventanilla.turns import services as turns
from ventanilla.turns.models import Ticket, TicketState


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_url(token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("portal:survey", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def has_contact(case: Case) -> bool:
    if case.applicant_id is not None:
        return True
    return bool(case.contact_email or case.contact_phone)


def _create(**fields: Any) -> str | None:
    """Insert an invitation with a new token; None when a racing twin got there first."""
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():  # a savepoint: a racing twin must not break the caller
            Invitation.objects.create(
                token_hash=token_hash(token), created_at=clock.now(), **fields
            )
    except IntegrityError:
        return None
    return token


def invitation_open(*, case: Case, language: str = "es") -> str | None:
    """Open the case's invitation and return its token; None when the case already has one,
    has nobody to write to, or its survey is switched off. Runs in the caller's transaction."""
    if not has_contact(case) or not survey_for(case.entity, case.service).active:
        return None
    if Invitation.objects.filter(case=case).exists():
        return None
    return _create(
        case=case,
        entity_id=case.entity_id,
        dependency_id=case.dependency_id,
        service_id=case.service_id,
        service_point_id=case.service_point_id,
        channel=case.channel,
        language=language,
    )


def ticket_invitation_open(*, ticket: Ticket) -> str | None:
    """Open the invitation of a turn served to the end and return its token; None when it
    already has one, was not served (no-show, transfer), left no email or phone, or the
    service's survey is switched off. Runs in the caller's transaction."""
    if ticket.state != TicketState.DONE or not (ticket.email or ticket.phone):
        return None
    point = ticket.point
    if not survey_for(point.entity, ticket.service).active:
        return None
    if Invitation.objects.filter(ticket=ticket).exists():
        return None
    return _create(
        ticket=ticket,
        entity_id=point.entity_id,
        dependency_id=point.dependency_id,
        service_id=ticket.service_id,
        service_point_id=point.pk,
        channel=FilingChannel.IN_PERSON,  # a turn is served at the point
        language=ticket.language,
    )


def _ticket_finished(ticket: Ticket) -> None:
    """Invite the holder of a finished turn by email if they left one, else by SMS."""
    token = ticket_invitation_open(ticket=ticket)
    if token is None:
        return
    channel, address = (
        (Channel.EMAIL, ticket.email) if ticket.email else (Channel.SMS, ticket.phone)
    )
    notification_queue(
        event=SURVEY_INVITATION,
        recipients=[Recipient(channel=channel, address=address, language=ticket.language)],
        context={
            "code": ticket.code,
            "name": ticket.name,
            "point": ticket.point.name,
            "survey_url": survey_url(token, ticket.language),
        },
        reference=ticket.code,
    )


def _closing_notice_extra(case: Case, event: str, language: str) -> dict[str, Any]:
    if event != Event.CASE_CLOSED:
        return {}
    token = invitation_open(case=case, language=language)
    return {"survey_url": survey_url(token, language)} if token else {}


def register() -> None:
    notify.notice_extra_register(_closing_notice_extra)
    turns.ticket_finished_register(_ticket_finished)
