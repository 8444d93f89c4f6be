"""Settings come from the environment only, each documented where operators look."""

from pathlib import Path

from django.conf import settings

from ventanilla.core import env


def test_configuration_docs_match_the_settings() -> None:
    docs = Path(settings.BASE_DIR) / "docs" / "configuration.md"
    assert docs.read_text() == env.markdown(), (
        "docs/configuration.md is out of date: run `python manage.py config_docs`."
    )


def test_every_variable_has_help() -> None:
    assert len(env.REGISTRY) > 20
    for variable in env.REGISTRY.values():
        assert variable.help.endswith("."), variable.name


def test_bad_boolean_is_refused_loudly(monkeypatch: object) -> None:
    import os

    import pytest

    os.environ["VENTANILLA_TEST_FLAG"] = "maybe"
    try:
        with pytest.raises(ValueError, match="VENTANILLA_TEST_FLAG must be true or false"):
            env.env_bool("VENTANILLA_TEST_FLAG", False, "A test flag.")
    finally:
        del os.environ["VENTANILLA_TEST_FLAG"]
        env.REGISTRY.pop("VENTANILLA_TEST_FLAG", None)


def test_the_console_log_drops_the_font_subset_notice_and_keeps_other_warnings() -> None:
    import logging

    console = logging.getHandlerByName("console")  # configured by Django from LOGGING
    assert console is not None

    def passes(message: str) -> bool:
        record = logging.LogRecord("weasyprint", logging.WARNING, __file__, 1, message, (), None)
        return bool(console.filter(record))

    assert not passes('Using fontTools instead of HarfBuzz-Subset for font "DejaVu Sans".')
    assert passes("Failed to load image at 'logo.png'")
