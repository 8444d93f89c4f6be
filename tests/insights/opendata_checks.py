"""Check exported open-data files against the data dictionary: every column described, in
order, every value of its type, within its allowed values and pattern."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from ventanilla.insights.dictionary import Column, Dataset

YEARMONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _csv_problem(column: Column, cell: str) -> str | None:
    if cell == "":
        return "empty but required" if column.required else None
    parsers = {
        "integer": lambda v: re.fullmatch(r"-?\d+", v) is not None,
        "number": lambda v: float(v) == float(v),
        "boolean": lambda v: v in ("true", "false"),
        "yearmonth": lambda v: bool(YEARMONTH.match(v)),
        "string": lambda v: True,
    }
    try:
        ok = parsers[column.type](cell)
    except ValueError:
        ok = False
    if not ok:
        return f"{cell!r} is not a {column.type}"
    return _constraint_problem(column, cell)


def _constraint_problem(column: Column, value: str) -> str | None:
    if column.enum and value not in column.enum:
        return f"{value!r} is not one of {column.enum}"
    if column.pattern and not re.match(column.pattern, value):
        return f"{value!r} does not match {column.pattern}"
    return None


def _json_problem(column: Column, value: Any) -> str | None:
    if value is None or value == "":
        return "empty but required" if column.required else None
    kinds: dict[str, tuple[type, ...]] = {
        "integer": (int,),
        "number": (int, float),
        "boolean": (bool,),
        "yearmonth": (str,),
        "string": (str,),
    }
    if not isinstance(value, kinds[column.type]) or (
        isinstance(value, bool) and column.type != "boolean"
    ):
        return f"{value!r} is not a {column.type}"
    if column.type == "yearmonth" and not YEARMONTH.match(value):
        return f"{value!r} is not a yearmonth"
    return _constraint_problem(column, str(value))


def csv_problems(dataset: Dataset, data: bytes) -> list[str]:
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader)
    if header != dataset.names:
        return [f"header {header} is not {dataset.names}"]
    problems = []
    for number, row in enumerate(reader, start=2):
        for column, cell in zip(dataset.columns, row, strict=True):
            problem = _csv_problem(column, cell)
            if problem:
                problems.append(f"{dataset.key}.csv line {number}, {column.name}: {problem}")
    return problems


def json_problems(dataset: Dataset, data: bytes) -> list[str]:
    problems = []
    for number, row in enumerate(json.loads(data.decode("utf-8")), start=1):
        if list(row) != dataset.names:
            problems.append(f"{dataset.key}.json row {number} has keys {list(row)}")
            continue
        for column in dataset.columns:
            problem = _json_problem(column, row[column.name])
            if problem:
                problems.append(f"{dataset.key}.json row {number}, {column.name}: {problem}")
    return problems
