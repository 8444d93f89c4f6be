from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ventanilla.notifications"
    label = "notifications"
    verbose_name = _("Notificaciones")

    def ready(self) -> None:
        from ventanilla.notifications import checks  # noqa: F401  (registers the checks)
