"""Write a case's whole electronic file (documents, index.json, indice.pdf, sha256sums.txt) as
one ZIP for an archivist: `manage.py export_case SED-2026-000123 --out /archivo`."""

from __future__ import annotations

import os
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ventanilla.documents.expediente import case_for_export, expediente_index, expediente_zip


class Command(BaseCommand):
    help = (
        "Write the electronic file of the case NUMBER, with every document, as "
        "expediente-NUMBER.zip in the folder --out."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("number", help="Filing number, e.g. SED-2026-000123.")
        parser.add_argument("--out", required=True, help="Folder to write the ZIP to.")
        parser.add_argument(
            "--language", default="es", choices=["es", "en"], help="Language of the index."
        )
        parser.add_argument("--force", action="store_true", help="Replace an existing ZIP.")

    def handle(self, *args: Any, **options: Any) -> None:
        number = options["number"]
        out = Path(options["out"])
        case = case_for_export(number)
        if case is None:
            raise CommandError(f"No case with filing number {number!r}.")
        if not out.is_dir():
            raise CommandError(f"{out} is not a folder (create it first).")
        target = out / f"expediente-{case.filing_number}.zip"
        if target.exists() and not options["force"]:
            raise CommandError(f"{target} exists; pass --force to replace it.")
        with translation.override(options["language"]):
            index = expediente_index(case, citizen=False)
            # Written beside the target and renamed: a reader never sees half a ZIP.
            handle, partial = tempfile.mkstemp(dir=out, prefix=".expediente-", suffix=".zip")
            try:
                with os.fdopen(handle, "wb") as stream:
                    expediente_zip(index, stream)
                Path(partial).replace(target)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
        self.stdout.write(
            f"{target}: {len(index.entries)} documents, "
            f"{sum(e.size for e in index.entries)} bytes of documents"
        )
