"""Form field types as a registry: each type owns its inputs, its rule, its JSON Schema, how its
answer reads and how answers are generated. See `base.FieldKind` and `registry.register`."""

from ventanilla.catalog.fields.base import (
    DocumentAsked,
    FieldContext,
    FieldKind,
    Problems,
    localized,
)
from ventanilla.catalog.fields.registry import (
    UnknownFieldType,
    field_kind,
    field_kinds,
    register,
    unregister,
)

__all__ = [
    "DocumentAsked",
    "FieldContext",
    "FieldKind",
    "Problems",
    "UnknownFieldType",
    "field_kind",
    "field_kinds",
    "localized",
    "register",
    "unregister",
]
