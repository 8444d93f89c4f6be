"""Who serves: entities, their dependency tree, their service points and their officials."""

from __future__ import annotations

import zoneinfo
from datetime import time
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,19}$",
    _("Use de 1 a 20 letras mayúsculas, cifras o guiones, sin espacios."),
)
DEFAULT_FILING_FORMAT = "{entity}-{year}-{seq:06d}"


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("«%(value)s» no es una zona horaria conocida."), params={"value": value}
        )


def validate_filing_format(value: str) -> None:
    """A filing-number format must number each entity's year: it needs {seq} and {year}."""
    if "{seq" not in value or "{year" not in value:
        raise ValidationError(_("El formato debe contener {seq} y {year}."))
    try:
        value.format(entity="SED", year=2026, seq=123)
    except (KeyError, ValueError, IndexError) as error:
        raise ValidationError(
            _("El formato no es válido: %(error)s"), params={"error": error}
        ) from error


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lunes")
    TUESDAY = 1, _("martes")
    WEDNESDAY = 2, _("miércoles")
    THURSDAY = 3, _("jueves")
    FRIDAY = 4, _("viernes")
    SATURDAY = 5, _("sábado")
    SUNDAY = 6, _("domingo")


class WeeklyHours(models.Model):
    """One opening interval on one weekday; several rows make a day with a lunch break."""

    weekday = models.PositiveSmallIntegerField(_("día"), choices=Weekday.choices)
    opens = models.TimeField(_("abre"))
    closes = models.TimeField(_("cierra"))

    class Meta:
        abstract = True
        ordering: ClassVar = ["weekday", "opens"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")),
                name="%(app_label)s_%(class)s_opens_before_closes",
                violation_error_message=_("La hora de apertura debe ser anterior al cierre."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A day the office does not work (an entity's own closure, not a public holiday)."""

    date = models.DateField(_("fecha"))
    reason = models.CharField(_("motivo"), max_length=200)

    class Meta:
        abstract = True
        ordering: ClassVar = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.reason}"


class Entity(models.Model):
    """An institution: it numbers its filings, keeps its calendar and answers for its cases."""

    code = models.CharField(
        _("código"),
        max_length=20,
        unique=True,
        validators=[CODE_VALIDATOR],
        help_text=_("Aparece en los números de radicado, por ejemplo SED."),
    )
    name = models.CharField(_("nombre"), max_length=200)
    short_name = models.CharField(_("nombre corto"), max_length=60, blank=True)
    timezone = models.CharField(
        _("zona horaria"), max_length=64, default="America/Bogota", validators=[validate_timezone]
    )
    reception_cutoff = models.TimeField(
        _("hora de corte de radicación"),
        default=time(17, 0),
        help_text=_("Lo radicado desde esta hora se recibe el siguiente día hábil."),
    )
    holiday_country = models.CharField(
        _("país de los festivos"),
        max_length=2,
        default="CO",
        help_text=_("Código ISO de dos letras, por ejemplo CO."),
    )
    holiday_subdivision = models.CharField(
        _("subdivisión de los festivos"), max_length=10, blank=True
    )
    filing_number_format = models.CharField(
        _("formato del radicado"),
        max_length=60,
        default=DEFAULT_FILING_FORMAT,
        validators=[validate_filing_format],
        help_text=_("Campos: {entity}, {year}, {seq}. Por ejemplo {entity}-{year}-{seq:06d}."),
    )
    website = models.URLField(_("sitio web"), blank=True)
    email = models.EmailField(_("correo de contacto"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    address = models.CharField(_("dirección"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        import holidays

        try:
            holidays.country_holidays(
                self.holiday_country, subdiv=self.holiday_subdivision or None, years=2026
            )
        except NotImplementedError as error:
            raise ValidationError(
                {"holiday_country": _("No hay calendario de festivos para ese país o subdivisión.")}
            ) from error


class EntityHours(WeeklyHours):
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="hours", verbose_name=_("entidad")
    )

    class Meta(WeeklyHours.Meta):
        verbose_name = _("horario de atención")
        verbose_name_plural = _("horarios de atención")


class EntityClosure(Closure):
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="closures", verbose_name=_("entidad")
    )

    class Meta(Closure.Meta):
        verbose_name = _("cierre de la entidad")
        verbose_name_plural = _("cierres de la entidad")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["entity", "date"], name="entity_closure_unique_date")
        ]


class Level(models.TextChoices):
    CENTRAL = "central", _("central")
    LOCAL = "local", _("local")
    INSTITUTIONAL = "institutional", _("institucional")


class Dependency(models.Model):
    """An organisational unit; dependencies form a tree inside an entity.

    `path` is the chain of codes from the root ("SED/SUB-ACCESO/DIR-COBERTURA/") so that a
    subtree is one indexed prefix query on SQLite and PostgreSQL alike.
    """

    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="dependencies", verbose_name=_("entidad")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("depende de"),
    )
    code = models.CharField(_("código"), max_length=20, validators=[CODE_VALIDATOR])
    name = models.CharField(_("nombre"), max_length=200)
    level = models.CharField(_("nivel"), max_length=20, choices=Level.choices)
    email = models.EmailField(_("correo"), blank=True)
    active = models.BooleanField(_("activa"), default=True)
    path = models.CharField(_("ruta"), max_length=500, editable=False, db_index=True)

    class Meta:
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")
        ordering: ClassVar = ["entity__name", "path"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["entity", "code"], name="dependency_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # `path` is derived from the parent's; descendants follow when it changes.
        old_path = self.path
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if old_path and old_path != self.path:
            for child in Dependency.objects.filter(parent=self):
                child.save()

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent is not None and self.parent.entity_id != self.entity_id:
            raise ValidationError({"parent": _("Debe pertenecer a la misma entidad.")})
        if self.pk and self.parent is not None and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("Una dependencia no puede depender de sí misma.")})


