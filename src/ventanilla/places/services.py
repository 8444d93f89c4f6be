"""Operations on a school-place season: publish its rules, load and change its supply, review a
priority group's evidence. The stage 1 allocation is `places.allocating`; what happens to a
place once given (stage 2 claims, accepting, formalising, releasing) is `places.assignments`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.cases.models import Case
from ventanilla.cases.notify import case_notify
from ventanilla.cases.timeline import event_append
from ventanilla.core import clock, memo
from ventanilla.organization.models import ServicePoint
from ventanilla.places import notices, selectors
from ventanilla.places.effects import KIND
from ventanilla.places.models import (
    Application,
    Evidence,
    Offer,
    OfferChange,
    Season,
    SeasonRules,
)
from ventanilla.places.rules import RulesProblem, SeasonDefinition, parse_rules

if TYPE_CHECKING:
    from ventanilla.accounts.models import User


class PlaceError(Exception):
    """The operation is refused; `message` says why, in words for the person."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def rules_in_force(season: Season) -> SeasonRules:
    rules = selectors.published_rules(season)
    if rules is None:
        raise PlaceError("no_rules", _("La temporada todavía no tiene reglas publicadas."))
    return rules


def season_day(season: Season) -> date:
    return selectors.season_today(season)


def _actor_label(actor: User | None) -> str:
    return actor.get_full_name() or actor.email if actor is not None else ""


def route_note(application: Application, what: str, *, actor: User | None, **data: Any) -> None:
    """Write a line on the application's case route (kind `place`); the caller's transaction
    holds the change."""
    case = Case.objects.select_for_update().get(pk=application.case_id)
    event_append(
        case=case,
        at=clock.now(),
        kind=KIND,
        actor_id=actor.pk if actor is not None else None,
        actor_label=_actor_label(actor),
        stage_from=case.stage,
        stage_to=case.stage,
        data={"what": what, **data},
    )


# --- The season's rules ---------------------------------------------------------------------


def season_saved(*, season: Season) -> None:
    """Forget what is remembered about which services are seasons' (a season was added or
    moved); a save through the ORM does it too (`core.memo` follows the seasons)."""
    memo.configuration_changed()


def rules_publish(*, rules: SeasonRules, actor: User | None) -> SeasonRules:
    """Publish a version of a season's rules: valid, and before stage 1 opens (the rules in
    force then, and these). From then on the version never changes."""
    try:
        definition = parse_rules(rules.text)
    except RulesProblem as problem:
        raise PlaceError("invalid", "; ".join(problem.lines)) from problem
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=rules.season_id)
        today = season_day(season)
        current = selectors.published_rules(season)
        if current is not None and current.pk == rules.pk:
            raise PlaceError("published", _("Esta versión ya está publicada."))
        if current is not None and today >= current.parsed.stage1.opens:
            raise PlaceError(
                "started",
                _("La etapa 1 ya abrió: las reglas publicadas no se pueden cambiar."),
            )
        if today >= definition.stage1.opens:
            raise PlaceError(
                "late",
                _("Publique las reglas antes de que abra la etapa 1 (%(day)s).")
                % {"day": definition.stage1.opens.isoformat()},
            )
        SeasonRules.objects.filter(pk=rules.pk).update(published_at=clock.now(), published_by=actor)
        memo.configuration_changed()  # the service's public page links to the season
    rules.refresh_from_db()
    return rules


# --- Supply ---------------------------------------------------------------------------------

CSV_COLUMNS = ("colegio", "grado", "jornada", "cupos", "antiguos")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def _offer_change(
    offer: Offer, *, before: tuple[int, int] | None, actor: User | None, source: str, note: str
) -> None:
    OfferChange.objects.create(
        offer=offer,
        at=clock.now(),
        actor=actor,
        source=source,
        capacity_before=before[0] if before else None,
        capacity_after=offer.capacity,
        continuing_before=before[1] if before else None,
        continuing_after=offer.continuing,
        note=note,
    )


