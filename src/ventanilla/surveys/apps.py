from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ventanilla.surveys"
    verbose_name = _("Encuestas de satisfacción")

    def ready(self) -> None:
        # The closing notice carries the survey's link: the invitation is opened while the
        # notice is written, inside the closing transaction (cases.notify's notice extras).
        from ventanilla.surveys import invitations

        invitations.register()
