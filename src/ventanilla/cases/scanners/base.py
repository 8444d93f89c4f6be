"""What a virus scanner does: read a file's chunks and say clean, infected or "could not scan"."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """`scanned` is False when the scanner could not be asked (down, timed out, refused the
    file); the caller then refuses the file: with scanning configured, nothing goes unscanned."""

    scanned: bool
    infected: bool = False
    signature: str = ""
    detail: str = ""


CLEAN = Verdict(scanned=True)


class Scanner(ABC):
    @abstractmethod
    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        """Read the whole file from `chunks` and judge it."""
