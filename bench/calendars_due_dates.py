"""Benchmark: one million due dates over the Colombian calendar (pure functions, no database).

.venv/bin/python bench/calendars_due_dates.py [--count 1000000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from ventanilla.calendars.business import calendar_for, due_date


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(1755)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    span = int(timedelta(days=3 * 365).total_seconds())
    filings = [
        (start + timedelta(seconds=rng.randrange(span)), rng.randint(1, 30))
        for _ in range(args.count)
    ]
    calendar = calendar_for()
    began = time.perf_counter()
    for filed_at, days in filings:
        due_date(filed_at, days, calendar)
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.count:,} due dates in {elapsed:.2f} s ({args.count / elapsed:,.0f} a second); "
        f"peak memory of the process {peak:.0f} MB (the input list included)"
    )


if __name__ == "__main__":
    main()
