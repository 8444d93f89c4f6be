"""Forms of the citizen's account: sign-up with profile and consent, and profile editing."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.accounts import selectors, services
from ventanilla.accounts.id_documents import IdType, validate_id_number
from ventanilla.accounts.models import ConsentMethod, User
from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import client_address

PHONE_PATTERN = re.compile(r"(\+57)?[36]\d{9}|\+[1-9]\d{7,14}")


def id_number_cleaned(form: forms.BaseForm, cleaned: dict[str, Any]) -> dict[str, Any]:
    """Normalise the form's `id_number` for its `id_type` in `cleaned`, or attach the number's
    hint as the field's error: what every form that asks for an ID document does in `clean`."""
    id_type, number = cleaned.get("id_type"), cleaned.get("id_number")
    if id_type and number:
        try:
            cleaned["id_number"] = validate_id_number(id_type, number)
        except ValidationError as error:
            form.add_error("id_number", error)
    return cleaned


def clean_phone(value: str) -> str:
    """A Colombian number of ten digits (mobile 3…, landline 60…) or an international one."""
    cleaned = re.sub(r"[\s().-]", "", value)
    if cleaned and not PHONE_PATTERN.fullmatch(cleaned):
        raise ValidationError(
            _("Escriba un número de 10 cifras, por ejemplo 3001234567, o uno internacional con +.")
        )
    return cleaned


class ProfileFieldsMixin(Form):
    first_name = forms.CharField(
        label=_("Nombres"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Apellidos"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    id_type = forms.ChoiceField(label=_("Tipo de documento"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("Número de documento"),
        max_length=20,
        help_text=_("Sin puntos ni espacios."),
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Teléfono celular (opcional)"),
        max_length=20,
        required=False,
        help_text=_("Para avisarle por mensaje de texto, si lo desea."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Idioma para escribirle"), choices=settings.LANGUAGES
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        return id_number_cleaned(self, super().clean() or {})


class SignupForm(ProfileFieldsMixin, AllauthSignupForm):  # type: ignore[misc]
    """allauth's sign-up (email and password) plus the profile and the data consent."""

    consent = forms.BooleanField(
        label=_("Autorizo el tratamiento de mis datos personales según el texto anterior."),
        required=True,
        error_messages={
            "required": _("Para crear la cuenta debe autorizar el tratamiento de sus datos.")
        },
    )
    consent_version = forms.CharField(widget=forms.HiddenInput)

    field_order = [
        "first_name",
        "last_name",
        "id_type",
        "id_number",
        "email",
        "phone",
        "preferred_language",
        "password1",
        "password2",
        "consent",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent_text = selectors.consent_text_current()
        if self.consent_text is not None:
            self.fields["consent_version"].initial = self.consent_text.version
        self.fields["preferred_language"].initial = get_language() or "es"

    @property
    def consent_title(self) -> str:
        return self.consent_text.title(get_language() or "es") if self.consent_text else ""

    @property
    def consent_body(self) -> str:
        return self.consent_text.body(get_language() or "es") if self.consent_text else ""

    def clean_consent_version(self) -> str:
        version: str = self.cleaned_data["consent_version"]
        if self.consent_text is None:
            raise ValidationError(_("No hay un texto de autorización vigente. Intente más tarde."))
        if version != self.consent_text.version:
            # The notice changed while the person was reading it: they must read the new one.
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["consent_version"] = self.consent_text.version
            data.pop("consent", None)
            self.data = data
            raise ValidationError(
                _("El texto de autorización cambió mientras llenaba el formulario. Léalo de nuevo.")
            )
        return version

    def save(self, request: HttpRequest) -> User:
        if self.consent_text is None:  # clean_consent_version refuses this case
            raise ValidationError(_("No hay un texto de autorización vigente."))
        with transaction.atomic():
            user: User = super().save(request)
            services.profile_update(
                user=user,
                first_name=self.cleaned_data["first_name"],
                last_name=self.cleaned_data["last_name"],
                id_type=self.cleaned_data["id_type"],
                id_number=self.cleaned_data["id_number"],
                phone=self.cleaned_data["phone"],
                preferred_language=self.cleaned_data["preferred_language"],
            )
            services.consent_record(
                user=user,
                text=self.consent_text,
                language=get_language() or "es",
                method=ConsentMethod.ONLINE,
                ip_address=client_address(request),
            )
        return user


class ProfileForm(ProfileFieldsMixin):
    """The citizen corrects their own data (Ley 1581 de 2012, art. 8: right to rectify)."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "id_type": user.id_type,
                "id_number": user.id_number,
                "phone": user.phone,
                "preferred_language": user.preferred_language,
            },
        )
        super().__init__(*args, **kwargs)
