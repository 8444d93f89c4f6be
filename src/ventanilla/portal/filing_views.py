"""Filing online: how to file → the form, one section a page → documents → check your answers
→ submit → the filing number. Nothing typed is lost on an error or when going back."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ventanilla.accounts import selectors as account_selectors
from ventanilla.accounts.forms import clean_phone
from ventanilla.accounts.models import User
from ventanilla.cases.filing import (
    Caller,
    Contact,
    FilingError,
    IdempotencyConflict,
    case_file,
)
from ventanilla.cases.guest_access import is_guest_case
from ventanilla.cases.models import FilerKind, FilingChannel
from ventanilla.cases.notify import guest_code_email
from ventanilla.cases.uploads import uploads_refused
from ventanilla.catalog import formkit
from ventanilla.catalog.models import Service, ServiceVersion
from ventanilla.catalog.schema import (
    FieldType,
    Filer,
    FormSection,
    OwnerKind,
    ServiceDefinition,
)
from ventanilla.catalog.selectors import (
    dependencies_to_choose_for,
    localities_for,
    service_points_for,
    service_with_version,
)
from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import allow, client_ip
from ventanilla.core.text import has_control_characters, strings_in
from ventanilla.portal.citizen_views import GUEST_SESSION_KEY
from ventanilla.portal.drafts import (
    Draft,
    draft_discard,
    draft_load,
    draft_save,
    file_ref,
)
from ventanilla.portal.filing_files import (
    files_posted,
    files_received,
    folder_offers,
    loose_documents,
    reuse_chosen,
    section_context,
    with_documents,
)
from ventanilla.portal.tracked import SESSION_KEY as TRACKED_SESSION_KEY
from ventanilla.portal.tracked import tracked_ids

FILED_SESSION_KEY = "filed_codes"
# Guest email codes: how many may be sent, and how many guesses one code allows.
CODES_PER_EMAIL_PER_HOUR = 5
CODES_PER_IP_PER_HOUR = 30
CODE_ATTEMPTS = 5


def _context(
    request: HttpRequest, slug: str
) -> tuple[Service, ServiceVersion, ServiceDefinition, Draft]:
    service, version = service_with_version(slug)
    if "online" not in service.channels:
        raise Http404("this service is not offered online")
    draft = draft_load(request, service, version)
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        draft.mode = "citizen"
    return service, version, version.parsed, draft


def _sections(definition: ServiceDefinition) -> list[FormSection]:
    """The form's sections, one page each (a file question is a file input on its page)."""
    return definition.form.sections


PLACE_STEP = "donde"
DOCUMENTS_STEP = "documentos"
REVIEW_STEP = "revisar"


def _asks_place(definition: ServiceDefinition) -> bool:
    """The workflow sends the case to a school or office, or a dependency, the citizen picks."""
    workflow = definition.workflow
    return workflow.routes_by(OwnerKind.SERVICE_POINT) or workflow.routes_by(
        OwnerKind.CHOSEN_AT_FILING
    )


def _steps(definition: ServiceDefinition) -> list[str]:
    """The pages of the filing, in order: a section each, where, documents, then the review."""
    steps = [s.key for s in _sections(definition)]
    if _asks_place(definition):
        steps.append(PLACE_STEP)
    if loose_documents(definition):
        steps.append(DOCUMENTS_STEP)
    return [*steps, REVIEW_STEP]


def _step_url(slug: str, step: str) -> str:
    if step == PLACE_STEP:
        return reverse("portal:file_place", args=[slug])
    if step == DOCUMENTS_STEP:
        return reverse("portal:file_documents", args=[slug])
    if step == REVIEW_STEP:
        return reverse("portal:file_review", args=[slug])
    return reverse("portal:file_section", args=[slug, step])


def _first_step(slug: str, definition: ServiceDefinition) -> str:
    return _step_url(slug, _steps(definition)[0])


