from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "ventanilla.places"
    verbose_name = _("Cupos escolares")

    def ready(self) -> None:
        # The form's questions, the season's filing check, the application's subscriber of
        # filed cases, the route's lines and the family's notices join their registries.
        from ventanilla.places import applying, assignments, effects, fields, notices  # noqa: F401

        fields.register_all()
        applying.register_all()
        effects.register_all()
        notices.register()

        # A service's public page links to the season its applications go to.
        from ventanilla.core import memo
        from ventanilla.places.models import Season, SeasonRules

        memo.follow(Season, SeasonRules)
