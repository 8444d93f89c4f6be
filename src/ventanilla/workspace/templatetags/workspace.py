from django import template
from django.http import HttpRequest

from ventanilla.insights.scopes import DASHBOARD_ROLE, report_entities
from ventanilla.organization.models import Role
from ventanilla.organization.selectors import dependencies_for
from ventanilla.places.selectors import manages_a_season

register = template.Library()


@register.simple_tag(takes_context=True)
def manages_places(context: template.Context) -> bool:
    """Whether the signed-in official works in a coverage office of school places (the menu
    offers those pages only then)."""
    request: HttpRequest | None = context.get("request")
    return request is not None and manages_a_season(request.user)


@register.simple_tag(takes_context=True)
def reads_dashboards(context: template.Context) -> bool:
    """Whether the signed-in official may read a dashboard of figures (the menu links it)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return False
    return dependencies_for(request.user, role_at_least=DASHBOARD_ROLE).exists()


@register.simple_tag(takes_context=True)
def reads_surveys(context: template.Context) -> bool:
    """Whether the official approves or supervises somewhere (the survey results are theirs)."""
    request: HttpRequest | None = context.get("request")
    return (
        request is not None and dependencies_for(request.user, role_at_least=Role.APPROVER).exists()
    )


@register.simple_tag(takes_context=True)
def reads_reports(context: template.Context) -> bool:
    """Whether the official may read an entity's legal report (the menu links it)."""
    request: HttpRequest | None = context.get("request")
    return request is not None and bool(report_entities(request.user))
