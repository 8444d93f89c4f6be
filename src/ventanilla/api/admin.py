from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext

from ventanilla.api.models import ApiClient
from ventanilla.api.services import new_token
from ventanilla.core import clock


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin[ApiClient]):
    list_display = ("name", "token_prefix", "channel", "user", "active", "last_used_at")
    list_filter = ("active", "channel")
    search_fields = ("name", "user__email")
    readonly_fields = ("token_prefix", "created_at", "last_used_at")
    autocomplete_fields = ("user",)

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if not change:
            token, obj.token_prefix, obj.token_hash = new_token()
            obj.created_at = clock.now()
            messages.warning(
                request,
                gettext("Copie el token ahora; no se volverá a mostrar: %(token)s")
                % {"token": token},
            )
        super().save_model(request, obj, form, change)
