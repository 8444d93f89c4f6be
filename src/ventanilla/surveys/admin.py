from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ventanilla.surveys.models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ("entity", "service", "active")
    list_filter = ("active", "entity")
    autocomplete_fields = ("service",)
    fieldsets = (
        (None, {"fields": ("entity", "service", "active")}),
        (
            _("Preguntas"),
            {
                "fields": (
                    ("rating_es", "rating_en"),
                    ("solved_es", "solved_en"),
                    ("comment_es", "comment_en"),
                    "comment_max_length",
                )
            },
        ),
    )
