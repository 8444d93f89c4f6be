"""What the API says, separate from how the domain stores it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class TextOut(Schema):
    es: str
    en: str


class NamedOut(Schema):
    code: str
    name: str


class TaxonOut(Schema):
    slug: str
    name: TextOut


class ServiceSummaryOut(Schema):
    slug: str
    title: TextOut
    summary: TextOut
    kind: str
    channels: list[str]
    entity: NamedOut
    category: TaxonOut
    url: str


class FeeOut(Schema):
    amount: Decimal
    currency: str
    free: bool


class TermOut(Schema):
    amount: int
    unit: str
    legal_basis: TextOut


class DocumentOut(Schema):
    key: str
    name: TextOut
    description: TextOut
    kind: str
    accepted_types: list[str]
    max_size_mb: int
    mandatory: bool


class ServiceDetailOut(ServiceSummaryOut):
    version: int
    published_at: datetime | None
    dependency: NamedOut
    life_events: list[TaxonOut]
    description: TextOut
    who_may_ask: TextOut
    steps: list[TextOut]
    legal_basis: TextOut
    fee: FeeOut
    term: TermOut
    filers: list[str]
    documents: list[DocumentOut]
    form_schema: dict[str, Any]


class ErrorOut(Schema):
    detail: str
