"""School places: what a season offers (per school, grade and shift), who applied, how the
places were allocated and what each family did with theirs.

An application is a case of the season's service, filed through the ordinary `case_file`; the
`Application` row is its allocation side (the student, the ranked schools, the priority group and
its evidence). An `Offer` counts its places taken, and a CHECK keeps that count within the
places offered, so the database decides who gets the last one (as a booking's slot does).
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ventanilla.catalog.models import Service
from ventanilla.organization.models import Entity, Locality, ServicePoint
from ventanilla.places.rules import SeasonDefinition


class Season(models.Model):
    """One year's process of school places for new students of an entity."""

    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="+", verbose_name=_("entidad")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trámite"),
        help_text=_("Las solicitudes de este trámite son las postulaciones de la temporada."),
    )
    transfer_service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trámite de traslado por cercanía"),
        help_text=_(
            "Las solicitudes de este trámite son postulaciones de estudiantes que piden un "
            "colegio más cercano a su vivienda que el suyo. Déjelo vacío si no hay traslados."
        ),
    )
    code = models.SlugField(_("código"), max_length=20, help_text=_("Por ejemplo, 2027."))
    name = models.CharField(_("nombre"), max_length=150)
    seed = models.CharField(
        _("número aleatorio publicado"),
        max_length=64,
        blank=True,
        help_text=_(
            "Se sortea una sola vez, al cerrar la etapa 1, y decide los empates que quedan."
        ),
    )
    seed_drawn_at = models.DateTimeField(_("sorteado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        verbose_name = _("temporada de cupos")
        verbose_name_plural = _("temporadas de cupos")
        ordering: ClassVar = ["-code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["code"], name="season_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class SeasonRules(models.Model):
    """A version of a season's rules (`rules.SeasonDefinition` as YAML). A published version is
    never edited; a later one may replace it only before stage 1 opens."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="rules", verbose_name=_("temporada")
    )
    number = models.PositiveSmallIntegerField(_("versión"))
    text = models.TextField(_("reglas (YAML)"))
    notes = models.CharField(_("qué cambió"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicada por"),
    )

    class Meta:
        verbose_name = _("reglas de la temporada")
        verbose_name_plural = _("reglas de la temporada")
        ordering: ClassVar = ["season", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["season", "number"], name="season_rules_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.season} v{self.number}"

    @cached_property
    def parsed(self) -> SeasonDefinition:
        from ventanilla.places.rules import parse_rules_cached

        return parse_rules_cached(self.text)


class Offer(models.Model):
    """The places of one grade and shift at one school in a season. `taken` counts the places
    given (stage 1 results and stage 2 claims, less the ones released); the CHECK keeps it within
    `capacity - continuing` whatever the code above does."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="offers", verbose_name=_("temporada")
    )
    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("colegio")
    )
    grade = models.CharField(_("grado"), max_length=50)
    shift = models.CharField(_("jornada"), max_length=50)
    capacity = models.PositiveIntegerField(_("cupos del grado"))
    continuing = models.PositiveIntegerField(
        _("reservados a estudiantes antiguos"),
        default=0,
        help_text=_("Los estudiantes que siguen en el colegio; estos cupos no se ofrecen."),
    )
    taken = models.PositiveIntegerField(_("asignados"), default=0)

    class Meta:
        verbose_name = _("oferta de cupos")
        verbose_name_plural = _("oferta de cupos")
        ordering: ClassVar = ["point__name", "grade", "shift"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["season", "point", "grade", "shift"], name="offer_unique"
            ),
            models.CheckConstraint(
                condition=Q(continuing__lte=F("capacity")),
                name="offer_continuing_within_capacity",
                violation_error_message=_(
                    "Los cupos reservados a antiguos no pueden ser más que los del grado."
                ),
            ),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity") - F("continuing")),
                name="offer_taken_within_offered",
                violation_error_message=_(
                    "Ya hay más cupos asignados que los que quedarían ofrecidos."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.grade} · {self.shift}"

    @property
    def offered(self) -> int:
        return self.capacity - self.continuing

    @property
    def free(self) -> int:
        return max(self.offered - self.taken, 0)


class OfferChange(models.Model):
    """What changed in an offer, when, by whom and from where (the history an auditor reads)."""

    class Source(models.TextChoices):
        IMPORT = "import", _("archivo CSV")
        ADMIN = "admin", _("administración")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("fecha"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    source = models.CharField(_("origen"), max_length=10, choices=Source.choices)
    capacity_before = models.PositiveIntegerField(null=True)
    capacity_after = models.PositiveIntegerField()
    continuing_before = models.PositiveIntegerField(null=True)
    continuing_after = models.PositiveIntegerField()
    note = models.CharField(_("nota"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cambio de la oferta")
        verbose_name_plural = _("cambios de la oferta")
        ordering: ClassVar = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.TextChoices):
    NONE = "none", _("sin grupo prioritario")
    PENDING = "pending", _("por verificar")
    APPROVED = "approved", _("aprobado")
    REJECTED = "rejected", _("rechazado")


class Application(models.Model):
    """The allocation side of one case of the season's service: one student, their grade,
    home, priority group and ranked schools. One active application per student and season."""

    class State(models.TextChoices):
        ACTIVE = "active", _("activa")
        WITHDRAWN = "withdrawn", _("retirada")

    class Kind(models.TextChoices):
        NEW = "new", _("estudiante nuevo")
        TRANSFER = "transfer", _("traslado por cercanía")

    season = models.ForeignKey(
        Season, on_delete=models.PROTECT, related_name="applications", verbose_name=_("temporada")
    )
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="place_application",
        verbose_name=_("solicitud"),
    )
    stage = models.PositiveSmallIntegerField(_("etapa"), default=1)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    state = models.CharField(
        _("estado"), max_length=10, choices=State.choices, default=State.ACTIVE
    )
    student_id_type = models.CharField(_("tipo de documento"), max_length=10)
    student_id_number = models.CharField(_("número de documento"), max_length=30)
    grade = models.CharField(_("grado"), max_length=50)
    shift = models.CharField(_("jornada"), max_length=50, blank=True)
    home_locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, related_name="+", verbose_name=_("localidad")
    )
    home_latitude = models.FloatField(_("latitud de la vivienda"))
    home_longitude = models.FloatField(_("longitud de la vivienda"))
    home_located = models.BooleanField(
        _("ubicación exacta"),
        default=False,
        help_text=_("Falso: se usó el centro de la localidad porque no se dio la ubicación."),
    )
    disability = models.BooleanField(_("discapacidad"), default=False)
    sibling_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("colegio de los hermanos"),
    )
    # A transfer's school now, which every ranked school is nearer home than.
    current_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("colegio actual"),
    )
    group = models.CharField(_("grupo prioritario"), max_length=50, blank=True)
    evidence = models.CharField(
        _("soporte del grupo"), max_length=10, choices=Evidence.choices, default=Evidence.NONE
    )
    evidence_note = models.CharField(_("motivo"), max_length=500, blank=True)
    evidence_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("creada"))
    # The real stage 1 run's word on an application it could not place: why not, choice by
    # choice (a placed one's reasons are on its assignment).
    unplaced_reasons = models.JSONField(default=list, blank=True)
    result_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("postulación")
        verbose_name_plural = _("postulaciones")
        ordering: ClassVar = ["created_at", "id"]
        constraints: ClassVar = [
            # No intermediary can hold several places for one child.
            models.UniqueConstraint(
                fields=["season", "student_id_type", "student_id_number"],
                condition=Q(state="active"),
                name="application_one_active_per_student",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["season", "grade"], name="application_grade"),
            models.Index(fields=["season", "evidence"], name="application_evidence"),
        ]

    def __str__(self) -> str:
        return str(self.case_id)


