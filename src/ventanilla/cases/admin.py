from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ventanilla.cases.models import AssignmentRule, Case, TimelineEvent
from ventanilla.core.admin import TabularInline


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin[AssignmentRule]):
    list_display = ("dependency", "mode")
    list_filter = ("mode",)
    autocomplete_fields = ("dependency",)


class TimelineInline(TabularInline[TimelineEvent, Case]):
    model = TimelineEvent
    fields = ("sequence", "at", "actor_label", "kind", "stage_from", "stage_to", "citizen_visible")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin[Case]):
    """Cases are worked in the workspace; the admin only shows them (the route is evidence)."""

    list_display = ("filing_number", "service", "stage", "dependency", "due_date", "sla_state")
    list_filter = ("sla_state", "entity", "channel")
    search_fields = ("filing_number", "contact_name", "contact_id_number")
    inlines = (TimelineInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
