"""Print the due date of a legal term, for checking by hand.

python manage.py legal_term --filed-at 2026-03-27T10:00-05:00 --days 10
2026-04-14
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from ventanilla.calendars.business import (
    BusinessCalendar,
    add_business_days,
    add_calendar_months,
    calendar_for,
    due_date,
    public_holidays,
    received_on,
)
from ventanilla.organization.models import Entity
from ventanilla.organization.selectors import entity_calendar


class Command(BaseCommand):
    help = "Print the due date of a term of N business days (or calendar months) for a filing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--filed-at",
            required=True,
            help="When it was filed, with its UTC offset: 2026-03-27T10:00-05:00.",
        )
        term = parser.add_mutually_exclusive_group(required=True)
        term.add_argument("--days", type=int, help="A term of N business days.")
        term.add_argument("--months", type=int, help="A term of N calendar months.")
        parser.add_argument("--entity", help="Use this entity's calendar (its code, e.g. SED).")
        parser.add_argument("--country", default="CO", help="Holidays of this country (CO).")
        parser.add_argument("--subdivision", default="", help="And of this subdivision.")
        parser.add_argument("--cutoff", default="17:00", help="Reception cut-off, HH:MM.")
        parser.add_argument("--timezone", default="America/Bogota", help="Time zone.")

    def _calendar(self, options: dict[str, Any]) -> BusinessCalendar:
        if options["entity"]:
            entity = Entity.objects.filter(code=options["entity"].upper()).first()
            if entity is None:
                raise CommandError(f"No entity with code {options['entity']!r}.")
            return entity_calendar(entity)
        try:
            cutoff = time.fromisoformat(options["cutoff"])
        except ValueError as error:
            raise CommandError(f"--cutoff must be HH:MM, not {options['cutoff']!r}.") from error
        calendar = calendar_for(
            options["country"].upper(),
            options["subdivision"],
            frozenset(),
            cutoff,
            options["timezone"],
        )
        try:
            public_holidays(calendar.country, calendar.subdivision, 2026)
            _ = calendar.zone
        except (NotImplementedError, ZoneInfoNotFoundError, ValueError) as error:
            raise CommandError(f"Cannot build that calendar: {error}") from error
        return calendar

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filed_at = datetime.fromisoformat(options["filed_at"])
        except ValueError as error:
            raise CommandError(
                f"--filed-at must look like 2026-03-27T10:00-05:00, not {options['filed_at']!r}."
            ) from error
        if filed_at.tzinfo is None:
            raise CommandError("--filed-at needs its UTC offset, e.g. 2026-03-27T10:00-05:00.")
        calendar = self._calendar(options)
        try:
            reception = received_on(filed_at, calendar)
            if options["days"] is not None:
                if options["days"] < 0:
                    raise CommandError("--days cannot be negative.")
                result = due_date(filed_at, options["days"], calendar)
            else:
                if options["months"] < 0:
                    raise CommandError("--months cannot be negative.")
                result = add_calendar_months(reception, options["months"], calendar)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 2:
            self.stderr.write(f"received on {reception.isoformat()}")
            self.stderr.write(
                f"term starts {add_business_days(reception, 1, calendar).isoformat()}"
            )
        self.stdout.write(result.isoformat())
