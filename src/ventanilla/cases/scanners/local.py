"""Scanners that need nothing installed: "none" (accept everything, the default when no
scanner is configured) and "eicar" (finds the industry's harmless test file, to try the
refusal without a virus engine)."""

from __future__ import annotations

from collections.abc import Iterable

from ventanilla.cases.scanners import register
from ventanilla.cases.scanners.base import CLEAN, Scanner, Verdict

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class NoScanner(Scanner):
    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        for _chunk in chunks:
            return CLEAN
        return CLEAN


class EicarScanner(Scanner):
    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        tail = b""
        for chunk in chunks:
            window = tail + chunk
            if EICAR in window:
                return Verdict(scanned=True, infected=True, signature="Eicar-Test-Signature")
            tail = window[-len(EICAR) :]
        return CLEAN


register("none")(NoScanner)
register("eicar")(EicarScanner)
