"""Officials reach staff pages only after enrolling TOTP two-factor authentication."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ventanilla.organization.selectors import user_is_official

# URL namespaces whose pages are for officials only. Later surfaces add theirs here.
STAFF_NAMESPACES = ("admin", "workspace")


class OfficialMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not any(ns in STAFF_NAMESPACES for ns in match.namespaces):
            return None
        user = request.user
        if not user.is_authenticated or not user_is_official(user):
            return None  # the page itself sends strangers to login or refuses them
        if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return None
        messages.warning(
            request,
            _(
                "Para entrar a las páginas de funcionarios debe activar la verificación en dos "
                "pasos con una aplicación de autenticación."
            ),
        )
        target = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
