"""A year of answered petitions before the recent history, so the public deadline page and the
dashboards have a trend to show: each month, a few petitions of each kind filed and answered
with the real services at their past dates, most within the term and some late."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ventanilla.accounts.models import User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.calendars.business import add_business_days
from ventanilla.cases.filing import Contact, FilingError, case_file
from ventanilla.cases.models import Case, FilerKind, FilingChannel
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service, VersionStatus
from ventanilla.catalog.schema import Effect
from ventanilla.core import clock
from ventanilla.demo.history import BOGOTA, FAMILY, GIVEN, PDF, _act, _answers
from ventanilla.notifications.services import notifications_settle_history
from ventanilla.organization.selectors import entity_calendar

SEED = 1474
MONTHS = 12
PER_MONTH = 8
LATE_SHARE = 0.15  # answered a few business days after the due date
STEPS = 6  # the longest demo workflow reaches its answer in fewer
RECENT_DAYS = 50  # the recent history (`history.history_load`) covers the last 45 days


def past_year_load(*, now: datetime | None = None) -> int:
    """File and answer `PER_MONTH` petitions a month over the year before the recent history;
    how many were filed. Does nothing when the year is already there."""
    if Case.objects.filter(filed_at__lt=(now or clock.now()) - timedelta(days=RECENT_DAYS)):
        return 0
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not a secret
    now = now or clock.now()
    supervisor = User.objects.filter(email="supervisor@demo.ventanilla.co").first()
    consent = consent_text_current()
    services = [
        s
        for s in Service.objects.filter(is_published=True, entity__code="SED")
        .exclude(petition_type="")
        .order_by("slug")
        if "online" in s.channels
    ]
    if supervisor is None or consent is None or not services:
        return 0
    filed = 0
    for index in range(MONTHS * PER_MONTH):
        days_ago = RECENT_DAYS + (index * 30 * MONTHS) // (MONTHS * PER_MONTH)
        when = (now - timedelta(days=days_ago)).astimezone(BOGOTA).replace(hour=9 + index % 8)
        case = _file(services[index % len(services)], index, when, rng, consent)
        if case is None:
            continue
        filed += 1
        _answer(case, supervisor, when, late=rng.random() < LATE_SHARE, rng=rng)
    notifications_settle_history(before=now)
    return filed


def _file(
    service: Service, index: int, when: datetime, rng: random.Random, consent: object
) -> Case | None:
    version = service.versions.get(status=VersionStatus.PUBLISHED)
    definition = version.parsed
    if "guest" not in {f.value for f in definition.filers}:
        return None
    uploads = [
        Upload(d.key, f"{d.key}.pdf", PDF)
        for d in definition.documents
        if d.mandatory and "pdf" in d.accepted_types
    ]
    name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    try:
        with clock.frozen(when):
            return case_file(
                service_version=version,
                answers=_answers(definition, rng),
                channel=FilingChannel.ONLINE,
                filer_kind=FilerKind.GUEST,
                contact=Contact(name=name, email=f"anterior{index}@example.co"),
                documents=uploads,
                consent_text=consent,  # type: ignore[arg-type]
            ).case
    except FilingError:
        return None


def _answer(
    case: Case, supervisor: User, filed: datetime, *, late: bool, rng: random.Random
) -> None:
    """Move the case along its workflow and answer it: within the term, or a few business
    days after it."""
    calendar = entity_calendar(case.entity)
    if late:
        answer_on = add_business_days(case.due_date, rng.randint(1, 6), calendar)
    else:
        answer_on = min(add_business_days(filed.date(), rng.randint(2, 9), calendar), case.due_date)
    step = datetime.combine(add_business_days(filed.date(), 1, calendar), filed.timetz())
    answer_at = max(datetime.combine(answer_on, filed.timetz()), step)
    for _ in range(STEPS):
        case = _act(case, Effect.CLOSE_WITH_RESPONSE, supervisor, answer_at)
        if case.closed_at is not None:
            return
        case = _act(case, Effect.ADVANCE, supervisor, step)
