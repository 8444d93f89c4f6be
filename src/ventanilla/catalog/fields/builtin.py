"""The field types every deployment has."""

from __future__ import annotations

from ventanilla.catalog.fields.address import Address
from ventanilla.catalog.fields.base import FieldKind
from ventanilla.catalog.fields.choice import Choice, MultiChoice, YesNo
from ventanilla.catalog.fields.contact import Email, Phone
from ventanilla.catalog.fields.dates import CalendarDate
from ventanilla.catalog.fields.file import File
from ventanilla.catalog.fields.identity import IdDocument
from ventanilla.catalog.fields.number import Number
from ventanilla.catalog.fields.text import LongText, ShortText

BUILTIN: tuple[FieldKind, ...] = (
    ShortText(),
    LongText(),
    Number(),
    CalendarDate(),
    Email(),
    Phone(),
    Choice(),
    MultiChoice(),
    YesNo(),
    IdDocument(),
    Address(),
    File(),
)
