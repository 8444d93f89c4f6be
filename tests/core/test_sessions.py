"""A visitor's session is started with one INSERT, and a key that is somehow taken is never
shared: another is drawn, inside a transaction or out of one."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from ventanilla.core.sessions import SessionStore


@pytest.mark.django_db(transaction=True)
def test_a_new_session_is_one_insert() -> None:
    session = SessionStore()
    session["tracked_cases"] = [7]
    with CaptureQueriesContext(connection) as queries:
        session.save()
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]
    assert SessionStore(session.session_key)["tracked_cases"] == [7]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("in_transaction", [False, True])
def test_a_taken_key_is_never_shared(monkeypatch: pytest.MonkeyPatch, in_transaction: bool) -> None:
    owner = SessionStore()
    owner["who"] = "first visitor"
    owner.save()
    keys = iter([owner.session_key, "k" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    newcomer = SessionStore()
    newcomer["who"] = "second visitor"
    if in_transaction:
        with transaction.atomic():
            newcomer.save()
            assert Session.objects.count() == 2  # the transaction is still usable
    else:
        newcomer.save()
    assert newcomer.session_key == "k" * 32
    assert SessionStore(owner.session_key)["who"] == "first visitor"
    assert SessionStore("k" * 32)["who"] == "second visitor"
