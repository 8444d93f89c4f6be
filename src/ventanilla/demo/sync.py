"""Bring a table to the demo's rows in bulk, touching only what differs.

This is what makes `load_demo` idempotent and fast: one read per table, one bulk insert for
the missing rows, one bulk update for the rows whose declared fields changed, and nothing at
all on a second run. Rows the demo does not declare are never deleted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models

from ventanilla.core import memo

type Key = tuple[Any, ...]
BATCH_SIZE = 500


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: Tally) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def rows_sync[M: models.Model](
    model: type[M],
    *,
    key: Sequence[str],
    rows: Iterable[dict[str, Any]],
    create_only: Collection[str] = (),
) -> tuple[dict[Key, M], Tally]:
    """Create the rows of `rows` missing from `model` and update the ones that differ.

    `key` names the fields (attnames, e.g. `entity_id`) that identify a row; the other fields
    of each row are its declared values. Fields in `create_only` are written on creation and
    never compared (a password must not be reset). Returns every row by key, and the tally.
    """
    wanted: dict[Key, dict[str, Any]] = {}
    for row in rows:
        row_key = tuple(row[name] for name in key)
        if row_key in wanted:
            raise ValueError(f"{model.__name__}: the demo declares {row_key} twice")
        wanted[row_key] = row
    manager = model._default_manager
    # One query: every existing row sharing the first key field, matched on the whole key here.
    candidates = manager.filter(**{f"{key[0]}__in": {k[0] for k in wanted}})
    existing = {tuple(getattr(obj, name) for name in key): obj for obj in candidates}

    tally = Tally()
    new: list[M] = []
    changed: list[M] = []
    changed_fields: set[str] = set()
    for row_key, row in wanted.items():
        obj = existing.get(row_key)
        if obj is None:
            new.append(model(**row))
            continue
        differs = False
        for name, value in row.items():
            if name in create_only or getattr(obj, name) == value:
                continue
            setattr(obj, name, value)
            changed_fields.add(name)
            differs = True
        if differs:
            changed.append(obj)
        else:
            tally.unchanged += 1

    if new:
        manager.bulk_create(new, batch_size=BATCH_SIZE)
        tally.created = len(new)
        for obj in new:
            # Later tables point at these rows: the backend must return the new keys
            # (SQLite 3.35+ and PostgreSQL do).
            if obj.pk is None:
                raise RuntimeError(f"{model.__name__}: bulk insert returned no primary keys")
            existing[tuple(getattr(obj, name) for name in key)] = obj
    if changed:
        manager.bulk_update(changed, sorted(changed_fields), batch_size=BATCH_SIZE)
        tally.updated = len(changed)
    if new or changed:
        memo.configuration_changed()  # bulk writes send no signal
    return {row_key: existing[row_key] for row_key in wanted}, tally
