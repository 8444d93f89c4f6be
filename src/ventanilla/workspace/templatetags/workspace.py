from django import template
from django.http import HttpRequest

from ventanilla.places.selectors import manages_a_season

register = template.Library()


@register.simple_tag(takes_context=True)
def manages_places(context: template.Context) -> bool:
    """Whether the signed-in official works in a coverage office of school places (the menu
    offers those pages only then)."""
    request: HttpRequest | None = context.get("request")
    return request is not None and manages_a_season(request.user)