class ServicePointKind(models.TextChoices):
    SCHOOL = "school", _("colegio")
    SUPPORT_CENTRE = "support_centre", _("centro de atención")
    OFFICE = "office", _("oficina")


class Locality(models.Model):
    """A district of the city (Bogotá has 20 localidades), used to find nearby service points."""

    code = models.CharField(_("código"), max_length=10, unique=True)
    name = models.CharField(_("nombre"), max_length=100)

    class Meta:
        verbose_name = _("localidad")
        verbose_name_plural = _("localidades")
        ordering: ClassVar = ["code"]

    def __str__(self) -> str:
        return self.name


class ServicePoint(models.Model):
    """A place where citizens are served: a school, a support centre, an office."""

    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="service_points", verbose_name=_("entidad")
    )
    dependency = models.ForeignKey(
        Dependency,
        on_delete=models.PROTECT,
        related_name="service_points",
        verbose_name=_("dependencia"),
    )
    code = models.CharField(_("código"), max_length=20, validators=[CODE_VALIDATOR])
    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=ServicePointKind.choices)
    address = models.CharField(_("dirección"), max_length=200)
    locality = models.ForeignKey(
        Locality,
        on_delete=models.PROTECT,
        related_name="service_points",
        verbose_name=_("localidad"),
    )
    latitude = models.DecimalField(
        _("latitud"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitud"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    desks = models.PositiveSmallIntegerField(
        _("puestos de atención"), default=1, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("punto de atención")
        verbose_name_plural = _("puntos de atención")
        ordering: ClassVar = ["name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["entity", "code"], name="service_point_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.dependency_id and self.entity_id and self.dependency.entity_id != self.entity_id:
            raise ValidationError({"dependency": _("Debe pertenecer a la misma entidad.")})


class ServicePointHours(WeeklyHours):
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="hours", verbose_name=_("punto")
    )

    class Meta(WeeklyHours.Meta):
        verbose_name = _("horario del punto")
        verbose_name_plural = _("horarios del punto")


class ServicePointClosure(Closure):
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="closures", verbose_name=_("punto")
    )

    class Meta(Closure.Meta):
        verbose_name = _("cierre del punto")
        verbose_name_plural = _("cierres del punto")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["service_point", "date"], name="service_point_closure_unique_date"
            )
        ]


class Role(models.TextChoices):
    """What an official may do, from least to most. A role on a dependency covers its subtree."""

    VIEWER = "viewer", _("consulta")
    HANDLER = "handler", _("gestión")
    APPROVER = "approver", _("aprobación")
    SUPERVISOR = "supervisor", _("supervisión")
    ADMINISTRATOR = "administrator", _("administración")


ROLE_RANK: dict[str, int] = {role.value: rank for rank, role in enumerate(Role)}


class Membership(models.Model):
    """An official's role on a dependency and everything under it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("funcionario"),
    )
    dependency = models.ForeignKey(
        Dependency,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("dependencia"),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("vinculación")
        verbose_name_plural = _("vinculaciones")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "dependency"], name="membership_one_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.dependency}"
