"""Who else keeps a stored file: apps that share the files of cases (the citizen's folder)
register a keeper here, so the sweep of unfinished uploads never deletes a file they refer to,
without the case engine importing them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

# A keeper gets candidate paths and answers the ones it refers to.
Keeper = Callable[[list[str]], Iterable[str]]

_KEEPERS: list[Keeper] = []


def file_keeper_register(keeper: Keeper) -> Keeper:
    """Register `keeper` (from the app's `ready()`); registering twice is harmless."""
    if keeper not in _KEEPERS:
        _KEEPERS.append(keeper)
    return keeper


def file_keeper_unregister(keeper: Keeper) -> None:
    _KEEPERS[:] = [k for k in _KEEPERS if k is not keeper]


def files_kept(paths: list[str]) -> set[str]:
    """The paths among `paths` some registered keeper still refers to."""
    kept: set[str] = set()
    for keeper in list(_KEEPERS):
        kept.update(keeper(paths))
    return kept
