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


@register.simple_tag(takes_context=True)
def reads_surveys(context: template.Context) -> bool:
    """Whether the official approves or supervises somewhere (the survey results are theirs)."""
    from ventanilla.organization.models import Role
    from ventanilla.organization.selectors import dependencies_for

    request: HttpRequest | None = context.get("request")
    return (
        request is not None and dependencies_for(request.user, role_at_least=Role.APPROVER).exists()
    )
