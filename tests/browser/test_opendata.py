"""The open-data page in a real browser: a visitor finds it from the footer, reads what each
dataset holds and how people are protected, downloads a file, opens the dictionary and earlier
releases — by mouse and by keyboard, at 360 and 1280 px, axe clean on every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import Visitor
from tests.browser.test_journeys_counter import PHONE, shot
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.insights.opendata import opendata_export

WIDE = {"width": 1280, "height": 900}
BOGOTA = ZoneInfo("America/Bogota")


@pytest.fixture
def released(settings: Any, tmp_path: Path, reference_service: Service) -> None:  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    for day in (1, 2):
        with clock.frozen(datetime(2026, 6, day, 7, 0, tzinfo=BOGOTA)):
            opendata_export()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["360", "1280"])
def test_a_visitor_finds_the_open_data_and_downloads_a_file(
    released: None, new_visitor: Any, viewport: dict[str, int]
) -> None:
    visitor: Visitor = new_visitor(viewport=viewport)
    page = visitor.page
    visitor.goto("/")
    visitor.click_and_wait(page.get_by_role("link", name="Datos abiertos"))
    assert visitor.path == "/datos-abiertos/"
    assert page.get_by_role("heading", name="Cómo protegemos a las personas").is_visible()
    assert page.get_by_text("Última actualización: 2 de junio de 2026").is_visible()
    shot(page, f"opendata-{viewport['width']}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page scrolls sideways at {viewport['width']} px"
    with page.expect_download() as download:
        page.get_by_role("link", name="Solicitudes radicadas en CSV").click()
    assert download.value.suggested_filename == "cases-2026-06-02.csv"
    assert page.get_by_role("link", name="cases.csv").get_attribute("href") == (
        "/datos-abiertos/2026-06-01/cases.csv"
    )
    # By keyboard: the dictionary link is reached and followed with Enter.
    visitor.press_and_wait(page.get_by_role("link", name="Diccionario de datos", exact=True))
    assert visitor.path == "/datos-abiertos/diccionario/"
    assert page.get_by_role("cell", name="answer_business_days").is_visible()
    shot(page, f"opendata-dictionary-{viewport['width']}")


def test_the_english_page(released: None, visitor: Visitor) -> None:
    visitor.goto("/en/open-data/")
    assert visitor.page.get_by_role("heading", name="How we protect people").is_visible()
    visitor.goto("/en/open-data/dictionary/")
    assert visitor.page.get_by_role("heading", name="Data dictionary", level=1).is_visible()
