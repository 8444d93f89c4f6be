"""Write today's open-data release now, as the worker does once a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ventanilla.insights.opendata import opendata_export


class Command(BaseCommand):
    help = "Export today's open data (cases without personal data, services, service points)."

    def handle(self, *args: Any, **options: Any) -> None:
        release = opendata_export()
        for item in release.files:
            self.stdout.write(
                f"{item['path']}: {item['rows']} rows, {item['size']} bytes, "
                f"sha256 {item['sha256']}"
            )
