"""A web process killed (SIGKILL: no `except` or `finally` runs) in the middle of filings with
uploads loses nothing, half-writes nothing and, once swept, leaves nothing on disk.

A real gunicorn serves a deployment of its own (a fresh SQLite database and media folder);
clients file through the API with an idempotency key and retry after each crash, as an
integrator would. The worker is killed at random moments; its master starts a new one.
"""

from __future__ import annotations

import base64
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib import error, request

import pytest
from django.conf import settings

from tests import factories
from tests.catalog.test_formkit import GOOD

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs /proc and signals")

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
FILINGS = 6
DOCUMENT = factories.pdf_bytes("grande", size=600_000)  # big enough that storing it takes a while

SETUP = """
from pathlib import Path
import tempfile
from tests.catalog.fixtures import organisation_build, reference_service_import
from ventanilla.api.services import api_client_create
organisation_build()
reference_service_import(Path(tempfile.mkdtemp()))
print(api_client_create(name="Línea 195", channel="phone").token)
"""

SWEEP = """
from datetime import timedelta
from ventanilla.cases.documents import files_sweep
print(files_sweep(grace=timedelta(0)))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _environment(var: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "DJANGO_", "REDIS_"))
    }
    environment.update(
        VAR_DIR=str(var),
        SECRET_KEY="crash-test-key-" + "x" * 40,
        DEBUG="false",
        LOG_LEVEL="ERROR",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
    )
    return environment


def _manage(environment: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout.strip()


def _workers(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().split(") ")[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == master:
                found.append(int(entry.name))
    return found


def _file(port: int, token: str, key: str) -> tuple[int, dict[str, Any]]:
    body = {
        "service": "solicitud-cupo-escolar",
        "answers": GOOD,
        "applicant": {"name": "Pedro Gómez", "email": "pedro@example.co", "phone": "3101234567"},
        "consent_given": True,
        "idempotency_key": key,
        "documents": [
            {
                "key": "documento_estudiante",
                "name": "ti.pdf",
                "content_type": "application/pdf",
                "content_base64": base64.b64encode(DOCUMENT).decode(),
            }
        ],
    }
    call = request.Request(
        f"http://127.0.0.1:{port}/api/v1/cases",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with request.urlopen(call, timeout=30) as answer:  # noqa: S310 - our own test server
            return answer.status, json.loads(answer.read())
    except error.HTTPError as refused:
        return refused.code, json.loads(refused.read() or b"{}")
    except (error.URLError, ConnectionError, TimeoutError):
        return 0, {}  # the process died under the request


def _wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return
        except error.HTTPError:
            return  # it answers, if only to say the worker is not running
        except (error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError("the web server did not start")


def test_a_killed_web_process_loses_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    environment = _environment(tmp_path)
    _manage(environment, "migrate", "--no-input", "-v", "0")
    _manage(environment, "createcachetable", "-v", "0")
    token = _manage(environment, "shell", "-c", SETUP).splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "ventanilla.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rng = random.Random(1729)  # reproducible moments
    crashes = 0
    try:
        _wait_until_serving(port)
        started = time.monotonic()
        assert _file(port, token, "warm-up")[0] == 201
        typical = time.monotonic() - started
        outcomes: dict[str, tuple[int, dict[str, Any]]] = {}
        for n in range(FILINGS):
            key = f"llamada-{n}"
            result: list[tuple[int, dict[str, Any]]] = []

            def attempt(key: str = key, result: list[Any] = result) -> None:
                result.append(_file(port, token, key))

            call = threading.Thread(target=attempt)
            call.start()
            time.sleep(rng.uniform(0, typical * 1.2))
            for worker in _workers(server.pid):
                os.kill(worker, signal.SIGKILL)
                crashes += 1
            call.join(timeout=60)
            _wait_until_serving(port)
            # The integrator retries what got no answer, with the same key.
            status, answer = result[0]
            if status != 201:
                status, answer = _file(port, token, key)
            outcomes[key] = (status, answer)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert crashes >= FILINGS

    # Nothing lost: every key has its case, once, and the same number when asked again.
    assert all(status == 201 for status, _answer in outcomes.values()), outcomes
    database = sqlite3.connect(tmp_path / "db.sqlite3")
    cases = dict(database.execute("SELECT idempotency_key, filing_number FROM cases_case"))
    assert len(cases) == FILINGS + 1
    numbers = sorted(answer["filing_number"] for _status, answer in outcomes.values())
    assert len(set(numbers)) == FILINGS and set(numbers) <= set(cases.values())
    # Nothing half-written: numbers are gap-free, each case has its document on disk, its
    # first route step and its receipt queued.
    counter = "SELECT last FROM cases_filingcounter WHERE series = 'in'"
    (last,) = database.execute(counter).fetchone()
    sequences = sorted(s for (s,) in database.execute("SELECT sequence FROM cases_case"))
    assert sequences == list(range(1, last + 1)) and last == FILINGS + 1
    documents = [p for (p,) in database.execute("SELECT file FROM cases_casedocument")]
    assert len(documents) == FILINGS + 1
    assert all((tmp_path / "media" / path).read_bytes() == DOCUMENT for path in documents)
    (events,) = database.execute("SELECT count(*) FROM cases_timelineevent").fetchone()
    assert events == FILINGS + 1
    # Nothing left: once swept, the only files are the cases' documents.
    database.close()
    _manage(environment, "shell", "-c", SWEEP)
    on_disk = {
        str(p.relative_to(tmp_path / "media"))
        for p in (tmp_path / "media").rglob("*")
        if p.is_file()
    }
    assert on_disk == set(documents)
