"""One module for a service's form: validate answers, render a section, export JSON Schema.

The rules live in `validate_answers`, which the portal, the API and the assisted channel all
call; the Django form built by `section_form` only renders fields and turns posted strings into
raw answers. Answers are JSON:

    short_text, long_text, email, phone, date ("YYYY-MM-DD"), choice  → string
    number → number; yes_no → boolean; multi_choice → list of strings
    id_document → {"type": "CC", "number": "52123456"}
    address → {"line": "Calle 1 # 2-3", "locality": "08"}
    file → the key of an uploaded document (filled in by the filing step)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.accounts.id_documents import IdType, validate_id_number
from ventanilla.catalog.schema import FieldType, FormField, FormSchema, FormSection
from ventanilla.core.forms import Form
from ventanilla.core.text import strings_in, text_problem
from ventanilla.organization.models import Locality

PHONE = re.compile(r"\+?[0-9]{7,15}")
# Where a service sets no `max`, texts still fit what a person writes (and a page shows).
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000
ADDRESS_LINE_MAX = 200
NUMBER_DIGITS_MAX = 15


@dataclass
class Validation:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def is_visible(form_field: FormField, answers: Mapping[str, Any]) -> bool:
    condition = form_field.visible_if
    return condition is None or condition.holds(answers.get(condition.field))


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not any(
            not _empty(v) for v in (value.values() if isinstance(value, dict) else value)
        )
    return False


def _lang(text: Any) -> str:
    return str(text.get(get_language() or "es")) if text is not None else ""


def text_max(f: FormField) -> int:
    """The most characters a text answer may have: the service's `max`, else a default."""
    if f.max is not None:
        return int(f.max)
    return LONG_TEXT_MAX if f.type == FieldType.LONG_TEXT else SHORT_TEXT_MAX


def _check_length(f: FormField, value: str, result: Validation) -> None:
    if f.min is not None and len(value) < f.min:
        result.fail(f.key, _("Escriba al menos %(n)s caracteres.") % {"n": int(f.min)})
    if len(value) > text_max(f):
        result.fail(f.key, _("Escriba como máximo %(n)s caracteres.") % {"n": text_max(f)})
    if f.pattern and not re.fullmatch(f.pattern, value):
        message = _lang(f.pattern_message) or _("El formato no es válido.")
        result.fail(f.key, message)


