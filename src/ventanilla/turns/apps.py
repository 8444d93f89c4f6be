from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TurnsConfig(AppConfig):
    name = "ventanilla.turns"
    label = "turns"
    verbose_name = _("Turnos")

    def ready(self) -> None:
        # The citizen's notices: "your turn is near" and "your turn is called".
        from ventanilla.notifications.models import event_register
        from ventanilla.turns.notify import TURN_CALLED, TURN_NEAR

        event_register(TURN_NEAR, _("su turno está cerca"))
        event_register(TURN_CALLED, _("su turno fue llamado"))
