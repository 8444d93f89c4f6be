"""Who may call the API: other systems acting for a channel, and citizens with a personal token."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A call centre, a chatbot, another entity's system — or one citizen's own token.

    Only the SHA-256 of the token is kept; the token is shown once, when created.
    """

    name = models.CharField(_("nombre"), max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("ciudadano (token personal)"),
    )
    channel = models.CharField(
        _("canal que representa"),
        max_length=20,
        default="api",
        help_text=_("api, phone o in_person: el canal con el que radica."),
    )
    token_prefix = models.CharField(_("inicio del token"), max_length=8, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("activo"), default=True)
    created_at = models.DateTimeField(_("creado"))
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("cliente de la API")
        verbose_name_plural = _("clientes de la API")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"