def _next_after(slug: str, definition: ServiceDefinition, step: str) -> str:
    steps = _steps(definition)
    return _step_url(slug, steps[steps.index(step) + 1])


def _previous_of(slug: str, definition: ServiceDefinition, step: str) -> str | None:
    steps = _steps(definition)
    index = steps.index(step)
    return _step_url(slug, steps[index - 1]) if index else None


def _position(definition: ServiceDefinition, step: str) -> dict[str, int]:
    steps = _steps(definition)
    return {"step": steps.index(step) + 1, "steps": len(steps)}


def _ready(draft: Draft, definition: ServiceDefinition) -> bool:
    """A guest must have verified their email before the form; an anonymous filer need not."""
    if draft.mode == "citizen":
        return True
    if draft.mode == "guest":
        return draft.email_verified
    return draft.mode == "anonymous" and Filer.ANONYMOUS in definition.filers


@require_http_methods(["GET", "POST"])
def file_start(request: HttpRequest, slug: str) -> HttpResponse:
    service, _version, definition, draft = _context(request, slug)
    if draft.mode == "citizen":
        if Filer.CITIZEN not in definition.filers:
            messages.info(request, _("Este trámite no se radica con una cuenta."))
        else:
            return redirect(_first_step(slug, definition))
    if request.method == "POST":
        mode = request.POST.get("mode", "")
        if mode == "guest" and Filer.GUEST in definition.filers:
            draft.mode = "guest"
            draft_save(request, draft)
            return redirect("portal:file_guest", slug=slug)
        if mode == "anonymous" and Filer.ANONYMOUS in definition.filers:
            draft.mode = "anonymous"
            draft_save(request, draft)
            return redirect(_first_step(slug, definition))
    login = reverse("account_login") + "?" + urlencode({"next": request.path})
    return render(
        request,
        "portal/filing/start.html",
        {"service": service, "definition": definition, "login_url": login, "draft": draft},
    )


class GuestForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Nombre completo"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Correo electrónico"),
        help_text=gettext_lazy("Le enviaremos un código para confirmar que es suyo."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Teléfono celular (opcional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])


