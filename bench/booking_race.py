"""The booking race over HTTP (bench/run.py starts it against the running deployment): one
person per thread, each with its own connection, all released by one barrier, POST
/api/v1/bookings for the same time of 3 seats (bench/prepare.py writes the bodies).

    python bench/booking_race.py BASE_URL DIR

Prints one JSON line: how many got a 201, a 409 (and with which codes), a 5xx or anything else,
and the wall time from the barrier to the last answer.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def main() -> None:
    base, directory = sys.argv[1], Path(sys.argv[2])
    bodies = json.loads((directory / "race.json").read_text())
    token = (directory / "api_token").read_text().strip()
    parts = urlsplit(base)
    statuses: Counter[int] = Counter()
    codes: Counter[str] = Counter()
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(bodies) + 1)

    def attempt(body: dict[str, object]) -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
        payload = json.dumps(body)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        try:
            connection.connect()
            barrier.wait()
            began = time.monotonic()
            connection.request("POST", "/api/v1/bookings", body=payload, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            elapsed = time.monotonic() - began
            code = ""
            if response.status in (409, 422, 429):
                code = json.loads(answer).get("code", "")
            with lock:
                statuses[response.status] += 1
                latencies.append(elapsed * 1000)
                if code:
                    codes[code] += 1
        except Exception as error:  # reported, not hidden
            with lock:
                failures.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    print(
        json.dumps(
            {
                "attempts": len(bodies),
                "created": statuses[201],
                "refused": statuses[409],
                "server_errors": server_errors,
                "other": sum(statuses.values()) - statuses[201] - statuses[409] - server_errors,
                "failures": len(failures),
                "first_failures": failures[:3],
                "statuses": {str(k): v for k, v in sorted(statuses.items())},
                "codes": dict(codes),
                "wall_s": wall,
                "per_second": len(bodies) / wall if wall else 0.0,
                "p50_ms": percentile(latencies, 0.5),
                "p99_ms": percentile(latencies, 0.99),
            }
        )
    )


if __name__ == "__main__":
    main()
