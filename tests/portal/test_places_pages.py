"""School places in the portal: the season's public pages and open data, and the family's
panel on its case page (accept, decline, formalise, take a free place in stage 2)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.places.conftest import ALLOCATION_DAY, PDF, STAGE2_DAY, answers, apply
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.cases.filing import Filing, case_file
from ventanilla.cases.guest_access import guest_token
from ventanilla.cases.models import FilerKind
from ventanilla.cases.uploads import Upload
from ventanilla.core import clock
from ventanilla.organization.models import Locality, ServicePoint, ServicePointKind
from ventanilla.places.allocating import allocation_run, results_announce
from ventanilla.places.allocation import lottery_number
from ventanilla.places.models import Application, Assignment, Evidence, Offer, Season
from ventanilla.places.services import evidence_review

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _guest(client: Client, filing: Filing) -> str:
    """Open the guest's link in `client`; the case page's URL."""
    case = filing.case
    opened = client.get(
        reverse("portal:guest_access", args=[case.filing_number, guest_token(case)])
    )
    assert opened.status_code == 302
    return str(opened["Location"])


def _allocate(season: Season) -> None:
    with clock.frozen(ALLOCATION_DAY):
        allocation_run(season=season, dry_run=False, actor=None)
        results_announce()


# ---- Public pages ----------------------------------------------------------------------------


def test_the_seasons_page_says_what_is_open_today_with_dates_in_words(
    client: Client, season: Season, now: Any
) -> None:
    text = _page(client, "/cupos/")
    assert "Cupos escolares para el año 2027" in text
    assert "Etapa 1 abierta: puede postularse hasta el 20 de diciembre de 2026" in text
    with clock.frozen(STAGE2_DAY):
        later = _page(client, "/cupos/")
    assert "Etapa 2 abierta" in later and "Etapa 1 abierta" not in later


def test_the_season_page_reads_the_rules_in_plain_words(
    client: Client, season: Season, now: Any
) -> None:
    text = _page(client, "/cupos/2027/")
    # The stages and their dates.
    assert "Del 23 de noviembre de 2026 al 20 de diciembre de 2026" in text
    assert "24 de diciembre de 2026" in text
    # The priority groups in their order, each with its evidence.
    victims = text.index("Víctima del conflicto armado")
    disability = text.index("Estudiante con discapacidad")
    assert disability < victims
    assert "Número o certificado del Registro Único de Víctimas." in text
    assert "entre 3 y 10 colegios" in text
    # The tie-breaks in order, and how a family checks its lottery number.
    order = [
        text.index("el grupo prioritario, en el orden"),
        text.index("tener un hermano o una hermana"),
        text.index("la distancia en línea recta"),
        text.index("el número de sorteo de la postulación"),
    ]
    assert order == sorted(order)
    assert "primeros 8 bytes del SHA-256" in text and "número aleatorio:número de radicado" in text
    assert "5 días hábiles" in text and "10 días hábiles" in text
    assert "más de 2.0 km" in text or "más de 2,0 km" in text


def test_the_season_page_hides_small_counts_and_shows_the_run(
    client: Client, season: Season, now: Any
) -> None:
    for n in range(6):
        apply(season.service, number=f"100000000{n}", group="victima" if n < 2 else "")
    text = _page(client, "/cupos/2027/")
    # Six applications in all; two of a group are "fewer than 5", four without one too.
    assert "<dd>6</dd>" in text
    assert "menos de 5" in text
    first = text.index("Víctima del conflicto armado</th>")
    assert "menos de 5" in text[first : first + 120]
    # COL-A was everybody's first choice: six is shown.
    row = text[text.index('<th scope="row">Colegio Alameda</th>') :].split("</tr>")[0]
    assert "<td>6</td>" in row
    assert "Todavía no se ha hecho" in text
    _allocate(season)
    run = season.runs.get(dry_run=False)
    after = _page(client, "/cupos/2027/")
    assert run.seed in after and run.inputs_sha256 in after and run.outputs_sha256 in after


def _many_schools(season: Season, count: int) -> None:
    """`count` more schools with an offer of primero, in a third locality."""
    locality = Locality.objects.create(code="19", name="Ciudad Bolívar")
    dependency = ServicePoint.objects.get(code="COL-A").dependency
    points = ServicePoint.objects.bulk_create(
        ServicePoint(
            entity=season.entity,
            dependency=dependency,
            code=f"ZZ-{i:03}",
            name=f"Zeta Colegio {i:03}",
            kind=ServicePointKind.SCHOOL,
            address="Calle 9",
            locality=locality,
        )
        for i in range(count)
    )
    Offer.objects.bulk_create(
        Offer(season=season, point=p, grade="primero", shift="manana", capacity=30) for p in points
    )


def test_the_schools_table_filters_by_locality_and_grade_and_pages_by_50(
    client: Client, season: Season, now: Any, django_assert_max_num_queries: Any
) -> None:
    _many_schools(season, 60)
    with django_assert_max_num_queries(12):
        everything = _page(client, "/cupos/2027/")
    assert "71 ofertas de grado y jornada" in everything  # 11 of the fixture, 60 more
    assert "Página 1 de 2" in everything
    assert everything.count("Zeta Colegio") <= 50
    second = _page(client, "/cupos/2027/?pagina=2")
    assert "Zeta Colegio 059" in second and "Colegio Alameda" not in second
    bosa = _page(client, "/cupos/2027/?localidad=07")
    assert "2 ofertas" in bosa and "Colegio El Recreo" in bosa and "Alameda</th>" not in bosa
    kennedy_first = _page(client, "/cupos/2027/?localidad=08&grado=transicion")
    assert "4 ofertas" in kennedy_first and "Página 1 de" not in kennedy_first
    assert "Zeta" not in kennedy_first and "El Recreo" not in kennedy_first
    # Unknown filters are ignored rather than matching nothing.
    assert "71 ofertas" in _page(client, "/cupos/2027/?localidad=xx&grado=nope")


def test_open_data_holds_aggregates_and_no_child(client: Client, season: Season, now: Any) -> None:
    filings = [apply(season.service, number=f"200000000{n}", group="victima") for n in range(5)]
    rows = list(csv.DictReader(io.StringIO(_page(client, "/cupos/2027/datos.csv"))))
    assert len(rows) == Offer.objects.filter(season=season).count()
    alameda = next(
        r
        for r in rows
        if r["colegio_codigo"] == "COL-A" and r["grado"] == "primero" and r["jornada"] == "manana"
    )
    assert alameda["cupos_ofrecidos"] == "2" and alameda["postulantes_primera_opcion"] == "5"
    castilla = next(r for r in rows if r["colegio_codigo"] == "COL-C" and r["grado"] == "primero")
    assert castilla["postulantes_primera_opcion"] == "0"
    document = json.loads(_page(client, "/cupos/2027/datos.json"))
    assert document["totals"]["applications"] == 5
    groups = {g["group"]: g for g in document["groups"]}
    assert groups["victima"]["applications"] == 5 and groups["discapacidad"]["applications"] == 0
    assert len(document["offers"]) == len(rows)
    # Nobody's ID number, name, email or filing number is in either file.
    everything = _page(client, "/cupos/2027/datos.csv") + json.dumps(document)
    for filing in filings:
        assert filing.case.filing_number not in everything
    for private in ("200000000", "Marta", "example.co"):
        assert private not in everything


def test_open_data_suppresses_small_first_choice_counts(
    client: Client, season: Season, now: Any
) -> None:
    for n in range(2):
        apply(season.service, number=f"300000000{n}")
    document = json.loads(_page(client, "/cupos/2027/datos.json"))
    alameda = next(
        o
        for o in document["offers"]
        if (o["colegio_codigo"], o["grado"], o["jornada"]) == ("COL-A", "primero", "manana")
    )
    assert alameda["postulantes_primera_opcion"] is None
    row = next(
        r
        for r in csv.DictReader(io.StringIO(_page(client, "/cupos/2027/datos.csv")))
        if (r["colegio_codigo"], r["grado"], r["jornada"]) == ("COL-A", "primero", "manana")
    )
    assert row["postulantes_primera_opcion"] == ""


def test_english_paths(client: Client, season: Season, now: Any) -> None:
    with translation.override("en"):
        assert reverse("portal:places_seasons") == "/en/school-places/"
        assert reverse("portal:places_season", args=["2027"]) == "/en/school-places/2027/"
    assert "School places for the 2027 school year" in _page(client, "/en/school-places/2027/")


def test_an_unknown_season_or_one_without_published_rules_is_not_found(
    client: Client, season: Season, now: Any
) -> None:
    assert client.get("/cupos/1999/").status_code == 404
    season.rules.update(published_at=None)
    assert client.get("/cupos/2027/").status_code == 404
    assert client.get("/cupos/2027/datos.csv").status_code == 404


def test_the_service_page_links_to_its_season(client: Client, season: Season, now: Any) -> None:
    text = _page(client, f"/tramites/{season.service.slug}/")
    assert 'href="/cupos/2027/"' in text


def test_the_lottery_words_match_the_allocation(season: Season) -> None:
    """The page's recipe: the first 8 bytes of SHA-256 of "seed:filing number"."""
    import hashlib

    digest = hashlib.sha256(b"abc:SED-2026-000001").digest()
    assert lottery_number("abc", "SED-2026-000001") == int.from_bytes(digest[:8], "big")


