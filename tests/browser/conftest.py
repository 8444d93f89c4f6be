"""Browser tests: a real Chromium driven by Playwright against the live test server.

Every page a test reaches through the `visitor` fixture is checked, not only where the test
asserts something: axe-core finds no WCAG 2.1 A/AA violation, every stylesheet loaded, the page
logged no error (a Content Security Policy violation is one) and asked for nothing outside the
test server. A test that lets the browser reach a page without that check fails at teardown.

Chromium comes from the system (`apt-get install chromium`, or CHROMIUM_PATH); Playwright's own
download does not work offline. Without it these tests are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    sync_playwright,
)

HERE = Path(__file__).resolve().parent

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # No internet here: Chromium's own background traffic only slows it down.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe_banner = re.search(r"axe v(\d+\.\d+\.\d+)", AXE_SCRIPT[:200])
AXE_VERSION: str = _axe_banner.group(1) if _axe_banner else "unknown"
TIMEOUT_MS = 5_000

_run_info: dict[str, str] = {}
_call_failed = pytest.StashKey[bool]()


def find_chromium() -> tuple[str | None, str]:
    """The Chromium to drive, or None and the reason it is missing."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if Path(configured).is_file() and os.access(configured, os.X_OK):
            return configured, ""
        return None, f"CHROMIUM_PATH={configured} is not an executable file"
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate, ""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found, ""
    return None, "no Chromium found"


def _is_browser_test(item: pytest.Item) -> bool:
    return HERE in item.path.parents


