from collections.abc import Iterable
from datetime import time
from typing import Any

from django import template
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ventanilla.catalog.schema import Term, TermUnit

register = template.Library()


@register.filter
def term_text(term: Term) -> str:
    """A legal term as a citizen reads it: "15 días hábiles", "1 mes"."""
    n = term.amount
    if term.unit == TermUnit.BUSINESS_DAYS:
        return ngettext("%(n)s día hábil", "%(n)s días hábiles", n) % {"n": n}
    if term.unit == TermUnit.CALENDAR_DAYS:
        return ngettext("%(n)s día calendario", "%(n)s días calendario", n) % {"n": n}
    return ngettext("%(n)s mes", "%(n)s meses", n) % {"n": n}


@register.filter
def weekly_hours(rows: Iterable[Any]) -> list[str]:
    """Opening hours as people say them: «lunes a viernes: 7:00 a 12:00 y 13:00 a 16:00»,
    «sábado: 8:00 a 12:00». Rows are (weekday, opens, closes) objects, several per day;
    periods that touch are one («6:30 a 12:30» and «12:30 a 18:00» read «6:30 a 18:00»), and
    days with the same hours are named together."""
    days: dict[int, list[list[time]]] = {}
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens)):
        periods = days.setdefault(row.weekday, [])
        if periods and periods[-1][1] >= row.opens:
            periods[-1][1] = max(periods[-1][1], row.closes)
        else:
            periods.append([row.opens, row.closes])
    groups: list[tuple[list[int], tuple[tuple[time, time], ...]]] = []
    for weekday in sorted(days):
        key = tuple((opens, closes) for opens, closes in days[weekday])
        if groups and groups[-1][1] == key and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], key))
    lines = []
    for weekdays, same_hours in groups:
        first, last = WEEKDAYS[weekdays[0]], WEEKDAYS[weekdays[-1]]
        if len(weekdays) == 1:
            names = str(first)
        elif len(weekdays) == 2:  # two days are named, not a range
            names = _("%(first)s y %(last)s") % {"first": first, "last": last}
        else:
            names = _("%(first)s a %(last)s") % {"first": first, "last": last}
        spans = [
            _("%(opens)s a %(closes)s") % {"opens": _clock(o), "closes": _clock(c)}
            for o, c in same_hours
        ]
        text = (
            spans[0]
            if len(spans) == 1
            else _("%(some)s y %(last)s")
            % {
                "some": ", ".join(spans[:-1]),
                "last": spans[-1],
            }
        )
        lines.append(f"{names}: {text}")
    return lines


def _clock(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"
