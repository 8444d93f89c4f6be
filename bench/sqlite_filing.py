"""The embedded default under load: filings through the API on SQLite (WAL), as a user's machine
serves them (bench/run.py runs it after the PostgreSQL scenarios; it also runs alone).

    .venv/bin/python bench/sqlite_filing.py [--seconds 20] [--connections 16] [--keep]

Serves the deployment the way `make run` (scripts/run) does, except that DEBUG is off: no
DATABASE_URL (so SQLite in VAR_DIR, in WAL with IMMEDIATE transactions), no REDIS_URL (so the
database is the cache), gunicorn with 2 workers and the task worker beside it, their output kept
in files. Prepares the demo and an API client in a fresh VAR_DIR, measures the ceiling (a bare
view doing one indexed SELECT, bench/urls.py) and then `POST /api/v1/cases` with wrk on the same
processes. Prints one JSON line: both measures, the 5xx the server logged, the lines of its
logs (web and worker) that say "database is locked", and whether every entity's filing numbers
are gap-free, read from the SQLite file once the processes have stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
# gunicorn's access log: `… "POST /api/v1/cases HTTP/1.1" 201 …`
STATUS = re.compile(r'" (\d{3}) ')
# The worker's warning for a round kept from SQLite's write lock past its timeout.
BUSY_ROUND = "the database stayed busy"


def environment(var: Path) -> dict[str, str]:
    """scripts/run's environment with DEBUG off: nothing says where the database or the cache
    are, so the embedded defaults apply."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "DJANGO_", "REDIS_", "CACHE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",  # the project's settings plus /bench/ceiling
        PYTHONPATH=f"{ROOT}:{ROOT / 'src'}",
        DEBUG="false",
        VAR_DIR=str(var),
        LOG_FORMAT="text",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        # The demo's closed cases have their answers signed by the worker.
        SIGNING_DEMO_CERTIFICATES="true",
    )
    return env


def prepare(out: Path) -> None:
    """In the SQLite environment: the demo, an API client and the body it files (the same
    service and answers as scenario (a) on PostgreSQL)."""
    import random

    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    from django.core.management import call_command

    from bench.prepare import SEED, answers_for, api_service  # sets Django up
    from ventanilla.api.services import api_client_create

    # A smoke run checks the harness: the demo without its history of cases loads in seconds.
    light = ["--skip-history"] if os.environ.get("BENCH_SMOKE") else []
    call_command("load_demo", "--even-without-debug", *light, verbosity=0)
    service, definition = api_service()
    body = {
        "service": service.slug,
        "answers": answers_for(definition, random.Random(SEED)),
        "applicant": {"name": "Persona de prueba", "email": "bench@example.co"},
        "consent_given": True,
    }
    (out / "api_body.json").write_text(json.dumps(body, ensure_ascii=False))
    (out / "api_token").write_text(api_client_create(name="Bench", channel="api").token)
    (out / "ceiling.txt").write_text("/bench/ceiling\n")


def filing_numbers(database: Path) -> tuple[int, bool]:
    """Cases in the file, and whether each counter's numbers run 1..last without a gap."""
    with sqlite3.connect(database) as db:
        cases = db.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        gap_free = True
        for entity, year, last in db.execute(
            "SELECT entity_id, year, last FROM cases_filingcounter WHERE series = 'in'"
        ).fetchall():
            sequences = [
                row[0]
                for row in db.execute(
                    "SELECT sequence FROM cases_case WHERE filing_entity_id = ? AND year = ?"
                    " ORDER BY sequence",
                    [entity, year],
                )
            ]
            gap_free &= sequences == list(range(1, last + 1))
    return cases, gap_free


def queue_drained(database: Path, seconds: float) -> int:
    """Wait (up to `seconds`) for the worker to finish what the demo left it (signing the demo's
    answers: 1 to 2 s of CPU each), so that the measures are of filings, not of PDFs; returns
    the tasks still waiting."""
    deadline = time.monotonic() + seconds
    while True:
        with sqlite3.connect(database, timeout=20) as db:
            waiting = db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()[0]
        if not waiting or time.monotonic() > deadline:
            return int(waiting)
        time.sleep(1)


