"""What an upload costs the web process's memory, and where an over-limit upload stops.

    .venv/bin/python bench/upload_memory.py [--sizes 1,20] [--over 60]

For each size, a fresh deployment process (production settings, SQLite in a temporary VAR_DIR,
Django behind wsgiref in one process) serves the portal's filing; a signed-in citizen posts a
PDF of that size (a real one: a page and an incompressible stream) to the documents step of the
demo's school-place service, which accepts up to 5 MB for the student's document and 10 MB for
the optional utility bill — so the benchmark raises the utility bill's limit to 20 MB first
(a file may then weigh 20 MB, a whole filing 25 MB).
The figure is the growth of the process's peak resident memory (VmHWM) across that one
request, after a warm-up upload of 1 KB. Then a file over the largest limit (`--over` MB) is
sent: the process reports how many bytes of the body it read before refusing it.

Not part of the test suite: it takes about a minute and wants the machine to itself.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SERVICE = "solicitud-cupo-escolar"
FIELD = "documento_recibo_servicio"  # the optional document, whose limit the setup raises
BOUNDARY = "----ventanilla-bench-boundary"
MB = 1024 * 1024

SETUP = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from pathlib import Path
from tests.catalog.fixtures import organisation_build, reference_service_import
from tests.portal.test_filing import BASE, SECTIONS
from tests import factories
from ventanilla.catalog.models import ServiceVersion
organisation_build()
directory = Path(sys.argv[1])
service = reference_service_import(directory)
version = service.versions.get()
definition = version.definition
for document in definition["documents"]:
    if document["key"] == "recibo_servicio":
        document["max_size_mb"] = 20
ServiceVersion.objects.filter(pk=version.pk).update(definition=definition)
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(factories.user("bench@example.co"))
for key, data in SECTIONS:
    assert client.post(f"{BASE}paso/{key}/", data).status_code == 302
print(json.dumps({"session": client.cookies["sessionid"].value}))
"""

SERVE = r"""
import os, sys, json
import django
django.setup()
from wsgiref.simple_server import WSGIRequestHandler, make_server
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
READ = Path = None
log = open(sys.argv[2], "a")

class Counting:
    def __init__(self, stream):
        self.stream, self.count = stream, 0
    def read(self, *args):
        data = self.stream.read(*args)
        self.count += len(data)
        return data
    def readline(self, *args):
        data = self.stream.readline(*args)
        self.count += len(data)
        return data

def counted(environ, start_response):
    body = Counting(environ["wsgi.input"])
    environ["wsgi.input"] = body
    try:
        return list(application(environ, start_response))
    finally:
        log.write(json.dumps({"path": environ["PATH_INFO"], "read": body.count}) + "\n")
        log.flush()

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

server = make_server("127.0.0.1", int(sys.argv[1]), counted, handler_class=Quiet)
print("ready", flush=True)
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pdf_file(path: Path, size: int) -> None:
    """A PDF of about `size` bytes that any reader opens: one page and an unused stream of
    random (incompressible) bytes."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.Padding = pdf.make_stream(os.urandom(max(0, size - 1000)))
    pdf.save(path, compress_streams=False)


def peak_kb(pid: int) -> tuple[int, int]:
    """(VmHWM, VmRSS) of a process, in kB."""
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
    return int(values["VmHWM"]), int(values["VmRSS"])