def _csv_rows(
    text: str, rules: SeasonDefinition, points: dict[str, int]
) -> tuple[list[tuple[int, int, str, str, int, int]], list[str]]:
    """The CSV's rows as (line, point id, grade, shift, places, continuing), and what is wrong
    with each line that is not."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [
            _("Faltan columnas: %(columns)s. El archivo debe tener: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(CSV_COLUMNS)}
        ]
    rows, problems, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        code = (row.get("colegio") or "").strip().upper()
        grade, shift = (row.get("grado") or "").strip(), (row.get("jornada") or "").strip()
        wrong = []
        if code not in points:
            wrong.append(_("no hay un colegio con el código «%(code)s»") % {"code": code})
        if rules.grade(grade) is None:
            wrong.append(_("el grado «%(grade)s» no está en las reglas") % {"grade": grade})
        if rules.shift(shift) is None:
            wrong.append(_("la jornada «%(shift)s» no está en las reglas") % {"shift": shift})
        try:
            places = int((row.get("cupos") or "").strip())
            continuing = int((row.get("antiguos") or "0").strip() or "0")
            if places < 0 or continuing < 0 or continuing > places:
                raise ValueError
        except ValueError:
            wrong.append(_("«cupos» y «antiguos» son números enteros y antiguos ≤ cupos"))
            places = continuing = 0
        if (code, grade, shift) in seen:
            wrong.append(_("la misma fila de colegio, grado y jornada ya apareció"))
        seen.add((code, grade, shift))
        if wrong:
            problems.append(
                _("Línea %(line)s: %(what)s.") % {"line": line, "what": "; ".join(wrong)}
            )
        else:
            rows.append((line, points[code], grade, shift, places, continuing))
    return rows, problems


def offers_import(*, season: Season, text: str, actor: User | None) -> ImportResult:
    """Load the places offered from the coverage office's CSV (colegio, grado, jornada, cupos,
    antiguos): all lines or none. A change is kept in each offer's history; a line cannot leave
    fewer places than those already given."""
    rules = rules_in_force(season).parsed
    points = dict(ServicePoint.objects.filter(entity=season.entity).values_list("code", "pk"))
    rows, problems = _csv_rows(text, rules, points)
    result = ImportResult(problems=problems)
    if problems:
        return result
    with transaction.atomic():
        existing = {
            (o.point_id, o.grade, o.shift): o
            for o in Offer.objects.select_for_update().filter(season=season)
        }
        for line, point_id, grade, shift, places, continuing in rows:
            offer = existing.get((point_id, grade, shift))
            if offer is None:
                offer = Offer.objects.create(
                    season=season,
                    point_id=point_id,
                    grade=grade,
                    shift=shift,
                    capacity=places,
                    continuing=continuing,
                )
                _offer_change(offer, before=None, actor=actor, source="import", note="")
                result.created += 1
                continue
            if (offer.capacity, offer.continuing) == (places, continuing):
                result.unchanged += 1
                continue
            if places - continuing < offer.taken:
                result.problems.append(
                    _("Línea %(line)s: ya hay %(taken)s cupos asignados; no pueden quedar menos.")
                    % {"line": line, "taken": offer.taken}
                )
                continue
            before = (offer.capacity, offer.continuing)
            offer.capacity, offer.continuing = places, continuing
            offer.save(update_fields=["capacity", "continuing"])
            _offer_change(offer, before=before, actor=actor, source="import", note="")
            result.updated += 1
        if result.problems:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result


def offer_update(
    *, offer: Offer, capacity: int, continuing: int, actor: User | None, note: str = ""
) -> Offer:
    """Change an offer's places by hand (the admin), never below the places already given."""
    with transaction.atomic():
        current = Offer.objects.select_for_update().get(pk=offer.pk)
        if continuing > capacity or capacity - continuing < current.taken:
            raise PlaceError(
                "below_taken",
                _("Ya hay %(taken)s cupos asignados: lo ofrecido no puede quedar por debajo.")
                % {"taken": current.taken},
            )
        before = (current.capacity, current.continuing)
        current.capacity, current.continuing = capacity, continuing
        current.save(update_fields=["capacity", "continuing"])
        _offer_change(current, before=before, actor=actor, source="admin", note=note)
    return current


# --- Evidence ------------------------------------------------------------------------------


def evidence_review(
    *, application: Application, approved: bool, note: str, actor: User
) -> Application:
    """Approve or reject the evidence of an application's priority group; a rejection says why
    and the family is told (they may contest it with a petition)."""
    note = note.strip()
    if not approved and not note:
        raise PlaceError("note_required", _("Escriba el motivo del rechazo: la familia lo leerá."))
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.evidence == Evidence.NONE:
            raise PlaceError("no_group", _("Esta postulación no declaró un grupo prioritario."))
        if selectors.real_run(current.season) is not None:
            raise PlaceError(
                "allocated", _("La asignación de la etapa 1 ya se hizo con lo verificado.")
            )
        current.evidence = Evidence.APPROVED if approved else Evidence.REJECTED
        current.evidence_note = note
        current.evidence_by = actor
        current.evidence_at = clock.now()
        current.save(update_fields=["evidence", "evidence_note", "evidence_by", "evidence_at"])
        what = "evidence_approved" if approved else "evidence_rejected"
        route_note(current, what, actor=actor, reason=note)
        if not approved:
            case = current.case
            case_notify(
                case=case,
                event=notices.EVIDENCE,
                sms=True,
                extra=notices.both_languages(_evidence_text, note),
            )
    return current


def _evidence_text(note: str) -> tuple[str, str]:
    short = _("No se aceptó el soporte de su grupo prioritario.")
    return f"{short} {_('Motivo')}: {note}", short