def outcome(measures: dict[str, Any], var: Path, logs: list[Path], before: int) -> dict[str, Any]:
    """The run's report, read once the processes have stopped: the measures, the filings, the
    5xx the server logged, the "database is locked" lines and whether numbers are gap-free.
    A worker's round that waited the lock out and was tried again (its warning says so, see
    the worker command) lost nothing and no request: it is counted apart, not as locked."""
    after, gap_free = filing_numbers(var / "db.sqlite3")
    lines = [line for log in logs for line in log.read_text(errors="replace").splitlines()]
    waited = [line for line in lines if BUSY_ROUND in line]
    lines = [line for line in lines if BUSY_ROUND not in line]
    problems = [line for line in lines if re.search("locked|Traceback|ERROR", line, re.I)]
    statuses = [int(s) for s in STATUS.findall(logs[0].read_text(errors="replace"))]
    report: dict[str, Any] = {
        name: {
            "per_second": m.per_second,
            "p50_ms": m.p50_ms,
            "p99_ms": m.p99_ms,
            "errors": m.errors,
        }
        for name, m in measures.items()
    }
    report.update(
        filings=after - before,
        server_errors=sum(s >= 500 for s in statuses),
        locked=sum(bool(re.search("database is locked", line, re.I)) for line in lines),
        worker_rounds_waited=len(waited),
        gap_free=gap_free,
        first_problems=problems[:5],
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the VAR_DIR and say where")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare)
        return

    # bench/run.py's helpers; this folder is on the path
    from run import free_port, gunicorn, stop, wait_for, wrk

    var = Path(tempfile.mkdtemp(prefix="ventanilla-sqlite-"))
    data = var / "run"
    data.mkdir()
    env = environment(var)
    manage = [PYTHON, str(ROOT / "manage.py")]
    processes: list[subprocess.Popen[bytes]] = []
    logs = [var / "web.log", var / "worker.log"]
    try:
        began = time.monotonic()
        for step in (["migrate", "--no-input", "-v", "0"], ["createcachetable", "-v", "0"]):
            subprocess.run([*manage, *step], env=env, check=True)
        smoke = {"BENCH_SMOKE": "1"} if args.seconds < 10 else {}
        subprocess.run([PYTHON, __file__, "--prepare", str(data)], env={**env, **smoke}, check=True)
        subprocess.run([*manage, "collectstatic", "--no-input", "-v", "0"], env=env, check=True)
        print(f"sqlite: prepared in {time.monotonic() - began:.0f} s", file=sys.stderr)
        before, _ = filing_numbers(var / "db.sqlite3")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with logs[0].open("wb") as web_log, logs[1].open("wb") as worker_log:
            processes.append(
                subprocess.Popen(
                    [*manage, "worker", "--no-reload", "--verbosity", "0"],
                    env=env,
                    cwd=ROOT,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                )
            )
            # The command of scripts/run.
            processes.append(
                subprocess.Popen(
                    gunicorn(port, "-", "--graceful-timeout", "5"),
                    env=env,
                    cwd=ROOT,
                    stdout=web_log,
                    stderr=subprocess.STDOUT,
                )
            )
        wait_for(f"{base}/bench/ceiling")
        # A smoke run checks the harness, not the figures: it does not wait for the PDFs.
        waiting = queue_drained(var / "db.sqlite3", 300 if args.seconds >= 10 else 0)
        print(f"sqlite: {waiting} tasks still waiting for the worker", file=sys.stderr)
        token = (data / "api_token").read_text().strip()
        measures = {}
        for name, script, extra in [
            ("ceiling", "paths.lua", [str(data / "ceiling.txt")]),
            ("filing", "post_json.lua", [str(data / "api_body.json"), token, "/api/v1/cases"]),
        ]:
            wrk(base, script, extra, 3, min(args.connections, 4))  # every process warm
            measures[name] = wrk(base, script, extra, args.seconds, args.connections)
        stop(processes)
        report = outcome(measures, var, logs, before)
        print(json.dumps(report))
    finally:
        stop(processes)
        if args.keep:
            print(f"sqlite: kept {var}", file=sys.stderr)
        else:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
