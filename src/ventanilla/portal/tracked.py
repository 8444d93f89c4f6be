"""The cases whose status this browser may see: those it proved a filing number and its code
for, or filed itself.

A visitor who already has a session (signed in, filing, a guest) keeps them in it, and signing
out forgets them. A visitor with none — the usual one, who comes only to type the number and
the code — gets a signed cookie instead: proving a code writes nothing to the database, and the
cookie ends with the browser (its signature, at the latest, after `SESSION_COOKIE_AGE`). It
holds case ids, never a number, a code or a name.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

SESSION_KEY = "tracked_cases"
COOKIE = "seguimiento"
SALT = "ventanilla.portal.tracked"
# The cookie keeps the latest cases proved, a few hundred bytes at most.
KEPT = 20


def _from_cookie(request: HttpRequest) -> list[int]:
    try:
        raw = request.get_signed_cookie(
            COOKIE, default="", salt=SALT, max_age=settings.SESSION_COOKIE_AGE
        )
    except signing.BadSignature:  # altered, or older than a session may be
        return []
    return [int(part) for part in (raw or "").split(".") if part.isdigit()]


def tracked_ids(request: HttpRequest) -> list[int]:
    """The ids of the cases this browser proved the code for or filed."""
    in_session: list[int] = list(request.session.get(SESSION_KEY, []))
    return in_session + [pk for pk in _from_cookie(request) if pk not in in_session]


def tracked_remember(request: HttpRequest, response: HttpResponse, case_id: int) -> None:
    """Let this browser see the case's status from now on (see the module's docstring)."""
    if request.session.session_key is not None or request.user.is_authenticated:
        tracked: list[int] = request.session.setdefault(SESSION_KEY, [])
        if case_id not in tracked:
            tracked.append(case_id)
            request.session.modified = True
        return
    earlier = [pk for pk in _from_cookie(request) if pk != case_id]
    kept = [*earlier[-(KEPT - 1) :], case_id]
    response.set_signed_cookie(
        COOKIE,
        ".".join(str(pk) for pk in kept),
        salt=SALT,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
