"""Check every case's hash-chained route and name the first broken event."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ventanilla.cases.models import Case
from ventanilla.cases.timeline import verify_chain


class Command(BaseCommand):
    help = "Verify the tamper-evident route of every case (or one, with --case NUMBER)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--case", help="Filing number of one case to check.")

    def handle(self, *args: Any, case: str | None = None, **options: Any) -> None:
        cases = Case.objects.order_by("pk")
        if case:
            cases = cases.filter(filing_number=case)
            if not cases.exists():
                raise CommandError(f"No case with filing number {case}")
        broken = 0
        checked = 0
        for item in cases.iterator(chunk_size=500):
            checked += 1
            found = verify_chain(item, item.timeline.order_by("sequence"))
            if found is not None:
                broken += 1
                self.stderr.write(f"{found.case}: event {found.sequence} is broken: {found.reason}")
        if broken:
            raise CommandError(f"{broken} of {checked} cases have a broken route")
        self.stdout.write(f"{checked} cases checked; every route is intact")
