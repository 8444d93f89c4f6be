"""The admin's pages with search boxes (autocomplete fields) pass axe: each box is named after
its field, also after a choice and with its list open."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_catalog_editor import sign_in_administrator
from tests.catalog.fixtures import organisation_build

PAGES = [
    "/admin/cases/assignmentrule/add/",
    "/admin/organization/membership/add/",
    "/admin/organization/dependency/add/",
    "/admin/organization/servicepoint/add/",
    "/admin/appointments/schedule/add/",
    "/admin/surveys/survey/add/",
    "/admin/api/apiclient/add/",
]


def test_the_admins_search_boxes_have_names(new_visitor: Callable[..., Visitor]) -> None:
    organisation_build()
    staff = factories.user("admin@sed.gov.co", staff=True, is_superuser=True)
    secret = factories.enrol_totp(staff)
    visitor = new_visitor(viewport={"width": 1280, "height": 900})
    page = visitor.page
    sign_in_administrator(visitor, "admin@sed.gov.co", secret)
    for url in PAGES:
        visitor.goto(url)  # axe runs on each
    # A list opened, its search box typed in and a choice made: still named.
    visitor.goto("/admin/cases/assignmentrule/add/")
    box = page.locator(".select2-selection").first
    expect(box).to_have_attribute("aria-label", "Dependencia")
    box.click()
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_have_attribute("aria-label", "Dependencia")
    visitor.check()
    search.fill("Cober")
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-label", "Dependencia")
    visitor.check()
