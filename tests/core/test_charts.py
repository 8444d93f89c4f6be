"""The charts' geometry: heights and widths proportional to the values from 0, nothing drawn
for nothing, labels cut to fit, and numbers written the reader's way."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ventanilla.core.charts import (
    COLUMN_HEIGHT,
    LABEL_CHARACTERS,
    NOTHING,
    Series,
    bar_chart,
    column_chart,
    nice_ceiling,
    number,
    percent,
    ticks,
)

PLOT = 188  # COLUMN_HEIGHT 260 less 24 at the top and 48 at the bottom


def months(values: list[list[int]], series: int = 1) -> object:
    return column_chart(
        title="Recibidas",
        description="Por mes",
        x_label="Mes",
        y_label="Casos",
        categories=[(f"m{i}", "") for i in range(len(values))],
        series=[Series("A"), Series("B", "hatch")][:series],
        values=values,
    )


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (380, 500)]
)
def test_the_scale_ends_on_a_round_number_not_below_the_largest_value(
    value: int, ceiling: int
) -> None:
    assert nice_ceiling(value) == ceiling


def test_gridlines_start_at_zero_and_reach_the_top() -> None:
    assert ticks(1) == [0, 1]
    assert ticks(10) == [0, 2, 4, 6, 8, 10]
    assert ticks(20) == [0, 5, 10, 15, 20]
    assert ticks(500) == [0, 100, 200, 300, 400, 500]


def test_column_heights_are_proportional_to_the_values_from_the_baseline() -> None:
    chart = months([[5], [10], [0]])  # the scale ends at 10
    first, second, third = chart.columns
    assert chart.baseline == 24 + PLOT and chart.maximum == 10
    assert first.segments[0].height == pytest.approx(PLOT / 2)
    assert second.segments[0].height == pytest.approx(PLOT)
    assert second.segments[0].y == pytest.approx(24)  # the tallest reaches the top
    assert third.segments == []  # nothing drawn for zero
    assert first.segments[0].y + first.segments[0].height == pytest.approx(chart.baseline)


def test_stacked_segments_sit_on_each_other_and_keep_their_patterns() -> None:
    chart = months([[3, 1]], series=2)  # total 4, scale 5
    (column,) = chart.columns
    low, high = column.segments
    assert (low.pattern, high.pattern) == ("solid", "hatch")
    assert low.height == pytest.approx(PLOT * 3 / 5) and high.height == pytest.approx(PLOT / 5)
    assert high.y + high.height == pytest.approx(low.y)
    assert column.total_text == "4" and column.values_text == ["3", "1"]


def test_an_empty_chart_has_a_scale_and_no_bars() -> None:
    chart = months([[0], [0]])
    assert chart.empty and chart.maximum == 1
    assert all(not c.segments for c in chart.columns)
    assert not months([]).columns and months([]).height == COLUMN_HEIGHT


def test_horizontal_bars_are_proportional_and_long_labels_are_cut() -> None:
    long = "Dirección de Cobertura y Acceso a la Educación Preescolar, Básica y Media del Distrito"
    chart = bar_chart(
        title="Por dependencia",
        description="Recibidas",
        label_heading="Dependencia",
        value_label="Recibidas",
        lines=[(long, 40), ("Local", 10), ("Sin casos", 0)],
    )  # the scale ends at 50
    wide, narrow, none = chart.rows
    assert wide.bar_width == pytest.approx(chart.plot_width * 40 / 50)
    assert narrow.bar_width == pytest.approx(chart.plot_width * 10 / 50)
    assert none.bar_width == 0 and none.value_text == "0"
    assert len(wide.label) == LABEL_CHARACTERS and wide.label.endswith("…")
    assert wide.full_label == long and narrow.label == "Local"
    assert wide.value_x > wide.bar_width  # its number after the bar, not over it


def test_numbers_are_written_the_way_each_language_writes_them() -> None:
    with translation.override("es"):
        assert (number(1234), number(4.5, 1), percent(0.85)) == ("1.234", "4,5", "85\u00a0%")
        assert number(1234567) == "1.234.567" and percent(None) == NOTHING
    with translation.override("en"):
        assert (number(1234), number(4.5, 1), percent(0.85)) == ("1,234", "4.5", "85%")


def test_the_svg_names_itself_and_comes_with_a_table_of_the_same_numbers() -> None:
    chart = months([[1234, 5]], series=2)
    html = render_to_string("charts/column.html", {"chart": chart})
    assert 'role="img"' in html and f'aria-labelledby="{chart.id}-title {chart.id}-desc"' in html
    assert f'<title id="{chart.id}-title">Recibidas</title>' in html
    assert "<caption>Recibidas</caption>" in html and '<th scope="col">Mes</th>' in html
    assert '<td class="num">1.234</td>' in html and '<td class="num">1.239</td>' in html
    assert f'fill="url(#{chart.id}-hatch)"' in html  # the second series is hatched, not only red
    assert 'viewBox="0 0 480 260"' in html and 'width="100%"' in html
