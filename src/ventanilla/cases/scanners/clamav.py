"""ClamAV's daemon (clamd), asked over TCP or a Unix socket with its INSTREAM command: the file
goes in chunks, each after its length as 4 big-endian bytes, then a zero length; clamd answers
"stream: OK" or "stream: <signature> FOUND" (NUL-terminated with the "z" prefix)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings

from ventanilla.cases.scanners import register
from ventanilla.cases.scanners.base import CLEAN, Scanner, Verdict

CHUNK = 64 * 1024  # below clamd's StreamMaxLength chunking; the total is its own limit


class ClamdScanner(Scanner):
    def __init__(self, url: str, timeout: float) -> None:
        self.url = urlsplit(url)
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        if self.url.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(self.url.path)
            return sock
        if self.url.scheme == "tcp" and self.url.hostname and self.url.port:
            return socket.create_connection(
                (self.url.hostname, self.url.port), timeout=self.timeout
            )
        raise ValueError(f"CLAMAV_URL must be tcp://host:port or unix:///path, not {self.url}")

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK):
                        part = chunk[start : start + CHUNK]
                        sock.sendall(struct.pack(">I", len(part)) + part)
                sock.sendall(struct.pack(">I", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    data = sock.recv(4096)
                    if not data:
                        break
                    reply += data
        except OSError as error:
            return Verdict(scanned=False, detail=f"clamd unreachable: {error}")
        text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        if text.endswith("OK"):
            return CLEAN
        if text.endswith("FOUND"):
            signature = text.removeprefix("stream:").removesuffix("FOUND").strip()
            return Verdict(scanned=True, infected=True, signature=signature)
        return Verdict(scanned=False, detail=f"clamd answered {text!r}")


@register("clamav")
def _clamd() -> Scanner:
    return ClamdScanner(settings.CLAMAV_URL, settings.CLAMAV_TIMEOUT)
