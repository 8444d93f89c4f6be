"""Load generator for the portal's form flow (bench/run.py starts it in its own process): signed-in
citizens, one per connection, each filing the API service again and again through every page —
start, each section, review and submit — as a browser without JavaScript does.

    python bench/portal_flow.py BASE_URL DIR SECONDS CONNECTIONS

Prints one JSON line: filings completed, per second, latency percentiles of a whole filing, and
answers that were not what a browser expects (a 5xx, a form shown again with errors).
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


class Browser:
    def __init__(self, base: str, session: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        self.cookies = {"sessionid": session}

    def _send(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def get(self, path: str) -> tuple[int, str, str]:
        return self._send("GET", path)

    def post(self, path: str, data: dict[str, object]) -> tuple[int, str, str]:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._send("POST", path, urlencode(data, doseq=True))


def one_filing(browser: Browser, plan: dict[str, object]) -> str | None:
    """File once; None when it went as a browser expects, else what went wrong."""
    base = str(plan["base"])
    status, location, _page = browser.get(base)
    for section in plan["sections"]:  # type: ignore[attr-defined]
        status, location, page = browser.post(f"{base}paso/{section['key']}/", section["data"])
        if status != 302:
            return f"section {section['key']}: {status}"
    status, _location, page = browser.get(f"{base}revisar/")
    found = KEY.search(page)
    if status != 200 or not found:
        return f"review: {status}"
    status, location, _page = browser.post(
        f"{base}revisar/", {"idempotency_key": found.group(1), "consent": "on"}
    )
    if status != 302 or "/radicado/" not in location:
        return f"submit: {status} {location}"
    return None


def main() -> None:
    base_url, folder, seconds, connections = sys.argv[1], Path(sys.argv[2]), *sys.argv[3:5]
    plan = json.loads((folder / "portal_plan.json").read_text())
    sessions = (folder / "citizen_sessions.txt").read_text().split()
    deadline = time.monotonic() + float(seconds)
    lock = threading.Lock()
    timings: list[float] = []
    problems: list[str] = []

    def work(session: str) -> None:
        first_page = f"{plan['base']}paso/{plan['sections'][0]['key']}/"
        browser = Browser(base_url, session)
        browser.get(first_page)  # the csrf cookie
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                problem = one_filing(browser, plan)
            except (OSError, http.client.HTTPException) as error:
                problem = f"{type(error).__name__}: {error}"
                browser = Browser(base_url, session)
                browser.get(first_page)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                (problems.append(problem) if problem else timings.append(elapsed))

    threads = [
        threading.Thread(target=work, args=(sessions[i % len(sessions)],))
        for i in range(int(connections))
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    print(
        json.dumps(
            {
                "filings": len(timings),
                "per_second": len(timings) / wall,
                "p50_ms": percentile(timings, 0.5),
                "p99_ms": percentile(timings, 0.99),
                "problems": len(problems),
                "first_problems": problems[:3],
            }
        )
    )


if __name__ == "__main__":
    main()