def _clean(f: FormField, value: Any, result: Validation, localities: set[str]) -> Any:
    """The clean answer for one visible, non-empty field, or None after recording an error."""
    match f.type:
        case FieldType.SHORT_TEXT | FieldType.LONG_TEXT:
            if not isinstance(value, str):
                result.fail(f.key, _("Escriba un texto."))
                return None
            text = value.strip()
            _check_length(f, text, result)
            return text
        case FieldType.EMAIL:
            text = str(value).strip()
            try:
                validate_email(text)
            except ValidationError:
                result.fail(f.key, _("Escriba un correo como nombre@ejemplo.com."))
                return None
            return text.lower()
        case FieldType.PHONE:
            text = re.sub(r"[\s().-]", "", str(value))
            if not PHONE.fullmatch(text):
                result.fail(f.key, _("Escriba un teléfono de 7 a 15 cifras."))
                return None
            return text
        case FieldType.NUMBER:
            try:
                number = Decimal(str(value).strip().replace(",", "."))
            except InvalidOperation:
                result.fail(f.key, _("Escriba un número."))
                return None
            if not number.is_finite() or number.adjusted() >= NUMBER_DIGITS_MAX:
                result.fail(f.key, _("Escriba un número."))
                return None
            if f.min is not None and number < f.min:
                result.fail(f.key, _("El número debe ser al menos %(n)s.") % {"n": f.min})
            if f.max is not None and number > f.max:
                result.fail(f.key, _("El número debe ser como máximo %(n)s.") % {"n": f.max})
            return int(number) if number == number.to_integral_value() else float(number)
        case FieldType.DATE:
            try:
                day = date.fromisoformat(str(value).strip())
            except ValueError:
                result.fail(f.key, _("Escriba una fecha válida (año-mes-día)."))
                return None
            return day.isoformat()
        case FieldType.YES_NO:
            if isinstance(value, bool):
                return value
            if str(value) in {"yes", "true", "si", "sí"}:
                return True
            if str(value) in {"no", "false"}:
                return False
            result.fail(f.key, _("Responda sí o no."))
            return None
        case FieldType.CHOICE:
            allowed = {c.value for c in f.choices or []}
            if str(value) not in allowed:
                result.fail(f.key, _("Elija una de las opciones."))
                return None
            return str(value)
        case FieldType.MULTI_CHOICE:
            values = value if isinstance(value, list) else [value]
            allowed = {c.value for c in f.choices or []}
            if any(str(v) not in allowed for v in values):
                result.fail(f.key, _("Elija entre las opciones dadas."))
                return None
            chosen = [c.value for c in f.choices or [] if c.value in {str(v) for v in values}]
            if f.min is not None and len(chosen) < f.min:
                result.fail(f.key, _("Elija al menos %(n)s opciones.") % {"n": int(f.min)})
            if f.max is not None and len(chosen) > f.max:
                result.fail(f.key, _("Elija como máximo %(n)s opciones.") % {"n": int(f.max)})
            return chosen
        case FieldType.ID_DOCUMENT:
            if not isinstance(value, Mapping):
                result.fail(f.key, _("Indique el tipo y el número del documento."))
                return None
            id_type = str(value.get("type") or "")
            doc_number = str(value.get("number") or "")
            if id_type not in IdType.values:
                result.fail(f"{f.key}.type", _("Elija el tipo de documento."))
                return None
            try:
                return {"type": id_type, "number": validate_id_number(id_type, doc_number)}
            except ValidationError as error:
                result.fail(f"{f.key}.number", error.messages[0])
                return None
        case FieldType.ADDRESS:
            if not isinstance(value, Mapping):
                result.fail(f.key, _("Escriba la dirección y elija la localidad."))
                return None
            given = value.get("line")
            line = given.strip() if isinstance(given, str) else ""
            locality = str(value.get("locality") or "")
            ok = True
            if len(line) < 5:
                result.fail(f"{f.key}.line", _("Escriba la dirección completa."))
                ok = False
            elif len(line) > ADDRESS_LINE_MAX:
                message = _("Escriba como máximo %(n)s caracteres.") % {"n": ADDRESS_LINE_MAX}
                result.fail(f"{f.key}.line", message)
                ok = False
            if locality not in localities:
                result.fail(f"{f.key}.locality", _("Elija la localidad."))
                ok = False
            return {"line": line, "locality": locality} if ok else None
        case FieldType.FILE:
            if value != f.document:
                result.fail(f.key, _("Adjunte el documento que se pide."))
                return None
            return str(value)
    return None  # pragma: no cover - every type is matched above


def _text_problem(f: FormField, value: Any) -> str | None:
    """The plain-text rule of `core.text` for every string of an answer."""
    multiline = f.type == FieldType.LONG_TEXT
    for text in strings_in(value):
        problem = text_problem(text, multiline=multiline)
        if problem is not None:
            return problem
    return None


def validate_answers(
    schema: FormSchema, raw: Mapping[str, Any], *, sections: list[str] | None = None
) -> Validation:
    """Check `raw` answers against `schema` (only the named `sections`, when given).

    Hidden fields (their `visible_if` does not hold) are dropped, never required. Errors are
    keyed by field path (`key`, or `key.number` inside a compound answer).
    """
    result = Validation()
    localities = set(Locality.objects.values_list("code", flat=True))
    unknown = set(raw) - {f.key for f in schema.fields}
    for key in sorted(unknown):
        result.fail(key, _("Esta pregunta no existe en el formulario."))
    for section in schema.sections:
        if sections is not None and section.key not in sections:
            continue
        for f in section.fields:
            visible = is_visible(f, {**raw, **result.answers})
            value = raw.get(f.key)
            if not visible:
                continue
            if _empty(value):
                if f.required:
                    result.fail(f.key, _("Responda esta pregunta."))
                continue
            problem = _text_problem(f, value)
            if problem is not None:
                result.fail(f.key, problem)
                continue
            cleaned = _clean(f, value, result, localities)
            if cleaned is not None and not any(p.split(".")[0] == f.key for p in result.errors):
                result.answers[f.key] = cleaned
    return result


