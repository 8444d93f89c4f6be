"""`catalog export DIR`, `catalog import DIR` and `catalog check DIR`."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ventanilla.catalog.interchange import ImportError_, catalog_export, catalog_import


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Move the service catalogue between deployments as YAML files (one per service)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["export", "import", "check"])
        parser.add_argument("directory", type=Path)

    def handle(self, *args: Any, action: str, directory: Path, **options: Any) -> None:
        if action == "export":
            written = catalog_export(directory)
            self.stdout.write(f"Exported {len(written) - 1} services to {directory}")
            return
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        try:
            with transaction.atomic():
                services = catalog_import(directory)
                if action == "check":
                    raise _DryRun
        except ImportError_ as error:
            raise CommandError(
                "Nothing was imported. Problems:\n- " + "\n- ".join(error.problems)
            ) from error
        except _DryRun:
            self.stdout.write(f"{len(services)} services would import cleanly; nothing written")
            return
        self.stdout.write(f"Imported {len(services)} services from {directory}")
