from typing import ClassVar

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ventanilla.core.admin import TabularInline
from ventanilla.organization.models import (
    Dependency,
    Entity,
    EntityClosure,
    EntityHours,
    Locality,
    Membership,
    ServicePoint,
    ServicePointClosure,
    ServicePointHours,
)


class EntityHoursInline(TabularInline[EntityHours, Entity]):
    model = EntityHours
    extra = 0


class EntityClosureInline(TabularInline[EntityClosure, Entity]):
    model = EntityClosure
    extra = 0


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin[Entity]):
    list_display = ("name", "code", "timezone", "reception_cutoff", "holiday_country")
    search_fields = ("name", "code")
    inlines: ClassVar = [EntityHoursInline, EntityClosureInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name")}),
        (
            _("Calendario y radicación"),
            {
                "fields": (
                    "timezone",
                    "reception_cutoff",
                    "holiday_country",
                    "holiday_subdivision",
                    "filing_number_format",
                )
            },
        ),
        (_("Contacto"), {"fields": ("website", "email", "phone", "address")}),
    )


class MembershipInline(TabularInline[Membership, Dependency]):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Dependency)
class DependencyAdmin(admin.ModelAdmin[Dependency]):
    list_display = ("name", "code", "entity", "level", "parent", "active")
    list_filter = ("entity", "level", "active")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path",)
    inlines: ClassVar = [MembershipInline]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin[Locality]):
    list_display = ("code", "name")
    search_fields = ("name",)


class ServicePointHoursInline(TabularInline[ServicePointHours, ServicePoint]):
    model = ServicePointHours
    extra = 0


class ServicePointClosureInline(TabularInline[ServicePointClosure, ServicePoint]):
    model = ServicePointClosure
    extra = 0


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin[ServicePoint]):
    list_display = ("name", "code", "kind", "locality", "entity", "active")
    list_filter = ("entity", "kind", "locality", "active")
    search_fields = ("name", "code", "address")
    autocomplete_fields = ("dependency",)
    inlines: ClassVar = [ServicePointHoursInline, ServicePointClosureInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "dependency", "role", "active")
    list_filter = ("role", "active", "dependency__entity", "dependency__level")
    search_fields = ("user__email", "user__first_name", "user__last_name", "dependency__name")
    autocomplete_fields = ("user", "dependency")