# --- Rendering ------------------------------------------------------------------------------


def _choices(f: FormField) -> list[tuple[str, str]]:
    return [(c.value, _lang(c.label)) for c in f.choices or []]


def _django_fields(f: FormField) -> dict[str, forms.Field]:
    """The form fields that render one schema field (two for compound answers)."""
    label = _lang(f.label)
    help_text = _lang(f.help)
    common: dict[str, Any] = {"label": label, "help_text": help_text, "required": False}
    match f.type:
        case FieldType.LONG_TEXT:
            return {f.key: forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)}
        case FieldType.NUMBER:
            return {
                f.key: forms.CharField(
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            }
        case FieldType.DATE:
            return {
                f.key: forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
            }
        case FieldType.EMAIL:
            return {
                f.key: forms.CharField(
                    widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common
                )
            }
        case FieldType.PHONE:
            return {f.key: forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), **common)}
        case FieldType.CHOICE:
            return {
                f.key: forms.ChoiceField(choices=_choices(f), widget=forms.RadioSelect, **common)
            }
        case FieldType.MULTI_CHOICE:
            return {
                f.key: forms.MultipleChoiceField(
                    choices=_choices(f), widget=forms.CheckboxSelectMultiple, **common
                )
            }
        case FieldType.YES_NO:
            return {
                f.key: forms.ChoiceField(
                    choices=[("yes", _("Sí")), ("no", _("No"))], widget=forms.RadioSelect, **common
                )
            }
        case FieldType.ID_DOCUMENT:
            return {
                f"{f.key}__type": forms.ChoiceField(
                    label=_("%(label)s: tipo de documento") % {"label": label},
                    choices=[("", "—"), *IdType.choices],
                    required=False,
                    help_text=help_text,
                ),
                f"{f.key}__number": forms.CharField(
                    label=_("%(label)s: número") % {"label": label}, required=False
                ),
            }
        case FieldType.ADDRESS:
            localities = list(Locality.objects.values_list("code", "name"))
            return {
                f"{f.key}__line": forms.CharField(
                    label=_("%(label)s: dirección") % {"label": label},
                    required=False,
                    help_text=help_text,
                    widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
                ),
                f"{f.key}__locality": forms.ChoiceField(
                    label=_("%(label)s: localidad") % {"label": label},
                    choices=[("", "—"), *localities],
                    required=False,
                ),
            }
        case FieldType.FILE:
            return {f.key: forms.FileField(**common)}
    return {f.key: forms.CharField(**common)}


