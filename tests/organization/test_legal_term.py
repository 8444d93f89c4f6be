"""`manage.py legal_term` prints a due date to check a case by hand."""

from __future__ import annotations

from datetime import date, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ventanilla.organization.models import Entity, EntityClosure

EXAMPLE = ["--filed-at", "2026-03-27T10:00-05:00", "--days", "10"]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("legal_term", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_worked_example_prints_only_the_due_date() -> None:
    # R Fri 27 Mar 2026; 30, 31 Mar, 1 Apr, Holy Week off, 6-10, 13, 14 Apr (Ley 1755, art. 14).
    assert run(*EXAMPLE) == ("2026-04-14\n", "")


def test_verbosity_2_explains_the_count_on_stderr_only() -> None:
    for flag in (["-v", "2"], ["--verbose"]):
        out, err = run(*EXAMPLE, *flag)
        assert out == "2026-04-14\n"
        assert "received on 2026-03-27" in err
        assert "term starts 2026-03-30" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["--filed-at", "2026-03-27T16:59-05:00", "--days", "10"],
            "2026-04-14",
            id="one-minute-before-cutoff",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T17:00-05:00", "--days", "10"],
            "2026-04-15",
            id="at-cutoff-received-monday",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T22:00Z", "--days", "10"], "2026-04-15", id="utc-offset"
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T16:30-05:00", "--days", "10", "--cutoff", "16:00"],
            "2026-04-15",
            id="earlier-cutoff",
        ),
        pytest.param(
            [
                "--filed-at",
                "2026-03-27T08:30-05:00",
                "--days",
                "10",
                "--timezone",
                "Europe/Madrid",
                "--cutoff",
                "14:00",
            ],
            "2026-04-15",
            id="madrid-clock-after-its-cutoff",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T10:00-05:00", "--days", "10", "--country", "co"],
            "2026-04-14",
            id="country-code-in-lower-case",
        ),
        # One month from Saturday 31 January 2026 is Saturday 28 February: Monday 2 March.
        pytest.param(
            ["--filed-at", "2026-01-30T17:30-05:00", "--months", "1"],
            "2026-03-02",
            id="month-from-reception-to-next-business-day",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T10:00-05:00", "--months", "1"],
            "2026-04-27",
            id="month-on-a-business-day",
        ),
        pytest.param(
            ["--filed-at", "2026-03-28T10:00-05:00", "--days", "0"],
            "2026-03-30",
            id="zero-days-is-the-reception-day",
        ),
    ],
)
def test_the_options_change_the_calendar(args: list[str], expected: str) -> None:
    assert run(*args) == (expected + "\n", "")


@pytest.mark.django_db
def test_an_entity_closure_moves_the_due_date() -> None:
    entity = Entity.objects.create(code="TST", name="Test")
    args = ["--filed-at", "2026-06-25T10:00-05:00", "--days", "3", "--entity", "TST"]
    # R Thu 25 Jun 2026; Fri 26 (1), Mon 29 San Pedro off, 30 (2), 1 Jul (3).
    assert run(*args) == ("2026-07-01\n", "")
    EntityClosure.objects.create(entity=entity, date=date(2026, 6, 26), reason="Inventario")
    # Fri 26 closed: 30 Jun (1), 1 Jul (2), 2 Jul (3).
    assert run(*args) == ("2026-07-02\n", "")


@pytest.mark.django_db
def test_an_entity_cutoff_decides_the_reception() -> None:
    Entity.objects.create(code="TST", name="Test", reception_cutoff=time(12, 0))
    out, err = run(
        "--filed-at", "2026-03-27T12:00-05:00", "--days", "10", "--entity", "tst", "-v", "2"
    )
    assert out == "2026-04-15\n"
    assert "received on 2026-03-30" in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--filed-at", "2026-03-27T10:00", "--days", "10"], "no UTC offset", id="naive"
        ),
        pytest.param(
            ["--filed-at", "27/03/2026 10:00", "--days", "10"],
            "is not a date and time",
            id="unparsable",
        ),
        pytest.param(
            ["--filed-at", "2026-02-30T10:00-05:00", "--days", "10"],
            "is not a date and time",
            id="no-such-day",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T10:00-05:00", "--days", "-3"],
            "--days cannot be negative",
            id="negative-days",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T10:00-05:00", "--months", "-1"],
            "--months cannot be negative",
            id="negative-months",
        ),
        pytest.param(
            ["--filed-at", "2026-03-27T10:00-05:00", "--days", "ten"],
            "invalid int value",
            id="days-not-a-number",
        ),
        pytest.param(["--filed-at", "2026-03-27T10:00-05:00"], "--days", id="no-term"),
        pytest.param(
            ["--filed-at", "2026-03-27T10:00-05:00", "--days", "3", "--months", "1"],
            "not allowed with",
            id="days-and-months",
        ),
        pytest.param([*EXAMPLE, "--entity", "NOPE"], "No entity with code 'NOPE'", id="entity"),
        pytest.param(
            [*EXAMPLE, "--entity", "NOPE", "--cutoff", "16:00"],
            "--entity already sets the calendar; drop --cutoff",
            id="entity-and-cutoff",
        ),
        pytest.param([*EXAMPLE, "--cutoff", "5pm"], "HH:MM", id="cutoff-5pm"),
        pytest.param([*EXAMPLE, "--cutoff", "24:00"], "HH:MM", id="cutoff-24h"),
        pytest.param([*EXAMPLE, "--timezone", "Mars/Olympus"], "not a known time zone", id="tz"),
        pytest.param([*EXAMPLE, "--country", "XX"], "No holiday calendar", id="country"),
        pytest.param([*EXAMPLE, "--subdivision", "ZZZ"], "No holiday calendar", id="subdivision"),
        pytest.param(
            ["--filed-at", "1800-01-02T10:00-05:00", "--days", "1"],
            "outside the supported range",
            id="year-1800",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
