"""Transfers for distance: a student whose school is farther from home than the season's
threshold applies through the season's transfer service for schools nearer home, and is
allocated in stage 1 with the new students by the same priorities."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from tests import factories
from tests.places.conftest import ALLOCATION_DAY, NOW, STAGE2_DAY, apply
from tests.portal.test_places_pages import _guest, _page
from ventanilla.cases.filing import FilingError
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import ServicePoint
from ventanilla.places import selectors
from ventanilla.places.allocating import allocation_run
from ventanilla.places.allocation import distance_m
from ventanilla.places.assignments import place_claim
from ventanilla.places.models import Application, Assignment, Offer, Season
from ventanilla.places.services import PlaceError, season_saved

pytestmark = pytest.mark.django_db

HOME = (4.6285, -74.1505)  # the conftest's home, 78 m from COL-A
NEARER = ("COL-A:manana", "COL-B:manana", "COL-C:manana")


@pytest.fixture
def transfers(season: Season) -> Service:
    """The season's transfer service: the school-place form plus the current school."""
    form = copy.deepcopy(season.service.versions.get().definition["form"])
    situation = next(s for s in form["sections"] if s["key"] == "situacion")
    situation["fields"].append(
        {
            "key": "colegio_actual",
            "type": "school",
            "label": {"es": "Colegio actual", "en": "Current school"},
        }
    )
    service = factories.service_variant(season.service, "traslado-por-cercania", form=form)
    season.transfer_service = service
    season.save(update_fields=["transfer_service"])
    season_saved(season=season)
    return service


def km_from_home(code: str) -> float:
    point = ServicePoint.objects.get(code=code)
    return distance_m(*HOME, float(point.latitude or 0), float(point.longitude or 0)) / 1000


def transfer(
    service: Service, current: str, number: str = "1012345678", **options: Any
) -> Application:
    options.setdefault("discapacidad", False)
    filing = apply(service, number, colegio_actual=current, **options)
    return Application.objects.get(case=filing.case)


def test_a_school_within_the_threshold_is_refused_with_the_distance_in_words(
    transfers: Service, now: Any
) -> None:
    km = km_from_home("COL-C")
    assert 1 < km < 2  # the fixture's Castilla is between the two thresholds
    with pytest.raises(FilingError) as raised:
        transfer(transfers, "COL-C", schools=(*NEARER[:2], "COL-D:manana"))
    message = " ".join(raised.value.errors["colegio_actual"])
    distance = f"{km:.1f}".replace(".", ",")
    assert f"Su colegio actual queda a {distance} km de su vivienda." in message
    assert "cuando queda a más de 2 km (1 km en primera infancia o con discapacidad)" in message
    assert not Case.objects.exists()


def test_a_school_beyond_the_threshold_files_a_transfer_with_its_current_school(
    transfers: Service, now: Any
) -> None:
    assert km_from_home("COL-D") > 2
    application = transfer(transfers, "COL-D", schools=NEARER)
    assert application.kind == Application.Kind.TRANSFER
    assert application.current_point == ServicePoint.objects.get(code="COL-D")
    assert [c.offer.point.code for c in application.choices.order_by("rank")] == [
        "COL-A",
        "COL-B",
        "COL-C",
    ]


def test_a_new_student_s_application_is_no_transfer(transfers: Service, season: Season) -> None:
    with clock.frozen(NOW):
        application = Application.objects.get(case=apply(season.service).case)
    assert application.kind == Application.Kind.NEW and application.current_point is None


@pytest.mark.parametrize(
    ("grade", "disability", "accepted"),
    [
        ("primero", False, False),  # 2 km applies
        ("transicion", False, True),  # early childhood: 1 km
        ("primero", True, True),  # disability: 1 km
    ],
)
def test_early_childhood_and_disability_have_the_nearer_threshold(
    transfers: Service, now: Any, grade: str, disability: bool, accepted: bool
) -> None:
    # Castilla is 1.7 km away; only Alameda and Britalia, nearer, are left teaching the grade.
    Offer.objects.filter(grade=grade, point__code__in=["COL-C", "COL-D", "COL-E"]).delete()
    schools = tuple(
        f"{o.point.code}:{o.shift}"
        for o in Offer.objects.filter(grade=grade).select_related("point")
    )
    try:
        application = transfer(
            transfers, "COL-C", grade=grade, schools=schools, discapacidad=disability
        )
    except FilingError as error:
        assert not accepted, error.errors
        assert "colegio_actual" in error.errors
    else:
        assert accepted and application.current_point is not None
        assert application.disability is disability


def test_a_ranked_school_farther_than_the_current_one_is_refused_by_name(
    transfers: Service, now: Any
) -> None:
    assert km_from_home("COL-E") > km_from_home("COL-D")
    with pytest.raises(FilingError) as raised:
        transfer(transfers, "COL-D", schools=("COL-A:manana", "COL-E:manana", "COL-D:manana"))
    message = " ".join(raised.value.errors["colegios"])
    # Farther, and the current school itself, in the family's order.
    assert message.endswith(": Colegio El Recreo, Colegio Dindalito.")
    assert "Colegio Alameda" not in message