# ---- The family's panel ----------------------------------------------------------------------


def test_the_panel_shows_the_application_and_its_evidence(
    client: Client, season: Season, now: Any
) -> None:
    filing = apply(season.service, group="victima")
    page = _guest(client, filing)
    text = _page(client, page)
    assert "Cupo escolar" in text and "Primero" in text
    ranked = [
        text.index(name) for name in ("Colegio Alameda", "Colegio Britalia", "Colegio Castilla")
    ]
    assert ranked == sorted(ranked)
    assert "Víctima del conflicto armado" in text and "por verificar" in text
    application = Application.objects.get(case=filing.case)
    official = factories.user(staff=True)
    evidence_review(
        application=application, approved=False, note="El certificado está vencido.", actor=official
    )
    text = _page(client, page)
    assert "rechazado" in text and "El certificado está vencido." in text


def test_a_guest_accepts_and_formalises_with_a_file(
    client: Client, season: Season, now: Any
) -> None:
    filing = apply(season.service)
    page = _guest(client, filing)
    _allocate(season)
    with clock.frozen(ALLOCATION_DAY + timedelta(days=1)):
        text = _page(client, page)
        assert "Le asignamos su 1.ª opción" in text and "Colegio Alameda" in text
        assert "Aceptar el cupo" in text and "No acepto este cupo" in text
        # The status box reads the place too, and never an empty line for it.
        assert "<dd> · " not in text
        accepted = client.post(page + "cupo/aceptar/")
        assert accepted.status_code == 302
        assignment = Assignment.objects.get(application__case=filing.case)
        assert assignment.state == Assignment.State.ACCEPTED
        text = _page(client, page)
        assert "Formalizar la matrícula" in text and "Aceptar el cupo" not in text
        # Nothing sent: refused with the message, nothing changed.
        empty = client.post(page + "cupo/formalizar/", {})
        assert "Adjunte los documentos" in _page(client, empty["Location"])
        assignment.refresh_from_db()
        assert assignment.state == Assignment.State.ACCEPTED
        upload = io.BytesIO(PDF)
        upload.name = "matricula.pdf"
        second = io.BytesIO(factories.pdf_bytes("otro"))
        second.name = "certificado.pdf"
        done = client.post(page + "cupo/formalizar/", {"documentos": [upload, second]})
        assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.FORMALISED
    kept = filing.case.documents.filter(key="matricula")
    assert sorted(d.original_name for d in kept) == ["certificado.pdf", "matricula.pdf"]
    text = _page(client, page)
    assert "matrícula formalizada" in text and "matricula.pdf" in text
    assert "Le asignamos su 1.ª opción" in text and "Acepte el cupo a más tardar" not in text


