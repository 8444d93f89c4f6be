from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "ventanilla.insights"
    verbose_name = _("Cifras e informes")

    def ready(self) -> None:
        # Each case's facts follow its events (closing, information requests, transfers).
        from ventanilla.insights import facts

        facts.register()
