"""Upkeep as days pass: every case's SLA state at any volume, without overwriting a change
made meanwhile; information-request reminders once, under the case's lock, whatever fails."""

from __future__ import annotations

import logging
import random
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.calendars.business import calendar_for
from ventanilla.cases import notify as notify_module
from ventanilla.cases import upkeep
from ventanilla.cases.legal import SlaState, on_time_from, sla_state
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.cases.timeline import event_append
from ventanilla.cases.upkeep import cases_refresh_sla, information_requests_upkeep
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, EntityClosure
from ventanilla.organization.selectors import entity_calendar

BOGOTA = ZoneInfo("America/Bogota")
OPEN_CASES = 20_000


@given(
    today=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    offset=st.integers(min_value=-40, max_value=40),
)
def test_the_on_time_threshold_draws_the_same_line_as_sla_state(today: date, offset: int) -> None:
    calendar = calendar_for("CO", "", frozenset({date(2026, 3, 20), date(2027, 1, 4)}))
    due = today + timedelta(days=offset)
    expected = sla_state(due=due, today=today, calendar=calendar)
    threshold = on_time_from(today, calendar)
    by_threshold = (
        SlaState.OVERDUE
        if due < today
        else SlaState.DUE_SOON
        if due < threshold
        else SlaState.ON_TIME
    )
    assert by_threshold == expected


def bulk_cases(service: Service, dependency: Dependency, count: int, rng: random.Random) -> None:
    """`count` cases of `dependency`'s entity, due from 60 days ago to 60 days ahead, a tenth
    paused and a twentieth closed, each with a state that is probably wrong.

    Straight inserts (this tests the upkeep, not filing): one `executemany` of the values
    `bulk_create` would send, with the columns all rows share prepared once — the ORM's
    per-value preparation of 40 columns takes most of a minute for 25,000 rows here.
    """
    entity = dependency.entity
    first = Case.objects.filter(filing_entity=entity).count()
    today = date(2026, 3, 19)
    template = Case(
        filing_entity=entity,
        entity=entity,
        year=2026,
        verification_hash="0" * 64,
        service=service,
        service_version=service.versions.get(),
        filer_kind="guest",
        contact_name="Persona de prueba",
        channel="online",
        stage="revision",
        dependency=dependency,
        filed_at=datetime(2026, 1, 5, 15, tzinfo=UTC),
        received_on=date(2026, 1, 5),
    )
    rows = []
    for index in range(first, first + count):
        due = today + timedelta(days=rng.randint(-60, 60))
        kind = rng.random()
        rows.append(
            {
                "filing_number": f"{entity.code}-2026-{index + 1:06d}",
                "sequence": index + 1,
                "original_due_date": due,
                "due_date": due,
                "paused_on": date(2026, 3, 2) if 0.85 <= kind < 0.95 else None,
                "closed_at": datetime(2026, 3, 2, 15, tzinfo=UTC) if kind >= 0.95 else None,
                "sla_state": rng.choice(list(SlaState)),
            }
        )
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    shared = {
        f.attname: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields
    }
    quote = connection.ops.quote_name
    table = quote(Case._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Identifiers from the model's metadata; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [
                    f.get_db_prep_save(row[f.attname], connection)
                    if f.attname in row
                    else shared[f.attname]
                    for f in fields
                ]
                for row in rows
            ],
        )


