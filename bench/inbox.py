"""Benchmark: the officials' inbox over 1,000,000 cases.

    createdb -h 127.0.0.1 -U postgres ventanilla_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ventanilla_bench \
        .venv/bin/python bench/inbox.py [--cases 100000]

Migrates the database, loads the demo organisation and catalogue if missing, inserts synthetic
cases spread over the SED's dependencies (bulk inserts, not the filing service: this measures
reading), then times the inbox page and its counts for a supervisor (whole tree) and a handler
(one dependency), rendered through the real view with the test client, and reports medians,
the 95th percentile and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ventanilla.accounts.models import User
from ventanilla.cases import upkeep
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.catalog.models import Service, ServiceVersion, VersionStatus
from ventanilla.organization.models import Dependency, Entity, Membership, Role

SEED = 20261122


def ensure_data(total: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not Entity.objects.filter(code="SED").exists():
        call_command("load_demo", "--even-without-debug", verbosity=0)
    have = Case.objects.count()
    if have >= total:
        return
    rng = random.Random(SEED + have)
    entity = Entity.objects.get(code="SED")
    dependencies = list(Dependency.objects.filter(entity=entity).values_list("pk", flat=True))
    services = list(
        Service.objects.filter(entity=entity, is_published=True).values_list("pk", flat=True)
    )
    versions = dict(
        Service.objects.filter(
            pk__in=services, versions__status=VersionStatus.PUBLISHED
        ).values_list("pk", "versions__pk")
    )
    # Each case sits in the first stage after reception of its own service's workflow.
    second_stage = {
        version.pk: version.parsed.workflow.stages[1].key
        for version in ServiceVersion.objects.filter(pk__in=versions.values())
    }
    officials = list(User.objects.filter(memberships__isnull=False).values_list("pk", flat=True))
    start = datetime(2025, 1, 2, 13, tzinfo=UTC)
    if connection.vendor == "postgresql":
        _generate(
            have,
            total,
            {
                "entity": entity.pk,
                "services": services,
                "versions": [versions[s] for s in services],
                "stages": [second_stage[versions[s]] for s in services],
                "dependencies": dependencies,
                "officials": officials,
                "start": start,
            },
        )
        return
    states = ["on_time"] * 6 + ["due_soon"] * 2 + ["overdue", "paused"]
    batch: list[Case] = []
    for index in range(have, total):
        filed = start + timedelta(minutes=index * 7)
        service = rng.choice(services)
        due = filed.date() + timedelta(days=rng.randint(-10, 40))
        closed = rng.random() < 0.35
        batch.append(
            Case(
                filing_number=f"SED-BENCH-{index + 1:07d}",
                filing_entity=entity,
                entity=entity,
                year=filed.year,
                sequence=900_000 + index,
                verification_hash="0" * 64,
                service_id=service,
                service_version_id=versions[service],
                filer_kind="guest",
                contact_name=f"Persona {index}",
                contact_email=f"persona{index}@example.co",
                channel=rng.choice(["online", "online", "in_person", "phone"]),
                stage=second_stage[versions[service]],
                dependency_id=rng.choice(dependencies),
                assignee_id=rng.choice(officials) if rng.random() < 0.5 else None,
                answers={"texto": f"solicitud número {index}"},
                filed_at=filed,
                received_on=filed.date(),
                original_due_date=due,
                due_date=due,
                closed_at=filed + timedelta(days=5) if closed else None,
                sla_state="closed" if closed else rng.choice(states),
                search_text=f" persona {index} solicitud numero {index} ",
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    if batch:
        Case.objects.bulk_create(batch)


# The same cases as the ORM path writes, generated by PostgreSQL itself (a million ORM objects
# would take most of an hour): one every 7 minutes, a random service (its version and the stage
# after reception), dependency, channel and, for half of them, official; due between 10 days
# before and 40 days after filing; 35% closed. The SLA state is drawn (of the open ones 6 in 10
# on time, 2 due soon, 1 overdue and 1 waiting for the citizen), then set from the due date by
# the worker's own refresh.
CASES_SQL = """
INSERT INTO cases_case (
    filing_number, year, sequence, verification_hash, filer_kind, contact_name, contact_email,
    contact_phone, contact_id_type, contact_id_number, channel, stage, priority, answers,
    filed_at, received_on, original_due_date, due_date, paused_business_days, extended,
    extension_reason, closed_at, sla_state, consent_method, idempotency_key, search_text,
    assignee_id, dependency_id, entity_id, service_id, service_version_id, response_draft,
    filing_entity_id, idempotency_fingerprint
)
SELECT
    'SED-BENCH-' || lpad(g::text, 7, '0'), extract(year FROM filed)::int, 900000 + g - 1,
    repeat('0', 64), 'guest', 'Persona ' || (g - 1), 'persona' || (g - 1) || '@example.co',
    '', '', '',
    (ARRAY['online', 'online', 'in_person', 'phone'])[1 + floor(random() * 4)::int],
    (%(stages)s::text[])[k], 'normal',
    jsonb_build_object('texto', 'solicitud número ' || (g - 1)),
    filed, filed::date, due, due, 0, false, '',
    CASE WHEN closed THEN filed + interval '5 days' END,
    CASE WHEN closed THEN 'closed'
         ELSE (ARRAY['on_time', 'on_time', 'on_time', 'on_time', 'on_time', 'on_time',
                     'due_soon', 'due_soon', 'overdue', 'paused'])[1 + floor(random() * 10)::int]
    END,
    '', '', ' persona ' || (g - 1) || ' solicitud numero ' || (g - 1) || ' ',
    CASE WHEN random() < 0.5 THEN (%(officials)s::bigint[])[
        1 + floor(random() * cardinality(%(officials)s::bigint[]))::int] END,
    (%(dependencies)s::bigint[])[
        1 + floor(random() * cardinality(%(dependencies)s::bigint[]))::int],
    %(entity)s, (%(services)s::bigint[])[k], (%(versions)s::bigint[])[k], '',
    %(entity)s, ''
