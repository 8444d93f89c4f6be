"""`manage.py load_demo`: the demo deployment, loaded or brought up to date."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ventanilla.demo.load import demo_load
from ventanilla.organization.models import Entity


class Command(BaseCommand):
    help = (
        "Load the demo deployment: Bogotá's localities, the Secretariat of Education with its "
        "schools and service points, the Secretaría General, and demo officials and citizen. "
        "Safe to run again: it only writes what is missing or differs."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--skip-catalog",
            action="store_true",
            help="Load the organisations and people only (no services, no cases).",
        )
        parser.add_argument(
            "--skip-history", action="store_true", help="Do not generate the history of cases."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has an entity (what `make run` uses).",
        )
        parser.add_argument(
            "--even-without-debug",
            action="store_true",
            help=(
                "Load it although DEBUG is off. The demo brings officials with a published "
                "password and TOTP secret: never on a deployment people use."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["even_without_debug"]:
            raise CommandError(
                "DEBUG is off, so this looks like a real deployment: the demo's officials have "
                "a published password and TOTP secret and must never exist there. Set "
                "DEBUG=true for a demo, or pass --even-without-debug if you are sure."
            )
        if options["if_empty"] and Entity.objects.exists():
            return
        if options["verbosity"]:
            self.stdout.write("Loading the demo deployment…")
        started = time.monotonic()
        tallies = demo_load(
            catalog=not options["skip_catalog"], history=not options["skip_history"]
        )
        if options["verbosity"] == 0:
            return
        for name, tally in tallies.items():
            self.stdout.write(
                f"  {name:<22} {tally.created:>5} created {tally.updated:>5} updated "
                f"{tally.unchanged:>5} unchanged"
            )
        written = sum(tally.created + tally.updated for tally in tallies.values())
        verdict = f"{written} rows written" if written else "already up to date"
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded ({verdict}) in {time.monotonic() - started:.1f} s")
        )
