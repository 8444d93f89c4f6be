"""Load the whole demo deployment: organisations and people in one transaction, then the
catalogue (all or nothing) and the appointment schedules, then a history of cases and a few
bookings made with the real services."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from ventanilla.cases.assignment import assignment_rule_set
from ventanilla.cases.models import AssignmentMode
from ventanilla.catalog.interchange import catalog_import
from ventanilla.catalog.models import SearchSynonym, Service
from ventanilla.demo.appointments import bookings_load, schedules_load
from ventanilla.demo.history import history_load, survey_answers_load
from ventanilla.demo.organizations import organizations_load
from ventanilla.demo.past_year import past_year_load
from ventanilla.demo.people import people_load
from ventanilla.demo.places import places_load
from ventanilla.demo.sync import Tally
from ventanilla.demo.turns import turns_load
from ventanilla.insights.refresh import figures_refresh
from ventanilla.organization.models import Dependency

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
# Dependencies whose new cases are shared out automatically, to show the rule at work. The
# citizen service office (OSC) keeps manual intake: new requests wait under "unassigned" until
# an official takes one, which is what the README's walk-through shows.
ROUND_ROBIN = ("DIR-COBERTURA",)
# Words the secretariat's citizens use for the same thing (administrators edit them in the
# admin, under "Sinónimos de búsqueda"). Single words: a row is a set of equivalents.
SEARCH_SYNONYMS = (
    "matrícula, matricular, inscripción, inscribir, cupo, admisión",
    "colegio, escuela, escolar, plantel, IED",
    "hijo, hija, niño, niña, estudiante, alumno",
    "certificado, constancia, certificación",
    "notas, calificaciones, boletín",
    "pensión, jubilación",
    "queja, reclamo, robo, robaron, hurto, maltrato",
    "enrol, enroll, enrolment, enrollment, admission, registration",
    "grades, marks, transcript",
    "complaint, claim, theft, stolen",
)


def catalog_load() -> Tally:
    """Import the demo catalogue; services already there and unchanged stay as they are."""
    before = set(Service.objects.values_list("slug", flat=True))
    imported = catalog_import(CATALOG_DIR)
    created = sum(1 for s in imported if s.slug not in before)
    for words in SEARCH_SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)
    return Tally(created=created, unchanged=len(imported) - created)


def demo_load(*, catalog: bool = True, history: bool = True) -> dict[str, Tally]:
    """Create the demo's rows, or bring them up to date; a second run writes nothing.

    Organisations and people load all or nothing; so does the catalogue. The history of cases
    is made only when the deployment has no cases yet.
    """
    with transaction.atomic(durable=True):
        tallies = organizations_load() | people_load()
        for code in ROUND_ROBIN:
            dependency = Dependency.objects.filter(entity__code="SED", code=code).first()
            if dependency is not None:
                assignment_rule_set(dependency=dependency, mode=AssignmentMode.ROUND_ROBIN)
    if catalog:
        tallies["catalog services"] = catalog_load()
        with transaction.atomic(durable=True):
            tallies["turn queues"] = turns_load()
            tallies |= schedules_load()
        if history:
            tallies["cases (history)"] = Tally(created=history_load())
            tallies["cases (the year before)"] = Tally(created=past_year_load())
            tallies["bookings (demo)"] = Tally(created=bookings_load())
            # After the history: its school-place cases predate the season.
            tallies |= places_load()
            # The dashboards and the deadline page show the history at once, not after the
            # worker's first refresh.
            if tallies["cases (history)"].created:
                survey_answers_load()
                figures_refresh()
    return tallies
