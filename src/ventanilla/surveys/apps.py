from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ventanilla.surveys"
    verbose_name = _("Encuestas de satisfacción")

    def ready(self) -> None:
        # The closing notice carries the survey's link: the invitation is opened while the
        # notice is written, inside the closing transaction (cases.notify's notice extras).
        # A finished turn (a walk-in or a checked-in appointment) invites its holder by its
        # own notice (turns.services' finished-ticket registry).
        from ventanilla.notifications.models import event_register
        from ventanilla.surveys import invitations
        from ventanilla.surveys.notices import SURVEY_INVITATION

        invitations.register()
        event_register(SURVEY_INVITATION, _("invitación a la encuesta tras un turno"))
