"""Read settings from the environment, once each, and remember how to document them.

Every setting an operator can change is read here with `env(...)`: its name, default and one
line of help. `python manage.py config_docs` writes `docs/configuration.md` from the same calls,
and a test keeps the two in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str
    group: str


REGISTRY: dict[str, Variable] = {}
_group = "General"


def group(name: str) -> None:
    """Start a new section in the generated documentation."""
    global _group
    _group = name


def _register(name: str, default: Any, help: str) -> None:
    shown = "(empty)" if default in ("", None) else str(default)
    REGISTRY[name] = Variable(name=name, default=shown, help=help, group=_group)


def env_str(name: str, default: str, help: str, *, shown: str | None = None) -> str:
    """A string; `shown` replaces a default that depends on the machine in the docs."""
    _register(name, default if shown is None else shown, help)
    return os.environ.get(name, default)


def env_bool(name: str, default: bool, help: str) -> bool:
    _register(name, "true" if default else "false", help)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, help: str) -> int:
    _register(name, default, help)
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: list[str], help: str) -> list[str]:
    _register(name, ",".join(default), help)
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def markdown() -> str:
    """The configuration reference, as Markdown, from everything registered so far."""
    lines = [
        "# Configuration",
        "",
        "Ventanilla reads its settings from environment variables only. Each one is read once, in",
        "`src/ventanilla/config/settings.py`, with the default shown here. This page is generated",
        "from those calls by `python manage.py config_docs`; a test fails when it is out of date.",
        "",
    ]
    groups: dict[str, list[Variable]] = {}
    for variable in REGISTRY.values():
        groups.setdefault(variable.group, []).append(variable)
    for title, variables in groups.items():
        lines += [f"## {title}", "", "| variable | default | what it does |", "| --- | --- | --- |"]
        for v in variables:
            lines.append(f"| `{v.name}` | `{v.default}` | {v.help} |")
        lines.append("")
    return "\n".join(lines)
