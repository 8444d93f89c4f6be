from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "ventanilla.organization"
    label = "organization"
    verbose_name = _("Organización")

    def ready(self) -> None:
        # Entities, their calendars, dependencies and service points are remembered by filings
        # and public pages until one of them changes.
        from ventanilla.core import memo
        from ventanilla.organization import models

        memo.follow(
            models.Entity,
            models.EntityHours,
            models.EntityClosure,
            models.Dependency,
            models.Locality,
            models.ServicePoint,
            models.ServicePointHours,
            models.ServicePointClosure,
        )
