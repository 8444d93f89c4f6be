from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "ventanilla.catalog"
    label = "catalog"
    verbose_name = _("Catálogo de servicios")

    def ready(self) -> None:
        # A published service is remembered with its parsed definition and its rendered page.
        from ventanilla.catalog.models import (
            Category,
            LifeEvent,
            SearchSynonym,
            Service,
            ServiceVersion,
        )
        from ventanilla.core import memo

        memo.follow(Category, LifeEvent, SearchSynonym, Service, ServiceVersion)
