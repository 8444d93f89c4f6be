"""The notifications outbox and the templates administrators edit."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import Template, TemplateSyntaxError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CASE_FILED = "case_filed", _("radicación recibida")
    CASE_UPDATED = "case_updated", _("cambio en el caso")
    INFORMATION_REQUESTED = "information_requested", _("solicitud de información")
    INFORMATION_REMINDER = "information_reminder", _("recordatorio antes de que venza el plazo")
    CASE_CLOSED = "case_closed", _("caso cerrado")
    MESSAGE_RECEIVED = "message_received", _("mensaje nuevo")
    GUEST_CODE = "guest_code", _("código para confirmar el correo de un invitado")
    GUEST_LINK = "guest_link", _("enlace de un invitado a su caso")
    ACCOUNT_EMAIL = "account_email", _("correo de la cuenta (verificación, contraseña)")


# Events other apps add (a capability's own notices): key → what administrators read. Model
# fields take their choices from here through a callable, so a new event needs no migration
# of this app; the app that registers it adds its default templates itself.
_REGISTERED: dict[str, str | Promise] = dict(Event.choices)


def event_register(key: str, label: str | Promise, *, secret: bool = False) -> None:
    """Offer `key` as a notification event (from the registering app's `AppConfig.ready`);
    `secret` when its message carries a code or a key, to be erased once sent."""
    _REGISTERED[key] = label
    if secret:
        _SECRET.add(key)


def is_secret(event: str) -> bool:
    return event in _SECRET


def event_choices() -> list[tuple[str, str | Promise]]:
    return list(_REGISTERED.items())


# Mail that arrives already written (allauth renders its own from its templates): the outbox
# keeps the text as given instead of rendering a NotificationTemplate.
PRERENDERED_EVENTS = frozenset({Event.ACCOUNT_EMAIL})
# Mail that carries a secret (a code, a sign-in or reset link): its text is erased once sent,
# so that the outbox does not keep working keys for whoever reads it later.
SECRET_EVENTS = frozenset({Event.GUEST_CODE, Event.GUEST_LINK, Event.ACCOUNT_EMAIL})
_SECRET: set[str] = set(SECRET_EVENTS)


class Channel(models.TextChoices):
    EMAIL = "email", _("correo electrónico")
    SMS = "sms", _("mensaje de texto")
    IN_APP = "in_app", _("aviso en la plataforma")


class State(models.TextChoices):
    PENDING = "pending", _("pendiente")
    SENT = "sent", _("enviada")
    FAILED = "failed", _("fallida")


class NotificationTemplate(models.Model):
    """What we write for one event, on one channel, in one language. Django template syntax;
    the context has `case`, `site_name`, `url` and the event's own values."""

    event = models.CharField(_("evento"), max_length=40, choices=event_choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("asunto"), max_length=200, blank=True)
    body = models.TextField(_("texto"))

    class Meta:
        verbose_name = _("plantilla de notificación")
        verbose_name_plural = _("plantillas de notificación")
        ordering: ClassVar = ["event", "channel", "language"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="notification_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.channel} · {self.language}"

    def clean(self) -> None:
        """Refuse a template that does not compile, before any notification needs it."""
        for field in ("subject", "body"):
            try:
                Template(getattr(self, field))
            except TemplateSyntaxError as error:
                raise ValidationError(
                    {field: _("La plantilla no es válida: %(error)s") % {"error": error}}
                ) from error


class Notification(models.Model):
    """One message to one recipient, written in the same transaction as the change it tells
    about and delivered by the worker after commit, with retries."""

    created_at = models.DateTimeField(_("creada"), db_index=True)
    event = models.CharField(_("evento"), max_length=40, choices=event_choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("idioma"), max_length=8)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("usuario"),
    )
    recipient = models.CharField(_("destinatario"), max_length=254, blank=True)
    reference = models.CharField(_("referencia"), max_length=60, blank=True, db_index=True)
    context = models.JSONField(_("datos"), default=dict)
    state = models.CharField(
        _("estado"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    next_attempt_at = models.DateTimeField(_("próximo intento"), null=True, blank=True)
    last_error = models.TextField(_("último error"), blank=True)
    sent_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    failed_at = models.DateTimeField(_("fallida el"), null=True, blank=True)
    subject = models.CharField(_("asunto"), max_length=200, blank=True)
    body = models.TextField(_("texto"), blank=True)
    read_at = models.DateTimeField(_("leída el"), null=True, blank=True)

    class Meta:
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["user", "channel", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient or self.user_id} ({self.state})"
