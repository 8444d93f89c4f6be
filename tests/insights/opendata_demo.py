"""The acceptance line: the open-data export of the demo holds no name, ID number, email, phone
or free text, and validates against its own data dictionary (run on the full demo's load by
`tests/demo/test_full_demo.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.files.storage import default_storage

from tests.insights.opendata_checks import csv_problems, json_problems
from ventanilla.insights.dictionary import BY_KEY

CHOICE_VALUE = re.compile(r"^[a-z0-9_]{1,50}$")  # catalog.schema.Choice.value
PERSONAL = "personal"
NAME = "name"
FREE_TEXT = "free text"


def _strings(value: Any) -> Iterator[str]:
    """Every string inside an answers document (lists, nested objects)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _needles() -> dict[str, str]:
    """What must never appear, and why: people's data and whatever anybody wrote."""
    from ventanilla.accounts.models import User
    from ventanilla.cases.models import Case, CompetenceTransfer, Message, TimelineEvent

    found: dict[str, str] = {}

    def add(values: Iterable[str | None], why: str) -> None:
        for value in values:
            if value and len(value.strip()) >= 4:
                found.setdefault(value.strip(), why)

    contacts = Case.objects.values_list(
        "contact_email", "contact_phone", "contact_id_number", "filing_number"
    )
    for row in contacts:
        add(row, PERSONAL)
    add(Case.objects.values_list("contact_name", flat=True), NAME)
    for email, first, last in User.objects.values_list("email", "first_name", "last_name"):
        add([email], PERSONAL)
        add([f"{first} {last}".strip()], NAME)
    for answers in Case.objects.values_list("answers", flat=True):
        # A choice's value (`privado`, `general`) is a key of the published form, not something
        # a person wrote; the catalogue's slugs share those words.
        add((s for s in _strings(answers) if not CHOICE_VALUE.match(s)), FREE_TEXT)
    add(Case.objects.values_list("response_draft", flat=True), FREE_TEXT)
    add(Case.objects.values_list("extension_reason", flat=True), FREE_TEXT)
    add(Message.objects.values_list("body", flat=True), FREE_TEXT)
    add(TimelineEvent.objects.values_list("message", flat=True), FREE_TEXT)
    add(CompetenceTransfer.objects.values_list("reason", flat=True), FREE_TEXT)
    return found


def _leaks(cells: set[str], needles: dict[str, str], kinds: set[str]) -> list[str]:
    leaks = []
    for needle, why in needles.items():
        if why not in kinds:
            continue
        if any(needle == cell or (len(needle) >= 6 and needle in cell) for cell in cells):
            leaks.append(f"{why}: {needle!r}")
    return leaks


def demo_export_holds_no_personal_data_and_matches_its_dictionary() -> None:
    """The check, on the demo already loaded: `tests/demo/test_full_demo.py` runs it after its
    load (loading the whole demo takes minutes; CI loads it once, not once per check)."""
    import csv
    import io

    from ventanilla.insights.opendata import opendata_export

    release = opendata_export()
    needles = _needles()
    assert sum(why == PERSONAL for why in needles.values()) > 100  # the scan has teeth
    assert sum(why == NAME for why in needles.values()) > 50
    assert sum(why == FREE_TEXT for why in needles.values()) > 100
    rows = {item["dataset"]: item["rows"] for item in release.files}
    assert rows["cases"] > 50 and rows["services"] > 20 and rows["service_points"] > 20
    for item in release.files:
        data = default_storage.open(item["path"], "rb").read()
        dataset = BY_KEY[item["dataset"]]
        check = csv_problems if item["format"] == "csv" else json_problems
        assert check(dataset, data)[:5] == []
        if item["format"] != "csv":
            continue
        if dataset.key == "cases":
            table = list(csv.DictReader(io.StringIO(data.decode())))
            closed = [r for r in table if r["state"] == "closed"]
            assert closed and all(r["outcome"] != "open" and r["closed_quarter"] for r in closed)
        cells = {c for row in csv.reader(io.StringIO(data.decode())) for c in row}
        # Services and service points are public: a school may bear a person's name and share
        # words with what people wrote, but never holds anybody's email, phone or ID number.
        kinds = {PERSONAL, NAME, FREE_TEXT} if dataset.key == "cases" else {PERSONAL}
        leaks = _leaks(cells, needles, kinds)
        assert leaks == []