# --- Collection and reporting -------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    """Mark the browser tests and skip them without Chromium (before `-m` deselects by
    marker), then, once every other plugin has sorted the items, move them to the end.

    Playwright's sync API keeps an asyncio loop running in the main thread for as long as the
    browser is open, which makes Django refuse ORM calls from that thread. The browser tests
    allow them (DJANGO_ALLOW_ASYNC_UNSAFE) from the moment Chromium starts until the session
    ends, so nothing else may run after them: not a database test, nor one that starts a
    subprocess that would inherit the variable (`manage.py check --deploy` warns about it).
    """
    # This hook sees every collected item, not only this folder's.
    chromium, reason = find_chromium()
    skip = pytest.mark.skip(
        reason=(
            f"Browser tests need Chromium ({reason}): install it with "
            "`apt-get install chromium`, or set CHROMIUM_PATH to its executable."
        )
    )
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
            if chromium is None:
                item.add_marker(skip)
    yield
    # After pytest-django's reordering by kind of database use (and -m's deselection).
    items[:] = [i for i in items if not _is_browser_test(i)] + [
        i for i in items if _is_browser_test(i)
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


def pytest_report_header(config: pytest.Config) -> str:
    chromium, reason = find_chromium()
    return f"browser tests: axe-core {AXE_VERSION}, Chromium {chromium or f'missing ({reason})'}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)  # a pytest-xdist worker
    if workeroutput is not None and _run_info:
        workeroutput["browser_run_info"] = dict(_run_info)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _run_info.update(getattr(node, "workeroutput", {}).get("browser_run_info", {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _run_info:
        terminalreporter.write_line(
            f"browser tests ran with Chromium {_run_info['chromium']} and axe-core "
            f"{_run_info['axe']}"
        )


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium, reason = find_chromium()
    if chromium is None:  # collection skips these tests; this guards direct fixture use
        pytest.skip(f"{reason}: `apt-get install chromium`, or set CHROMIUM_PATH")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    playwright: Playwright = sync_playwright().start()
    # From here on the main thread has a running event loop (see pytest_collection_modifyitems).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        _run_info.update(chromium=launched.version, axe=AXE_VERSION)
        yield launched
        launched.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Visitor:
    """One person's browser tab on the live server; every page it reaches is checked.

    Navigate with `goto`, `click_and_wait`, `press_and_wait` or the `navigation()` block: each
    waits for the new page and runs `check()` on it. Anything else that loads a page (a plain
    `locator.click()` on a link) leaves the page unchecked, and the test fails at teardown.
    Pages are counted per document loaded (`domcontentloaded`), not per `framenavigated`, which
    also fires for a jump to a #fragment inside the same page (the skip link).
    """

    page: Page
    base_url: str
    axe: Axe = field(default_factory=Axe)
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # URL of each document loaded, in order
    checked: set[int] = field(default_factory=set)  # indexes into `documents`
    axe_runs: int = 0
    soft_failures: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Visitor at {self.page.url}>"

    def __post_init__(self) -> None:
        origin = urlsplit(self.base_url)
        self._netloc = origin.netloc
        self.page.set_default_timeout(TIMEOUT_MS)
        self.page.set_default_navigation_timeout(TIMEOUT_MS)
        self.page.route("**/*", self._guard_request)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        self.page.on("domcontentloaded", lambda page: self.documents.append(page.url))

    # Event handlers

    def _guard_request(self, route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc != self._netloc:
            self.foreign_requests.append(f"{request.method} {request.url}")
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"console error on {self.page.url}: {message.text}")

    # Navigation

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def path(self) -> str:
        """The current address without scheme and host: `/cuenta/login/?next=/admin/`."""
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, path: str) -> Response | None:
        response = self.page.goto(self.url(path))
        self.check(response)
        return response

    @contextmanager
    def navigation(self) -> Iterator[None]:
        """Wrap an action that loads a new page; the page is checked when it has loaded."""
        with self.page.expect_navigation(wait_until="load") as loaded:
            yield
        self.check(loaded.value)

    def click_and_wait(self, locator: Locator) -> None:
        with self.navigation():
            locator.click()

    def press_and_wait(self, locator: Locator, key: str = "Enter") -> None:
        """Keyboard: focus `locator`, press `key`, and wait for the page it loads."""
        locator.focus()
        with self.navigation():
            self.page.keyboard.press(key)

    # Checks

    def check(self, response: Response | None = None) -> None:
        """Check the page now shown: no errors so far, its styles loaded, and axe is clean.

        With the `response` that brought the page, also that it came under our strict CSP (else
        the absence of CSP errors would prove nothing)."""
        self.page.wait_for_load_state("load")
        self.assert_no_errors()
        if response is not None:
            policy = response.header_value("content-security-policy") or ""
            assert "default-src 'self'" in policy, f"{response.url} has no strict CSP: {policy!r}"
        missing_styles = self.page.evaluate(
            """() => [...document.querySelectorAll('link[rel="stylesheet"]')]
                .filter(link => !link.sheet).map(link => link.href)"""
        )
        assert not missing_styles, f"stylesheets not applied on {self.page.url}: {missing_styles}"
        results = self.axe.run(self.page, options=AXE_OPTIONS)
        self.axe_runs += 1
        assert results.response["testEngine"]["version"] == AXE_VERSION
        if results.violations_count:
            pytest.fail(axe_report(self.page.url, results.response["violations"]), pytrace=False)
        if self.documents:
            self.checked.add(len(self.documents) - 1)

    def assert_no_errors(self) -> None:
        problems = [
            *self.console_errors,
            *(f"request outside the test server: {r}" for r in self.foreign_requests),
        ]
        assert not problems, "the browser reported problems:\n" + "\n".join(problems)

    def soft_check(self, ok: bool, problem: str) -> None:
        """Record a product problem without stopping the journey; the test fails at teardown."""
        if not ok:
            self.soft_failures.append(f"{problem} (on {self.page.url})")

    def assert_every_page_checked(self) -> None:
        unchecked = [url for i, url in enumerate(self.documents) if i not in self.checked]
        assert not unchecked, (
            "pages loaded without the accessibility check (navigate with visitor.goto, "
            f"click_and_wait, press_and_wait or `with visitor.navigation()`): {unchecked}"
        )
        assert self.axe_runs >= len(self.documents)


def axe_report(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core {AXE_VERSION}: {len(violations)} WCAG 2.1 A/AA violation(s) on {url}"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture(scope="session", autouse=True)
def _pdf_warm() -> None:
    """Tasks run at once in tests, so an answer's PDF is rendered and signed inside the request
    that answers. WeasyPrint's first document in a process loads its fonts (seconds on a busy
    machine): do it before any page waits on it."""
    from weasyprint import HTML

    HTML(string="<html lang='es'><title>x</title><p>x</p></html>").write_pdf(
        pdf_variant="pdf/ua-1"
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start without rate-limit counters or used TOTP codes left by earlier tests.

    tests/conftest.py gives each test a LocMemCache, but every LocMemCache with the same
    LOCATION shares one store in the process, so allauth's "1 confirmation mail per address per
    3 minutes" counter from tests/accounts would silently stop our sign-up mail."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def new_visitor(
    browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Visitor]]:
    """Open another browser context (a different person, or the same one on a fresh device).

    At teardown, unless the test already failed: no browser errors, every page checked, and no
    problem recorded with `soft_check`."""
    opened: list[tuple[BrowserContext, Visitor]] = []

    def open_visitor(**context_options: Any) -> Visitor:
        context_options.setdefault("locale", "es-CO")
        context_options.setdefault("timezone_id", "America/Bogota")
        context = browser.new_context(base_url=live_server.url, **context_options)
        visitor = Visitor(page=context.new_page(), base_url=live_server.url)
        opened.append((context, visitor))
        return visitor

    yield open_visitor
    try:
        if request.node.stash.get(_call_failed, False):
            return
        for _, visitor in opened:
            visitor.assert_no_errors()
            visitor.assert_every_page_checked()
            if visitor.soft_failures:
                pytest.fail(
                    "problems found along the journey:\n" + "\n".join(visitor.soft_failures),
                    pytrace=False,
                )
    finally:
        for context, _ in opened:
            context.close()


@pytest.fixture
def visitor(new_visitor: Callable[..., Visitor]) -> Visitor:
    return new_visitor()
