from typing import ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts.models import Consent, ConsentText, User
from ventanilla.core.admin import TabularInline


class ConsentInline(TabularInline[Consent, User]):
    model = Consent
    fk_name = "user"
    extra = 0
    can_delete = False
    readonly_fields = ("text", "language", "given_at", "method", "recorded_by", "ip_address")

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "id_type", "id_number", "is_staff")
    search_fields = ("email", "first_name", "last_name", "id_number")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Datos personales"),
            {
                "fields": (
                    "first_name",
                    "last_name",
                    "id_type",
                    "id_number",
                    "phone",
                    "preferred_language",
                )
            },
        ),
        (
            _("Documento verificado"),
            {"fields": ("id_verified_at", "id_verification", "id_verified_by")},
        ),
        (
            _("Permisos"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    # Only the identity provider or an official at a counter verifies a document.
    readonly_fields = ("id_verified_at", "id_verification", "id_verified_by")
    list_filter = ("id_verification", "is_staff", "is_active")
    inlines: ClassVar = [ConsentInline]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin[ConsentText]):
    list_display = ("version", "title_es", "in_force_from")

    def get_readonly_fields(
        self, request: object, obj: ConsentText | None = None
    ) -> tuple[str, ...]:
        # A text someone accepted is evidence: it cannot change any more.
        if obj is not None and obj.consents.exists():
            return ("version", "title_es", "title_en", "body_es", "body_en", "in_force_from")
        return ()
