from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ventanilla.accounts"
    label = "accounts"
    verbose_name = _("Personas y autorizaciones")

    def ready(self) -> None:
        from ventanilla.accounts.models import ConsentText
        from ventanilla.core import memo

        memo.follow(ConsentText)
