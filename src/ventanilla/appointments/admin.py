"""Administrators set schedules, campaigns and fairness rules as data. Saving a schedule tells
the holders of bookings it no longer covers (their bookings are kept)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from ventanilla.appointments.models import (
    Booking,
    BookingEvent,
    BookingPolicy,
    Schedule,
    SchedulePeriod,
)
from ventanilla.appointments.services import schedule_changed
from ventanilla.core.admin import TabularInline


class SchedulePeriodInline(TabularInline[SchedulePeriod, Schedule]):
    model = SchedulePeriod
    extra = 2


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin[Schedule]):
    list_display = ("point", "service", "name", "starts_on", "ends_on", "capacity", "active")
    list_filter = ("active", "service")
    search_fields = ("point__name", "point__code", "service__slug", "name")
    autocomplete_fields = ("point", "service")
    inlines: ClassVar = [SchedulePeriodInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A new schedule counts too: a campaign replaces the ordinary schedule on its days.
        told = schedule_changed(schedule=form.instance)
        if told:
            messages.info(
                request,
                ngettext(
                    "Avisamos a %(count)d persona cuya cita quedó fuera del nuevo horario; "
                    "su cita se mantiene.",
                    "Avisamos a %(count)d personas cuyas citas quedaron fuera del nuevo "
                    "horario; sus citas se mantienen.",
                    told,
                )
                % {"count": told},
            )

    def delete_model(self, request: HttpRequest, obj: Schedule) -> None:
        super().delete_model(request, obj)
        schedule_changed(schedule=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Schedule]) -> None:
        schedules = list(queryset)
        super().delete_queryset(request, queryset)
        for schedule in schedules:
            schedule_changed(schedule=schedule)


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin[BookingPolicy]):
    list_display = (
        "entity",
        "service",
        "max_active_per_id",
        "no_show_limit",
        "no_show_window_days",
        "block_days",
        "guests_allowed",
    )
    autocomplete_fields = ("service",)


class BookingEventInline(TabularInline[BookingEvent, Booking]):
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "actor", "data")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    """Read-only: bookings change through the agenda and the citizen's own page."""

    list_display = ("code", "starts_at", "point", "service", "state", "channel")
    list_filter = ("state", "channel")
    search_fields = ("code", "id_number", "point__name")
    date_hierarchy = "starts_at"
    inlines: ClassVar = [BookingEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
