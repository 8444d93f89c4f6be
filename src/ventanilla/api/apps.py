from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ventanilla.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # A client's token is remembered: deactivating it takes effect within a second.
        from ventanilla.api.models import ApiClient
        from ventanilla.core import memo

        memo.follow(ApiClient)
