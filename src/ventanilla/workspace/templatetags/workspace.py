from typing import Any

from django import template
from django.http import HttpRequest

from ventanilla.insights.scopes import DASHBOARD_ROLE
from ventanilla.organization.models import ROLE_RANK, Role
from ventanilla.organization.selectors import memberships_of
from ventanilla.places.selectors import manages_a_season

register = template.Library()


@register.simple_tag(takes_context=True)
def manages_places(context: template.Context) -> bool:
    """Whether the signed-in official works in a coverage office of school places (the menu
    offers those pages only then)."""
    request: HttpRequest | None = context.get("request")
    return request is not None and manages_a_season(request.user)


def _roles(request: HttpRequest | None) -> list[tuple[int, bool]]:
    """The official's roles, ranked, each with whether it is held on a top-level dependency:
    read once per request, for the menu's three links below."""
    if request is None:
        return []
    cached: list[tuple[int, bool]] | None = getattr(request, "_menu_roles", None)
    if cached is None:
        held = memberships_of(request.user)
        cached = [
            (ROLE_RANK[role], parent is None)
            for role, parent in held.values_list("role", "dependency__parent_id")
        ]
        request._menu_roles = cached  # type: ignore[attr-defined]
    return cached


def _holds(context: Any, role: Role, *, top_level: bool = False) -> bool:
    return any(
        rank >= ROLE_RANK[role] and (top or not top_level)
        for rank, top in _roles(context.get("request"))
    )


@register.simple_tag(takes_context=True)
def reads_dashboards(context: template.Context) -> bool:
    """Whether the signed-in official may read a dashboard of figures (the menu links it)."""
    return _holds(context, DASHBOARD_ROLE)


@register.simple_tag(takes_context=True)
def reads_surveys(context: template.Context) -> bool:
    """Whether the official approves or supervises somewhere (the survey results are theirs)."""
    return _holds(context, Role.APPROVER)


@register.simple_tag(takes_context=True)
def reads_reports(context: template.Context) -> bool:
    """Whether the official may read an entity's legal report: a supervisor's role on a
    top-level dependency, as `insights.scopes.report_entities` asks."""
    return _holds(context, Role.SUPERVISOR, top_level=True)
