"""Satisfaction surveys: what is asked (per entity, overridden per service) and the invitations
sent when a case closes, with their single answer."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Entity, ServicePoint
from ventanilla.turns.models import Ticket


class Survey(models.Model):
    """The questions an entity asks after a case (or one service's own version of them).
    Without any row, `selectors.survey_for` uses these defaults."""

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="+", verbose_name=_("entidad")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trámite"),
        help_text=_(
            "Vacío: la encuesta de toda la entidad. Con un trámite: solo para ese trámite."
        ),
    )
    active = models.BooleanField(_("activa"), default=True)
    rating_es = models.CharField(
        _("pregunta de calificación (español)"),
        max_length=200,
        default="¿Cómo califica la atención?",
    )
    rating_en = models.CharField(
        _("pregunta de calificación (inglés)"),
        max_length=200,
        default="How do you rate the service you received?",
    )
    solved_es = models.CharField(
        _("pregunta de resultado (español)"),
        max_length=200,
        default="¿Se resolvió su solicitud?",
    )
    solved_en = models.CharField(
        _("pregunta de resultado (inglés)"),
        max_length=200,
        default="Was your request resolved?",
    )
    comment_es = models.CharField(
        _("pregunta abierta (español)"),
        max_length=200,
        default="¿Quiere contarnos algo más?",
    )
    comment_en = models.CharField(
        _("pregunta abierta (inglés)"),
        max_length=200,
        default="Is there anything else you want to tell us?",
    )
    comment_max_length = models.PositiveSmallIntegerField(
        _("largo máximo del comentario"),
        default=1000,
        validators=[MinValueValidator(50), MaxValueValidator(4000)],
    )

    class Meta:
        verbose_name = _("encuesta de satisfacción")
        verbose_name_plural = _("encuestas de satisfacción")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["entity"], condition=Q(service=None), name="survey_one_per_entity"
            ),
            models.UniqueConstraint(
                fields=["entity", "service"],
                condition=Q(service__isnull=False),
                name="survey_one_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} · {self.service or _('toda la entidad')}"

    def text(self, question: str, language: str) -> str:
        """The wording of `question` (rating, solved, comment) in `language`."""
        suffix = "en" if language == "en" else "es"
        return str(getattr(self, f"{question}_{suffix}"))


class Solved(models.TextChoices):
    YES = "yes", _("sí")
    PARTLY = "partly", _("en parte")
    NO = "no", _("no")


class Invitation(models.Model):
    """One invitation per closed case or per finished turn (exactly one of the two), found by
    the SHA-256 of its token (the token itself travels only in the notice). Where the case
    stood at closing, or where the turn was served, is kept for the figures."""

    case = models.OneToOneField(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caso"),
    )
    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("turno"),
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    dependency = models.ForeignKey(Dependency, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("canal"), max_length=20)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("idioma"), max_length=8, default="es")
    created_at = models.DateTimeField(_("invitada el"))
    answered_at = models.DateTimeField(_("respondida el"), null=True, blank=True)
    answered_on = models.DateField(_("respondida el día"), null=True, blank=True, db_index=True)
    rating = models.PositiveSmallIntegerField(
        _("calificación"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    solved = models.CharField(_("¿se resolvió?"), max_length=10, choices=Solved.choices, blank=True)
    comment = models.TextField(_("comentario"), blank=True)

    class Meta:
        verbose_name = _("invitación a encuesta")
        verbose_name_plural = _("invitaciones a encuesta")
        indexes: ClassVar = [models.Index(fields=["entity", "answered_on"])]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="invitation_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=False, ticket__isnull=True)
                | Q(case__isnull=True, ticket__isnull=False),
                name="invitation_case_or_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id}" if self.case_id else f"ticket {self.ticket_id}"
