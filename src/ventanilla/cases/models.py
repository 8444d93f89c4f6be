"""Cases: what a citizen filed, its legal clock, and its tamper-evident route."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.cases.legal import SlaState
from ventanilla.catalog.models import Service, ServiceVersion
from ventanilla.organization.models import Dependency, Entity, ServicePoint


class FilingChannel(models.TextChoices):
    ONLINE = "online", _("en línea")
    IN_PERSON = "in_person", _("presencial, en ventanilla")
    PHONE = "phone", _("telefónico")
    API = "api", _("otro sistema (API)")


class FilerKind(models.TextChoices):
    CITIZEN = "citizen", _("ciudadano con cuenta")
    GUEST = "guest", _("invitado con correo verificado")
    ANONYMOUS = "anonymous", _("anónimo")


class Priority(models.TextChoices):
    NORMAL = "normal", _("normal")
    # Ley 1755 de 2015, art. 20: fundamental rights at risk, journalists; the term is the same.
    PREFERENTIAL = "preferential", _("atención prioritaria")


class FilingCounter(models.Model):
    """The last number given in one series of one entity in one year.

    The filing transaction locks this row last and for as short as possible: it is the one
    serialised write of the platform.
    """

    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=10, default="in")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["entity", "year", "series"], name="counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entity_id}/{self.year}/{self.series}: {self.last}"


class Case(models.Model):
    filing_number = models.CharField(_("número de radicado"), max_length=40, unique=True)
    # The entity that numbered the filing; `entity` is the one that handles it now (they
    # differ after a transfer for lack of competence, and the number stays the same).
    filing_entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="+", verbose_name=_("entidad que radicó")
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="cases", verbose_name=_("entidad")
    )
    year = models.PositiveSmallIntegerField(_("año"))
    sequence = models.PositiveIntegerField(_("consecutivo"))
    verification_hash = models.CharField(max_length=64, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="cases", verbose_name=_("servicio")
    )
    service_version = models.ForeignKey(
        ServiceVersion, on_delete=models.PROTECT, related_name="cases", verbose_name=_("versión")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("solicitante"),
    )
    filer_kind = models.CharField(_("quién radica"), max_length=20, choices=FilerKind.choices)
    contact_name = models.CharField(_("nombre"), max_length=200, blank=True)
    contact_email = models.EmailField(_("correo"), blank=True)
    contact_phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    contact_id_type = models.CharField(_("tipo de documento"), max_length=3, blank=True)
    contact_id_number = models.CharField(_("número de documento"), max_length=20, blank=True)
    channel = models.CharField(_("canal"), max_length=20, choices=FilingChannel.choices)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("radicado por"),
    )
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("punto de atención"),
    )
    chosen_dependency = models.ForeignKey(
        Dependency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dependencia elegida al radicar"),
    )
    stage = models.CharField(_("etapa"), max_length=50)
    dependency = models.ForeignKey(
        Dependency, on_delete=models.PROTECT, related_name="cases", verbose_name=_("dependencia")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("asignado a"),
    )
    priority = models.CharField(
        _("prioridad"), max_length=20, choices=Priority.choices, default=Priority.NORMAL
    )
    answers = models.JSONField(_("respuestas"), default=dict)
    filed_at = models.DateTimeField(_("radicado el"))
    received_on = models.DateField(_("recibido el"))
    original_due_date = models.DateField(_("vencimiento inicial"))
    due_date = models.DateField(_("vence el"))
    paused_on = models.DateField(_("en pausa desde"), null=True, blank=True)
    paused_business_days = models.PositiveIntegerField(_("días hábiles en pausa"), default=0)
    information_deadline = models.DateField(
        _("plazo del ciudadano para responder"), null=True, blank=True
    )
    extended = models.BooleanField(_("prorrogado"), default=False)
    extension_reason = models.TextField(_("motivo de la prórroga"), blank=True)
    closed_at = models.DateTimeField(_("cerrado el"), null=True, blank=True)
    sla_state = models.CharField(
        _("estado del término"), max_length=20, choices=[(s.value, s.value) for s in SlaState]
    )
    consent_text = models.ForeignKey(
        "accounts.ConsentText",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("texto de autorización aceptado"),
    )
    consent_method = models.CharField(_("forma de la autorización"), max_length=20, blank=True)
    response_draft = models.TextField(_("respuesta proyectada"), blank=True)
    response_drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proyectada por"),
    )
    # A digest of the caller and the key they sent (cases.filing.Caller), and of the request
    # filed with it: a retry gets the first case back, a different request under the key does not.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("caso")
        verbose_name_plural = _("casos")
        ordering: ClassVar = ["-filed_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["filing_entity", "year", "sequence"], name="case_unique_sequence"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_unique_idempotency_key",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["dependency", "sla_state", "due_date"], name="case_inbox"),
            models.Index(fields=["assignee", "due_date"], name="case_assignee"),
            models.Index(fields=["applicant", "-filed_at"], name="case_applicant"),
            models.Index(fields=["sla_state", "due_date"], name="case_sla"),
            # The inbox: open cases, earliest legal deadline first.
            models.Index(
                fields=["due_date", "filed_at"],
                condition=Q(closed_at__isnull=True),
                name="case_open_by_due_date",
            ),
            # The inbox of one dependency (or a few): its open cases in deadline order, and
            # their counts by state and holder read from the index alone.
            models.Index(
                fields=["dependency", "due_date", "filed_at", "sla_state", "assignee"],
                condition=Q(closed_at__isnull=True),
                name="case_open_dependency_due",
            ),
            # The inbox of a whole entity: its open cases counted by state and holder from the
            # index alone, whatever order the rows lie in on disk; and the team page's counts
            # by holder, office and service.
            models.Index(
                fields=["entity", "sla_state", "assignee", "dependency", "service"],
                condition=Q(closed_at__isnull=True),
                name="case_open_entity_state",
            ),
        ]

    def __str__(self) -> str:
        return self.filing_number

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_on is not None

    @property
    def applicant_name(self) -> str:
        if self.applicant is not None:
            return str(self.applicant)
        return self.contact_name or str(_("Persona anónima"))


class TimelineEvent(models.Model):
    """One step of a case's route. Append-only; each event holds the hash of the one before
    and of its own canonical content, so that rewriting history is detectable."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline")
    sequence = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    stage_from = models.CharField(max_length=50, blank=True)
    stage_to = models.CharField(max_length=50, blank=True)
    citizen_visible = models.BooleanField(default=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering: ClassVar = ["case", "sequence"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "sequence"], name="timeline_unique_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.sequence} {self.kind}"


def case_upload_path(instance: CaseDocument, filename: str) -> str:
    return f"cases/{instance.case.year}/{instance.case_id}/{instance.sha256[:16]}-{filename}"


class CaseDocument(models.Model):
    """A file attached to a case: a required document, a message attachment or a response."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    key = models.CharField(max_length=50, blank=True)
    file = models.FileField(upload_to=case_upload_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    citizen_visible = models.BooleanField(default=True)
    is_response = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Message(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_citizen = models.BooleanField()
    body = models.TextField()
    created_at = models.DateTimeField()
    attachments = models.ManyToManyField(CaseDocument, blank=True, related_name="+")

    class Meta:
        ordering: ClassVar = ["created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d %H:%M}"


class PendingFile(models.Model):
    """A file written to storage before the transaction that will refer to it. Its row is
    committed before the file exists, so a transaction that fails, or a process killed in
    between, leaves a trace: the sweep deletes the file when no document refers to it."""

    path = models.CharField(max_length=300, unique=True)
    stored_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.path


class FilingDraft(models.Model):
    """What a signed-in citizen has answered so far, kept until they file or discard it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="filing_drafts"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    service_version = models.ForeignKey(ServiceVersion, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    documents = models.JSONField(default=list)
    place = models.JSONField(default=dict)  # the service point or dependency chosen, by code
    updated_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "service"], name="draft_one_per_service")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.service_id}"


class CompetenceTransfer(models.Model):
    """A case sent to the entity competent to answer it (Ley 1755 de 2015, art. 21). The case
    keeps its filing number; both entities see the link."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="competence_transfers")
    from_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    to_entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    from_dependency = models.ForeignKey(Dependency, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()

    class Meta:
        ordering: ClassVar = ["-at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_entity_id} → {self.to_entity_id}"


class AssignmentMode(models.TextChoices):
    MANUAL = "manual", _("manual: cada funcionario toma sus casos")
    ROUND_ROBIN = "round_robin", _("por turnos entre los funcionarios")
    FEWEST_OPEN = "fewest_open", _("a quien tenga menos casos abiertos")


class AssignmentRule(models.Model):
    """How new cases of a dependency are assigned to its handlers."""

    dependency = models.OneToOneField(
        Dependency,
        on_delete=models.CASCADE,
        related_name="assignment_rule",
        verbose_name=_("dependencia"),
    )
    mode = models.CharField(
        _("regla"), max_length=20, choices=AssignmentMode.choices, default=AssignmentMode.MANUAL
    )
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("regla de asignación")
        verbose_name_plural = _("reglas de asignación")

    def __str__(self) -> str:
        return f"{self.dependency}: {self.get_mode_display()}"
