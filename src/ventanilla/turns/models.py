"""Queues of a service point and the tickets (turns) they give out."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.catalog.models import Service
from ventanilla.organization.models import ServicePoint

PREFIX_VALIDATOR = RegexValidator(
    r"^[A-Z]{1,3}$", _("Use de 1 a 3 letras mayúsculas, por ejemplo A.")
)


def new_secret() -> str:
    """A secret for a link (a ticket's phone page, a point's kiosk and display)."""
    return secrets.token_urlsafe(18)


class TurnQueue(models.Model):
    """The queue of one service at one service point: its tickets read "A-042"."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="turn_queues", verbose_name=_("punto")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="turn_queues", verbose_name=_("servicio")
    )
    prefix = models.CharField(
        _("prefijo"),
        max_length=3,
        validators=[PREFIX_VALIDATOR],
        help_text=_("Letra con la que empiezan los turnos de esta fila, por ejemplo A."),
    )
    label = models.CharField(
        _("nombre en el quiosco"),
        max_length=80,
        blank=True,
        help_text=_("Vacío: el título del servicio."),
    )
    remote_joining = models.BooleanField(_("se puede pedir turno desde el celular"), default=False)
    active = models.BooleanField(_("activa"), default=True)
    position = models.PositiveSmallIntegerField(_("orden en el quiosco"), default=0)

    class Meta:
        verbose_name = _("fila de turnos")
        verbose_name_plural = _("filas de turnos")
        ordering: ClassVar = ["point", "position", "prefix"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["point", "prefix"], name="turn_queue_unique_prefix"),
            models.UniqueConstraint(fields=["point", "service"], name="turn_queue_unique_service"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} · {self.title}"

    @property
    def title(self) -> str:
        """What the kiosk and the desk call this queue, in the current language."""
        if self.label:
            return self.label
        if get_language() == "en" and self.service.title_en:
            return self.service.title_en
        return str(self.service)


class TicketCounter(models.Model):
    """The last number a queue gave on one day; the row is locked by `UPDATE … RETURNING`
    inside the issuing transaction (as `cases.numbering` does for filing numbers)."""

    queue = models.ForeignKey(TurnQueue, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["queue", "day"], name="ticket_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.queue_id}/{self.day}: {self.last}"


class DeviceLink(models.Model):
    """The secret in the addresses of a point's kiosk and waiting-room display. An official
    opens them on the device from the workspace; a new secret retires the old addresses."""

    point = models.OneToOneField(
        ServicePoint, on_delete=models.CASCADE, related_name="device_link", verbose_name=_("punto")
    )
    secret = models.CharField(_("secreto"), max_length=40, unique=True, default=new_secret)
    created_at = models.DateTimeField(_("creado"))

    class Meta:
        verbose_name = _("enlace de quiosco y pantalla")
        verbose_name_plural = _("enlaces de quiosco y pantalla")

    def __str__(self) -> str:
        return str(self.point)


class TicketState(models.TextChoices):
    WAITING = "waiting", _("en espera")
    CALLED = "called", _("llamado")
    SERVING = "serving", _("en atención")
    DONE = "done", _("atendido")
    NO_SHOW = "no_show", _("no se presentó")
    TRANSFERRED = "transferred", _("trasladado")


OPEN_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)


class PriorityGroup(models.TextChoices):
    # Atención preferencial (Ley 1171 de 2007, Ley 1618 de 2013, Ley 1098 de 2006).
    NONE = "", _("ninguno")
    OLDER_ADULT = "older_adult", _("persona mayor")
    DISABILITY = "disability", _("persona con discapacidad")
    PREGNANT = "pregnant", _("mujer embarazada")


class TicketChannel(models.TextChoices):
    KIOSK = "kiosk", _("quiosco")
    CHECK_IN = "check_in", _("llegada con cita")
    REMOTE = "remote", _("desde el celular")
    DESK = "desk", _("en el puesto")


class Ticket(models.Model):
    """One person's turn in one queue on one day."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("punto")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("servicio")
    )
    queue = models.ForeignKey(
        TurnQueue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("fila")
    )
    day = models.DateField(_("día"))
    number = models.PositiveIntegerField(_("número"))
    code = models.CharField(_("turno"), max_length=12)
    state = models.CharField(
        _("estado"), max_length=12, choices=TicketState.choices, default=TicketState.WAITING
    )
    priority_group = models.CharField(
        _("atención preferencial"), max_length=12, choices=PriorityGroup.choices, blank=True
    )
    appointment_at = models.DateTimeField(_("hora de la cita"), null=True, blank=True)
    reference = models.CharField(_("código de la cita"), max_length=40, blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=TicketChannel.choices)
    desk = models.CharField(_("puesto"), max_length=20, blank=True)
    # Arrival orders the queue and survives a transfer; issued_at is this ticket's own.
    arrived_at = models.DateTimeField(_("llegada"))
    issued_at = models.DateTimeField(_("emitido"))
    called_at = models.DateTimeField(_("llamado"), null=True, blank=True)
    # The last time the display announced it (the first call or a recall).
    announced_at = models.DateTimeField(_("anunciado"), null=True, blank=True)
    started_at = models.DateTimeField(_("inicio de la atención"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("llamado por"),
    )
    recalls = models.PositiveSmallIntegerField(_("veces llamado de nuevo"), default=0)
    transferred_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_from",
        verbose_name=_("trasladado a"),
    )
    token = models.CharField(max_length=40, unique=True, default=new_secret, editable=False)
    name = models.CharField(_("nombre"), max_length=120, blank=True)
    phone = models.CharField(_("celular"), max_length=20, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    language = models.CharField(_("idioma"), max_length=8, default="es")
    near_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("turno")
        verbose_name_plural = _("turnos")
        ordering: ClassVar = ["-issued_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["queue", "day", "number"], name="ticket_unique_number"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["queue", "state", "arrived_at"], name="ticket_waiting"),
            models.Index(fields=["point", "day", "state"], name="ticket_point_day"),
            models.Index(
                fields=["point", "-announced_at"],
                name="ticket_announced",
                condition=Q(announced_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class TicketAction(models.TextChoices):
    ISSUED = "issued", _("emitido")
    CALLED = "called", _("llamado")
    RECALLED = "recalled", _("llamado de nuevo")
    STARTED = "started", _("atención iniciada")
    FINISHED = "finished", _("atendido")
    NO_SHOW = "no_show", _("no se presentó")
    TRANSFERRED = "transferred", _("trasladado")


class TicketEvent(models.Model):
    """The audit trail of a ticket: who did what, when and at which desk."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("turno")
    )
    at = models.DateTimeField(_("fecha"))
    action = models.CharField(_("acción"), max_length=12, choices=TicketAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funcionario"),
    )
    desk = models.CharField(_("puesto"), max_length=20, blank=True)
    detail = models.CharField(_("detalle"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evento del turno")
        verbose_name_plural = _("eventos del turno")
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"