def test_declining_needs_the_box_and_frees_the_place(
    client: Client, season: Season, now: Any
) -> None:
    filing = apply(season.service)
    page = _guest(client, filing)
    _allocate(season)
    with clock.frozen(ALLOCATION_DAY + timedelta(days=1)):
        unconfirmed = client.post(page + "cupo/no-acepto/")
        assert "Marque la casilla" in _page(client, unconfirmed["Location"])
        assert Assignment.objects.get().state == Assignment.State.OFFERED
        client.post(page + "cupo/no-acepto/", {"confirmar": "si"})
    assignment = Assignment.objects.get()
    assert assignment.state == Assignment.State.DECLINED
    assert assignment.offer.taken == 0


def test_a_late_accept_is_refused_with_the_message(
    client: Client, season: Season, now: Any
) -> None:
    filing = apply(season.service)
    page = _guest(client, filing)
    _allocate(season)
    assignment = Assignment.objects.get()
    late = ALLOCATION_DAY.replace(day=ALLOCATION_DAY.day) + timedelta(days=20)
    assert late.date() > assignment.accept_by
    with clock.frozen(late):
        refused = client.post(page + "cupo/aceptar/")
        assert "El plazo para aceptar este cupo ya pasó." in _page(client, refused["Location"])
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.OFFERED


