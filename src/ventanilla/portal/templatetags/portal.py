from django import template
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
