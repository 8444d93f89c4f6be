from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ventanilla.cases"
    label = "cases"
    verbose_name = _("Casos")

    def ready(self) -> None:
        # The runnable workflow effects, and the citizen's notices as subscribers of the case's
        # events: both register themselves when imported.
        from ventanilla.cases import effects, notify  # noqa: F401
        from ventanilla.cases.models import AssignmentRule
        from ventanilla.core import memo

        # Whether a dependency assigns its cases by a rule is remembered by filings; whose turn
        # is next changes with every filing and is read under a lock.
        memo.follow(AssignmentRule, unless_only=frozenset({"last_assignee"}))
