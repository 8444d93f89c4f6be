"""Documents the institution issues (numbered, coded, signed) and the citizen's folder of
documents they uploaded or received, to reuse in another procedure."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.cases.models import Case, CaseDocument
from ventanilla.organization.models import Entity


class DocumentKind(models.Model):
    """A kind of document a service may ask for (`RequiredDocument.kind`), and how long one
    stays valid once issued: what the citizen's folder offers to reuse."""

    key = models.SlugField(_("clave"), max_length=50, unique=True)
    name_es = models.CharField(_("nombre"), max_length=120)
    name_en = models.CharField(_("nombre en inglés"), max_length=120, blank=True)
    valid_days = models.PositiveIntegerField(
        _("vigencia en días"),
        null=True,
        blank=True,
        help_text=_("Vacío: no vence (un documento de identidad). Ej.: 90 para un certificado."),
    )
    reusable = models.BooleanField(
        _("reutilizable"),
        default=True,
        help_text=_("Si la carpeta del ciudadano lo ofrece en otros trámites."),
    )

    class Meta:
        ordering: ClassVar = ["key"]
        verbose_name = _("tipo de documento")
        verbose_name_plural = _("tipos de documento")

    def __str__(self) -> str:
        return self.name_es


class IssuedKind(models.TextChoices):
    RECEIPT = "receipt", _("Constancia de radicación")
    ANSWER = "answer", _("Respuesta")
    CERTIFICATE = "certificate", _("Certificado")


class IssuedState(models.TextChoices):
    PENDING = "pending", _("En preparación")
    READY = "ready", _("Firmado")
    FAILED = "failed", _("Falló; se reintentará")


class IssuedDocument(models.Model):
    """A document the institution issued on a case. Its number and verification code are
    taken in the transaction that issues it; its PDF is rendered and signed afterwards, in the
    background, from what this row froze (text, date, language)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="issued_documents")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("clase"), max_length=20, choices=IssuedKind.choices)
    # The outgoing number (answers, certificates); a receipt carries the filing number.
    number = models.CharField(_("número"), max_length=40)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    code = models.CharField(_("código de verificación"), max_length=20, unique=True)
    title = models.CharField(_("título"), max_length=200)
    language = models.CharField(max_length=10, default="es")
    text = models.TextField(blank=True)
    issued_at = models.DateTimeField(_("expedido el"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=IssuedState.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    # Once ready: the stored, signed file and what identifies it.
    document = models.OneToOneField(
        CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="issued"
    )
    sha256 = models.CharField(max_length=64, blank=True)
    signed_by = models.CharField(_("firmado por"), max_length=300, blank=True)
    signature_level = models.CharField(max_length=10, blank=True)  # PAdES B-B or B-T
    # A certificate the citizen may reuse: its kind and how long it is valid.
    folder_kind = models.CharField(max_length=50, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["issued_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["entity", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="issued_outgoing_number_once",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(kind="receipt"),
                name="one_receipt_per_case",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["state", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.number} ({self.code})"


class FolderOrigin(models.TextChoices):
    UPLOADED = "uploaded", _("Cargado por usted")
    ISSUED = "issued", _("Expedido por la entidad")


class FolderDocument(models.Model):
    """A document in a citizen's folder: one they uploaded (with a case or on its own) or one
    an entity issued to them. The file is shared with the cases that use it; removing the
    entry never removes a case's copy."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="folder_documents"
    )
    kind = models.CharField(_("tipo"), max_length=50)
    name = models.CharField(_("nombre"), max_length=200)
    file = models.CharField(max_length=300)  # a path in the default storage
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=FolderOrigin.choices)
    issued = models.ForeignKey(
        IssuedDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(_("agregado el"))
    valid_until = models.DateField(_("vigente hasta"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-added_at"]
        indexes: ClassVar = [models.Index(fields=["owner", "kind"])]

    def __str__(self) -> str:
        return self.name
