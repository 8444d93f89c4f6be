"""Assisted filing: an official files for a citizen at a counter or on the phone, with the same
`case_file` as online filing, and reads out or hands over the filing number and code."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ventanilla.accounts import selectors as account_selectors
from ventanilla.accounts.forms import clean_phone, id_number_cleaned
from ventanilla.accounts.id_documents import IdType
from ventanilla.accounts.models import ConsentMethod, User
from ventanilla.cases.counter import CounterPerson, counter_identity
from ventanilla.cases.filing import Caller, FilingError, case_file
from ventanilla.cases.models import FilerKind, FilingChannel
from ventanilla.cases.uploads import Upload, upload_received, uploads_refused
from ventanilla.catalog import formkit
from ventanilla.catalog.fields import FieldContext
from ventanilla.catalog.models import Channel, Service
from ventanilla.catalog.schema import FormSection, OwnerKind
from ventanilla.catalog.selectors import (
    dependencies_to_choose_for,
    service_points_for,
    service_with_version,
    services_published,
)
from ventanilla.core.forms import Form
from ventanilla.organization.models import Role
from ventanilla.organization.selectors import dependencies_for
from ventanilla.workspace.views import official_required

COUNTER_CHANNELS = [
    (FilingChannel.IN_PERSON.value, gettext_lazy("Presencial, en ventanilla")),
    (FilingChannel.PHONE.value, gettext_lazy("Telefónico")),
]


class CitizenForm(Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Canal"), choices=COUNTER_CHANNELS, widget=forms.RadioSelect
    )
    id_type = forms.ChoiceField(label=gettext_lazy("Tipo de documento"), choices=IdType.choices)
    id_number = forms.CharField(label=gettext_lazy("Número de documento"), max_length=20)
    first_name = forms.CharField(label=gettext_lazy("Nombres"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Apellidos"), max_length=150)
    email = forms.EmailField(
        label=gettext_lazy("Correo electrónico (opcional)"),
        required=False,
        help_text=gettext_lazy(
            "Le escribimos ahí. En ventanilla, con el documento a la vista, la solicitud queda "
            "en la cuenta de ese correo, o le creamos una."
        ),
    )
    phone = forms.CharField(label=gettext_lazy("Teléfono"), max_length=20, required=False)
    document_seen = forms.BooleanField(
        label=gettext_lazy("Tuve en mis manos el documento de identidad original"),
        required=False,
        help_text=gettext_lazy(
            "Solo en ventanilla. Sin verlo, la solicitud se radica con los datos de contacto y "
            "el titular la agrega a su cuenta con el número y el código."
        ),
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Le leí el aviso de tratamiento de datos y autorizó verbalmente el tratamiento."
        ),
        error_messages={"required": gettext_lazy("Sin la autorización no se puede radicar.")},
    )

    field_order = [
        "channel",
        "id_type",
        "id_number",
        "document_seen",
        "first_name",
        "last_name",
        "email",
        "phone",
        "consent",
    ]

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = [
            (value, label) for value, label in COUNTER_CHANNELS if value in channels
        ]

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = id_number_cleaned(self, super().clean() or {})
        if not data.get("email") and not data.get("phone"):
            self.add_error("phone", _("Escriba un teléfono o un correo para poder avisarle."))
        return data


class PlaceForm(Form):
    """Where the request is handled, when its workflow sends it where the person chooses."""

    def __init__(self, *args: Any, service: Service, workflow: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if workflow.routes_by(OwnerKind.SERVICE_POINT):
            groups: dict[str, list[tuple[str, str]]] = {}
            for point in service_points_for(service):
                locality = point.locality.name if point.locality else ""
                groups.setdefault(locality, []).append((point.code, point.name))
            self.fields["service_point"] = forms.ChoiceField(
                label=gettext_lazy("Colegio o punto de atención"),
                choices=[("", "—"), *groups.items()],
                required=workflow.initial.owner.kind == OwnerKind.SERVICE_POINT,
                error_messages={"required": _("Elija el colegio o el punto de atención.")},
            )
        if workflow.routes_by(OwnerKind.CHOSEN_AT_FILING):
            self.fields["chosen_dependency"] = forms.ChoiceField(
                label=gettext_lazy("Dependencia que la atenderá"),
                choices=[
                    ("", "—"),
                    *((d.code, d.name) for d in dependencies_to_choose_for(service)),
                ],
                required=workflow.initial.owner.kind == OwnerKind.CHOSEN_AT_FILING,
                error_messages={"required": _("Elija la dependencia.")},
            )

    def place(self, service: Service) -> dict[str, Any]:
        """The chosen service point and dependency, as `case_file` takes them."""
        code = self.cleaned_data.get("service_point") or ""
        dependency = self.cleaned_data.get("chosen_dependency") or ""
        return {
            "service_point": service_points_for(service).filter(code=code).first()
            if code
            else None,
            "chosen_dependency": dependencies_to_choose_for(service).filter(code=dependency).first()
            if dependency
            else None,
        }


def _counter_channels(service: Service) -> list[str]:
    return [c for c in (Channel.IN_PERSON, Channel.PHONE) if c in service.channels]


@official_required
def assisted_start(request: HttpRequest) -> HttpResponse:
    """Choose the service to file for the person in front of the official."""
    user = cast(User, request.user)
    entities = dependencies_for(user, role_at_least=Role.HANDLER).values("entity_id")
    services = [
        s for s in services_published().filter(entity_id__in=entities) if _counter_channels(s)
    ]
    return render(request, "workspace/assisted_start.html", {"services": services})


def _posted_answers(sections: list[FormSection], data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    answers: dict[str, Any] = {}
    for section in sections:
        answers.update(formkit.section_form(section, data=data).raw_answers())
    return answers


@official_required
@require_http_methods(["GET", "POST"])
def assisted_file(request: HttpRequest, slug: str) -> HttpResponse:
    official = cast(User, request.user)
    service, version = service_with_version(slug)
    own = dependencies_for(official, role_at_least=Role.HANDLER).filter(entity_id=service.entity_id)
    channels = _counter_channels(service)
    if not channels or not own.exists():
        raise Http404("not a service this official files for")
    definition = version.parsed
    sections = [s for s in definition.form.sections if any(map(formkit.is_asked_on_page, s.fields))]
    data = request.POST if request.method == "POST" else None
    citizen_form = CitizenForm(data, channels=channels, initial={"channel": channels[0]})
    place_form = PlaceForm(data, service=service, workflow=definition.workflow)
    # The answers posted so far narrow the lists that depend on them (schools of the grade).
    context = FieldContext(answers=_posted_answers(sections, data), service_id=service.pk)
    forms_ = [formkit.section_form(section, data=data, context=context) for section in sections]
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
            upload_received(document.key, uploaded)
            for document in definition.documents
            if (uploaded := request.FILES.get(f"documento_{document.key}")) is not None
        ]
        for field, message in uploads_refused(request).items():
            problems[f"documents.{field.removeprefix('documento_')}"] = [message]
        if not problems and citizen_form.is_valid() and place_form.is_valid() and result.ok:
            filing = _file(
                request,
                official,
                version,
                citizen_form.cleaned_data,
                raw,
                uploads,
                problems,
                place_form.place(service),
            )
            if filing is not None:
                return render(request, "workspace/assisted_done.html", filing)
    existing = None
    if citizen_form.is_bound and citizen_form.is_valid():
        existing = account_selectors.account_with_verified_id(
            citizen_form.cleaned_data["id_type"], citizen_form.cleaned_data["id_number"]
        )
    return render(
        request,
        "workspace/assisted_file.html",
        {
            "service": service,
            "definition": definition,
            "citizen_form": citizen_form,
            "place_form": place_form,
            "forms": forms_,
            "problems": problems,
            "existing": existing,
            # After a conflict the form files anew: the old key belongs to the first filing.
            "idempotency_key": (
                "idempotency_key" not in problems and request.POST.get("idempotency_key")
            )
            or uuid.uuid4().hex,
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
    place: dict[str, Any],
) -> dict[str, Any] | None:
    consent_text = account_selectors.consent_text_current()
    channel = citizen["channel"]
    method = (
        ConsentMethod.VERBAL_PHONE
        if channel == FilingChannel.PHONE
        else ConsentMethod.VERBAL_COUNTER
    )
    identity = counter_identity(
        official=official,
        channel=channel,
        person=CounterPerson(
            id_type=citizen["id_type"],
            id_number=citizen["id_number"],
            first_name=citizen["first_name"],
            last_name=citizen["last_name"],
            email=citizen.get("email", ""),
            phone=citizen.get("phone", ""),
            document_seen=bool(citizen.get("document_seen")),
        ),
        consent_text=consent_text,
        consent_method=method,
    )
    try:
        filing = case_file(
            service_version=version,
            answers=answers,
            channel=channel,
            filer_kind=FilerKind.CITIZEN if identity.applicant else FilerKind.GUEST,
            applicant=identity.applicant,
            contact=identity.contact,
            documents=uploads,
            filed_by=official,
            **place,
            language=get_language() or "es",
            consent_text=consent_text,
            consent_method=method,
            idempotency_key=request.POST.get("idempotency_key", ""),
            caller=Caller.official(official),
        )
    except FilingError as error:
        problems.update(error.errors)
        return None
    return {
        "case": filing.case,
        "code": filing.verification_code,
        "applicant": identity.applicant,
        "outcome": identity.outcome.value,
    }
