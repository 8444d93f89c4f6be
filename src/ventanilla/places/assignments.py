"""What happens to a place once given: taken at once in stage 2 (the database decides who gets
the last one), accepted, formalised with the enrolment documents, declined, or released when
its deadline passes (a periodic task), and freed when its case is withdrawn.

Every place given or returned is one conditional UPDATE on its offer's `taken`, with the CHECK
behind it, so however many families ask at once no offer gives more places than it has.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ventanilla.calendars.business import add_business_days
from ventanilla.cases.documents import attachment_problems, document_row, file_store
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.models import Case
from ventanilla.cases.notify import case_notify
from ventanilla.core import clock
from ventanilla.organization.selectors import entity_calendar
from ventanilla.places import notices, selectors
from ventanilla.places.models import Application, Assignment, Offer
from ventanilla.places.rules import SeasonDefinition
from ventanilla.places.services import PlaceError, route_note, rules_in_force, season_day

if TYPE_CHECKING:
    from ventanilla.accounts.models import User
    from ventanilla.cases.uploads import Upload


def _take(offer_id: int) -> bool:
    """One place of the offer, if one is free: the database decides."""
    return bool(
        Offer.objects.filter(pk=offer_id, taken__lt=F("capacity") - F("continuing")).update(
            taken=F("taken") + 1
        )
    )


def _give_back(offer_id: int) -> None:
    Offer.objects.filter(pk=offer_id, taken__gt=0).update(taken=F("taken") - 1)


def place_claim(*, application: Application, offer: Offer, actor: User | None) -> Assignment:
    """Stage 2: take a free place at once. Exactly as many families get an offer's last places
    as there are places; the others are told it is gone."""
    rules = rules_in_force(application.season).parsed
    if rules.stage_on(season_day(application.season)) != "stage2":
        raise PlaceError(
            "not_stage2",
            _("Los cupos libres se toman en la etapa 2, del %(opens)s al %(closes)s.")
            % {"opens": rules.stage2.opens.isoformat(), "closes": rules.stage2.closes.isoformat()},
        )
    if offer.season_id != application.season_id or offer.grade != application.grade:
        raise PlaceError("wrong_grade", _("Ese cupo no es del grado de la postulación."))
    if application.state != Application.State.ACTIVE:
        raise PlaceError("inactive", _("Esta postulación ya no está activa."))
    limit = selectors.transfer_limit_m(application)
    if limit is not None and not selectors.nearer_than(application, limit, offer.point):
        raise PlaceError(
            "farther",
            _(
                "Un traslado por cercanía solo toma cupos en colegios más cercanos a su vivienda "
                "que %(school)s. Elija otro."
            )
            % {"school": application.current_point.name if application.current_point else ""},
        )
    calendar = entity_calendar(application.season.entity)
    try:
        with transaction.atomic():
            if selectors.live_assignment(application) is not None:
                raise PlaceError("has_place", _("Esta postulación ya tiene un cupo."))
            if not _take(offer.pk):
                raise PlaceError(
                    "full",
                    _("Otra familia acaba de tomar el último cupo de ese grado. Elija otro."),
                )
            now = clock.now()
            assignment = Assignment.objects.create(
                application=application,
                offer=offer,
                stage=2,
                state=Assignment.State.OFFERED,
                offered_at=now,
                accept_by=add_business_days(
                    season_day(application.season), rules.acceptance_days, calendar
                ),
                announced_at=now,
            )
            route_note(application, "claimed", actor=actor, school=offer.point.name)
            case_notify(
                case=application.case,
                event=notices.CLAIMED,
                sms=True,
                extra={
                    "school": offer.point.name,
                    **notices.both_languages(notices.result_text, assignment, application, rules),
                },
            )
    except IntegrityError as error:
        # The same family twice at once: the second meets the first's place.
        raise PlaceError("has_place", _("Esta postulación ya tiene un cupo.")) from error
    return assignment


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("application__season__entity", "offer__point")
        .get(pk=assignment.pk)
    )


def assignment_accept(*, assignment: Assignment, actor: User | None) -> Assignment:
    """The family accepts the place, within its deadline; the formalisation deadline starts."""
    with transaction.atomic():
        current = _locked(assignment)
        if current.state != Assignment.State.OFFERED:
            raise PlaceError("not_offered", _("Este cupo ya no está por aceptar."))
        season = current.application.season
        today = season_day(season)
        if today > current.accept_by:
            raise PlaceError("late", _("El plazo para aceptar este cupo ya pasó."))
        rules = rules_in_force(season).parsed
        current.state = Assignment.State.ACCEPTED
        current.accepted_at = clock.now()
        current.formalise_by = add_business_days(
            today, rules.formalisation_days, entity_calendar(season.entity)
        )
        current.save(update_fields=["state", "accepted_at", "formalise_by"])
        route_note(current.application, "accepted", actor=actor, school=current.offer.point.name)
    return current


def assignment_decline(*, assignment: Assignment, actor: User | None) -> Assignment:
    """The family does not want the place: it is free again at once."""
    return _end(assignment, Assignment.State.DECLINED, "declined", actor=actor, reason="")


def assignment_formalise(
    *, assignment: Assignment, uploads: list[Upload], actor: User | None
) -> Assignment:
    """The family formalises the enrolment by sending the documents; they join the case."""
    if not uploads:
        raise PlaceError("no_files", _("Adjunte los documentos de la matrícula."))
    problems = [p for upload in uploads for p in attachment_problems(upload)]
    if problems:
        raise PlaceError("bad_file", " ".join(problems))
    case_id = assignment.application.case_id
    stored = [file_store(u, folder=f"places/{case_id}") for u in uploads]
    try:
        with transaction.atomic():
            current = _locked(assignment)
            if current.state != Assignment.State.ACCEPTED:
                raise PlaceError("not_accepted", _("Primero acepte el cupo."))
            if (
                current.formalise_by
                and season_day(current.application.season) > current.formalise_by
            ):
                raise PlaceError("late", _("El plazo para formalizar la matrícula ya pasó."))
            now = clock.now()
            case = Case.objects.select_for_update().get(pk=case_id)
            for row in [document_row(case, f, at=now, by=actor) for f in stored]:
                row.key = "matricula"
                row.save()
            current.state = Assignment.State.FORMALISED
            current.formalised_at = now
            current.save(update_fields=["state", "formalised_at"])
            route_note(
                current.application, "formalised", actor=actor, school=current.offer.point.name
            )
    except BaseException:
        for f in stored:
            default_storage.delete(f.path)
        raise
    return current


def _end(
    assignment: Assignment, state: str, what: str, *, actor: User | None, reason: str
) -> Assignment:
    with transaction.atomic():
        current = _locked(assignment)
        if current.state not in {Assignment.State.OFFERED, Assignment.State.ACCEPTED}:
            raise PlaceError("ended", _("Este cupo ya no está activo."))
        current.state = state
        current.ended_at = clock.now()
        current.end_reason = reason
        current.save(update_fields=["state", "ended_at", "end_reason"])
        _give_back(current.offer_id)
        route_note(
            current.application, what, actor=actor, school=current.offer.point.name, reason=reason
        )
    return current


def assignments_release(*, now: datetime | None = None, limit: int = 500) -> int:
    """Release the places not accepted or not formalised in time (a periodic task): each is
    free again for stage 2, and its family is told why."""
    now = now or clock.now()
    released = 0
    due = list(
        Assignment.objects.filter(state__in=[Assignment.State.OFFERED, Assignment.State.ACCEPTED])
        .select_related("application__season__entity", "application__case", "offer__point")
        .order_by("pk")[: limit * 4]
    )
    for assignment in due:
        today = season_day(assignment.application.season)
        if assignment.state == Assignment.State.OFFERED and today > assignment.accept_by:
            reason = _("no se aceptó a tiempo")
        elif (
            assignment.state == Assignment.State.ACCEPTED
            and assignment.formalise_by is not None
            and today > assignment.formalise_by
        ):
            reason = _("no se formalizó la matrícula a tiempo")
        else:
            continue
        try:
            ended = _end(
                assignment, Assignment.State.RELEASED, "released", actor=None, reason=reason
            )
        except PlaceError:
            continue
        application = ended.application
        rules = rules_in_force(application.season).parsed
        with transaction.atomic():
            case_notify(
                case=application.case,
                event=notices.RELEASED,
                sms=True,
                extra={
                    "school": ended.offer.point.name,
                    **notices.both_languages(_released_text, ended, rules),
                },
            )
        released += 1
        if released >= limit:
            break
    return released


def _released_text(assignment: Assignment, rules: SeasonDefinition) -> tuple[str, str]:
    short = _("Se liberó su cupo en %(school)s: %(reason)s.") % {
        "school": assignment.offer.point.name,
        "reason": assignment.end_reason,
    }
    return short, short


@subscribe(CaseEvent.CLOSED)
def application_close(happened: Happened) -> None:
    """A case withdrawn or refused ends its application, and frees a place it held but had not
    formalised; a case answered after formalising keeps its place."""
    application = Application.objects.filter(
        case_id=happened.case.pk, state=Application.State.ACTIVE
    ).first()
    if application is None:
        return
    live = selectors.live_assignment(application)
    if live is not None and live.state == Assignment.State.FORMALISED:
        return
    Application.objects.filter(pk=application.pk).update(state=Application.State.WITHDRAWN)
    if live is not None:
        live.state = Assignment.State.RELEASED
        live.ended_at = clock.now()
        live.end_reason = _("la solicitud se cerró")
        live.save(update_fields=["state", "ended_at", "end_reason"])
        _give_back(live.offer_id)
