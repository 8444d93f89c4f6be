"""`manage.py legal_term` prints a due date to check by hand."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ventanilla.organization.models import Entity


def run(*args: str) -> str:
    out = StringIO()
    call_command("legal_term", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def test_the_worked_example_of_the_issue() -> None:
    assert run("--filed-at", "2026-03-27T10:00-05:00", "--days", "10") == "2026-04-14"


def test_after_the_cutoff_and_in_months() -> None:
    assert run("--filed-at", "2026-03-27T17:30-05:00", "--days", "10") == "2026-04-15"
    assert run("--filed-at", "2026-01-31T10:00-05:00", "--months", "1") == "2026-03-02"
    assert run("--filed-at", "2026-03-27T16:30-05:00", "--days", "10", "--cutoff", "16:00") == (
        "2026-04-15"
    )


@pytest.mark.django_db
def test_an_entity_closure_moves_the_date() -> None:
    entity = Entity.objects.create(code="TST", name="Entidad de prueba")
    assert run("--filed-at", "2026-06-25T10:00-05:00", "--days", "3", "--entity", "TST") == (
        "2026-07-01"
    )
    entity.closures.create(date=date(2026, 6, 26), reason="Jornada institucional")
    assert run("--filed-at", "2026-06-25T10:00-05:00", "--days", "3", "--entity", "tst") == (
        "2026-07-02"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filed-at", "2026-03-27T10:00", "--days", "10"], "UTC offset"),
        (["--filed-at", "27/03/2026", "--days", "10"], "must look like"),
        (["--filed-at", "2026-03-27T10:00-05:00", "--days", "-3"], "cannot be negative"),
        (["--filed-at", "2026-03-27T10:00-05:00", "--days", "3", "--entity", "NOPE"], "No entity"),
        (["--filed-at", "2026-03-27T10:00-05:00", "--days", "3", "--cutoff", "5pm"], "HH:MM"),
        (["--filed-at", "2026-03-27T10:00-05:00", "--days", "3", "--country", "XX"], "calendar"),
    ],
)
def test_bad_input_is_explained(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
