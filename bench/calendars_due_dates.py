"""Benchmark: one million due dates over the Colombian calendar (pure functions, no database).

    .venv/bin/python bench/calendars_due_dates.py [--count 1000000] [--seed 1755]

Random filing times in 2025-2027, given with assorted UTC offsets as citizens' devices send
them, and random terms of 1 to 30 business days (Ley 1755 de 2015, art. 14). It reports, apart,
the one-off cost of a fresh calendar (the `holidays` package loading its rules and the years'
business days being computed) and the due dates themselves: wall time, rate, and the peak
resident memory of the process with what each step added to it. The inputs are built first,
untimed.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from ventanilla.calendars.business import calendar_for, due_date

OFFSETS = [timezone(timedelta(hours=hours)) for hours in (-5, -5, -5, -4, 0, 1, 2)]
FIRST = datetime(2025, 1, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2028, 1, 1, tzinfo=UTC) - FIRST).total_seconds())


def peak_rss_mb() -> float:
    # ru_maxrss is in kibibytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1755)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    built = time.perf_counter()
    filings = [
        (
            (FIRST + timedelta(seconds=rng.randrange(SPAN_SECONDS))).astimezone(
                rng.choice(OFFSETS)
            ),
            rng.randint(1, 30),
        )
        for _ in range(args.count)
    ]
    built = time.perf_counter() - built
    before = peak_rss_mb()

    # A fresh calendar: every year a due date can reach is computed once, here.
    began = time.perf_counter()
    calendar = calendar_for()
    for year in range(FIRST.year, FIRST.year + 4):
        calendar.business_ordinals(year)
    warm_up = time.perf_counter() - began
    warmed = peak_rss_mb()

    latest = date.min
    began = time.perf_counter()
    for filed_at, days in filings:
        due = due_date(filed_at, days, calendar)
        latest = max(latest, due)
    elapsed = time.perf_counter() - began
    after = peak_rss_mb()

    # The worked example, so that a fast but wrong calendar does not pass unnoticed.
    example = due_date(datetime.fromisoformat("2026-03-27T10:00-05:00"), 10, calendar)
    assert example == date(2026, 4, 14), example

    print(f"python {platform.python_version()} on {platform.machine()}, one core")
    print(f"inputs: {args.count:,} filings built in {built:.2f} s (not timed below)")
    print(
        f"fresh calendar, 2025-2028: {warm_up * 1000:.0f} ms, "
        f"peak memory +{warmed - before:.1f} MB (once per process)"
    )
    print(
        f"due dates: {args.count:,} in {elapsed:.2f} s ({args.count / elapsed:,.0f} a second), "
        f"peak memory +{after - warmed:.1f} MB; the latest is {latest.isoformat()}"
    )
    print(f"peak resident memory of the process: {after:.0f} MB, most of it the inputs")


if __name__ == "__main__":
    main()
