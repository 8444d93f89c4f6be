from django import template
from django.http import HttpRequest
from django.urls import translate_url

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
