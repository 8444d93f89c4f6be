"""The filing race on one entity's counter: CONNECTIONS threads, each with its own database
connection, file through `case_file` for SECONDS (bench/run.py starts it in the benchmark's
environment). Prints one JSON line: filings, per second, and whether the numbers stayed gap-free.

    python bench/filing_race.py SECONDS CONNECTIONS
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.db import connection

from bench.prepare import answers_for, api_service
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.cases.filing import Contact, case_file
from ventanilla.cases.models import Case, FilerKind, FilingCounter
from ventanilla.catalog.models import VersionStatus


def main() -> None:
    seconds, connections = float(sys.argv[1]), int(sys.argv[2])
    service, definition = api_service()
    version = service.versions.get(status=VersionStatus.PUBLISHED)
    consent = consent_text_current()
    deadline = time.monotonic() + seconds
    counts = [0] * connections
    failures: list[str] = []

    def work(index: int) -> None:
        rng = random.Random(index)
        try:
            while time.monotonic() < deadline:
                case_file(
                    service_version=version,
                    answers=answers_for(definition, rng),
                    filer_kind=FilerKind.GUEST,
                    contact=Contact(name="Persona", email="race@example.co"),
                    consent_text=consent,
                )
                counts[index] += 1
        except Exception as error:  # reported, not hidden
            failures.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    entity = service.entity_id
    gap_free = True
    for counter in FilingCounter.objects.filter(entity_id=entity, series="in"):
        sequences = sorted(
            Case.objects.filter(filing_entity_id=entity, year=counter.year)
            .exclude(filing_number__startswith=f"{service.entity.code}-BENCH-")
            .values_list("sequence", flat=True)
        )
        gap_free &= sequences == list(range(1, counter.last + 1))
    print(
        json.dumps(
            {
                "filings": sum(counts),
                "per_second": sum(counts) / wall,
                "gap_free": gap_free,
                "failures": len(failures),
                "first_failures": failures[:3],
            }
        )
    )


if __name__ == "__main__":
    main()
