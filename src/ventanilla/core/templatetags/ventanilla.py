from decimal import Decimal

from django import template
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_path(context: template.Context, language: str) -> str:
    """The current page's address in `language`, for the language switch.

    Computed while rendering, when the active language matches the address; Django's
    set_language view cannot translate an address of a language other than the one it runs in.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)


@register.filter
def localized(text: object) -> str:
    """The current language's side of a bilingual text (anything with `.get(language)`)."""
    getter = getattr(text, "get", None)
    if getter is None:
        return "" if text is None else str(text)
    return str(getter(get_language() or "es"))


@register.filter
def money(amount: Decimal | int | None) -> str:
    """Pesos as Colombians write them: $ 25.000 (no cents when there are none)."""
    if amount is None:
        return ""
    value = Decimal(amount)
    whole = f"{int(value):,}".replace(",", ".")
    cents = int((value - int(value)) * 100)
    return f"$ {whole},{cents:02d}" if cents else f"$ {whole}"
