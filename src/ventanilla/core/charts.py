"""Bar charts drawn on the server as inline SVG, and the numbers written the reader's way.

The geometry is plain arithmetic over the values (no request, no template): `column_chart`
draws vertical bars per category (months), stacked when there is more than one series;
`bar_chart` draws one horizontal bar per line (breakdowns). Scales start at 0 and end on a
round number; the templates under `templates/charts/` draw the shapes and pair every chart
with a table of the same numbers. Series differ by colour *and* by pattern, and a legend names
them, so colour never carries the meaning alone.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from django.utils.translation import get_language

WIDTH = 480  # the viewBox; the SVG itself is 100% wide
COLUMN_HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 24, 48
ROW_HEIGHT = 44  # a horizontal bar's row: its label above, the bar below
LABEL_CHARACTERS = 52  # what a label line holds at the chart's font size
PATTERNS = ("solid", "hatch", "dots")  # in the order series get them

NOTHING = "\u2013"  # an en dash where there is no figure to give
_ids = itertools.count(1)


def number(value: float | None, decimals: int = 0) -> str:
    """`value` as the current language writes it: 1.234,5 in Spanish, 1,234.5 in English."""
    if value is None:
        return NOTHING
    text = f"{value:,.{decimals}f}"
    if (get_language() or "es").startswith("en"):
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share: float | None) -> str:
    """A share (0 to 1) as a whole percentage: "85 %" in Spanish, "85%" in English."""
    if share is None:
        return NOTHING
    digits = number(round(share * 100))
    return f"{digits}%" if (get_language() or "es").startswith("en") else f"{digits}\u00a0%"


def nice_ceiling(value: float) -> int:
    """The smallest round number (1, 2 or 5 times a power of ten) not below `value`; 1 for
    nothing, so an empty chart still has a scale."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def ticks(maximum: int) -> list[int]:
    """Gridline values from 0 to `maximum`: at most five steps of a whole number."""
    step = max(1, nice_ceiling(maximum / 5))
    while maximum % step:
        step += 1
    return list(range(0, maximum + 1, step))


def shorten(label: str, limit: int = LABEL_CHARACTERS) -> str:
    """`label` cut to `limit` characters with an ellipsis (the table beside has it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Series:
    label: str
    pattern: str = "solid"


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    value: int
    pattern: str


@dataclass(frozen=True)
class Column:
    label: str
    sublabel: str  # a second line under the label (the year, on January and the first month)
    x: float  # the column's centre
    segments: list[Segment]
    values_text: list[str]  # each series' value, for the table
    total: int
    total_text: str
    top: float  # where the column ends, for its total above it


@dataclass(frozen=True)
class Gridline:
    y: float
    text: str


@dataclass(frozen=True)
class ColumnChart:
    id: str
    title: str
    description: str
    x_label: str
    y_label: str
    series: list[Series]
    columns: list[Column]
    gridlines: list[Gridline]
    width: int
    height: int
    plot_left: int
    plot_right: int
    baseline: float
    maximum: int

    @property
    def empty(self) -> bool:
        return not any(c.total for c in self.columns)


def column_chart(
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    categories: list[tuple[str, str]],
    series: list[Series],
    values: list[list[int]],
) -> ColumnChart:
    """Vertical bars, one per category (label, sublabel), stacked by series: `values[i][j]`
    is category i's value for series j. Heights are proportional to the values, from 0."""
    totals = [sum(row) for row in values]
    maximum = nice_ceiling(max(totals, default=0))
    plot_height = COLUMN_HEIGHT - TOP - BOTTOM
    baseline = float(TOP + plot_height)
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(categories))
    bar = slot * 0.6
    columns = []
    for index, ((label, sublabel), row) in enumerate(zip(categories, values, strict=True)):
        centre = LEFT + slot * index + slot / 2
        top, segments = baseline, []
        for value, each in zip(row, series, strict=True):
            height = plot_height * value / maximum
            top -= height
            if value:
                segments.append(Segment(centre - bar / 2, top, bar, height, value, each.pattern))
        total = sum(row)
        texts = [number(v) for v in row]
        columns.append(Column(label, sublabel, centre, segments, texts, total, number(total), top))
    return ColumnChart(
        id=f"chart{next(_ids)}",
        title=title,
        description=description,
        x_label=x_label,
        y_label=y_label,
        series=series,
        columns=columns,
        gridlines=[
            Gridline(baseline - plot_height * t / maximum, number(t)) for t in ticks(maximum)
        ],
        width=WIDTH,
        height=COLUMN_HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        baseline=baseline,
        maximum=maximum,
    )


@dataclass(frozen=True)
class Row:
    label: str  # shortened to fit; `full_label` is the whole of it
    full_label: str
    y: float  # the top of the row
    bar_width: float
    value: int
    value_x: float  # where the value's number starts, after the bar
    value_text: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    label_heading: str  # what the lines are (the table's first column)
    value_label: str  # what the values count (the axis, and the table's second column)
    rows: list[Row]
    width: int
    height: int
    maximum: int
    plot_width: float

    @property
    def empty(self) -> bool:
        return not any(r.value for r in self.rows)


def bar_chart(
    *,
    title: str,
    description: str,
    label_heading: str,
    value_label: str,
    lines: list[tuple[str, int]],
) -> BarChart:
    """Horizontal bars, one per (label, value), widths proportional to the values from 0;
    the room at the right keeps the largest value's number inside the drawing."""
    maximum = nice_ceiling(max((v for _, v in lines), default=0))
    plot_width = WIDTH - 64.0
    rows = [
        Row(
            label=shorten(label),
            full_label=label,
            y=float(index * ROW_HEIGHT),
            bar_width=plot_width * value / maximum,
            value=value,
            value_x=plot_width * value / maximum + 6,
            value_text=number(value),
        )
        for index, (label, value) in enumerate(lines)
    ]
    return BarChart(
        id=f"chart{next(_ids)}",
        title=title,
        description=description,
        label_heading=label_heading,
        value_label=value_label,
        rows=rows,
        width=WIDTH,
        height=max(1, len(rows)) * ROW_HEIGHT + 24,  # and the axis' name under the bars
        maximum=maximum,
        plot_width=plot_width,
    )
