"""The satisfaction survey, answered from the link in the closing notice: no account, no
JavaScript, one answer per invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ventanilla.catalog.selectors import service_with_version
from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import Limit, client_ip, wait_minutes
from ventanilla.portal.drafts import draft_load, draft_save
from ventanilla.surveys import selectors
from ventanilla.surveys.models import Invitation, Solved, Survey
from ventanilla.surveys.services import SurveyError, survey_answer

ANSWERS_PER_CLIENT_PER_HOUR = 30


class SurveyForm(Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        choices=[
            (5, gettext_lazy("5 · Excelente")),
            (4, gettext_lazy("4 · Buena")),
            (3, gettext_lazy("3 · Regular")),
            (2, gettext_lazy("2 · Mala")),
            (1, gettext_lazy("1 · Muy mala")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Elija una calificación de 1 a 5.")},
    )
    solved = forms.ChoiceField(
        choices=Solved.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Diga si se resolvió su solicitud.")},
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, survey: Survey, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rating = self.fields["rating"]
        rating.label = survey.text("rating", language)
        rating.help_text = _("5 es excelente y 1 es muy mala.")
        self.fields["solved"].label = survey.text("solved", language)
        comment = self.fields["comment"]
        comment.label = survey.text("comment", language) + " " + _("(opcional)")
        comment.validators.append(MaxLengthValidator(survey.comment_max_length))
        comment.widget.attrs["maxlength"] = str(survey.comment_max_length)
        comment.widget.attrs["data-count"] = ""  # portal/js/count.js shows what is left
        comment.help_text = _(
            "Hasta %(max)s caracteres. No escriba datos personales que no sean necesarios."
        ) % {"max": survey.comment_max_length}


def _rating_labels() -> dict[int, str]:
    return {int(n): str(label) for n, label in SurveyForm.base_fields["rating"].choices}  # type: ignore[attr-defined]


def _invitation(token: str) -> Invitation:
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404("no such survey")
    return invitation


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    language = get_language() or "es"
    survey = selectors.survey_for(invitation.entity, invitation.service)
    context: dict[str, Any] = {"invitation": invitation, "token": token}
    if invitation.answered_at is not None:
        return _answered(request, invitation, token, survey, language)
    if selectors.invitation_expired(invitation):
        return render(request, "portal/survey/expired.html", context, status=410)
    form = SurveyForm(request.POST or None, survey=survey, language=language)
    if request.method == "POST" and form.is_valid():
        limit = Limit(f"survey-answer:{client_ip(request)}", ANSWERS_PER_CLIENT_PER_HOUR, 3600)
        if limit.hit() > limit.limit:
            form.add_error(
                None,
                _("Hubo demasiados intentos. Espere %(minutes)s minutos e inténtelo de nuevo.")
                % {"minutes": wait_minutes(limit.seconds_left())},
            )
        else:
            try:
                survey_answer(
                    invitation=invitation,
                    rating=form.cleaned_data["rating"],
                    solved=form.cleaned_data["solved"],
                    comment=form.cleaned_data["comment"],
                )
            except SurveyError as error:
                form.add_error(None, error.messages[0])
            else:
                return redirect("portal:survey", token=token)
    context.update(form=form, title=_("Encuesta de satisfacción"))
    return render(request, "portal/survey/form.html", context)


def _answered(
    request: HttpRequest, invitation: Invitation, token: str, survey: Survey, language: str
) -> HttpResponse:
    return render(
        request,
        "portal/survey/answered.html",
        {
            "invitation": invitation,
            "token": token,
            "rating_label": _rating_labels().get(invitation.rating or 0, ""),
            "rating_question": survey.text("rating", language),
            "solved_question": survey.text("solved", language),
            "comment_question": survey.text("comment", language),
        },
    )


@require_POST
def survey_petition(request: HttpRequest, token: str) -> HttpResponse:
    """Start a general petition whose text is the survey's comment; the citizen reviews it,
    completes the rest and files it themself."""
    invitation = _invitation(token)
    if invitation.answered_at is None or not invitation.comment:
        return redirect("portal:survey", token=token)
    service, version = service_with_version(settings.SURVEY_PETITION_SERVICE)
    field = next(
        (f for f in version.parsed.form.fields if f.type == "long_text"),
        None,
    )
    if field is None:
        raise Http404("the petition service has no text to fill")
    draft = draft_load(request, service, version)
    draft.answers[field.key] = invitation.comment[: int(field.max) if field.max else None]
    draft_save(request, draft)
    return redirect("portal:file_start", slug=service.slug)
