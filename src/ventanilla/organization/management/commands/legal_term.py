"""Print the due date of a legal term, to check a case's date by hand.

    python manage.py legal_term --filed-at 2026-03-27T10:00-05:00 --days 10
    2026-04-14

Only the date goes to stdout; with `-v 2` (or `--verbose`) the reception day and the term's
first day go to stderr.
"""

from __future__ import annotations

import re
from argparse import ArgumentParser
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    add_calendar_months,
    calendar_for,
    due_date,
    received_on,
)
from ventanilla.organization.models import Entity
from ventanilla.organization.selectors import entity_calendar

EXAMPLE = "2026-03-27T10:00-05:00"
CUTOFF_PATTERN = re.compile(r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)")
# What --entity already decides, with the default used without it.
CALENDAR_OPTIONS = {
    "country": "CO",
    "subdivision": "",
    "cutoff": "17:00",
    "timezone": "America/Bogota",
}


class Command(BaseCommand):
    help = (
        "Print the due date of a term of N business days (or N calendar months) for a filing "
        "made at a given time, over an entity's calendar or a country's."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--filed-at",
            required=True,
            metavar="DATETIME",
            help=f"When it was filed, ISO 8601 with its UTC offset: {EXAMPLE}.",
        )
        term = parser.add_mutually_exclusive_group(required=True)
        term.add_argument(
            "--days", type=int, metavar="N", help="A term of N business days (Ley 1755, art. 14)."
        )
        term.add_argument(
            "--months",
            type=int,
            metavar="N",
            help="A term of N calendar months from the reception day (Ley 4 de 1913, art. 62).",
        )
        parser.add_argument(
            "--entity", metavar="CODE", help="Use this entity's calendar, closures and cut-off."
        )
        parser.add_argument("--country", help="Holidays of this country (default CO).")
        parser.add_argument("--subdivision", help="And of this subdivision (default none).")
        parser.add_argument(
            "--cutoff", metavar="HH:MM", help="Reception cut-off, exclusive (default 17:00)."
        )
        parser.add_argument("--timezone", help="The entity's time zone (default America/Bogota).")
        parser.add_argument(
            "--verbose", action="store_true", help="Same as -v 2: explain the count on stderr."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        filed_at = _parse_filed_at(options["filed_at"])
        calendar = self._calendar(options)
        if options["days"] is not None:
            unit, amount = "days", int(options["days"])
        elif options["months"] is not None:
            unit, amount = "months", int(options["months"])
        else:
            raise CommandError("Give the term with --days N or --months N.")
        if amount < 0:
            raise CommandError(f"--{unit} cannot be negative.")
        try:
            reception = received_on(filed_at, calendar)
            if unit == "days":
                result = due_date(filed_at, amount, calendar)
                start = add_business_days(reception, 1, calendar)
            else:
                result = add_calendar_months(reception, amount, calendar)
                start = reception
        except ValueError as error:  # a year outside the supported range
            raise CommandError(str(error)) from error
        except NotImplementedError as error:  # `holidays` knows no such country or subdivision
            raise CommandError(f"No holiday calendar for that place: {error}.") from error
        if options["verbose"] or options["verbosity"] >= 2:
            self._explain(filed_at, calendar, reception, start, in_months=unit == "months")
        self.stdout.write(result.isoformat())

    def _calendar(self, options: dict[str, Any]) -> BusinessCalendar:
        if options["entity"]:
            given = [f"--{name}" for name in CALENDAR_OPTIONS if options[name] is not None]
            if given:
                raise CommandError(f"--entity already sets the calendar; drop {', '.join(given)}.")
            code = options["entity"].strip().upper()
            try:
                entity = Entity.objects.get(code=code)
            except Entity.DoesNotExist as error:
                raise CommandError(f"No entity with code {code!r}.") from error
            return entity_calendar(entity)
        values = {
            name: default if options[name] is None else options[name]
            for name, default in CALENDAR_OPTIONS.items()
        }
        return calendar_for(
            values["country"].strip().upper(),
            values["subdivision"].strip(),
            frozenset(),
            _parse_cutoff(values["cutoff"]),
            _check_timezone(values["timezone"]),
        )

    def _explain(
        self,
        filed_at: datetime,
        calendar: BusinessCalendar,
        reception: date,
        start: date,
        *,
        in_months: bool,
    ) -> None:
        local = filed_at.astimezone(calendar.zone)
        self.stderr.write(
            f"filed {local:%Y-%m-%d %H:%M} {calendar.timezone} "
            f"(cut-off {calendar.cutoff:%H:%M}, holidays {calendar.country})"
        )
        self.stderr.write(f"received on {reception.isoformat()}")
        if in_months:
            self.stderr.write(f"months counted from {start.isoformat()}")
        else:
            self.stderr.write(f"term starts {start.isoformat()}")


def _parse_filed_at(value: str) -> datetime:
    try:
        filed_at = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise CommandError(
            f"--filed-at {value!r} is not a date and time; write it like {EXAMPLE}."
        ) from error
    if filed_at.tzinfo is None:
        raise CommandError(
            f"--filed-at {value!r} has no UTC offset, so the hour is ambiguous; "
            f"write it like {EXAMPLE}."
        )
    return filed_at


def _parse_cutoff(value: str) -> time:
    match = CUTOFF_PATTERN.fullmatch(value.strip())
    if match is None:
        raise CommandError(f"--cutoff {value!r} must be HH:MM on a 24-hour clock, e.g. 17:00.")
    return time(int(match["hour"]), int(match["minute"]))


def _check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CommandError(
            f"--timezone {name!r} is not a known time zone; e.g. America/Bogota."
        ) from error
    return name
