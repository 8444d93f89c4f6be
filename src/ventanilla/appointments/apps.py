from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "ventanilla.appointments"
    verbose_name = _("Citas")

    def ready(self) -> None:
        # The notices of a booking, and the workflow effect that invites a case's citizen to
        # book, join their registries when Django starts.
        from ventanilla.appointments import effects, notices

        notices.register()
        effects.register_all()

        # Which points take appointments for a service shows on the service's public page.
        from ventanilla.appointments.models import Schedule
        from ventanilla.core import memo

        memo.follow(Schedule)
