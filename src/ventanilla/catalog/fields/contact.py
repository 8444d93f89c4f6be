"""Ways to reach a person: an email address and a phone number."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import FieldKind, Problems
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

# Django's email rule (`EmailValidator`: a dot-atom, then `localhost` or a host name whose
# labels may be international), written out so that JSON Schema can publish it: upper case
# spelled out, and no quoted local parts, IP literals or spaces inside a domain, which no
# person's address has. An answer must satisfy both this and Django's validator.
_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LETTER = (
    r"a-zA-Z\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff"
    r"\u3001-\uffff"
)
_CHAR = f"{_LETTER}0-9"
_HOST = rf"[{_CHAR}](?:[{_CHAR}-]{{0,61}}[{_CHAR}])?(?:\.(?!-)[{_CHAR}-]{{1,63}}(?<!-))*"
_TLD = rf"\.(?!-)(?:[{_LETTER}-]{{2,63}}|[xX][nN]--[a-zA-Z0-9]{{1,59}})(?<!-)"
EMAIL = rf"{_ATOM}(?:\.{_ATOM})*@(?:localhost|{_HOST}{_TLD})"
EMAIL_MAX = 320  # RFC 3696, section 3, as Django checks it

# A phone number: 7 to 15 digits, perhaps after a +, with the spaces, dots, dashes and brackets
# people write between them.
PHONE = re.compile(r"\+?[0-9]{7,15}")
_PHONE_SEPARATOR = r"[\s().-]"


class Email(FieldKind):
    name = FieldType.EMAIL

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        widget = forms.EmailInput(attrs={"autocomplete": "email"})
        return {field.key: forms.CharField(widget=widget, **self.common(field))}

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        text = answer.strip() if isinstance(answer, str) else ""
        try:
            validate_email(text)
        except ValidationError:
            text = ""
        if not re.fullmatch(EMAIL, text):
            problems.add(_("Escriba un correo como nombre@ejemplo.com."))
            return None
        return text.lower()

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {
            "type": "string",
            "format": "email",
            "pattern": rf"^\s*(?=\S{{1,{EMAIL_MAX}}}\s*$)(?:{EMAIL})\s*$",
        }

    def example(self, field: FormField, rng: random.Random) -> Any:
        return "demo@example.co"

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        ascii_ = st.characters(codec="ascii")
        local = st.from_regex(rf"{_ATOM}(\.{_ATOM}){{0,2}}", fullmatch=True, alphabet=ascii_)
        label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
        domain = st.one_of(
            st.builds(
                lambda labels, tld: ".".join([*labels, tld]),
                st.lists(label, min_size=1, max_size=3),
                st.from_regex(r"[a-z]{2,6}", fullmatch=True),
            ),
            st.sampled_from(["localhost", "bogotá.gov.co", "EXAMPLE.CO", "xn--bogot-gva.co"]),
        )
        padding = st.sampled_from(["", " ", "\u00a0"])
        email = st.builds(lambda a, b, c, d: f"{a}{b}@{c}{d}", padding, local, domain, padding)
        return email.filter(lambda text: self.clean(field, text, Problems()) is not None)


class Phone(FieldKind):
    name = FieldType.PHONE

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        widget = forms.TextInput(attrs={"type": "tel"})
        return {field.key: forms.CharField(widget=widget, **self.common(field))}

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        text = re.sub(_PHONE_SEPARATOR, "", answer) if isinstance(answer, str) else ""
        if not PHONE.fullmatch(text):
            problems.add(_("Escriba un teléfono de 7 a 15 cifras."))
            return None
        return text

    def json_schema(self, field: FormField) -> dict[str, Any]:
        separators = f"{_PHONE_SEPARATOR}*"
        return {
            "type": "string",
            "$comment": "7 to 15 digits, perhaps after a +; spaces, dots, dashes and brackets "
            "between them are ignored.",
            "pattern": rf"^{separators}(?:\+{separators})?(?:[0-9]{separators}){{7,15}}$",
        }

    def example(self, field: FormField, rng: random.Random) -> Any:
        return f"3{rng.randint(100000000, 199999999)}"

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        digit = st.tuples(
            st.sampled_from("0123456789"), st.sampled_from(["", "", "", " ", "-", ".", ") "])
        ).map("".join)
        return st.builds(
            lambda lead, plus, digits: lead + plus + "".join(digits),
            st.sampled_from(["", " ", "("]),
            st.sampled_from(["", "+"]),
            st.lists(digit, min_size=7, max_size=15),
        )