FROM (
    SELECT g, filed, k, random() < 0.35 AS closed,
        filed::date + (floor(random() * 51)::int - 10) AS due
    FROM (
        SELECT g, %(start)s::timestamptz + (g - 1) * interval '7 minutes' AS filed,
            1 + floor(random() * cardinality(%(services)s::bigint[]))::int AS k
        FROM generate_series(%(first)s::int, %(last)s::int) AS g
    ) AS drawn
) AS numbered
"""


def _generate(have: int, total: int, values: dict[str, object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        while have < total:
            upto = min(have + 100_000, total)
            cursor.execute(CASES_SQL, {**values, "first": have + 1, "last": upto})
            have = upto
            print(f"  {have:,} cases", file=sys.stderr, flush=True)
        # The states drawn above are random; put them right as the worker's hourly refresh
        # does, so that a worker started on these cases changes a boundary's worth, as on a
        # deployment already running, instead of rewriting 300,000 rows while the run measures.
        upkeep.cases_refresh_sla()
        # As autovacuum leaves a table in steady use: statistics, and the visibility map that
        # lets counts read the index alone.
        cursor.execute("VACUUM ANALYZE cases_case")


def official(role: Role, dependency_code: str) -> User:
    email = f"bench.{role}.{dependency_code.lower()}@example.co"
    user, created = User.objects.get_or_create(email=email, defaults={"is_staff": False})
    if created:
        Membership.objects.create(
            user=user, dependency=Dependency.objects.get(code=dependency_code), role=role
        )
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
    return user


def measure(client: Client, url: str, runs: int) -> tuple[list[float], int]:
    client.get(url)  # warm up
    timings = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    return timings, queries


@override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    ensure_data(args.cases)
    print(f"database: {connection.vendor}, cases: {Case.objects.count():,}")
    print(f"timeline events: {TimelineEvent.objects.count():,}")
    root = Dependency.objects.get(code="SED", parent__isnull=True)
    people = {
        "supervisor (whole SED)": official(Role.SUPERVISOR, root.code),
        "handler (Dirección de Cobertura)": official(Role.HANDLER, "DIR-COBERTURA"),
    }
    views = {
        "unassigned, page 1": "/espacio/?pestana=unassigned",
        "unassigned, page 40": "/espacio/?pestana=unassigned&pagina=40",
        "overdue filter": "/espacio/?pestana=unassigned&termino=overdue",
        "search 'persona 4711'": "/espacio/?pestana=unassigned&q=persona+4711",
    }
    for who, user in people.items():
        client = Client()
        client.force_login(user)
        # The team page (counts by holder, office and service) is a supervisor's.
        team = {"team page": "/espacio/equipo/"} if "supervisor" in who else {}
        for label, url in {**views, **team}.items():
            timings, queries = measure(client, url, args.runs)
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{who:34} {label:24} median {statistics.median(timings):6.1f} ms  "
                f"p95 {p95:6.1f} ms  queries {queries}"
            )


if __name__ == "__main__":
    main()
