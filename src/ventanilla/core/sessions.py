"""Django's database sessions, started with one statement instead of four.

Django asks the database whether a new random key is taken before it inserts it, and wraps the
insert in a transaction of its own. A key has 32 characters of 36 (about 165 bits), and the
insert is refused on the impossible collision anyway (`create` then draws another key); a
single statement in autocommit needs no transaction around it. A public form that starts a
visitor's session (tracking a case, a guest's filing) saves three round trips to the database.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.db import IntegrityError, connections, router
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if not must_create or self.session_key is None:
            super().save(must_create)
            return
        data = self._get_session(no_load=True)  # type: ignore[attr-defined]
        record = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=record)
        if not connections[using].get_autocommit():
            # Inside a transaction: Django's savepoint keeps it usable after a refused insert.
            super().save(must_create)
            return
        try:
            record.save(force_insert=True, using=using)
        except IntegrityError as taken:
            raise CreateError from taken
