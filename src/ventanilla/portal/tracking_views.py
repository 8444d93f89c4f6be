"""Public tracking of a case with its filing number and verification code."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.cases import selectors
from ventanilla.cases.guest_access import is_guest_case
from ventanilla.cases.models import Case
from ventanilla.cases.notify import guest_link_email
from ventanilla.cases.tracking import case_track
from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import allow, client_ip, wait_minutes
from ventanilla.places import selectors as place_selectors
from ventanilla.portal.case_display import case_context, poll_unchanged
from ventanilla.portal.tracked import tracked_ids, tracked_remember

GUEST_LINKS_PER_HOUR = 3


class TrackingForm(Form):
    filing_number = forms.CharField(
        label=gettext_lazy("Número de radicado"),
        max_length=40,
        help_text=gettext_lazy("Por ejemplo SED-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Código de verificación"),
        max_length=20,
        help_text=gettext_lazy(
            "Está en su constancia de radicación y en el correo que le enviamos."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tracking(request: HttpRequest) -> HttpResponse:
    initial = {"filing_number": request.GET.get("radicado", "")}
    form = TrackingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        found = case_track(
            filing_number=form.cleaned_data["filing_number"],
            code=form.cleaned_data["code"],
            client=client_ip(request),
        )
        if found.retry_after:
            form.add_error(
                None,
                ngettext(
                    "Hubo demasiados intentos. Espere %(minutes)s minuto y vuelva a "
                    "intentarlo, o llámenos.",
                    "Hubo demasiados intentos. Espere %(minutes)s minutos y vuelva a "
                    "intentarlo, o llámenos.",
                    wait_minutes(found.retry_after),
                )
                % {"minutes": wait_minutes(found.retry_after)},
            )
            response = render(request, "portal/tracking/form.html", {"form": form}, status=429)
            response["Retry-After"] = str(found.retry_after)
            return response
        case = found.case
        if case is None:
            # The same answer whether the number exists or the code is wrong.
            form.add_error(
                None, _("No encontramos una solicitud con ese número y ese código. Revíselos.")
            )
        else:
            response = redirect("portal:tracking_case", number=case.filing_number)
            tracked_remember(request, response, case.pk)
            return response
    return render(request, "portal/tracking/form.html", {"form": form})


def _tracked_case(request: HttpRequest, number: str) -> Case:
    case = selectors.case_for_tracking(number, tracked_ids(request), request.user)
    if case is None:
        raise Http404("not tracked in this session")
    return case


@never_cache
def tracking_case(request: HttpRequest, number: str) -> HttpResponse:
    case = _tracked_case(request, number)
    if poll_unchanged(request, case):
        return HttpResponse(status=204)
    template = "portal/tracking/case.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(
        request,
        template,
        {**case_context(case, public=True), "guest": is_guest_case(case), **_place(case)},
    )


def _place(case: Case) -> dict[str, object]:
    """A school-place application's place, in one line: where and in what state."""
    application = place_selectors.application_of_case(case.pk)
    live = place_selectors.live_assignment(application) if application is not None else None
    if live is None or live.announced_at is None:
        return {}
    return {"tracked_place": live}


@require_POST
def tracking_guest_link(request: HttpRequest, number: str) -> HttpResponse:
    """Whoever proved the code may have the guest link sent again, to the case's own email."""
    case = _tracked_case(request, number)
    if not is_guest_case(case):
        raise Http404("not a guest case")
    if allow(f"guest-link:{case.pk}", limit=GUEST_LINKS_PER_HOUR, window_seconds=3600):
        guest_link_email(case, language=get_language() or "es")
    # The same words when the limit is reached: nothing to learn from trying again.
    messages.success(
        request, _("Le enviamos el enlace al correo con el que radicó. Puede tardar unos minutos.")
    )
    return redirect("portal:tracking_case", number=case.filing_number)