def test_a_signed_in_family_takes_a_free_place_in_stage_2(
    client: Client, season: Season, now: Any
) -> None:
    owner = factories.user(first_name="Olga", last_name="Rincón")
    with clock.frozen(STAGE2_DAY):
        filing = case_file(
            service_version=season.service.versions.get(),
            answers=answers("1098765432", schools=()),
            filer_kind=FilerKind.CITIZEN,
            applicant=owner,
            documents=[Upload("documento_estudiante", "ti.pdf", PDF)],
            consent_text=consent_text_current(),
        )
        client.force_login(owner)
        page = f"/mi-cuenta/solicitudes/{filing.case.filing_number}/"
        text = _page(client, page)
        assert "Cupos libres cerca de su vivienda" in text
        # Nearest home first: Alameda is next door (the fixture's home), El Recreo far away.
        assert text.index("Colegio Alameda") < text.index("Colegio El Recreo")
        alameda = Offer.objects.get(point__code="COL-A", grade="primero", shift="manana")
        other_grade = Offer.objects.get(point__code="COL-A", grade="transicion")
        wrong = client.post(page + "cupo/tomar/", {"cupo": other_grade.pk})
        assert "Elija uno de los cupos libres" in _page(client, wrong["Location"])
        client.post(page + "cupo/tomar/", {"cupo": alameda.pk})
        assignment = Assignment.objects.get(application__case=filing.case)
        assert (assignment.offer, assignment.stage) == (alameda, 2)
        text = _page(client, page)
        assert "Tomó un cupo en Colegio Alameda" in text and "Aceptar el cupo" in text
        assert "Cupos libres cerca" not in text


def test_another_person_cannot_act_on_the_place(client: Client, season: Season, now: Any) -> None:
    filing = apply(season.service)
    _allocate(season)
    number = filing.case.filing_number
    stranger = factories.user()
    client.force_login(stranger)
    with clock.frozen(ALLOCATION_DAY + timedelta(days=1)):
        for action in ("aceptar", "no-acepto", "formalizar", "tomar"):
            assert client.post(f"/solicitudes/{number}/cupo/{action}/").status_code == 404
            assert client.post(f"/mi-cuenta/solicitudes/{number}/cupo/{action}/").status_code == 404
        anonymous = Client()
        response = anonymous.post(f"/solicitudes/{number}/cupo/aceptar/")
        assert response.status_code == 302 and "/cuenta/login/" in response["Location"]
    assert Assignment.objects.get().state == Assignment.State.OFFERED


def test_a_case_that_is_no_application_has_no_panel(
    client: Client, season: Season, now: Any
) -> None:
    filing = apply(season.service)
    Application.objects.filter(case=filing.case).delete()
    page = _guest(client, filing)
    assert 'id="cupo"' not in _page(client, page)
    refused = client.post(page + "cupo/aceptar/")
    assert "no es una postulación" in _page(client, refused["Location"])


def test_the_home_script_loads_only_where_the_home_is_asked(
    client: Client, season: Season, now: Any
) -> None:
    client.force_login(factories.user())
    sections = season.service.versions.get().parsed.form.sections
    with_home = {s.key for s in sections if any(f.type == "home_address" for f in s.fields)}
    assert with_home == {"vivienda"}
    slug = season.service.slug
    for section in sections:
        response = client.get(f"/tramites/{slug}/radicar/paso/{section.key}/")
        assert response.status_code == 200, section.key
        loaded = "portal/js/home.js" in response.content.decode()
        assert loaded == (section.key in with_home), section.key


