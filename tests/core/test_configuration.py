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
