"""The route's hash covers every field that tells what happened: a field added to the model
must be declared hashed (or knowingly not), or this fails."""

from __future__ import annotations

from ventanilla.cases.models import TimelineEvent
from ventanilla.cases.timeline import HASHED, UNHASHED


def test_every_field_of_an_event_is_hashed_or_declared_not_to_be() -> None:
    fields = {
        f.attname.removesuffix("_id") if f.name == "case" else f.attname
        for f in TimelineEvent._meta.concrete_fields
    }
    declared = set(HASHED.values()) | UNHASHED
    assert fields == declared, f"undeclared: {fields - declared}; unknown: {declared - fields}"
