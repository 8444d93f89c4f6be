"""The public portal and the citizen's area: HTTP in, a selector or a service, HTML out."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ventanilla.accounts import selectors as account_selectors
from ventanilla.accounts import services as account_services
from ventanilla.accounts.forms import ProfileForm
from ventanilla.accounts.models import User
from ventanilla.core.middleware import API_PREFIX
from ventanilla.portal import selectors as portal_selectors
from ventanilla.portal.catalog_views import cacheable
from ventanilla.portal.shared_pages import shared_page


@require_GET
@shared_page
def home(request: HttpRequest) -> HttpResponse:
    context = {"content": portal_selectors.home_page()}
    return cacheable(request, render(request, "portal/home.html", context))


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            account_services.profile_update(user=user, **form.cleaned_data)
            messages.success(request, _("Guardamos sus datos."))
            return redirect("portal:account")
    else:
        form = ProfileForm(user=user)
    return render(
        request,
        "portal/account.html",
        {"form": form, "consents": account_selectors.consents_of(user)},
    )


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Raised before or while reading the request (too large, too many fields): keep it simple.
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "The request cannot be read."}, status=400)
    return render(request, "400.html", {"site_error": True}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No database, no user: the layout must render even when those are what failed.
    return render(request, "500.html", {"site_error": True}, status=500)