def _request(port: int, head: bytes, body_parts: list[bytes | Path]) -> tuple[int, int, bytes]:
    """Send a request whose body is made of bytes and files (streamed from disk); return the
    status (0 when none came back), the bytes sent and the start of the response."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(head)
        try:
            for part in body_parts:
                if isinstance(part, bytes):
                    sock.sendall(part)
                    sent += len(part)
                    continue
                with part.open("rb") as handle:
                    while chunk := handle.read(256 * 1024):
                        sock.sendall(chunk)
                        sent += len(chunk)
        except OSError:
            pass  # the server stopped reading and closed: what an over-limit file should get
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except OSError:
            pass
    match = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    return (int(match.group(1)) if match else 0), sent, reply[:4000]


def post_file(
    port: int, session: str, csrf: tuple[str, str], path: Path, field: str = FIELD
) -> tuple[int, int]:
    cookie, token = csrf
    before = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n"
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{field}"; filename="recibo.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    after = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(before) + path.stat().st_size + len(after)
    head = (
        f"POST /tramites/{SERVICE}/radicar/documentos/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        f"Cookie: sessionid={session}; csrftoken={cookie}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {length}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    status, sent, _reply = _request(port, head, [before, path, after])
    return status, sent


def csrf_for(port: int, session: str) -> tuple[str, str]:
    head = (
        f"GET /tramites/{SERVICE}/radicar/documentos/ HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nCookie: sessionid={session}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    text = reply.decode("utf-8", "replace")
    cookie = re.search(r"csrftoken=([A-Za-z0-9]+)", text)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    if not (cookie and token):
        raise SystemExit(f"no CSRF token on the documents page:\n{text[:2000]}")
    return cookie.group(1), token.group(1)


def deployment(work: Path) -> tuple[dict[str, str], str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ventanilla.config.settings",
        "VAR_DIR": str(work / "var"),
        "DEBUG": "false",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
    }
    catalog = work / "catalog"
    catalog.mkdir()
    done = subprocess.run(
        [PYTHON, "-c", SETUP, str(catalog)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"setting up the deployment failed:\n{done.stderr[-3000:]}")
    session = json.loads(done.stdout.strip().splitlines()[-1])["session"]
    return env, session


def measure(env: dict[str, str], session: str, work: Path, path: Path) -> dict[str, object]:
    """One fresh process: warm up with a tiny upload, then post `path`."""
    port = free_port()
    log = work / f"reads-{port}.jsonl"
    server = subprocess.Popen(
        [PYTHON, "-c", SERVE, str(port), str(log)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()
        tiny = work / "tiny.pdf"
        if not tiny.exists():
            pdf_file(tiny, 1024)
        csrf = csrf_for(port, session)
        # The student's document (mandatory), so that the measured upload completes the step.
        post_file(port, session, csrf, tiny, "documento_documento_estudiante")
        hwm_before, _rss = peak_kb(server.pid)
        started = time.perf_counter()
        status, sent = post_file(port, session, csrf, path)
        seconds = time.perf_counter() - started
        time.sleep(0.2)
        hwm_after, rss_after = peak_kb(server.pid)
        reads = [json.loads(line) for line in log.read_text().splitlines()]
        return {
            "file_mb": round(path.stat().st_size / MB, 1),
            "status": status,
            "peak_growth_mb": round((hwm_after - hwm_before) / 1024, 1),
            "peak_mb": round(hwm_after / 1024, 1),
            "rss_after_mb": round(rss_after / 1024, 1),
            "body_read_mb": round(reads[-1]["read"] / MB, 2),
            "client_sent_mb": round(sent / MB, 2),
            "seconds": round(seconds, 2),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,20", help="file sizes to upload, in MB")
    parser.add_argument("--over", type=int, default=60, help="an over-limit size, in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as directory:
        work = Path(directory)
        env, session = deployment(work)
        rows = []
        for size in [int(s) for s in args.sizes.split(",")]:
            path = work / f"{size}mb.pdf"
            pdf_file(path, size * MB)
            rows.append({"case": f"{size} MB allowed", **measure(env, session, work, path)})
            path.unlink()
        over = work / f"{args.over}mb.pdf"
        with over.open("wb") as handle:  # content does not matter: it must not be read
            handle.write(b"%PDF-1.7\n")
            for _ in range(args.over):
                handle.write(os.urandom(MB))
        rows.append({"case": f"{args.over} MB over the limit", **measure(env, session, work, over)})
    out = io.StringIO()
    columns = list(rows[0])
    out.write(" | ".join(columns) + "\n")
    for row in rows:
        out.write(" | ".join(str(row[c]) for c in columns) + "\n")
    print(out.getvalue())
    print(json.dumps(rows))


if __name__ == "__main__":
    sys.exit(main())
