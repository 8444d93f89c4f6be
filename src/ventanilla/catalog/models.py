"""The catalogue: services with a stable identity, and immutable published versions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ventanilla.catalog.schema import ServiceDefinition
from ventanilla.organization.models import Dependency, Entity, ServicePoint, ServicePointKind


class Category(models.Model):
    slug = models.SlugField(_("identificador"), unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")
        ordering: ClassVar = ["order", "name_es"]

    def __str__(self) -> str:
        return self.name_es

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_es


class SearchSynonym(models.Model):
    """Words that mean the same to this deployment's citizens when they search the catalogue
    ("matrícula, inscripción, cupo"): a search for any of them finds what the others find."""

    words = models.CharField(
        _("palabras"),
        max_length=300,
        unique=True,
        help_text=_(
            "Separadas por comas: matrícula, inscripción, cupo. Una búsqueda de cualquiera "
            "encuentra también los trámites que usan las otras."
        ),
    )

    class Meta:
        verbose_name = _("sinónimo de búsqueda")
        verbose_name_plural = _("sinónimos de búsqueda")
        ordering: ClassVar = ["words"]

    def __str__(self) -> str:
        return self.words


class LifeEvent(models.Model):
    """A moment in a person's life that needs several services ("enrolling a child")."""

    slug = models.SlugField(_("identificador"), unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("momento de vida")
        verbose_name_plural = _("momentos de vida")
        ordering: ClassVar = ["order", "name_es"]

    def __str__(self) -> str:
        return self.name_es

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_es


class ServiceKind(models.TextChoices):
    PROCEDURE = "procedure", _("trámite")
    OTHER = "other", _("otro procedimiento administrativo")
    PETITION = "petition", _("tipo de petición (PQRSD)")


class PetitionType(models.TextChoices):
    """What kind of petition a service receives, as the legal reports count them: the report on
    requests for public information (Decreto 1081 de 2015, art. 2.1.1.6.2) and the semi-annual
    report on complaints, claims and suggestions (Ley 1474 de 2011, art. 76)."""

    GENERAL = "general", _("petición general")
    DOCUMENTS = "documents", _("petición de documentos")
    INFORMATION = "information", _("solicitud de acceso a información pública")
    CONSULTATION = "consultation", pgettext_lazy("tipo de petición", "consulta")
    COMPLAINT = "complaint", _("queja")
    CLAIM = "claim", _("reclamo")
    SUGGESTION = "suggestion", _("sugerencia")
    REPORT = "report", _("denuncia")
    CONGRATULATION = "congratulation", _("felicitación")


class Channel(models.TextChoices):
    ONLINE = "online", _("en línea")
    IN_PERSON = "in_person", _("presencial")
    PHONE = "phone", _("telefónico")


class Service(models.Model):
    """The stable identity of a service; what it says lives in its versions."""

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="services", verbose_name=_("entidad")
    )
    dependency = models.ForeignKey(
        Dependency,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("dependencia responsable"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="services", verbose_name=_("categoría")
    )
    life_events = models.ManyToManyField(
        LifeEvent, blank=True, related_name="services", verbose_name=_("momentos de vida")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=ServiceKind.choices)
    petition_type = models.CharField(
        _("tipo de petición en los informes"),
        max_length=20,
        choices=PetitionType.choices,
        blank=True,
        help_text=_(
            "Cómo cuentan sus solicitudes los informes de ley (PQRSD, acceso a la información). "
            "Vacío en los trámites."
        ),
    )
    channels = models.JSONField(
        _("canales"), default=list, help_text=_("Lista de: online, in_person, phone.")
    )
    point_kinds = models.JSONField(
        _("se atiende en"),
        default=list,
        blank=True,
        help_text=_("Tipos de punto que lo atienden: school, support_centre, office."),
    )
    service_points = models.ManyToManyField(
        ServicePoint,
        blank=True,
        related_name="services",
        verbose_name=_("otros puntos que lo atienden"),
    )
    # Denormalised from the published version for listing, filtering and search.
    title_es = models.CharField(_("título (español)"), max_length=200, blank=True, editable=False)
    title_en = models.CharField(_("título (inglés)"), max_length=200, blank=True, editable=False)
    summary_es = models.TextField(_("resumen (español)"), blank=True, editable=False)
    summary_en = models.TextField(_("resumen (inglés)"), blank=True, editable=False)
    search_title = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    is_published = models.BooleanField(_("publicado"), default=False, editable=False)

    class Meta:
        verbose_name = _("servicio")
        verbose_name_plural = _("servicios")
        ordering: ClassVar = ["title_es", "slug"]

    def __str__(self) -> str:
        return self.title_es or self.slug

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        channels = self.channels if isinstance(self.channels, list) else None
        if not channels or any(c not in Channel.values for c in channels):
            errors["channels"] = _("Elija uno o más de: online, in_person, phone.")
        kinds = self.point_kinds if isinstance(self.point_kinds, list) else None
        if kinds is None or any(k not in ServicePointKind.values for k in kinds):
            errors["point_kinds"] = _("Use solo: school, support_centre, office.")
        if self.dependency_id and self.entity_id and self.dependency.entity_id != self.entity_id:
            errors["dependency"] = _("Debe pertenecer a la misma entidad.")
        if errors:
            raise ValidationError(errors)

    def title(self, language: str) -> str:
        return (self.title_en if language == "en" else self.title_es) or self.slug

    def summary(self, language: str) -> str:
        return self.summary_en if language == "en" else self.summary_es


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("borrador")
    PUBLISHED = "published", _("publicada")
    RETIRED = "retired", _("retirada")


class PublishedVersionError(Exception):
    """A published or retired version never changes: clone it into a new draft instead."""


class ServiceVersion(models.Model):
    """One version of what a service says. Immutable once published; cases keep the version
    they were filed under."""

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="versions", verbose_name=_("servicio")
    )
    number = models.PositiveIntegerField(_("versión"))
    status = models.CharField(
        _("estado"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(_("definición"))
    created_at = models.DateTimeField(_("creada"))
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retirada"), null=True, blank=True)
    notes = models.TextField(_("notas del cambio"), blank=True)

    class Meta:
        verbose_name = _("versión del servicio")
        verbose_name_plural = _("versiones del servicio")
        ordering: ClassVar = ["service", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["service", "number"], name="version_unique_number"),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(status="published"),
                name="version_one_published",
                violation_error_message=_("Un servicio tiene a lo sumo una versión publicada."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.slug} v{self.number} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A published version is evidence of what citizens were told: it never changes, except
        # for the step that retires it.
        if self.pk is not None:
            stored = ServiceVersion.objects.filter(pk=self.pk).values("status", "definition")
            before = stored.first()
            if before is not None and before["status"] != VersionStatus.DRAFT:
                retiring = (
                    before["status"] == VersionStatus.PUBLISHED
                    and self.status == VersionStatus.RETIRED
                    and before["definition"] == self.definition
                )
                if not retiring:
                    raise PublishedVersionError(
                        f"{self.service.slug} v{self.number} is {before['status']}: clone it"
                    )
        super().save(*args, **kwargs)

    @property
    def parsed(self) -> ServiceDefinition:
        """The definition as a validated object (parsed once per instance)."""
        cached: ServiceDefinition | None = getattr(self, "_parsed", None)
        if cached is None:
            cached = ServiceDefinition.model_validate(self.definition)
            self._parsed = cached
        return cached
