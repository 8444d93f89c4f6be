"""Text that people and other systems send us: the one rule for what characters we accept.

PostgreSQL refuses NUL in text columns (a 500 when nothing stopped it earlier), and no person
types the other control characters: a form field, a form-kit answer, an API field, a path or a
query parameter with one is refused here, with a field error where there is a field. Tab, line
feed and carriage return are text in a multi-line field; lone surrogates (JSON can carry them)
cannot be stored as UTF-8 at all.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_FORBIDDEN = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
MULTI_LINE_FORBIDDEN = re.compile(f"[{_FORBIDDEN}]")
SINGLE_LINE_FORBIDDEN = re.compile(f"[{_FORBIDDEN}\\t\\n\\r]")

CONTROL_MESSAGE = _("Quite los caracteres invisibles o de control de este texto.")
SINGLE_LINE_MESSAGE = _("Escriba este dato en una sola línea, sin caracteres de control.")


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` cannot be accepted as text, in words for the person, or None."""
    if multiline:
        return str(CONTROL_MESSAGE) if MULTI_LINE_FORBIDDEN.search(value) else None
    return str(SINGLE_LINE_MESSAGE) if SINGLE_LINE_FORBIDDEN.search(value) else None


def has_control_characters(value: str) -> bool:
    """True when `value` has a character no text field of ours accepts (tab and line breaks
    are allowed: they belong to multi-line text)."""
    return MULTI_LINE_FORBIDDEN.search(value) is not None


def without_control_characters(value: str) -> str:
    """`value` with those characters removed: for metadata nobody typed, such as the name of
    an uploaded file."""
    return SINGLE_LINE_FORBIDDEN.sub("", value)


def strings_in(value: Any) -> list[str]:
    """Every string inside a JSON-like value (keys included), to check them all at once."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        found: list[str] = []
        for key, item in value.items():
            found += strings_in(key) + strings_in(item)
        return found
    if isinstance(value, list | tuple):
        return [text for item in value for text in strings_in(item)]
    return []


@deconstructible
class PlainTextValidator:
    """Django validator of the same rule; `multiline` allows tab and line breaks."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        problem = text_problem(str(value), multiline=self.multiline)
        if problem is not None:
            raise ValidationError(problem, code="control_characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash(self.multiline)
