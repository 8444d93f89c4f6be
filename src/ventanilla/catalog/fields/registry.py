"""The field types a form may use: the built-in ones and those other apps register.

An app adds a type by registering an instance of its `FieldKind` subclass, usually from its
`AppConfig.ready()`; from then on definitions may use the type's name, and the form kit renders,
validates, publishes and shows its answers like any other.
"""

from __future__ import annotations

import functools

from ventanilla.catalog.fields.base import FieldKind

_kinds: dict[str, FieldKind] = {}


class UnknownFieldType(KeyError):
    """No registered field type has that name."""


@functools.cache
def _builtins_loaded() -> bool:
    # Imported on first use: the built-in types import the definition schema, which asks here.
    from ventanilla.catalog.fields.builtin import BUILTIN

    for kind in BUILTIN:
        _kinds.setdefault(kind.name, kind)
    return True


def register(kind: FieldKind) -> FieldKind:
    """Make `kind` available to definitions under `kind.name`; a name is registered once."""
    _builtins_loaded()
    if kind.name in _kinds:
        raise ValueError(f"a field type named `{kind.name}` is already registered")
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget the type `name` (for tests, and for an app that is switched off)."""
    _builtins_loaded()
    _kinds.pop(name, None)


def field_kind(name: str) -> FieldKind:
    """The registered type `name`."""
    _builtins_loaded()
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownFieldType(name) from None


def field_kinds() -> dict[str, FieldKind]:
    """Every registered type, by name."""
    _builtins_loaded()
    return dict(_kinds)
