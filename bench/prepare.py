"""Prepare the benchmark's deployment (run by bench/run.py in its environment): the demo, an API
client, the bodies and paths the load generator sends, filed cases to track, the inbox's cases
and the officials' sessions. Writes everything the run needs into --out."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bench.inbox import ensure_data, official
from ventanilla.accounts.models import User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.api.services import api_client_create
from ventanilla.appointments.models import Schedule
from ventanilla.appointments.selectors import free_times, points_with_schedules
from ventanilla.appointments.services import schedule_changed
from ventanilla.cases.filing import Caller, Contact, case_file
from ventanilla.cases.models import FilerKind
from ventanilla.catalog import formkit
from ventanilla.catalog.fields import field_kind
from ventanilla.catalog.models import Service, VersionStatus
from ventanilla.catalog.schema import OwnerKind, ServiceDefinition
from ventanilla.core import clock
from ventanilla.demo.appointments import KENNEDY_CENTRE, SCHOOL_PLACE
from ventanilla.organization.models import Role

SEED = 1755


def answers_for(definition: ServiceDefinition, rng: random.Random) -> dict[str, object]:
    answers: dict[str, object] = {}
    for field in definition.form.fields:
        condition = field.visible_if
        if condition is not None and not condition.holds(answers.get(condition.field)):
            continue
        if field.document is not None:
            continue
        answers[field.key] = field_kind(field.type).example(field, rng)
    return answers


def api_service() -> tuple[Service, ServiceDefinition]:
    """A service a call centre files for a guest without documents or a place to choose: the
    shape of most petitions, the platform's bulk."""
    for service in Service.objects.filter(is_published=True).order_by("slug"):
        version = service.versions.get(status=VersionStatus.PUBLISHED)
        definition = version.parsed
        if (
            "online" in service.channels
            and "guest" in {f.value for f in definition.filers}
            and not any(d.mandatory for d in definition.documents)
            and definition.workflow.initial.owner.kind
            not in {OwnerKind.SERVICE_POINT, OwnerKind.CHOSEN_AT_FILING}
        ):
            return service, definition
    raise SystemExit("no service to file through the API without documents")


def _appointments(out: Path, race: int) -> None:
    """The free-times scenario: every point's schedule reaches 60 days ahead; the paths of the
    API's slots and of the portal's times page for every point that takes the school-place
    service. The booking race: one time of 3 seats at the Kennedy centre, and a body per
    person (distinct ID numbers and emails, unique to this run)."""
    service = Service.objects.get(slug=SCHOOL_PLACE)
    Schedule.objects.update(horizon_days=60)
    points = list(points_with_schedules(service).values_list("pk", flat=True))
    (out / "slots.txt").write_text(
        "".join(f"/api/v1/service-points/{pk}/slots?service={service.slug}\n" for pk in points)
    )
    (out / "times_pages.txt").write_text(
        "".join(f"{reverse('portal:booking_times', args=[service.slug, pk])}\n" for pk in points)
    )
    schedule = Schedule.objects.get(point__code=KENNEDY_CENTRE, service=service, starts_on=None)
    schedule.capacity = 3
    schedule.save(update_fields=["capacity"])
    schedule_changed(schedule=schedule)
    later = clock.now().date() + timedelta(days=2)
    days = free_times(point=schedule.point, service=service, start=later, days=2)
    starts_at = next(t.starts_at for day in days for t in day.times if t.free == 3)
    run = os.getpid()
    bodies = [
        {
            "service": service.slug,
            "service_point": schedule.point_id,
            "starts_at": starts_at.isoformat(),
            "holder": {
                "id_type": "CC",
                "id_number": str(60_000_000 + index),
                "name": f"Persona {index}",
                "email": f"carrera{run}.{index}@example.co",
            },
        }
        for index in range(race)
    ]
    (out / "race.json").write_text(json.dumps(bodies))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases for the inbox")
    parser.add_argument("--tracked", type=int, default=200, help="filed cases to track")
    parser.add_argument("--race", type=int, default=500, help="people in the booking race")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)

    call_command("load_demo", "--even-without-debug", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)

    service, definition = api_service()
    token = api_client_create(name="Bench", channel="api").token
    body = {
        "service": service.slug,
        "answers": answers_for(definition, rng),
        "applicant": {"name": "Persona de prueba", "email": "bench@example.co"},
        "consent_given": True,
    }
    (out / "api_body.json").write_text(json.dumps(body, ensure_ascii=False))
    (out / "api_token").write_text(token)

    version = service.versions.get(status=VersionStatus.PUBLISHED)
    consent = consent_text_current()
    caller = Caller.session("bench-prepare")
    pairs = []
    for index in range(args.tracked):
        filing = case_file(
            service_version=version,
            answers=answers_for(definition, rng),
            filer_kind=FilerKind.GUEST,
            contact=Contact(name=f"Persona {index}", email=f"p{index}@example.co"),
            consent_text=consent,
            idempotency_key=f"bench-{index}",
            caller=caller,
        )
        pairs.append(f"{filing.case.filing_number} {filing.verification_code}")
    (out / "tracking.txt").write_text("\n".join(pairs) + "\n")

    slugs = list(Service.objects.filter(is_published=True).values_list("slug", flat=True))
    (out / "service_pages.txt").write_text("\n".join(f"/tramites/{s}/" for s in slugs) + "\n")
    searches = ["certificado", "cupo escolar", "pension docente", "traslado", "queja"]
    home = ["/"] + [f"/tramites/?q={q.replace(' ', '+')}" for q in searches]
    (out / "home_and_search.txt").write_text("\n".join(home) + "\n")
    (out / "ceiling.txt").write_text("/bench/ceiling\n")

    sections = []
    answers = answers_for(definition, rng)
    for section in definition.form.sections:
        data: dict[str, object] = {}
        for field in section.fields:
            if field.key in answers and formkit.is_asked_on_page(field):
                data.update(field_kind(field.type).initial(field, answers[field.key]))
        if data:
            sections.append({"key": section.key, "data": data})
    plan = {"base": f"/tramites/{service.slug}/radicar/", "sections": sections}
    (out / "portal_plan.json").write_text(json.dumps(plan, ensure_ascii=False, default=str))
    citizens = []
    for index in range(64):
        person, _created = User.objects.get_or_create(email=f"bench.citizen{index}@example.co")
        client = Client()
        client.force_login(person)
        citizens.append(client.cookies["sessionid"].value)
    (out / "citizen_sessions.txt").write_text("\n".join(citizens) + "\n")

    _appointments(out, args.race)

    ensure_data(args.cases)
    # A first page, a deep one, a filter by state and a search whose first word is in every
    # generated case (the search's worst case).
    inbox = [
        "/espacio/?pestana=unassigned",
        "/espacio/?pestana=unassigned&pagina=40",
        "/espacio/?pestana=unassigned&termino=overdue",
        "/espacio/?pestana=all&q=persona+4711",
    ]
    (out / "inbox.txt").write_text("\n".join(inbox) + "\n")
    for name, role, dependency in [
        ("supervisor", Role.SUPERVISOR, "SED"),
        ("handler", Role.HANDLER, "DIR-COBERTURA"),
    ]:
        client = Client()
        client.force_login(official(role, dependency))
        (out / f"session_{name}").write_text(client.cookies["sessionid"].value)
    print(f"prepared: {service.slug} through the API, {len(pairs)} tracked cases")


if __name__ == "__main__":
    main()
