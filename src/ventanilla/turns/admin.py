from typing import ClassVar

from django.contrib import admin

from ventanilla.core.admin import TabularInline
from ventanilla.turns.models import Ticket, TicketEvent, TurnQueue


@admin.register(TurnQueue)
class TurnQueueAdmin(admin.ModelAdmin[TurnQueue]):
    list_display = ("prefix", "service", "point", "remote_joining", "active")
    list_filter: ClassVar = ["active", "remote_joining", "point__entity"]
    search_fields: ClassVar = ["point__name", "point__code", "service__title_es", "prefix"]
    autocomplete_fields: ClassVar = ["point", "service"]


class TicketEventInline(TabularInline[TicketEvent, Ticket]):
    model = TicketEvent
    extra = 0
    can_delete = False
    readonly_fields: ClassVar = ["at", "action", "actor", "desk", "detail"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    """Tickets are read here; desks change them through the workspace."""

    list_display = ("code", "day", "point", "service", "state", "desk", "channel")
    list_filter: ClassVar = ["state", "channel", "day"]
    search_fields: ClassVar = ["code", "reference", "point__name"]
    inlines: ClassVar = [TicketEventInline]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
