"""The checks every browser test relies on do catch what they claim to catch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import Visitor


def test_an_axe_violation_fails_the_check(visitor: Visitor) -> None:
    visitor.goto("/")
    visitor.page.evaluate(
        """() => {
            const field = document.createElement('input');
            field.id = 'unlabelled';
            document.querySelector('main').append(field);
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        visitor.check()
    assert "label (critical)" in str(failure.value)
    assert "#unlabelled" in str(failure.value)


def test_a_csp_violation_is_reported(visitor: Visitor) -> None:
    visitor.goto("/")
    # The policy allows no inline script: the browser refuses it and says so in the console.
    visitor.page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'document.body.dataset.ran = "yes"';
            document.body.append(script);
        }"""
    )
    expect(visitor.page.locator("body")).not_to_have_attribute("data-ran", "yes")
    for _ in range(40):  # the console event arrives a moment after the refusal
        if visitor.console_errors:
            break
        visitor.page.wait_for_timeout(50)
    assert any("Content Security Policy" in e for e in visitor.console_errors)
    with pytest.raises(AssertionError, match="Content Security Policy"):
        visitor.assert_no_errors()
    visitor.console_errors.clear()


def test_a_request_to_another_host_is_blocked_and_reported(visitor: Visitor) -> None:
    visitor.goto("/")
    # Subresources elsewhere are refused by the CSP already; a navigation is not.
    with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
        visitor.page.goto("http://cdn.example.net/")
    assert visitor.foreign_requests == ["GET http://cdn.example.net/"]
    with pytest.raises(AssertionError, match="outside the test server"):
        visitor.assert_no_errors()
    visitor.foreign_requests.clear()


def test_a_page_reached_without_the_check_fails_the_test(visitor: Visitor) -> None:
    visitor.goto("/")
    visitor.page.get_by_role("link", name="Crear cuenta").first.click()
    visitor.page.wait_for_load_state("load")
    with pytest.raises(AssertionError, match="without the accessibility check"):
        visitor.assert_every_page_checked()
    visitor.check()  # now it is checked, and teardown passes
    visitor.assert_every_page_checked()
