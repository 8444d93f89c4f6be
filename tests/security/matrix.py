"""The machinery of the authorization matrix: the routes as the URL resolver has them, what a
caller may get back, and one request run in isolation."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.http import urlencode

from tests.security.conftest import BROWSER, NOW, OWNER, World
from ventanilla.appointments.models import BookingEvent
from ventanilla.cases.models import Case, CaseDocument, FilingDraft, Message, TimelineEvent
from ventanilla.core import clock
from ventanilla.documents.models import FolderDocument
from ventanilla.places.models import AllocationRun
from ventanilla.surveys.models import Invitation
from ventanilla.turns.models import DeviceLink, TicketEvent


@dataclass(frozen=True)
class Route:
    """One URL pattern: its key in the expectation table (the namespaced name, or the pattern
    for an unnamed one), its URL name for reverse(), and its arguments."""

    key: str
    name: str | None
    namespace: str
    pattern: str
    view: str
    arguments: tuple[str, ...]


def _arguments(pattern: Any) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def _walk(
    patterns: list[Any], prefix: str, namespaces: tuple[str, ...], arguments: tuple[str, ...]
) -> Iterator[Route]:
    for entry in patterns:
        here = arguments + _arguments(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner, here)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            callback = entry.callback
            view = f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"
            namespace = namespaces[0] if namespaces else ""
            yield Route(name or pattern, name, namespace, pattern, view, here)


def all_routes() -> list[Route]:
    """Every URL pattern the project serves, in the resolver's order, once per key."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns, "", (), ()):
        seen.setdefault(route.key, route)
    return list(seen.values())


class Outcome(StrEnum):
    """What a caller gets. Whatever it is, a caller who is not told DONE changes nothing, and
    one who is not told SHOWN does not see the probe's marker."""

    SHOWN = "shown"  # 200 with the object on it (its marker in the body)
    HIDDEN = "hidden"  # 200 for the caller's own things: the object is not on it
    DONE = "done"  # the change was made: no error kept for the page, the world changed
    REFUSED = "refused"  # back to the page with an error, nothing changed
    LOGIN = "login"  # sent to sign in
    ADMIN_LOGIN = "admin_login"  # sent to the admin's sign-in, which turns non-staff away
    MFA = "mfa"  # sent to enrol two-factor authentication first
    REDIRECT = "redirect"  # sent elsewhere: not to sign in, no error, nothing changed
    DENIED = "denied"  # 403 or 404, whichever the fix chooses
    UNCHANGED = "unchanged"  # refused in whatever way (not a server error): nothing changed
    ANY = "any"  # a page of the caller's own account: anything but a server error


Expected = Outcome | int
Who = str | tuple[str, ...]


