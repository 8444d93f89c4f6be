"""How each step of a case's route reads to officials: what was done, in the workflow's own
words, and where the case went (the workspace's full route; the citizen's reads differently,
see citizen_text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.effects import CaseEffect
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.cases.timeline import EventKind
from ventanilla.catalog.effects import effect_for
from ventanilla.catalog.schema import Workflow
from ventanilla.organization.models import Dependency


@dataclass(frozen=True)
class RouteLine:
    event: TimelineEvent
    title: str
    move: str  # "Recibida → En revisión", or "" when the stage did not change
    detail: str  # extra facts from the event's data (new due date, destination…), or ""


def _stage_label(workflow: Workflow, key: str, language: str) -> str:
    for stage in workflow.stages:
        if stage.key == key:
            return stage.label.get(language)
    return key  # a stage of an older workflow: show its key rather than nothing


def _action_label(workflow: Workflow, key: object, language: str) -> str | None:
    for action in workflow.actions:
        if action.key == key:
            return action.label.get(language)
    return None


def official_route(case: Case, events: list[TimelineEvent]) -> list[RouteLine]:
    """The route as officials read it, in the order given."""
    workflow = case.service_version.parsed.workflow
    language = get_language() or "es"
    titles: dict[str, str] = {
        EventKind.FILED: pgettext("un paso del recorrido", "Radicado"),
        EventKind.ASSIGNMENT: _("Asignación"),
        EventKind.RESPONSE_DRAFTED: _("Respuesta proyectada para aprobación"),
        EventKind.MESSAGE: _("Mensaje"),
        EventKind.NOTE: _("Nota interna"),
        EventKind.REMINDER: _("Recordatorio al ciudadano antes de que venza su plazo"),
        EventKind.CLAIMED: _("El ciudadano la agregó a su cuenta con el número y el código"),
    }
    names = {**_names_of(events), **_offices_of(case, events)}
    lines = []
    for event in events:
        data = event.data
        title = (
            _action_label(workflow, data.get("action"), language)
            or titles.get(event.kind)
            or _effect_title(event.kind)
        )
        move = ""
        if event.stage_from and event.stage_to and event.stage_from != event.stage_to:
            before = _stage_label(workflow, event.stage_from, language)
            move = f"{before} → {_stage_label(workflow, event.stage_to, language)}"
        elif event.kind == "filed" and event.stage_to:
            move = _stage_label(workflow, event.stage_to, language)
        lines.append(RouteLine(event, title, move, _detail(event.kind, data, names)))
    return lines


def _names_of(events: list[TimelineEvent]) -> dict[str, str]:
    """The names of the officials that older events name by email only (one query)."""
    emails = {
        str(event.data[key])
        for event in events
        for key in ("from", "to", "assigned_to")
        if event.data.get(key) and not event.data.get(f"{key}_name")
    }
    if not emails:
        return {}
    people = User.objects.filter(email__in=emails).only("email", "first_name", "last_name")
    return {person.email: person.get_full_name() for person in people if person.get_full_name()}


def _offices_of(case: Case, events: list[TimelineEvent]) -> dict[str, str]:
    """The names of the offices that transfers name by code (one query), keyed `office:CODE`."""
    codes = {str(e.data["to_dependency"]) for e in events if e.data.get("to_dependency")}
    if not codes:
        return {}
    offices = Dependency.objects.filter(entity_id=case.entity_id, code__in=codes)
    return {f"office:{code}": name for code, name in offices.values_list("code", "name")}


def _person(data: dict[str, object], key: str, names: dict[str, str]) -> str:
    """Who the event's `key` names, by name; the email only when there is no name."""
    if named := data.get(f"{key}_name"):
        return str(named)
    email = data.get(key)
    if not email:
        return str(_("nadie"))
    return names.get(str(email), str(email))


def _effect_title(kind: str) -> str:
    try:
        effect = effect_for(kind)
    except KeyError:
        return kind
    return effect.route_title() if isinstance(effect, CaseEffect) else str(effect.label)


def _detail(kind: str, data: dict[str, object], names: dict[str, str]) -> str:
    facts = []
    if kind == EventKind.ASSIGNMENT:
        facts.append(
            _("De %(from)s a %(to)s")
            % {"from": _person(data, "from", names), "to": _person(data, "to", names)}
        )
    elif data.get("assigned_to"):
        facts.append(_("Queda a cargo de %(name)s") % {"name": _person(data, "assigned_to", names)})
    if data.get("to_entity"):
        facts.append(_("A la entidad %(entity)s, por competencia") % {"entity": data["to_entity"]})
    elif data.get("to_dependency"):
        code = str(data["to_dependency"])
        facts.append(_("A %(office)s") % {"office": names.get(f"office:{code}", code)})
    if data.get("received_on"):
        facts.append(_("Recibido: %(date)s") % {"date": _date(data["received_on"])})
    if data.get("due_date"):
        facts.append(_("Vence: %(date)s") % {"date": _date(data["due_date"])})
    deadline = data.get("information_deadline") or data.get("deadline")
    if deadline:
        facts.append(_("Plazo del ciudadano: %(date)s") % {"date": _date(deadline)})
    if data.get("response"):
        facts.append(_("Documento: %(name)s") % {"name": data["response"]})
    try:
        effect = effect_for(kind)
    except KeyError:
        effect = None
    if isinstance(effect, CaseEffect) and (own := effect.route_detail(data)):
        facts.append(own)
    return " · ".join(str(f) for f in facts)


def _date(value: object) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value)
