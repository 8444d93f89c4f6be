"""Assisted filing: an official files for a citizen at a counter or on the phone, with the same
`case_file` as online filing, and reads out or hands over the filing number and code."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ventanilla.accounts import selectors as account_selectors
from ventanilla.accounts.forms import clean_phone
from ventanilla.accounts.id_documents import IdType, validate_id_number
from ventanilla.accounts.models import ConsentMethod, User
from ventanilla.accounts.services import citizen_register
from ventanilla.cases.documents import Upload
from ventanilla.cases.filing import Contact, FilingError, case_file
from ventanilla.cases.models import FilerKind, FilingChannel
from ventanilla.catalog import formkit
from ventanilla.catalog.models import Channel
from ventanilla.catalog.schema import FieldType
from ventanilla.catalog.selectors import service_with_version, services_published
from ventanilla.organization.selectors import dependencies_for
from ventanilla.workspace.views import official_required


class CitizenForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Canal"),
        choices=[
            (FilingChannel.IN_PERSON, gettext_lazy("Presencial, en ventanilla")),
            (FilingChannel.PHONE, gettext_lazy("Telefónico")),
        ],
        widget=forms.RadioSelect,
    )
    id_type = forms.ChoiceField(label=gettext_lazy("Tipo de documento"), choices=IdType.choices)
    id_number = forms.CharField(label=gettext_lazy("Número de documento"), max_length=20)
    first_name = forms.CharField(label=gettext_lazy("Nombres"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Apellidos"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Correo electrónico (opcional)"),
        required=False,
        help_text=gettext_lazy("Con un correo le creamos una cuenta para seguir sus solicitudes."),
    )
    phone = forms.CharField(label=gettext_lazy("Teléfono"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Le leí el aviso de tratamiento de datos y autorizó verbalmente el tratamiento."
        ),
        error_messages={"required": gettext_lazy("Sin la autorización no se puede radicar.")},
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("id_type") and data.get("id_number"):
            try:
                data["id_number"] = validate_id_number(data["id_type"], data["id_number"])
            except ValidationError as error:
                self.add_error("id_number", error)
        if not data.get("email") and not data.get("phone"):
            self.add_error("phone", _("Escriba un teléfono o un correo para poder avisarle."))
        return data


@official_required
def assisted_start(request: HttpRequest) -> HttpResponse:
    """Choose the service to file for the person in front of the official."""
    user = cast(User, request.user)
    entities = dependencies_for(user).values("entity_id")
    services = [
        s
        for s in services_published().filter(entity_id__in=entities)
        if Channel.IN_PERSON in s.channels or Channel.PHONE in s.channels
    ]
    return render(request, "workspace/assisted_start.html", {"services": services})


@official_required
@require_http_methods(["GET", "POST"])
def assisted_file(request: HttpRequest, slug: str) -> HttpResponse:
    official = cast(User, request.user)
    service, version = service_with_version(slug)
    definition = version.parsed
    sections = [
        s for s in definition.form.sections if any(f.type != FieldType.FILE for f in s.fields)
    ]
    data = request.POST if request.method == "POST" else None
    citizen_form = CitizenForm(data, initial={"channel": FilingChannel.IN_PERSON})
    forms_ = [formkit.section_form(section, data=data) for section in sections]
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        raw: dict[str, Any] = {}
        for form in forms_:
            raw.update(form.raw_answers())
        result = formkit.validate_answers(definition.form, raw)
        for form in forms_:
            form.show_errors(
                {
                    p: m
                    for p, m in result.errors.items()
                    if p.split(".")[0] in {f.key for f in form.section.fields}
                }
            )
        uploads = [
            Upload(
                key=document.key,
                name=uploaded.name or "archivo",
                content=uploaded.read(),
                content_type=uploaded.content_type or "application/octet-stream",
            )
            for document in definition.documents
            if (uploaded := request.FILES.get(f"documento_{document.key}")) is not None
        ]
        if citizen_form.is_valid() and result.ok:
            filing = _file(
                request, official, version, citizen_form.cleaned_data, raw, uploads, problems
            )
            if filing is not None:
                return render(request, "workspace/assisted_done.html", filing)
    existing = None
    if citizen_form.is_bound and citizen_form.is_valid():
        existing = User.objects.filter(
            id_type=citizen_form.cleaned_data["id_type"],
            id_number=citizen_form.cleaned_data["id_number"],
        ).first()
    return render(
        request,
        "workspace/assisted_file.html",
        {
            "service": service,
            "definition": definition,
            "citizen_form": citizen_form,
            "forms": forms_,
            "problems": problems,
            "existing": existing,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
    )


def _file(
    request: HttpRequest,
    official: User,
    version: Any,
    citizen: dict[str, Any],
    answers: dict[str, Any],
    uploads: list[Upload],
    problems: dict[str, list[str]],
) -> dict[str, Any] | None:
    consent_text = account_selectors.consent_text_current()
    channel = citizen["channel"]
    method = (
        ConsentMethod.VERBAL_PHONE
        if channel == FilingChannel.PHONE
        else ConsentMethod.VERBAL_COUNTER
    )
    applicant = User.objects.filter(
        id_type=citizen["id_type"], id_number=citizen["id_number"]
    ).first()
    if applicant is None and citizen.get("email"):
        applicant = citizen_register(
            email=citizen["email"],
            first_name=citizen["first_name"],
            last_name=citizen["last_name"],
            id_type=citizen["id_type"],
            id_number=citizen["id_number"],
            phone=citizen.get("phone", ""),
            consent_text=consent_text,
            consent_method=method,
            recorded_by=official,
        )
    contact = None
    if applicant is None:
        contact = Contact(
            name=f"{citizen['first_name']} {citizen['last_name']}".strip(),
            email=citizen.get("email", ""),
            phone=citizen.get("phone", ""),
            id_type=citizen["id_type"],
            id_number=citizen["id_number"],
        )
    try:
        filing = case_file(
            service_version=version,
            answers=answers,
            channel=channel,
            filer_kind=FilerKind.CITIZEN if applicant else FilerKind.GUEST,
            applicant=applicant,
            contact=contact,
            documents=uploads,
            filed_by=official,
            language=get_language() or "es",
            consent_text=consent_text,
            consent_method=method,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except FilingError as error:
        problems.update(error.errors)
        return None
    return {"case": filing.case, "code": filing.verification_code, "registered": applicant}
