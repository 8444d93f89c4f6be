"""Virus scanners for uploaded files, as plugins: `base.Scanner` says what one does, each
provider is a module registered here by name, and the setting `VIRUS_SCANNER` picks one
("none" when nothing is configured; "clamav" when `CLAMAV_URL` is set; "eicar", a local
scanner that finds only the EICAR test file, for development and tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings

from ventanilla.cases.scanners.base import Scanner, Verdict

_PROVIDERS: dict[str, Callable[[], Scanner]] = {}


def register(name: str) -> Callable[[Callable[[], Scanner]], Callable[[], Scanner]]:
    """Register a scanner factory under `name` (the value of `VIRUS_SCANNER`)."""

    def decorator(factory: Callable[[], Scanner]) -> Callable[[], Scanner]:
        _PROVIDERS[name] = factory
        return factory

    return decorator


def scanner() -> Scanner:
    """The configured scanner."""
    from ventanilla.cases.scanners import clamav, local  # noqa: F401 - registration

    name = settings.VIRUS_SCANNER
    if name not in _PROVIDERS:
        raise LookupError(f"No virus scanner called {name!r}; known: {sorted(_PROVIDERS)}")
    return _PROVIDERS[name]()


def scan(chunks: Iterable[bytes]) -> Verdict:
    """Read the file's chunks through the configured scanner."""
    return scanner().scan(chunks)


__all__ = ["Scanner", "Verdict", "register", "scan", "scanner"]