def test_one_active_application_per_student_covers_both_services(
    transfers: Service, season: Season, now: Any
) -> None:
    first = apply(season.service, "1000000001")
    with pytest.raises(FilingError) as raised:
        transfer(transfers, "COL-D", number="1000000001", schools=NEARER)
    assert first.case.filing_number in " ".join(raised.value.errors["documento_estudiante_numero"])

    moved = transfer(transfers, "COL-D", number="1000000002", schools=NEARER)
    with pytest.raises(FilingError) as raised:
        apply(season.service, "1000000002")
    assert moved.case.filing_number in " ".join(raised.value.errors["documento_estudiante_numero"])
    assert Application.objects.count() == 2


def test_a_transfer_is_allocated_with_the_new_students_by_the_same_priorities(
    transfers: Service, season: Season
) -> None:
    # COL-A has two morning places of primero and three applicants ranking it first: the two
    # nearest get it, whichever service they came by.
    with clock.frozen(NOW):
        near = Application.objects.get(case=apply(season.service, "1000000001").case)
        moved = transfer(transfers, "COL-D", number="1000000002", schools=NEARER)
        far = Application.objects.get(
            case=apply(season.service, "1000000003", home=(4.6350, -74.1450)).case
        )
    with clock.frozen(ALLOCATION_DAY):
        run = allocation_run(season=season, dry_run=False, actor=None)
    assert run.stats["applicants"] == 3
    got = {a.pk: Assignment.objects.get(application=a) for a in (near, moved, far)}
    alameda = Offer.objects.get(point__code="COL-A", grade="primero", shift="manana")
    assert got[near.pk].offer == alameda and got[moved.pk].offer == alameda
    assert got[moved.pk].choice_rank == 1 and got[moved.pk].run == run
    assert got[far.pk].choice_rank == 2
    assert got[far.pk].reasons == [
        {"rank": 1, "school": "Colegio Alameda", "capacity": 2, "ranked_by": 3, "ahead": 2}
    ]


def test_the_panel_shows_the_current_school_of_a_transfer(
    client: Client, transfers: Service, season: Season, now: Any
) -> None:
    filing = apply(
        transfers, "1000000002", colegio_actual="COL-D", discapacidad=False, schools=NEARER
    )
    text = _page(client, _guest(client, filing))
    assert "Colegio actual" in text and "Colegio Dindalito" in text


def test_a_new_student_s_panel_has_no_current_school(
    client: Client, season: Season, now: Any
) -> None:
    text = _page(client, _guest(client, apply(season.service)))
    assert "Cupo escolar" in text and "Colegio actual" not in text


def test_the_season_page_links_to_the_transfer_service(
    client: Client, transfers: Service, season: Season, now: Any
) -> None:
    text = _page(client, reverse("portal:places_season", args=[season.code]))
    assert reverse("portal:service", args=[transfers.slug]) in text


def test_the_admin_sets_the_transfer_service_and_filings_see_it_at_once(season: Season) -> None:
    model_admin = admin.site._registry[Season]
    request = RequestFactory().get("/admin/")
    request.user = factories.user(staff=True, is_superuser=True)
    assert "transfer_service" in model_admin.get_form(request, season).base_fields
    service = factories.service_variant(season.service, "traslado-por-cercania")
    assert service.pk not in selectors.season_service_ids()  # now cached without it
    season.transfer_service = service
    model_admin.save_model(request, season, form=None, change=True)
    assert service.pk in selectors.season_service_ids()
    found = selectors.season_of_service(service.pk)
    assert found is not None and found[0] == season


def test_in_stage_2_a_transfer_takes_only_a_place_nearer_than_its_school(
    client: Client, transfers: Service
) -> None:
    with clock.frozen(STAGE2_DAY):
        filing = apply(
            transfers, "1000000002", colegio_actual="COL-C", discapacidad=True, schools=()
        )
        application = Application.objects.get(case=filing.case)
        text = _page(client, _guest(client, filing))
        dindalito = Offer.objects.get(point__code="COL-D", grade="primero", shift="manana")
        with pytest.raises(PlaceError) as raised:
            place_claim(application=application, offer=dindalito, actor=None)
        britalia = Offer.objects.get(point__code="COL-B", grade="primero", shift="manana")
        taken = place_claim(application=application, offer=britalia, actor=None)
    assert raised.value.code == "farther" and "Colegio Castilla" in raised.value.message
    assert taken.offer == britalia
    # The panel offered the nearer schools' free places and not the farther ones.
    assert "Tomar este cupo en Colegio Britalia" in text
    assert "Tomar este cupo en Colegio Dindalito" not in text
