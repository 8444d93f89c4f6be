"""Rebuild the dashboards' and the public pages' figures now, without waiting for the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ventanilla.insights.refresh import figures_refresh


class Command(BaseCommand):
    help = "Rebuild the materialised figures of the dashboards and the deadline page."

    def handle(self, *args: Any, **options: Any) -> None:
        done = figures_refresh()
        self.stdout.write(f"{done.cases} cases in {done.seconds:.2f} s")
