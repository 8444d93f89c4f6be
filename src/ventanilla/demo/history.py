"""A history of cases in every state, so that inboxes, the citizen's area and the dashboards of
the demo are not empty. Made with the real services (filing, transitions, responses) at past
dates with the clock frozen, so routes, numbers and clocks are exactly what production makes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ventanilla.accounts.models import User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.calendars.business import add_business_days
from ventanilla.cases.filing import Contact, FilingError, case_file
from ventanilla.cases.models import Case, FilerKind, FilingChannel
from ventanilla.cases.services import TransitionError, TransitionInput, case_transition
from ventanilla.cases.upkeep import cases_refresh_sla
from ventanilla.cases.uploads import Upload
from ventanilla.cases.workflow import Actor, actions_for
from ventanilla.catalog.fields import field_kind
from ventanilla.catalog.models import Service, VersionStatus
from ventanilla.catalog.schema import Effect, ServiceDefinition
from ventanilla.catalog.selectors import service_points_for
from ventanilla.core import clock
from ventanilla.notifications.services import notifications_settle_history
from ventanilla.organization.models import (
    ROLE_RANK,
    Dependency,
    Entity,
    Level,
    Membership,
)
from ventanilla.organization.selectors import entity_calendar
from ventanilla.surveys.models import Invitation, Solved
from ventanilla.surveys.services import survey_answer

BOGOTA = ZoneInfo("America/Bogota")
KENNEDY = "08"  # the locality of the demo's local and school officials
SEED = 1755
INFORMATION_REQUESTED_WITHIN_DAYS = 10
# One blank page: the smallest PDF a reader (and the upload check) opens.
PDF = (
    b"%PDF-1.4\n% documento de demostracion\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
GIVEN = [
    "Luz",
    "Carlos",
    "Diana",
    "Jorge",
    "Paola",
    "Andrés",
    "Marcela",
    "Felipe",
    "Nidia",
    "Óscar",
]
FAMILY = [
    "Rodríguez",
    "Gómez",
    "Martínez",
    "López",
    "Hernández",
    "Díaz",
    "Moreno",
    "Rojas",
    "Suárez",
]


@dataclass
class Plan:
    """What happens to one demo case after filing, as effects to apply in order."""

    effects: list[Effect] = field(default_factory=list)


PLANS = [
    Plan(),  # just filed, waiting in the inbox
    Plan([Effect.ADVANCE]),
    Plan([Effect.ADVANCE, Effect.REQUEST_INFORMATION]),  # waiting for the citizen
    Plan([Effect.ADVANCE, Effect.REQUEST_INFORMATION, Effect.PROVIDE_INFORMATION]),
    Plan([Effect.ADVANCE, Effect.EXTEND_TERM]),
    Plan([Effect.ADVANCE, Effect.ADVANCE, Effect.CLOSE_WITH_RESPONSE]),
    Plan([Effect.ADVANCE, Effect.REJECT]),
    Plan([Effect.WITHDRAW]),
]


def _pick[T](rng: random.Random, favourite: T | None, others: list[T]) -> T | None:
    """Half the time the favourite (so the Kennedy demo officials have work), else any."""
    if favourite is not None and (rng.random() < 0.5 or not others):
        return favourite
    return rng.choice(others) if others else None


def _answers(definition: ServiceDefinition, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for field_ in definition.form.fields:
        condition = field_.visible_if
        if condition is not None and not condition.holds(answers.get(condition.field)):
            continue
        if field_.document and not any(
            d.key == field_.document and d.mandatory for d in definition.documents
        ):
            continue
        answers[field_.key] = field_kind(field_.type).example(field_, rng)
    return answers


def _officials_for(case: Case) -> list[User]:
    """Who works the case, as in an office: whoever holds it, then the people of its
    dependency from the lowest role up (a handler acts, an approver signs off)."""
    members = Membership.objects.filter(dependency=case.dependency, active=True).select_related(
        "user"
    )
    ranked = sorted(members, key=lambda m: (ROLE_RANK[m.role], m.user_id))
    people = [case.assignee] if case.assignee is not None else []
    return people + [m.user for m in ranked if m.user != case.assignee]


def _act(case: Case, effect: Effect, actor: User, when: datetime) -> Case:
    """Take the first action of the case's stage with `effect`, as the citizen or as the first
    official of the case who may (`actor`, the entity's supervisor, if nobody else may)."""
    with clock.frozen(when):
        as_actor = (
            Actor.CITIZEN
            if effect in {Effect.PROVIDE_INFORMATION, Effect.WITHDRAW}
            else Actor.OFFICIAL
        )
        if as_actor == Actor.CITIZEN and case.applicant is None:
            as_actor = Actor.GUEST  # a guest answers from the link in their email
        if as_actor == Actor.OFFICIAL:
            people: list[User | None] = [*_officials_for(case), actor]
        else:
            people = [case.applicant if as_actor == Actor.CITIZEN else None]
        for who in people:
            if who is None and as_actor != Actor.GUEST:
                continue
            # Sending an answer for sign-off moves the case on as well.
            moving = {effect, Effect.DRAFT_ANSWER} if effect == Effect.ADVANCE else {effect}
            choices = [
                a for a in actions_for(case, user=who, as_actor=as_actor) if a.effect in moving
            ]
            if choices:
                break
        else:
            return case
        payload = TransitionInput(comment="Trámite de demostración.")
        if effect == Effect.EXTEND_TERM:
            payload.new_due_date = add_business_days(case.due_date, 5, entity_calendar(case.entity))
        if effect == Effect.CLOSE_WITH_RESPONSE:
            payload.comment = (
                "Respetado(a) ciudadano(a): atendimos su solicitud. Esta es una respuesta de "
                "demostración generada por la plataforma."
            )
        try:
            return case_transition(
                case=case, action=choices[0].key, actor=who, as_actor=as_actor, payload=payload
            )
        except TransitionError:
            return case


# Short, generic comments: the demo's answers carry no personal details.
SURVEY_COMMENTS = [
    "",
    "Respondieron a tiempo.",
    "",
    "El formulario fue fácil de llenar.",
    "Me hubiera gustado una respuesta más clara.",
    "",
]


def survey_answers_load(now: datetime | None = None) -> None:
    """Answer three of every four survey invitations the closing notices opened, a day after
    each, so the office's results page has figures (the links themselves are never sent)."""
    now = now or clock.now()
    ratings = [5, 4, 4, 3, 5, 2, 4, 1, 5, 3]
    outcomes = [Solved.YES, Solved.YES, Solved.PARTLY, Solved.NO]
    waiting = Invitation.objects.filter(answered_at__isnull=True).order_by("pk")
    for index, invitation in enumerate(waiting):
        answered_at = invitation.created_at + timedelta(days=1)
        if index % 4 == 3 or answered_at >= now:
            continue
        with clock.frozen(answered_at):
            survey_answer(
                invitation=invitation,
                rating=ratings[index % len(ratings)],
                solved=outcomes[index % len(outcomes)],
                comment=SURVEY_COMMENTS[index % len(SURVEY_COMMENTS)],
            )


def _play(
    case: Case, plan: Plan, filed: datetime, now: datetime, supervisor: User, rng: random.Random
) -> None:
    """Take the plan's steps a few business days apart, up to now."""
    calendar = entity_calendar(case.entity)
    step_at = filed
    for effect in plan.effects:
        step_at = datetime.combine(
            add_business_days(step_at.date(), rng.randint(1, 3), calendar),
            step_at.timetz(),
        )
        if effect == Effect.REQUEST_INFORMATION:
            # Recent enough that the month to answer (and the reminder before it) is still
            # ahead: the worker's first round must not close or remind demo cases at once.
            step_at = max(step_at, now - timedelta(days=INFORMATION_REQUESTED_WITHIN_DAYS))
        if step_at >= now:
            break
        case = _act(case, effect, supervisor, step_at)


def history_load(*, cases: int = 120, now: datetime | None = None) -> int:
    """File `cases` demo cases over the past weeks and move them through their workflows.
    Does nothing when the demo already has cases (so a second run changes nothing)."""
    if Case.objects.exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not a secret
    now = now or clock.now()
    supervisor = User.objects.filter(email="supervisor@demo.ventanilla.co").first()
    citizen = User.objects.filter(email="ciudadana@demo.ventanilla.co").first()
    consent = consent_text_current()
    if supervisor is None or consent is None:
        return 0
    services = [
        s
        for s in Service.objects.filter(is_published=True, entity__code="SED").order_by("slug")
        if "online" in s.channels
    ]
    if not services:
        return 0
    sed = Entity.objects.get(code="SED")
    local_directorates = list(Dependency.objects.filter(entity=sed, level=Level.LOCAL))
    kennedy_directorate = Dependency.objects.filter(entity=sed, code=f"DLE-{KENNEDY}").first()
    filed = 0
    for index in range(cases):
        service = services[index % len(services)]
        version = service.versions.get(status=VersionStatus.PUBLISHED)
        definition = version.parsed
        days_ago = rng.randint(1, 45)
        when = (
            (now - timedelta(days=days_ago))
            .astimezone(BOGOTA)
            .replace(hour=rng.randint(7, 18), minute=rng.randint(0, 59))
        )
        mine = (
            citizen is not None
            and index % 15 == 0
            and "citizen" in {f.value for f in definition.filers}
        )
        guest = "guest" in {f.value for f in definition.filers}
        if not mine and not guest:
            continue
        uploads = [
            Upload(d.key, f"{d.key}.pdf", PDF)
            for d in definition.documents
            if d.mandatory and "pdf" in d.accepted_types
        ]
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        try:
            with clock.frozen(when):
                filing = case_file(
                    service_version=version,
                    answers=_answers(definition, rng),
                    channel=rng.choice(
                        [FilingChannel.ONLINE] * 3
                        + ([FilingChannel.IN_PERSON] if "in_person" in service.channels else [])
                    ),
                    filer_kind=FilerKind.CITIZEN if mine else FilerKind.GUEST,
                    applicant=citizen if mine else None,
                    contact=None
                    if mine
                    else Contact(name=name, email=f"demo{index}@example.co", phone="3001234567"),
                    documents=uploads,
                    consent_text=consent,
                    chosen_dependency=_pick(rng, kennedy_directorate, local_directorates),
                    service_point=_pick(
                        rng,
                        service_points_for(service)
                        .filter(locality__code=KENNEDY)
                        .order_by("code")
                        .first(),
                        list(service_points_for(service)[:60]),
                    ),
                )
        except FilingError:
            continue
        filed += 1
        _play(filing.case, PLANS[index % len(PLANS)], when, now, supervisor, rng)
    cases_refresh_sla()
    # The history's mail belongs to the past: nobody should receive it now.
    notifications_settle_history(before=now)
    return filed