@pytest.mark.django_db
def test_the_sla_refresh_puts_every_case_right_at_volume(reference_service: Service) -> None:
    rng = random.Random(20261129)
    bogota = Dependency.objects.get(code="DIR-COBERTURA")
    # A second entity whose day has already turned (Tokyo) and with closures of its own.
    tokyo = factories.dependency("SDH-DESPACHO", entity_code="SDH")
    tokyo.entity.timezone = "Asia/Tokyo"
    tokyo.entity.save()
    for day in (date(2026, 3, 20), date(2026, 3, 26), date(2026, 4, 6)):
        EntityClosure.objects.create(entity=tokyo.entity, date=day, reason="Inventario")
    total = int(OPEN_CASES / 0.95)
    bulk_cases(reference_service, bogota, total * 6 // 10, rng)
    bulk_cases(reference_service, tokyo, total * 4 // 10, rng)
    assert Case.objects.filter(closed_at__isnull=True).count() >= OPEN_CASES * 0.99

    now = datetime(2026, 3, 20, 0, 30, tzinfo=UTC)  # 19 March in Bogotá, 20 March in Tokyo
    with clock.frozen(now):
        assert cases_refresh_sla() > 0
        assert cases_refresh_sla() == 0  # nothing left to change

    wrong = []
    calendars = {}
    rows = Case.objects.select_related("entity").only(
        "due_date", "paused_on", "closed_at", "sla_state", "entity"
    )
    for case in rows.iterator(chunk_size=5000):
        if case.entity_id not in calendars:
            calendars[case.entity_id] = entity_calendar(case.entity)
        calendar = calendars[case.entity_id]
        expected = sla_state(
            due=case.due_date,
            today=now.astimezone(calendar.zone).date(),
            calendar=calendar,
            paused=case.is_paused,
            closed=case.is_closed,
        )
        if case.sla_state != expected:
            wrong.append((case.pk, case.sla_state, expected))
    assert wrong == []
    states = set(Case.objects.values_list("sla_state", flat=True))
    assert states == set(SlaState)


@pytest.mark.django_db
def test_the_refresh_never_overwrites_a_case_paused_or_closed_meanwhile(
    reference_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An official pauses one case and closes another after the refresh has read the clock
    and before it writes: both keep what the official did, because every update carries its
    whole condition and the database checks it again on each row it writes."""
    with clock.frozen(datetime(2026, 3, 2, 10, tzinfo=BOGOTA)):
        paused, closed, running = (file_one(reference_service).case for _ in range(3))
    real_calendar = upkeep.entity_calendar

    def calendar_then_officials_act(entity: Any) -> Any:
        Case.objects.filter(pk=paused.pk).update(paused_on=date(2026, 3, 25), sla_state="paused")
        Case.objects.filter(pk=closed.pk).update(
            closed_at=datetime(2026, 3, 25, 15, tzinfo=UTC), sla_state="closed"
        )
        return real_calendar(entity)

    monkeypatch.setattr(upkeep, "entity_calendar", calendar_then_officials_act)
    with clock.frozen(datetime(2026, 3, 25, 16, tzinfo=BOGOTA)):  # all three are overdue now
        cases_refresh_sla()
    states = dict(Case.objects.values_list("pk", "sla_state"))
    assert (states[paused.pk], states[closed.pk], states[running.pk]) == (
        "paused",
        "closed",
        "overdue",
    )


@pytest.fixture
def asked(reference_service: Service) -> Case:
    """A case waiting for the citizen, whose deadline (2026-04-06) is near on 2026-03-30."""
    with clock.frozen(datetime(2026, 3, 2, 10, tzinfo=BOGOTA)):
        case = file_one(reference_service).case
    with clock.frozen(datetime(2026, 3, 4, 10, tzinfo=BOGOTA)):
        return factories.information_requested(case, "Falta el registro civil.")


def reminders(case: Case) -> int:
    return TimelineEvent.objects.filter(case=case, kind="reminder").count()


@pytest.mark.django_db
def test_one_failing_case_is_logged_and_the_others_are_still_reminded(
    asked: Case,
    reference_service: Service,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with clock.frozen(datetime(2026, 3, 2, 11, tzinfo=BOGOTA)):
        other = file_one(reference_service).case
    with clock.frozen(datetime(2026, 3, 4, 11, tzinfo=BOGOTA)):
        other = factories.information_requested(other, "Falta el certificado.")
    real_notify = notify_module.case_notify

    def notify(*, case: Case, **kwargs: Any) -> None:
        if case.pk == asked.pk:
            raise RuntimeError("the template of this entity is broken")
        real_notify(case=case, **kwargs)

    monkeypatch.setattr(notify_module, "case_notify", notify)
    with clock.frozen(datetime(2026, 3, 30, 10, tzinfo=BOGOTA)), caplog.at_level(logging.ERROR):
        assert information_requests_upkeep() == (1, 0)
    assert (reminders(asked), reminders(other)) == (0, 1)  # the failed one rolled back whole
    assert f"failed for case {asked.pk}" in caplog.text
    monkeypatch.setattr(notify_module, "case_notify", real_notify)
    with clock.frozen(datetime(2026, 3, 31, 10, tzinfo=BOGOTA)):
        assert information_requests_upkeep() == (1, 0)  # tried again on the next run
    assert (reminders(asked), reminders(other)) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_a_reminder_written_while_the_upkeep_waits_for_the_lock_is_not_repeated(
    asked: Case,
) -> None:
    """Another worker holds the case's lock and writes the reminder; this one, waiting for the
    lock, must look for the reminder after taking it, not before."""
    deadline = asked.information_deadline
    assert deadline is not None
    holding = threading.Event()
    result: list[tuple[int, int]] = []

    def upkeep_run() -> None:
        try:
            holding.wait(5)
            with clock.frozen(datetime(2026, 3, 30, 10, tzinfo=BOGOTA)):
                result.append(information_requests_upkeep())
        finally:
            connection.close()

    runner = threading.Thread(target=upkeep_run)
    runner.start()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=asked.pk)
        event_append(
            case=locked,
            at=clock.now(),
            kind="reminder",
            actor_id=None,
            actor_label="La plataforma",
            stage_from=locked.stage,
            stage_to=locked.stage,
            data={"deadline": deadline.isoformat()},
        )
        holding.set()
        runner.join(1.0)  # the other worker reads and then waits for the lock meanwhile
    runner.join(20)
    assert result == [(0, 0)]
    assert reminders(asked) == 1