class CodeForm(Form):
    code = forms.CharField(
        label=gettext_lazy("Código que le enviamos"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:guest:{value}".encode()).hexdigest()


@require_http_methods(["GET", "POST"])
def file_guest(request: HttpRequest, slug: str) -> HttpResponse:
    """A guest gives a name and an email, and proves the email is theirs with a code."""
    service, _version, definition, draft = _context(request, slug)
    if draft.mode != "guest":
        return redirect("portal:file_start", slug=slug)
    form = GuestForm(initial=draft.contact)
    code_form = CodeForm()
    if request.method == "POST" and request.POST.get("step") == "details":
        form = GuestForm(request.POST)
        if form.is_valid() and not (
            allow(
                f"guest-code-send:{form.cleaned_data['email'].lower()}",
                limit=CODES_PER_EMAIL_PER_HOUR,
                window_seconds=3600,
            )
            and allow(
                f"guest-code-send-ip:{client_ip(request)}",
                limit=CODES_PER_IP_PER_HOUR,
                window_seconds=3600,
            )
        ):
            form.add_error(
                None,
                _(
                    "Ya le enviamos varios códigos. Revise su correo (también la carpeta de "
                    "correo no deseado) o espere una hora para pedir otro."
                ),
            )
        elif form.is_valid():
            code = f"{secrets.randbelow(1_000_000):06d}"
            draft.contact = {k: str(v) for k, v in form.cleaned_data.items()}
            draft.email_verified = False
            draft.verification_sent = _hash(code + draft.contact["email"].lower())
            draft_save(request, draft)
            guest_code_email(
                email=draft.contact["email"], code=code, language=get_language() or "es"
            )
            messages.info(request, _("Le enviamos un código a %(email)s.") % draft.contact)
            return redirect("portal:file_guest", slug=slug)
    elif request.method == "POST" and request.POST.get("step") == "code":
        code_form = CodeForm(request.POST)
        if (
            code_form.is_valid()
            and draft.verification_sent
            and not allow(
                f"guest-code-check:{draft.verification_sent}",
                limit=CODE_ATTEMPTS,
                window_seconds=3600,
            )
        ):
            # Six digits could be guessed given time: after a few misses the code is spent.
            draft.verification_sent = ""
            draft_save(request, draft)
            messages.error(
                request, _("Hubo demasiados intentos con ese código. Pida uno nuevo abajo.")
            )
        elif code_form.is_valid():
            given = code_form.cleaned_data["code"].strip() + draft.contact.get("email", "").lower()
            if draft.verification_sent and secrets.compare_digest(
                _hash(given), draft.verification_sent
            ):
                draft.email_verified = True
                draft_save(request, draft)
                return redirect(_first_step(slug, definition))
            code_form.add_error("code", _("El código no coincide. Revíselo o pida otro."))
    return render(
        request,
        "portal/filing/guest.html",
        {
            "service": service,
            "definition": definition,
            "form": form,
            "code_form": code_form,
            "draft": draft,
        },
    )


@require_http_methods(["GET", "POST"])
def file_section(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    service, _version, definition, draft = _context(request, slug)
    if not _ready(draft, definition):
        return redirect("portal:file_start", slug=slug)
    sections = _sections(definition)
    current = next((s for s in sections if s.key == section), None)
    if current is None:
        raise Http404("no such section")
    if request.method == "POST":
        context = section_context(service, definition, current, draft)
        form = formkit.section_form(current, data=request.POST, context=context)
        raw = form.raw_answers()
        # Keep what was typed, even with errors; the page shows again what cannot be stored.
        # An answer to a question that an answer hides (here or on an earlier page) is not kept.
        draft.answers = definition.form.asked(
            {
                k: v
                for k, v in {**draft.answers, **raw}.items()
                if not any(has_control_characters(text) for text in strings_in(v))
            }
        )
        upload_errors = files_received(request, definition, current, draft)
        draft_save(request, draft)
        result = formkit.validate_answers(
            definition.form,
            with_documents(draft.answers, draft, definition),
            sections=[current.key],
        )
        errors = {**result.errors, **upload_errors}
        if not errors:
            if request.POST.get("go") == "review":
                return redirect("portal:file_review", slug=slug)
            return redirect(_next_after(slug, definition, current.key))
        # The page again, with the files now attached named under their questions.
        context = section_context(service, definition, current, draft)
        form = formkit.section_form(current, data=request.POST, context=context)
        form.show_errors(errors)
    else:
        context = section_context(service, definition, current, draft)
        answers = {**_known_contact(request, draft, current), **draft.answers}
        form = formkit.section_form(current, answers=answers, context=context)
    return render(
        request,
        "portal/filing/section.html",
        {
            "service": service,
            "definition": definition,
            "section": current,
            "form": form,
            "takes_files": bool(context.documents),
            **_position(definition, current.key),
            "previous": _previous_of(slug, definition, current.key),
            "from_review": request.GET.get("desde") == "revision",
        },
    )


def _known_contact(request: HttpRequest, draft: Draft, section: FormSection) -> dict[str, str]:
    """The phone or email the person already gave us (their account, or a guest's details),
    as the first answer of the section's phone and email questions: not asked twice."""
    user = request.user
    known: dict[str, str]
    if draft.mode == "citizen" and isinstance(user, User) and user.is_authenticated:
        known = {FieldType.PHONE.value: user.phone, FieldType.EMAIL.value: user.email}
    else:
        known = {
            FieldType.PHONE.value: draft.contact.get("phone", ""),
            FieldType.EMAIL.value: draft.contact.get("email", ""),
        }
    return {f.key: known[f.type] for f in section.fields if known.get(f.type)}


# A phone shows a short list: the citizen narrows it by locality or by name.
PLACES_SHOWN = 25


class PlaceSearchForm(Form):
    localidad = forms.ChoiceField(label=gettext_lazy("Localidad"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Nombre del colegio o del punto (opcional)"),
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, localities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["localidad"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", _("Todas")), *localities]


class PlaceForm(Form):
    """Where the request is handled: a school or office, and/or a dependency, by code."""

    def __init__(
        self,
        *args: Any,
        points: list[tuple[str, str]] | None,
        dependencies: list[tuple[str, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if points is not None:
            self.fields["service_point"] = forms.ChoiceField(
                label=_("Colegio o punto de atención"),
                choices=points,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Elija el colegio o el punto de atención."),
                    "invalid_choice": _("Elija uno de la lista."),
                },
            )
        if dependencies is not None:
            self.fields["chosen_dependency"] = forms.ChoiceField(
                label=_("Dependencia que atenderá su solicitud"),
                choices=dependencies,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Elija la dependencia."),
                    "invalid_choice": _("Elija una de la lista."),
                },
            )


@require_http_methods(["GET", "POST"])
def file_place(request: HttpRequest, slug: str) -> HttpResponse:
    """Where: the school or office, or the dependency, that will handle the request."""
    service, _version, definition, draft = _context(request, slug)
    if not _ready(draft, definition):
        return redirect("portal:file_start", slug=slug)
    if not _asks_place(definition):
        raise Http404("this service does not ask where")
    workflow = definition.workflow
    search = PlaceSearchForm(request.GET or None, localities=localities_for(service))
    locality = query = ""
    if search.is_valid():
        locality, query = search.cleaned_data["localidad"], search.cleaned_data["q"]
    points = dependencies = None
    found = 0
    if workflow.routes_by(OwnerKind.SERVICE_POINT):
        matches = service_points_for(service, locality=locality, name=query)
        found = matches.count()
        shown = list(matches[:PLACES_SHOWN])
        # The place posted, or chosen before, stays on the list whatever the search shows.
        chosen = request.POST.get("service_point") or draft.place.get("service_point")
        if chosen and has_control_characters(chosen):
            chosen = None  # not a code: the form says to choose one from the list
        if chosen and chosen not in {p.code for p in shown}:
            shown = [*service_points_for(service).filter(code=chosen), *shown]
        points = [(p.code, _place_label(p)) for p in shown]
    if workflow.routes_by(OwnerKind.CHOSEN_AT_FILING):
        dependencies = [(d.code, d.name) for d in dependencies_to_choose_for(service)]
    if request.method == "POST":
        form = PlaceForm(request.POST, points=points, dependencies=dependencies)
        if form.is_valid():
            draft.place = {k: str(v) for k, v in form.cleaned_data.items()}
            draft_save(request, draft)
            if request.POST.get("go") == "review":
                return redirect("portal:file_review", slug=slug)
            return redirect(_next_after(slug, definition, PLACE_STEP))
    else:
        form = PlaceForm(initial=draft.place, points=points, dependencies=dependencies)
    return render(
        request,
        "portal/filing/place.html",
        {
            "service": service,
            "definition": definition,
            "search": search,
            "form": form,
            "found": found,
            "more": max(0, found - PLACES_SHOWN),
            "asks_points": points is not None,
            **_position(definition, PLACE_STEP),
            "previous": _previous_of(slug, definition, PLACE_STEP),
            "from_review": request.GET.get("desde") == "revision",
        },
    )


def _place_label(point: Any) -> str:
    locality = f" ({point.locality.name})" if point.locality else ""
    return f"{point.name} — {point.address}{locality}"


def _place_summary(service: Service, draft: Draft) -> list[str]:
    """The place chosen, as the citizen reads it on the review page."""
    lines = []
    code = draft.place.get("service_point")
    point = service_points_for(service).filter(code=code).first() if code else None
    if point is not None:
        lines.append(_place_label(point))
    code = draft.place.get("chosen_dependency")
    dependency = dependencies_to_choose_for(service).filter(code=code).first() if code else None
    if dependency is not None:
        lines.append(dependency.name)
    return lines


@require_http_methods(["GET", "POST"])
def file_documents(request: HttpRequest, slug: str) -> HttpResponse:
    service, _version, definition, draft = _context(request, slug)
    if not _ready(draft, definition):
        return redirect("portal:file_start", slug=slug)
    errors: dict[str, list[str]] = {}
    reusable = folder_offers(request, draft, definition)
    if request.method == "POST":
        refused = uploads_refused(request)
        for document in loose_documents(definition):
            name = f"documento_{document.key}"
            if name not in refused and not request.FILES.getlist(name):
                reuse_chosen(request, draft, document, reusable.get(document.key, []))
            problems = files_posted(request, definition, draft, document, name, refused)
            if problems:
                errors[document.key] = problems
        draft_save(request, draft)
        missing = [
            d for d in loose_documents(definition) if d.mandatory and not draft.document(d.key)
        ]
        for document in missing:
            if document.key not in errors:
                errors[document.key] = [_("Adjunte este documento.")]
        if not errors:
            return redirect("portal:file_review", slug=slug)
    items = [
        {
            "document": d,
            "stored": draft.document(d.key),
            "files": [{"ref": file_ref(f), "name": f["name"]} for f in draft.files_of(d.key)],
            "errors": errors.get(d.key, []),
            "reusable": reusable.get(d.key, []),
        }
        for d in loose_documents(definition)
    ]
    return render(
        request,
        "portal/filing/documents.html",
        {
            "service": service,
            "definition": definition,
            "items": items,
            "has_errors": bool(errors),
            **_position(definition, DOCUMENTS_STEP),
            "previous": _previous_of(slug, definition, DOCUMENTS_STEP),
        },
    )


def _summary(definition: ServiceDefinition, draft: Draft) -> list[dict[str, Any]]:
    """The answers as the citizen reads them, section by section, visible questions only; a
    file question shows the name of the file attached."""
    language = get_language() or "es"
    answers = definition.form.asked(draft.answers)
    rows = []
    for section in _sections(definition):
        items = []
        for field in section.fields:
            if not definition.form.shown(field, answers):
                continue
            if field.document is not None:
                names = [f["name"] for f in draft.files_of(field.document)]
                value = ", ".join(names) or _("No adjuntó un archivo.")
            else:
                value = formkit.answer_text(field, answers.get(field.key))
            items.append({"label": field.label.get(language), "value": value})
        rows.append({"section": section, "items": items})
    return rows


@require_http_methods(["GET", "POST"])
def file_review(request: HttpRequest, slug: str) -> HttpResponse:
    service, version, definition, draft = _context(request, slug)
    if not _ready(draft, definition):
        return redirect("portal:file_start", slug=slug)
    consent_text = account_selectors.consent_text_current()
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        if request.POST.get("idempotency_key") != draft.idempotency_key:
            # An old page (another tab, the back button): show the current answers again.
            messages.warning(request, _("Revise sus respuestas y envíe de nuevo."))
            return redirect("portal:file_review", slug=slug)
        consent_given = draft.mode == "anonymous" or request.POST.get("consent") == "on"
        if not consent_given:
            problems["consent"] = [_("Autorice el tratamiento de sus datos para radicar.")]
        else:
            response = _submit(request, service, version, definition, draft, consent_text, problems)
            if response is not None:
                return response
    return render(
        request,
        "portal/filing/review.html",
        {
            "service": service,
            "definition": definition,
            "draft": draft,
            "summary": _summary(definition, draft),
            "asks_place": _asks_place(definition),
            "place": _place_summary(service, draft),
            "place_link": reverse("portal:file_place", args=[slug]) + "?desde=revision",
            "loose_documents": bool(loose_documents(definition)),
            "documents": [d for d in draft.documents if definition.question_for(d["key"]) is None],
            "consent_text": consent_text,
            "consent_title": consent_text.title(get_language() or "es") if consent_text else "",
            "consent_body": consent_text.body(get_language() or "es") if consent_text else "",
            "problems": problems,
            "section_links": {
                s.key: reverse("portal:file_section", args=[slug, s.key]) + "?desde=revision"
                for s in _sections(definition)
            },
        },
    )


def _caller(request: HttpRequest, applicant: User | None) -> Caller:
    """A signed-in citizen files as themself; a guest or an anonymous filer as this browser."""
    if applicant is not None:
        return Caller.citizen(applicant)
    if request.session.session_key is None:
        request.session.save()
    return Caller.session(request.session.session_key or "")


def _submit(
    request: HttpRequest,
    service: Service,
    version: ServiceVersion,
    definition: ServiceDefinition,
    draft: Draft,
    consent_text: Any,
    problems: dict[str, list[str]],
) -> HttpResponse | None:
    user = request.user
    applicant = user if isinstance(user, User) and user.is_authenticated else None
    contact = None
    if draft.mode == "guest":
        contact = Contact(
            name=draft.contact.get("name", ""),
            email=draft.contact.get("email", ""),
            phone=draft.contact.get("phone", ""),
        )
    try:
        filing = case_file(
            service_version=version,
            answers=with_documents(definition.form.asked(draft.answers), draft, definition),
            channel=FilingChannel.ONLINE,
            filer_kind={"citizen": FilerKind.CITIZEN, "guest": FilerKind.GUEST}.get(
                draft.mode, FilerKind.ANONYMOUS
            ),
            applicant=applicant,
            contact=contact,
            documents=draft.uploads(),
            service_point=service_points_for(service)
            .filter(code=draft.place.get("service_point", ""))
            .first(),
            chosen_dependency=dependencies_to_choose_for(service)
            .filter(code=draft.place.get("chosen_dependency", ""))
            .first(),
            idempotency_key=draft.idempotency_key,
            caller=_caller(request, applicant),
            language=get_language() or "es",
            consent_text=consent_text if draft.mode != "anonymous" else None,
            consent_method="online",
        )
    except IdempotencyConflict as error:
        problems.update(error.errors)
        draft.idempotency_key = uuid.uuid4().hex  # sending again files a new request
        draft_save(request, draft)
        return None
    except FilingError as error:
        problems.update(error.errors)
        return None
    filed: dict[str, str] = request.session.setdefault(FILED_SESSION_KEY, {})
    filed[filing.case.filing_number] = filing.verification_code
    tracked: list[int] = request.session.setdefault(TRACKED_SESSION_KEY, [])
    if filing.case.pk not in tracked:
        tracked.append(filing.case.pk)
    if is_guest_case(filing.case):
        # The guest confirmed their email in this session: their case page opens here too.
        granted: list[int] = request.session.setdefault(GUEST_SESSION_KEY, [])
        granted.append(filing.case.pk)
    request.session.modified = True
    draft_discard(request, draft)
    return HttpResponseRedirect(reverse("portal:file_done", args=[filing.case.filing_number]))


def file_done(request: HttpRequest, number: str) -> HttpResponse:
    """The filing number, the code, the due date and what happens next; printable."""
    from ventanilla.cases.selectors import case_for_tracking

    code = request.session.get(FILED_SESSION_KEY, {}).get(number)
    case = case_for_tracking(number, tracked_ids(request), request.user)
    if case is None or code is None:
        raise Http404("no filing of this session with that number")
    definition = case.service_version.parsed
    return render(
        request,
        "portal/filing/done.html",
        {
            "case": case,
            "guest": is_guest_case(case),
            # The citizen's own case page (answers, documents, messages), not the status alone.
            "own": request.user.is_authenticated and case.applicant_id == request.user.pk,
            # Someone we can write to: an account or an email (an anonymous report has neither).
            "reachable": bool(case.applicant_id or case.contact_email),
            "code": code,
            "definition": definition,
            "stage": definition.workflow.stage(case.stage),
        },
    )