@dataclass(frozen=True)
class Probe:
    """One request to a route. Values in `kwargs`, `data` and `marker` are short names from
    World.refs (case A's number is "A", its code "code_A", its first document "doc_A") or
    literal text. `expect` maps callers, or tuples of them, to outcomes; later keys win."""

    method: str
    expect: Mapping[Who, Expected]
    kwargs: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    json: bool = False
    marker: str | None = None
    note: str = ""

    def outcomes(self) -> dict[str, Expected]:
        result: dict[str, Expected] = {}
        for who, expected in self.expect.items():
            for caller in (who,) if isinstance(who, str) else who:
                result[caller] = expected
        return result

    def label(self, route: Route) -> str:
        return f"{self.method} {route.key}" + (f" ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Upload:
    """A file to send with a form: a fresh one for each request."""

    name: str
    content: bytes
    content_type: str


def _resolved(world: World, value: Any) -> Any:
    if isinstance(value, Upload):
        return SimpleUploadedFile(value.name, value.content, value.content_type)
    if isinstance(value, str):
        return world.ref(value)
    if isinstance(value, dict):
        return {k: _resolved(world, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(world, v) for v in value]
    return value


# Made-up arguments for routes whose probes give none (allauth's keys, the admin's ids): those
# pages turn strangers away before they look at them.
MADE_UP = {"app_label": "cases", "url": "no-such-page", "provider_id": "no-such-provider"}


def route_url(route: Route, values: Mapping[str, str]) -> str:
    """The URL of `route` with `values` for its arguments (made-up ones for the rest), checked
    to reach that very route."""
    values = {name: values.get(name) or MADE_UP.get(name, "1") for name in route.arguments}
    if route.name is not None:
        url = reverse(route.name, kwargs=values or None)
    else:
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route.pattern)
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
        url = "/" + path.replace("^", "").replace("$", "")
    match = resolve(url)
    reached = match.view_name if route.name else str(match.route)
    assert reached == (route.name or route.pattern), f"{url} reaches {reached}"
    return url


def url_of(route: Route, probe: Probe, world: World) -> str:
    url = route_url(route, {k: world.ref(v) for k, v in probe.kwargs.items()})
    query = {k: world.ref(v) for k, v in probe.query.items()}
    return url + (f"?{urlencode(query)}" if query else "")


def fingerprint(world: World) -> tuple[Any, ...]:
    """What a request that changes nothing leaves as it was: the world's cases, the newest row
    of each table a change writes to (every change to a case appends to its route), and the
    owner's filing draft. Two queries: it runs after every request."""
    cases = list(
        Case.objects.filter(pk__in=[case.pk for case in world.cases.values()])
        .order_by("pk")
        .values_list(
            "stage",
            "assignee_id",
            "dependency_id",
            "entity_id",
            "closed_at",
            "paused_on",
            "response_draft",
        )
    )
    newest = ", ".join(
        f"(SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)})"  # noqa: S608
        for model in (Case, TimelineEvent, Message, CaseDocument)
    )
    # The citizens' folders: an entry added or removed.
    folder = connection.ops.quote_name(FolderDocument._meta.db_table)
    newest += f", (SELECT COUNT(*) FROM {folder}), (SELECT MAX(id) FROM {folder})"  # noqa: S608
    # Bookings: every change to one (made, moved, cancelled, checked in) writes an event; so
    # does every ticket issued, called or served. And the turn devices' secret.
    events = connection.ops.quote_name(BookingEvent._meta.db_table)
    ticket_events = connection.ops.quote_name(TicketEvent._meta.db_table)
    links = connection.ops.quote_name(DeviceLink._meta.db_table)
    newest += f", (SELECT MAX(id) FROM {events}), (SELECT COUNT(*) FROM {ticket_events})"  # noqa: S608
    newest += f", (SELECT MAX(secret) FROM {links})"  # noqa: S608
    # School places: a run (a dry run writes nothing else); every other change to a place or
    # its evidence writes a line on its case's route.
    runs = connection.ops.quote_name(AllocationRun._meta.db_table)
    newest += f", (SELECT MAX(id) FROM {runs})"  # noqa: S608
    # Survey answers: each is the one answer of its invitation.
    surveys = connection.ops.quote_name(Invitation._meta.db_table)
    newest += f", (SELECT MAX(answered_at) FROM {surveys})"  # noqa: S608
    draft = connection.ops.quote_name(FilingDraft._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {newest}, (SELECT answers FROM {draft} WHERE user_id = %s)",  # noqa: S608
            [world.users[OWNER]],
        )
        rows = cursor.fetchone()
    return (cases, rows)


ERROR_KEYS = ("workspace_errors", "case_form_errors")


@dataclass
class Answer:
    status: int
    location: str
    body: str
    changed: bool
    errors: list[str]


def call(world: World, caller: str, method: str, url: str, probe: Probe | None = None) -> Answer:
    """Make the request as `caller` in a savepoint rolled back after it, with the caller's
    cookies put back, so every request meets the same world."""
    client = world.clients[caller]
    cookies = copy.deepcopy(client.cookies)
    cache.clear()  # rate limits are tested elsewhere: here no probe counts against another
    data = _resolved(world, dict(probe.data)) if probe else {}
    # A savepoint as Django's TestCase makes it, so the services' durable blocks run inside.
    atomics = TestCase._enter_atomics()
    try:
        with clock.frozen(NOW):
            if not world.baseline:
                world.baseline = fingerprint(world)
            if probe is not None and probe.json:
                response = client.generic(
                    method, url, json.dumps(data), content_type="application/json"
                )
            elif method == "POST":
                response = client.post(url, data)
            else:
                response = client.generic(method, url)
            changed = fingerprint(world) != world.baseline
            errors: list[str] = []
            if response.status_code == 302 and caller in BROWSER:
                session = client.session
                errors = [str(e) for key in ERROR_KEYS for e in session.get(key) or []]
    finally:
        TestCase._rollback_atomics(atomics)
        client.cookies = cookies
    return Answer(
        response.status_code, response.get("Location", ""), _body(response), changed, errors
    )


def _body(response: HttpResponse | StreamingHttpResponse) -> str:
    if isinstance(response, StreamingHttpResponse):
        # Read to the end: the test client then closes the response (and the file) itself.
        content = b"".join(response.streaming_content)  # type: ignore[arg-type]
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


LOGIN_PATH = "/cuenta/login/"
ADMIN_LOGIN_PATH = "/admin/login/"
MFA_PATH = "/cuenta/2fa/totp/activate/"


def mismatch(expected: Expected, answer: Answer, marker: str | None) -> str | None:
    """Why `answer` is not `expected`, or None when it is."""
    got = f"got {answer.status}" + (f" → {answer.location}" if answer.location else "")
    if answer.errors:
        got += f" with error {answer.errors[0]!r}"
    if answer.changed and expected not in (Outcome.DONE, 201):
        return f"expected {expected}, but the request changed the world ({got})"
    if marker and expected != Outcome.SHOWN and marker in answer.body:
        return f"expected {expected}, but the body shows {marker!r} ({got})"
    redirect = answer.status == 302
    match expected:
        case Outcome.SHOWN:
            if answer.status != 200:
                return f"expected it shown, {got}"
            if marker and marker not in answer.body:
                return f"expected the page to show {marker!r}; it does not ({got})"
            return None
        case Outcome.HIDDEN:
            return None if answer.status == 200 else f"expected 200 without the object, {got}"
        case Outcome.DONE:
            if (
                answer.status >= 400
                or answer.errors
                or answer.location.startswith((LOGIN_PATH, ADMIN_LOGIN_PATH, MFA_PATH))
            ):
                return f"expected it done, {got}"
            return None if answer.changed else f"expected it done, but nothing changed ({got})"
        case Outcome.REFUSED:
            return None if redirect and answer.errors else f"expected refused with an error, {got}"
        case Outcome.LOGIN:
            ok = redirect and answer.location.startswith(LOGIN_PATH)
            return None if ok else f"expected a redirect to sign in, {got}"
        case Outcome.ADMIN_LOGIN:
            ok = redirect and answer.location.startswith(ADMIN_LOGIN_PATH)
            return None if ok else f"expected a redirect to the admin's sign-in, {got}"
        case Outcome.MFA:
            ok = redirect and answer.location.startswith(MFA_PATH)
            return None if ok else f"expected a redirect to enrol two-factor, {got}"
        case Outcome.REDIRECT:
            ok = redirect and not answer.errors
            ok = ok and not answer.location.startswith((LOGIN_PATH, ADMIN_LOGIN_PATH, MFA_PATH))
            return None if ok else f"expected a plain redirect, {got}"
        case Outcome.DENIED:
            return None if answer.status in (403, 404) else f"expected 403 or 404, {got}"
        case Outcome.ANY | Outcome.UNCHANGED:
            return None if answer.status < 500 else f"expected no server error, {got}"
    return None if answer.status == expected else f"expected {expected}, {got}"


def fail_lines(problems: list[str]) -> str:
    return "\n".join(["", *problems])


def route_help(route: Route) -> str:
    sample = re.sub(r"\s+", " ", route.pattern)
    return (
        f"{route.key} (pattern {sample!r}, view {route.view}) has no entry in EXPECTATIONS in "
        "tests/security/test_authorization.py. Add one: a Probe for each method it answers "
        "(GET and POST for a page) saying what each kind of caller gets: the owner, another "
        "citizen, the guests, officials with and without a role on the object, a role too low, "
        "anonymous visitors, API tokens that do not own it."
    )