class Choice(models.Model):
    """One of an application's ranked offers (rank 1 is the most wanted)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField()
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="choices")

    class Meta:
        ordering: ClassVar = ["application", "rank"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(fields=["application", "offer"], name="choice_unique_offer"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.offer_id}"


class AllocationRun(models.Model):
    """One run of the stage 1 allocation: a dry run (nothing told to anyone) or the real one.
    Its inputs and outputs are kept as canonical JSON with their SHA-256, so anyone can run it
    again and compare."""

    class State(models.TextChoices):
        DONE = "done", _("terminada")
        FAILED = "failed", _("falló")

    season = models.ForeignKey(
        Season, on_delete=models.PROTECT, related_name="runs", verbose_name=_("temporada")
    )
    rules = models.ForeignKey(SeasonRules, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("número"))
    dry_run = models.BooleanField(_("ensayo"), default=True)
    state = models.CharField(_("estado"), max_length=10, choices=State.choices)
    seed = models.CharField(_("número aleatorio"), max_length=64)
    started_at = models.DateTimeField(_("inicio"))
    finished_at = models.DateTimeField(_("fin"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    inputs = models.FileField(_("entradas"), upload_to="places/runs/")
    inputs_sha256 = models.CharField(max_length=64)
    outputs = models.FileField(_("resultados"), upload_to="places/runs/")
    outputs_sha256 = models.CharField(max_length=64)
    stats = models.JSONField(_("cifras"), default=dict)

    class Meta:
        verbose_name = _("asignación de la etapa 1")
        verbose_name_plural = _("asignaciones de la etapa 1")
        ordering: ClassVar = ["season", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["season", "number"], name="run_unique_number"),
            # The real allocation happens once a season.
            models.UniqueConstraint(
                fields=["season"], condition=Q(dry_run=False), name="run_one_real"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season} #{self.number}"


class Assignment(models.Model):
    """A place given to an application: by the stage 1 run or claimed in stage 2, then accepted,
    formalised, declined or released. An application holds at most one live place."""

    class State(models.TextChoices):
        OFFERED = "offered", _("asignado, por aceptar")
        ACCEPTED = "accepted", _("aceptado, por formalizar")
        FORMALISED = "formalised", _("matrícula formalizada")
        DECLINED = "declined", _("rechazado por la familia")
        RELEASED = "released", _("liberado")

    LIVE: ClassVar = (State.OFFERED, State.ACCEPTED, State.FORMALISED)

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assignments"
    )
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="assignments")
    run = models.ForeignKey(
        AllocationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.PositiveSmallIntegerField(_("etapa"))
    choice_rank = models.PositiveSmallIntegerField(_("opción"), null=True, blank=True)
    fallback = models.BooleanField(_("colegio más cercano con cupo"), default=False)
    reasons = models.JSONField(_("por qué"), default=list)
    state = models.CharField(_("estado"), max_length=12, choices=State.choices)
    offered_at = models.DateTimeField(_("asignado el"))
    accept_by = models.DateField(_("aceptar hasta"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    formalise_by = models.DateField(_("formalizar hasta"), null=True, blank=True)
    formalised_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    # When the family was told (the worker announces a run's results in batches).
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cupo asignado")
        verbose_name_plural = _("cupos asignados")
        ordering: ClassVar = ["-offered_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=["offered", "accepted", "formalised"]),
                name="assignment_one_live",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["state", "accept_by"], name="assignment_accept_due"),
            models.Index(fields=["state", "formalise_by"], name="assignment_formalise_due"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.offer_id} ({self.state})"
