"""Inviting the citizen: once per closed case, by the channels the closing notice uses.

The closing notice itself carries the survey's link (a `cases.notify` notice extra), so the
invitation is opened while that notice is written, inside the closing transaction, and the
citizen answers from the email or text message that tells them the case ended. A case whose
notice goes to nobody (anonymous, or filed in person without email or phone) gets none."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from ventanilla.cases import notify
from ventanilla.cases.models import Case
from ventanilla.core import clock
from ventanilla.notifications.models import Event
from ventanilla.surveys.models import Invitation
from ventanilla.surveys.selectors import survey_for


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


def invitation_open(*, case: Case, language: str = "es") -> str | None:
    """Open the case's invitation and return its token; None when the case already has one,
    has nobody to write to, or its survey is switched off. Runs in the caller's transaction."""
    if not has_contact(case) or not survey_for(case.entity, case.service).active:
        return None
    if Invitation.objects.filter(case=case).exists():
        return None
    token = secrets.token_urlsafe(24)
    try:
        with transaction.atomic():  # a savepoint: a racing twin must not break the closing
            Invitation.objects.create(
                case=case,
                entity_id=case.entity_id,
                dependency_id=case.dependency_id,
                service_id=case.service_id,
                service_point_id=case.service_point_id,
                channel=case.channel,
                token_hash=token_hash(token),
                language=language,
                created_at=clock.now(),
            )
    except IntegrityError:
        return None
    return token


def _closing_notice_extra(case: Case, event: str, language: str) -> dict[str, Any]:
    if event != Event.CASE_CLOSED:
        return {}
    token = invitation_open(case=case, language=language)
    return {"survey_url": survey_url(token, language)} if token else {}


def register() -> None:
    notify.notice_extra_register(_closing_notice_extra)