def test_evidence_none_is_not_shown(client: Client, season: Season, now: Any) -> None:
    filing = apply(season.service)
    assert Application.objects.get(case=filing.case).evidence == Evidence.NONE
    text = _page(client, _guest(client, filing))
    assert "Grupo prioritario" not in text


def test_a_priority_group_asks_its_evidence_on_the_same_page(
    client: Client, season: Season, now: Any
) -> None:
    """Choosing a group shows its evidence question, a file, on the schools page: it is asked
    there, kept there, and the documents page does not ask for it again."""
    client.force_login(factories.user())
    base = f"/tramites/{season.service.slug}/radicar/"
    steps = {
        "estudiante": {
            "nombres_estudiante": "Sofía Ramírez",
            "documento_estudiante_numero__type": "TI",
            "documento_estudiante_numero__number": "1012345678",
            "fecha_nacimiento": "2020-04-03",
            "grado": "primero",
        },
        "situacion": {"procedencia": "privado", "tiene_hermanos": "no", "discapacidad": "no"},
        "vivienda": {
            "direccion__line": "Calle 38 Sur No. 72-15",
            "direccion__locality": "08",
            "telefono_contacto": "3001234567",
        },
    }
    for key, data in steps.items():
        response = client.post(f"{base}paso/{key}/", data)
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    schools = {
        "colegios__1": "COL-A:manana",
        "colegios__2": "COL-B:manana",
        "colegios__3": "COL-C:manana",
        "grupo_prioritario": "victima",
    }
    page = client.get(f"{base}paso/colegios/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="soporte_grupo"' in page
    # Without the file the page says what to do, and keeps the schools chosen.
    missing = client.post(f"{base}paso/colegios/", schools)
    assert missing.status_code == 200
    assert "Adjunte este documento." in missing.content.decode()
    # A file that is not a document is refused, the answers stay.
    bad = io.BytesIO(b"not a pdf")
    bad.name = "carta.pdf"
    refused = client.post(f"{base}paso/colegios/", {**schools, "soporte_grupo": bad})
    assert refused.status_code == 200
    evidence = io.BytesIO(PDF)
    evidence.name = "registro-victimas.pdf"
    kept = client.post(f"{base}paso/colegios/", {**schools, "soporte_grupo": evidence})
    assert kept.status_code == 302
    assert "registro-victimas.pdf" in _page(client, f"{base}paso/colegios/")
    documents = _page(client, f"{base}documentos/")
    assert "Soporte del grupo prioritario" not in documents
    assert "Documento de identidad del estudiante" in documents
    # Without a group, the evidence is neither asked nor required.
    none = client.post(f"{base}paso/colegios/", {**schools, "grupo_prioritario": "ninguno"})
    assert none.status_code == 302
    # A question of the page itself still holds it back.
    wrong = client.post(f"{base}paso/colegios/", {**schools, "grupo_prioritario": "x"})
    assert wrong.status_code == 200


def test_a_rejected_evidence_links_to_the_petition_that_contests_it(
    client: Client, season: Season, now: Any
) -> None:
    factories.service_variant(season.service, "derecho-de-peticion-general")
    filing = apply(season.service, group="victima")
    page = _guest(client, filing)
    assert "Presente una petición" not in _page(client, page)
    evidence_review(
        application=Application.objects.get(case=filing.case),
        approved=False,
        note="El certificado está vencido.",
        actor=factories.user(staff=True),
    )
    assert 'href="/tramites/derecho-de-peticion-general/"' in _page(client, page)


def test_the_public_tracking_page_says_where_the_place_is(
    client: Client, season: Season, now: Any
) -> None:
    filing = apply(season.service)
    tracked = client.post(
        "/seguimiento/",
        {"filing_number": filing.case.filing_number, "code": filing.verification_code},
    )
    assert tracked.status_code == 302
    assert "Colegio Alameda" not in _page(client, tracked["Location"])
    _allocate(season)
    text = _page(client, tracked["Location"])
    assert "Cupo escolar" in text and "Colegio Alameda · asignado, por aceptar" in text
