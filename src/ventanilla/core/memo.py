"""What every request reads the same until an administrator changes it — a published service
with its parsed definition, the consent text in force, an entity's calendar, an API client, a
rendered service page — kept in each process's memory and forgotten everywhere when the
configuration changes.

The configuration's *generation* is a random token in the shared cache. Saving or deleting a
model that `follow()` watches (the catalogue, the organisation, the consent text, the API
clients…) replaces it; every remembered value is filed under the token it was read with, so a
new token makes every process read afresh. A process looks at the shared token at most once a
`GENERATION_SECONDS`, so another process's change shows within that; the process that made the
change sees it at once. A value is also forgotten after `MEMO_SECONDS`, whatever happens, which
covers writes that send no signal (a queryset's `update()`, a bulk load from the command line),
and a value read inside a transaction that changed the configuration and then rolled back.

Only what is the same for every caller may be remembered: never a person's data, never a
seat, a counter or anything a request writes.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "config-generation"
GENERATION_SECONDS = 1.0
MEMO_SECONDS = 300.0
MEMO_SIZE = 2048


_lock = threading.Lock()
_values: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_generation: tuple[float, str] = (0.0, "")


def generation() -> str:
    """The configuration's current token, read from the shared cache at most once a second."""
    global _generation
    read_at, token = _generation
    now = time.monotonic()
    if token and now - read_at < GENERATION_SECONDS:
        return token
    token = cache.get(GENERATION_KEY) or ""
    if not token:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY) or token
    _generation = (now, token)
    return token


def remembered[T](name: str, key: Hashable, read: Callable[[], T]) -> T:
    """`read()`'s value for (`name`, `key`), from this process's memory while the
    configuration's generation is the same and for at most MEMO_SECONDS. None is not kept:
    a miss may come from a key anyone makes up (a wrong token, an unknown slug), and keeping
    those would push out what is worth keeping."""
    full_key = (name, key, generation())
    now = time.monotonic()
    with _lock:
        found = _values.get(full_key)
        if found is not None and now - found[0] < MEMO_SECONDS:
            _values.move_to_end(full_key)
            return found[1]  # type: ignore[no-any-return]
    value = read()
    if value is None:
        return value
    with _lock:
        _values[full_key] = (now, value)
        while len(_values) > MEMO_SIZE:
            _values.popitem(last=False)
    return value


def configuration_changed() -> None:
    """Forget every remembered value, in every process (the others within a second). This
    process forgets at once (it may read its own change before it commits); the shared token
    is replaced after the change commits, so that no other process files the old rows under
    the new token."""
    with _lock:
        _values.clear()
    # Once per transaction, however many rows it saves (a demo load saves thousands).
    if not any(entry[1] is _renew for entry in connection.run_on_commit):
        transaction.on_commit(_renew)


def _renew() -> None:
    global _generation
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, None)
    _generation = (time.monotonic(), token)
    with _lock:
        _values.clear()


def forget_here() -> None:
    """Forget what this process remembers and its copy of the token (tests start with this)."""
    global _generation
    _generation = (0.0, "")
    with _lock:
        _values.clear()


def follow(*models: type[Model], unless_only: frozenset[str] = frozenset()) -> None:
    """Count a save or a delete of any of `models` as a change of the configuration; a save
    whose `update_fields` are all in `unless_only` (bookkeeping, such as whose turn is next)
    does not count."""

    def saved(update_fields: frozenset[str] | None = None, **_: Any) -> None:
        if update_fields and set(update_fields) <= unless_only:
            return
        configuration_changed()

    def deleted(**_: Any) -> None:
        configuration_changed()

    def linked(action: str, **_: Any) -> None:
        if action.startswith("post_"):
            configuration_changed()

    for model in models:
        label = model._meta.label
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"memo-save-{label}")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"memo-del-{label}")
        # Links of its many-to-many fields (a service's points, its life events) change
        # without saving the model.
        for field in model._meta.local_many_to_many:
            uid = f"memo-m2m-{label}.{field.name}"
            through = field.remote_field.through
            m2m_changed.connect(linked, sender=through, weak=False, dispatch_uid=uid)
