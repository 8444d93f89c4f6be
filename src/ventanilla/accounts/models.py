"""People who use Ventanilla, and the consent they gave to the processing of their data."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.id_documents import IdType


class EmailUserManager(UserManager["User"]):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra: Any
    ) -> User:
        email = self.normalize_email(email or username or "")
        user = self.model(email=email, **extra)
        user.password = ""
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class IdVerification(models.TextChoices):
    """Who vouched that the ID number belongs to the account's holder. A number typed at signup
    proves nothing until one of these does."""

    PROVIDER = "provider", _("el proveedor de identidad")
    OFFICIAL = "official", _("un funcionario que vio el documento")


class User(AbstractUser):
    """A citizen or an official. Officials are told apart by their memberships."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("correo electrónico"), unique=True)
    id_type = models.CharField(
        _("tipo de documento"), max_length=3, choices=IdType.choices, blank=True
    )
    id_number = models.CharField(_("número de documento"), max_length=20, blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("idioma preferido"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    id_verified_at = models.DateTimeField(_("documento verificado el"), null=True, blank=True)
    id_verification = models.CharField(
        _("documento verificado por"), max_length=10, choices=IdVerification.choices, blank=True
    )
    id_verified_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funcionario que verificó el documento"),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints: ClassVar = [
            # Only a verified number is unique: anyone may type any number at signup, so a
            # typed one must neither block the real holder nor tell who has an account.
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=~Q(id_number="") & Q(id_verified_at__isnull=False),
                name="user_unique_verified_id_document",
                violation_error_message=_(
                    "Otra cuenta ya tiene ese documento de identidad verificado."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def id_is_verified(self) -> bool:
        return self.id_verified_at is not None and bool(self.id_number)


class ConsentText(models.Model):
    """One version of the data-processing notice (Ley 1581 de 2012, art. 9 and 12).

    A version is never edited once someone has accepted it; publish a new one instead.
    """

    version = models.CharField(_("versión"), max_length=20, unique=True)
    title_es = models.CharField(_("título (español)"), max_length=200)
    title_en = models.CharField(_("título (inglés)"), max_length=200)
    body_es = models.TextField(_("texto (español)"))
    body_en = models.TextField(_("texto (inglés)"))
    in_force_from = models.DateTimeField(_("vigente desde"))

    class Meta:
        verbose_name = _("texto de autorización de datos")
        verbose_name_plural = _("textos de autorización de datos")
        ordering: ClassVar = ["-in_force_from"]
        get_latest_by = "in_force_from"

    def __str__(self) -> str:
        return self.version

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_es

    def body(self, language: str) -> str:
        return self.body_en if language == "en" else self.body_es


class ConsentMethod(models.TextChoices):
    ONLINE = "online", _("en línea, marcando la casilla")
    VERBAL_COUNTER = "verbal_counter", _("verbal, en ventanilla")
    VERBAL_PHONE = "verbal_phone", _("verbal, por teléfono")


class Consent(models.Model):
    """Proof that a person authorised the processing of their data: who, which text, when, how."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("titular"),
    )
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("texto")
    )
    language = models.CharField(_("idioma mostrado"), max_length=8, choices=settings.LANGUAGES)
    given_at = models.DateTimeField(_("otorgada el"))
    method = models.CharField(_("forma"), max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    ip_address = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("revocada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("autorización de datos")
        verbose_name_plural = _("autorizaciones de datos")
        ordering: ClassVar = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.text.version} · {self.given_at:%Y-%m-%d %H:%M}"
