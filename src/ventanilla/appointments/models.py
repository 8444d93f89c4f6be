"""Appointments: when a service point receives people for a service (schedules, derived into
slots) and who booked each seat (bookings).

Slots are not stored ahead: the rules say which times exist. A `Slot` row is written the first
time somebody books a time, and from then on it is the one row that counts the seats taken, so
that the database (one conditional UPDATE) decides who gets the last one.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ventanilla.catalog.models import Service
from ventanilla.organization.models import Entity, ServicePoint, WeeklyHours


class Schedule(models.Model):
    """When `point` gives appointments for `service`: weekly periods, slot length, seats per
    slot and how far ahead one may book. A schedule with dates is a campaign: on its days it
    replaces the point's ordinary schedule for that service."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("punto")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("servicio")
    )
    name = models.CharField(
        _("nombre"),
        max_length=120,
        blank=True,
        help_text=_("Solo para jornadas: por ejemplo «Jornada especial de matrículas»."),
    )
    starts_on = models.DateField(_("desde"), null=True, blank=True)
    ends_on = models.DateField(_("hasta"), null=True, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutos por cita"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("personas por horario"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Cuántas personas se atienden a la vez: normalmente, los puestos abiertos."),
    )
    min_notice_minutes = models.PositiveIntegerField(
        _("anticipación mínima (minutos)"),
        default=60,
        help_text=_("No se puede agendar una cita que empieza antes de este tiempo."),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("días hacia adelante"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("Hasta cuántos días adelante se puede agendar."),
    )
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")
        ordering: ClassVar = ["point__name", "service__slug", "starts_on"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True, ends_on__isnull=True)
                | Q(starts_on__isnull=False, ends_on__isnull=False, starts_on__lte=F("ends_on")),
                name="schedule_campaign_dates",
                violation_error_message=_(
                    "Una jornada necesita fecha de inicio y de fin, y el inicio no puede ser "
                    "posterior al fin."
                ),
            )
        ]
        indexes: ClassVar = [models.Index(fields=["point", "service"], name="schedule_lookup")]

    def __str__(self) -> str:
        label = f"{self.point} · {self.service}"
        if self.starts_on:
            label += f" · {self.starts_on:%Y-%m-%d}-{self.ends_on:%Y-%m-%d}"
        return label

    @property
    def is_campaign(self) -> bool:
        return self.starts_on is not None

    def clean(self) -> None:
        if self.point_id and self.service_id and self.point.entity_id != self.service.entity_id:
            raise ValidationError({"service": _("El servicio debe ser de la entidad del punto.")})


class SchedulePeriod(WeeklyHours):
    """One period of a weekday (08:00-12:00 and 14:00-17:00 are two periods of one day)."""

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="periods", verbose_name=_("agenda")
    )

    class Meta(WeeklyHours.Meta):
        verbose_name = _("franja de atención")
        verbose_name_plural = _("franjas de atención")


class BookingPolicy(models.Model):
    """The fairness rules of an entity, or of one of its services (which then override the
    entity's). Without any row the defaults below apply."""

    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="booking_policies", verbose_name=_("entidad")
    )
    service = models.OneToOneField(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="booking_policy",
        verbose_name=_("servicio"),
        help_text=_("Vacío: la regla vale para todos los servicios de la entidad."),
    )
    max_active_per_id = models.PositiveSmallIntegerField(
        _("citas activas por documento"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Cuántas citas pendientes puede tener a la vez un mismo documento."),
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("inasistencias que bloquean"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Tras este número de inasistencias en el periodo, no puede agendar."),
    )
    no_show_window_days = models.PositiveSmallIntegerField(
        _("periodo de inasistencias (días)"), default=90, validators=[MinValueValidator(1)]
    )
    block_days = models.PositiveSmallIntegerField(
        _("días de bloqueo"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Cuánto dura el bloqueo, contado desde la última inasistencia."),
    )
    guests_allowed = models.BooleanField(
        _("se puede agendar sin cuenta"),
        default=True,
        help_text=_("Con número de documento y un correo confirmado."),
    )

    class Meta:
        verbose_name = _("regla de citas")
        verbose_name_plural = _("reglas de citas")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["entity"],
                condition=Q(service__isnull=True),
                name="booking_policy_one_per_entity",
            )
        ]

    def __str__(self) -> str:
        return str(self.service or self.entity)

    def clean(self) -> None:
        if self.service is not None and self.entity_id and self.service.entity_id != self.entity_id:
            raise ValidationError({"service": _("El servicio debe ser de la entidad.")})


class Slot(models.Model):
    """A booked time of a point and service: the seats it has and how many are taken. Written
    on the first booking of that time; the CHECK keeps `booked` within `capacity` whatever the
    code above does."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["point", "service", "starts_at"], name="slot_unique"),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="slot_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id}/{self.service_id} {self.starts_at:%Y-%m-%d %H:%M}"


class BookingState(models.TextChoices):
    BOOKED = "booked", _("agendada")
    CHECKED_IN = "checked_in", _("atendida")
    NO_SHOW = "no_show", _("no asistió")
    CANCELLED = "cancelled", _("cancelada")
    # Its time passed and nobody recorded the arrival or the absence: it no longer holds the
    # person's place for the service, and it does not count as a no-show.
    EXPIRED = "expired", _("pasó sin registro")


class BookingChannel(models.TextChoices):
    ONLINE = "online", _("en línea")
    COUNTER = "counter", _("en ventanilla")
    PHONE = "phone", _("por teléfono")
    API = "api", _("por otro sistema")


class Booking(models.Model):
    """One person's seat at one time. It belongs to an ID number, which is checked at the
    door: a booking cannot be sold on, because it is only good for its holder."""

    code = models.CharField(_("código"), max_length=12, unique=True)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("punto")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("servicio")
    )
    starts_at = models.DateTimeField(_("hora"))
    ends_at = models.DateTimeField(_("hasta"))
    state = models.CharField(
        _("estado"), max_length=12, choices=BookingState.choices, default=BookingState.BOOKED
    )
    id_type = models.CharField(_("tipo de documento"), max_length=10)
    id_number = models.CharField(_("número de documento"), max_length=20)
    name = models.CharField(_("nombre"), max_length=200)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("celular"), max_length=20, blank=True)
    language = models.CharField(_("idioma"), max_length=8, default="es")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("cuenta"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("caso"),
    )
    channel = models.CharField(
        _("canal"), max_length=10, choices=BookingChannel.choices, default=BookingChannel.ONLINE
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agendada por"),
    )
    created_at = models.DateTimeField(_("agendada el"))
    changed_at = models.DateTimeField(_("último cambio"))
    reminded_at = models.DateTimeField(_("recordada el"), null=True, blank=True)
    turn_code = models.CharField(_("turno"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("cita")
        verbose_name_plural = _("citas")
        ordering: ClassVar = ["starts_at"]
        constraints: ClassVar = [
            # One pending booking per person and service, decided by the database.
            models.UniqueConstraint(
                fields=["service", "id_type", "id_number"],
                condition=Q(state="booked"),
                name="booking_one_active_per_service",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["point", "starts_at"], name="booking_agenda"),
            models.Index(fields=["id_type", "id_number", "state"], name="booking_holder"),
            models.Index(fields=["state", "starts_at"], name="booking_due"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.state == BookingState.BOOKED


class BookingEvent(models.Model):
    """What happened to a booking and who did it (the audit trail of the point's agenda)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict)

    class Meta:
        ordering: ClassVar = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
