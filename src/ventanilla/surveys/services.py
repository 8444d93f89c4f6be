"""Answering a survey: once, before it expires, without an account."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.core import clock
from ventanilla.surveys.models import Invitation, Solved
from ventanilla.surveys.selectors import invitation_expired, survey_for


class SurveyError(ValidationError):
    """The answer cannot be taken (already answered, expired); the message is for the person."""


def survey_answer(*, invitation: Invitation, rating: int, solved: str, comment: str = "") -> None:
    """Record the one answer of `invitation`."""
    if rating not in range(1, 6) or solved not in Solved.values:
        raise SurveyError(_("Responda las dos preguntas."))
    survey = survey_for(invitation.entity, invitation.service)
    if len(comment) > survey.comment_max_length:
        raise SurveyError(
            _("El comentario puede tener hasta %(max)s caracteres.")
            % {"max": survey.comment_max_length}
        )
    with transaction.atomic(durable=True):
        locked = (
            Invitation.objects.select_for_update().select_related("entity").get(pk=invitation.pk)
        )
        if locked.answered_at is not None:
            raise SurveyError(_("Esta encuesta ya fue respondida."))
        if invitation_expired(locked):
            raise SurveyError(_("El plazo para responder esta encuesta terminó."))
        now = clock.now()
        locked.answered_at = now
        locked.answered_on = now.astimezone(ZoneInfo(locked.entity.timezone)).date()
        locked.rating = rating
        locked.solved = solved
        locked.comment = comment.strip()
        locked.save(update_fields=["answered_at", "answered_on", "rating", "solved", "comment"])
    invitation.refresh_from_db()