class SectionForm(Form):
    """Renders one section; `validate_answers` decides what is right."""

    section: FormSection

    def raw_answers(self) -> dict[str, Any]:
        """Posted strings → raw answers keyed by schema field."""
        data = self.data
        raw: dict[str, Any] = {}
        for f in self.section.fields:
            if f.type == FieldType.ID_DOCUMENT:
                raw[f.key] = {
                    "type": data.get(f"{f.key}__type", ""),
                    "number": data.get(f"{f.key}__number", ""),
                }
            elif f.type == FieldType.ADDRESS:
                raw[f.key] = {
                    "line": data.get(f"{f.key}__line", ""),
                    "locality": data.get(f"{f.key}__locality", ""),
                }
            elif f.type == FieldType.MULTI_CHOICE:
                raw[f.key] = (
                    data.getlist(f.key) if hasattr(data, "getlist") else data.get(f.key, [])
                )
            elif f.type == FieldType.FILE:
                continue
            else:
                raw[f.key] = data.get(f.key, "")
        return raw

    def show_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Attach `validate_answers` errors to the rendered fields."""
        for path, messages in errors.items():
            key, _dot, part = path.partition(".")
            name = f"{key}__{part}" if part else key
            if name not in self.fields:
                name = next((n for n in self.fields if n.startswith(f"{key}__")), key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _initial(section: FormSection, answers: Mapping[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for f in section.fields:
        value = answers.get(f.key)
        if value is None:
            continue
        if f.type in {FieldType.ID_DOCUMENT, FieldType.ADDRESS} and isinstance(value, Mapping):
            for part, part_value in value.items():
                initial[f"{f.key}__{part}"] = part_value
        elif f.type == FieldType.YES_NO and isinstance(value, bool):
            initial[f.key] = "yes" if value else "no"
        else:
            initial[f.key] = value
    return initial


def section_form(
    section: FormSection,
    *,
    data: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    prefix: str | None = None,
) -> SectionForm:
    """A form for one section, filled with `data` (a POST) or with earlier `answers`."""
    fields: dict[str, forms.Field] = {}
    for f in section.fields:
        fields.update(_django_fields(f))
    form_class = type("ServiceSectionForm", (SectionForm,), {**fields, "section": section})
    return form_class(data=data, initial=_initial(section, answers or {}), prefix=prefix)  # type: ignore[no-any-return]


# --- JSON Schema ----------------------------------------------------------------------------


def _property(f: FormField, language: str, localities: list[str]) -> dict[str, Any]:
    base: dict[str, Any] = {"title": f.label.get(language)}
    if f.help:
        base["description"] = f.help.get(language)
    match f.type:
        case FieldType.SHORT_TEXT | FieldType.LONG_TEXT:
            prop = {**base, "type": "string", "maxLength": text_max(f)}
            if f.min is not None:
                prop["minLength"] = int(f.min)
            if f.pattern:
                prop["pattern"] = f"^(?:{f.pattern})$"
            return prop
        case FieldType.EMAIL:
            return {**base, "type": "string", "format": "email"}
        case FieldType.PHONE:
            return {**base, "type": "string", "pattern": r"^\+?[0-9 ().-]{7,20}$"}
        case FieldType.NUMBER:
            prop = {**base, "type": "number"}
            if f.min is not None:
                prop["minimum"] = float(f.min)
            if f.max is not None:
                prop["maximum"] = float(f.max)
            return prop
        case FieldType.DATE:
            return {**base, "type": "string", "format": "date"}
        case FieldType.YES_NO:
            return {**base, "type": "boolean"}
        case FieldType.CHOICE:
            return {**base, "type": "string", "enum": [c.value for c in f.choices or []]}
        case FieldType.MULTI_CHOICE:
            prop = {
                **base,
                "type": "array",
                "items": {"type": "string", "enum": [c.value for c in f.choices or []]},
                "uniqueItems": True,
            }
            if f.min is not None:
                prop["minItems"] = int(f.min)
            if f.max is not None:
                prop["maxItems"] = int(f.max)
            return prop
        case FieldType.ID_DOCUMENT:
            return {
                **base,
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": list(IdType.values)},
                    "number": {"type": "string", "minLength": 3, "maxLength": 20},
                },
                "required": ["type", "number"],
                "additionalProperties": False,
            }
        case FieldType.ADDRESS:
            return {
                **base,
                "type": "object",
                "properties": {
                    "line": {"type": "string", "minLength": 5, "maxLength": ADDRESS_LINE_MAX},
                    "locality": {"type": "string", "enum": localities},
                },
                "required": ["line", "locality"],
                "additionalProperties": False,
            }
        case FieldType.FILE:
            return {
                **base,
                "type": "string",
                "const": f.document,
                "description": "Key of a document uploaded with the case.",
            }
    return base  # pragma: no cover


def json_schema(schema: FormSchema, *, language: str = "es") -> dict[str, Any]:
    """The answers of `schema` as a JSON Schema (draft 2020-12), for API clients."""
    localities = sorted(Locality.objects.values_list("code", flat=True))
    properties = {f.key: _property(f, language, localities) for f in schema.fields}
    required = [f.key for f in schema.fields if f.required and f.visible_if is None]
    conditions = []
    for f in schema.fields:
        condition = f.visible_if
        if condition is None:
            continue
        expected: dict[str, Any] = (
            {"enum": condition.one_of}
            if condition.one_of is not None
            else {"const": condition.equals}
        )
        source = schema.field(condition.field)
        if source.type == FieldType.MULTI_CHOICE:
            expected = {"contains": expected}
        when = {"properties": {condition.field: expected}, "required": [condition.field]}
        # A hidden field's answer is ignored, never an error, so there is no `else`.
        conditions.append({"if": when, "then": {"required": [f.key]} if f.required else {}})
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if conditions:
        result["allOf"] = conditions
    return result
