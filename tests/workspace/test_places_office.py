"""The coverage office's pages for school places: who sees and who acts, dry and real runs, the
review of priority groups' evidence, a run's documents and comparison, released places."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.places.conftest import ALLOCATION_DAY, apply, now, season  # noqa: F401
from ventanilla.accounts.models import User
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Dependency, Role
from ventanilla.places import notices
from ventanilla.places.assignments import assignment_decline
from ventanilla.places.models import AllocationRun, Application, Assignment, Evidence, Season

pytestmark = pytest.mark.django_db


def signed_in(person: User) -> Client:
    factories.enrol_totp(person)
    client = Client()
    client.force_login(person)
    return client


def office(role: str) -> Client:
    """An official of the coverage office that owns the season's service, with `role`."""
    return signed_in(factories.official(Dependency.objects.get(code="DIR-COBERTURA"), role))


def pages(season: Season) -> list[str]:  # noqa: F811
    base = f"/espacio/cupos/{season.code}/"
    return [base, f"{base}soportes/", f"{base}liberados/"]


def body(response: Any) -> str:
    return str(response.content.decode())


def test_an_official_of_another_office_gets_404_and_no_menu_entry(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    sibling = factories.dependency(
        "DIR-CALIDAD", parent=Dependency.objects.get(code="DIR-COBERTURA").parent
    )
    stranger = signed_in(factories.official(sibling, Role.SUPERVISOR))
    for url in pages(season):
        assert stranger.get(url).status_code == 404, url
    run = stranger.post(f"/espacio/cupos/{season.code}/asignar/", {"tipo": "ensayo"})
    assert run.status_code == 404
    assert not AllocationRun.objects.exists()
    listing = body(stranger.get("/espacio/cupos/"))
    assert season.name not in listing and "Cupos escolares" in listing  # the page's own title
    assert "/espacio/cupos/" not in body(stranger.get("/espacio/"))
    # A citizen is not an official at all.
    assert signed_in(factories.user()).get(pages(season)[0]).status_code == 403


def test_a_viewer_sees_every_page_but_neither_runs_nor_reviews(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    application = Application.objects.get(case=apply(season.service, group="victima").case)
    viewer = office(Role.VIEWER)
    for url in pages(season):
        assert viewer.get(url).status_code == 200, url
    assert 'href="/espacio/cupos/"' in body(viewer.get("/espacio/"))
    dashboard = body(viewer.get(pages(season)[0]))
    assert "Ensayar la asignación" not in dashboard
    evidence = body(viewer.get(pages(season)[1]))
    assert application.case.filing_number in evidence and "Rechazar" not in evidence
    run = f"/espacio/cupos/{season.code}/asignar/"
    assert viewer.post(run, {"tipo": "ensayo"}).status_code == 403
    review = f"/espacio/cupos/{season.code}/soportes/{application.pk}/"
    assert viewer.post(review, {"decision": "aprobar"}).status_code == 403
    assert not AllocationRun.objects.exists()
    application.refresh_from_db()
    assert application.evidence == Evidence.PENDING
    # A handler reviews but does not run.
    handler = office(Role.HANDLER)
    assert handler.post(run, {"tipo": "ensayo"}).status_code == 403
    assert "Aprobar" in body(handler.get(pages(season)[1]))


def test_a_dry_run_records_its_figures_and_tells_nobody(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    filings = [apply(season.service, str(1012340000 + n)) for n in range(3)]
    apply(season.service, "1012342000", group="victima")
    notified = Notification.objects.count()
    approver = office(Role.APPROVER)
    response = approver.post(
        f"/espacio/cupos/{season.code}/asignar/", {"tipo": "ensayo"}, follow=True
    )
    run = AllocationRun.objects.get()
    assert run.dry_run and run.stats["applicants"] == len(filings) + 1
    html = body(response)
    assert response.request["PATH_INFO"] == f"/espacio/cupos/{season.code}/asignaciones/1/"
    assert "No se le avisó a nadie" in html
    assert "Queda 1 soporte por revisar: el ensayo lo tomó" in html  # the one of the victim's group
    assert Notification.objects.count() == notified
    assert not Assignment.objects.exists()
    dashboard = body(approver.get(pages(season)[0]))
    assert "Asignación 1" in dashboard and "ensayo" in dashboard
    assert f"Opción 1: {run.stats['by_rank']['1']}" in dashboard


def test_the_real_run_outside_its_window_is_refused_with_the_reason(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    apply(season.service)
    approver = office(Role.APPROVER)
    url = f"/espacio/cupos/{season.code}/asignar/"
    unconfirmed = body(approver.post(url, {"tipo": "real"}, follow=True))
    assert "Marque la casilla de confirmación" in unconfirmed
    refused = body(approver.post(url, {"tipo": "real", "confirmo": "si"}, follow=True))
    assert "La asignación real se hace entre el cierre de la etapa 1 y la etapa 2." in refused
    assert not AllocationRun.objects.exists() and not Assignment.objects.exists()


def test_the_real_run_in_its_window_gives_the_places_once(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    for n in range(3):
        apply(season.service, str(1012343000 + n))
    approver = office(Role.APPROVER)
    url = f"/espacio/cupos/{season.code}/asignar/"
    with clock.frozen(ALLOCATION_DAY):
        assert approver.post(url, {"tipo": "real"}).status_code == 302
        assert not AllocationRun.objects.exists()  # not ticked: nothing done
        html = body(approver.post(url, {"tipo": "real", "confirmo": "si"}, follow=True))
        run = AllocationRun.objects.get()
        assert not run.dry_run
        assert Assignment.objects.filter(run=run).count() == run.stats["placed"] == 3
        assert f"{run.stats['placed']} cupos asignados" in html
        dashboard = body(approver.get(pages(season)[0]))
        assert "Hacer la asignación real" not in dashboard
        again = body(approver.post(url, {"tipo": "real", "confirmo": "si"}, follow=True))
        assert "La asignación real de esta temporada ya se hizo." in again
        assert AllocationRun.objects.count() == 1


def test_evidence_is_approved_or_rejected_with_a_reason_the_family_reads(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    first, second = (
        Application.objects.get(case=apply(season.service, number, group="victima").case)
        for number in ("1012344001", "1012344002")
    )
    handler = office(Role.HANDLER)
    listing = f"/espacio/cupos/{season.code}/soportes/"
    html = body(handler.get(listing))
    document = first.case.documents.get(key="soporte_grupo")
    assert f"/espacio/casos/{first.case.filing_number}/documentos/{document.pk}/" in html
    assert handler.get(f"/espacio/casos/{first.case.filing_number}/documentos/{document.pk}/")
    notified = Notification.objects.filter(event=notices.EVIDENCE).count()

    review = f"/espacio/cupos/{season.code}/soportes/{first.pk}/"
    response = handler.post(review, {"decision": "rechazar", "motivo": "  "})
    assert response.status_code == 302 and response["Location"] == listing
    first.refresh_from_db()
    assert first.evidence == Evidence.PENDING
    assert "Escriba el motivo del rechazo" in body(handler.get(listing))

    reason = "El certificado no es de la Unidad para las Víctimas."
    handler.post(review, {"decision": "rechazar", "motivo": reason})
    first.refresh_from_db()
    assert (first.evidence, first.evidence_note) == (Evidence.REJECTED, reason)
    queued = Notification.objects.filter(event=notices.EVIDENCE, reference=first.case.filing_number)
    assert queued.count() > 0
    assert Notification.objects.filter(event=notices.EVIDENCE).count() > notified

    handler.post(f"/espacio/cupos/{season.code}/soportes/{second.pk}/", {"decision": "aprobar"})
    second.refresh_from_db()
    assert second.evidence == Evidence.APPROVED
    assert not Notification.objects.filter(
        event=notices.EVIDENCE, reference=second.case.filing_number
    ).exists()
    after = body(handler.get(listing))
    assert "soporte aprobado" in after
    for reviewed in (first, second):
        assert f"/soportes/{reviewed.pk}/" not in after
    assert "No hay soportes por revisar." in body(handler.get(listing))


def test_the_evidence_list_takes_as_many_queries_for_many_rows_as_for_few(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    for n in range(2):
        apply(season.service, str(1012345000 + n), group="victima")
    viewer = office(Role.VIEWER)
    listing = f"/espacio/cupos/{season.code}/soportes/"
    viewer.get(listing)
    with CaptureQueriesContext(connection) as few:
        assert viewer.get(listing).status_code == 200
    for n in range(2, 8):
        apply(season.service, str(1012345000 + n), group="victima")
    with CaptureQueriesContext(connection) as many:
        html = body(viewer.get(listing))
    assert html.count("/documentos/") == 8
    assert len(many) == len(few)


def _rows(html: str) -> dict[str, list[int]]:
    """The by-rank table: label → counts, one per run shown."""
    found = {}
    for label, cells in re.findall(r'<th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)', html):
        found[label] = [int(c) for c in re.findall(r"<td>(\d+)</td>", cells)]
    return found


def test_two_runs_compare_applicant_by_applicant_and_rank_by_rank(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    # Two places at Alameda for three families from the same home: two get it, one gets their
    # second choice (the lottery says who).
    for n in range(3):
        apply(season.service, str(1012346000 + n))
    approver = office(Role.APPROVER)
    url = f"/espacio/cupos/{season.code}/asignar/"
    approver.post(url, {"tipo": "ensayo"})
    # A fourth family lives at Alameda's door: nearer, it goes before the others there and
    # pushes the one of them the lottery put second at Alameda to Britalia, beside the third.
    apply(season.service, "1012346003", home=(4.6280, -74.1500))
    approver.post(url, {"tipo": "ensayo"})
    html = body(approver.get(f"/espacio/cupos/{season.code}/asignaciones/2/?contra=1"))
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", html))
    assert facts["Postulados en ambas"] == "3"
    assert facts["Con un resultado distinto"] == "1"
    assert facts["Solo en la 2"] == "1" and facts["Solo en la 1"] == "0"
    assert _rows(html) == {"Opción 1": [2, 2], "Opción 2": [2, 1]}
    # Without a comparison, one column.
    assert _rows(body(approver.get(f"/espacio/cupos/{season.code}/asignaciones/1/"))) == {
        "Opción 1": [2],
        "Opción 2": [1],
    }


def test_a_runs_documents_download_as_kept_with_their_hashes(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    apply(season.service)
    approver = office(Role.APPROVER)
    approver.post(f"/espacio/cupos/{season.code}/asignar/", {"tipo": "ensayo"})
    run = AllocationRun.objects.get()
    viewer = office(Role.VIEWER)
    page = body(viewer.get(f"/espacio/cupos/{season.code}/asignaciones/1/"))
    assert run.inputs_sha256 in page and run.outputs_sha256 in page and run.seed in page
    for name, digest in (
        ("entradas", run.inputs_sha256),
        ("resultados", run.outputs_sha256),
    ):
        response = viewer.get(f"/espacio/cupos/{season.code}/asignaciones/1/{name}.json")
        content = b"".join(response.streaming_content)
        assert hashlib.sha256(content).hexdigest() == digest
        assert response["X-Content-Type-Options"] == "nosniff"
        assert f"{season.code}-1-{name}.json" in response["Content-Disposition"]
    assert viewer.get(f"/espacio/cupos/{season.code}/asignaciones/9/entradas.json").status_code == (
        404
    )


def test_released_places_list_the_school_the_grade_and_what_happened(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    filing = apply(season.service)
    with clock.frozen(ALLOCATION_DAY):
        office(Role.APPROVER).post(
            f"/espacio/cupos/{season.code}/asignar/", {"tipo": "real", "confirmo": "si"}
        )
        assignment = Assignment.objects.get()
        assignment_decline(assignment=assignment, actor=None)
        html = body(office(Role.VIEWER).get(f"/espacio/cupos/{season.code}/liberados/"))
    assert f"/espacio/casos/{filing.case.filing_number}/" in html
    assert assignment.offer.point.name in html and "Primero" in html
    assert "rechazado por la familia" in html


def test_after_the_real_run_the_evidence_left_is_no_longer_reviewed(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
) -> None:
    application = Application.objects.get(
        case=apply(season.service, "1012348000", group="victima").case
    )
    handler = office(Role.HANDLER)
    listing = f"/espacio/cupos/{season.code}/soportes/"
    assert f"/soportes/{application.pk}/" in body(handler.get(listing))
    with clock.frozen(ALLOCATION_DAY):
        office(Role.APPROVER).post(
            f"/espacio/cupos/{season.code}/asignar/", {"tipo": "real", "confirmo": "si"}
        )
        html = body(handler.get(listing))
        assert "La asignación real ya se hizo" in html
        assert f"/soportes/{application.pk}/" not in html
        refused = body(
            handler.post(
                f"/espacio/cupos/{season.code}/soportes/{application.pk}/",
                {"decision": "aprobar"},
                follow=True,
            )
        )
    assert "La asignación de la etapa 1 ya se hizo con lo verificado." in refused
    application.refresh_from_db()
    assert application.evidence == Evidence.PENDING


def test_with_a_worker_the_run_is_made_there_and_the_page_says_it_is_under_way(
    season: Season,  # noqa: F811
    now: Any,  # noqa: F811
    settings: Any,
) -> None:
    from ventanilla.places.tasks import allocation_run_task

    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    apply(season.service)
    approver = office(Role.APPROVER)
    answer = approver.post(f"/espacio/cupos/{season.code}/asignar/", {"tipo": "ensayo"})
    assert answer["Location"] == f"/espacio/cupos/{season.code}/"
    assert "La asignación está en curso" in body(approver.get(answer["Location"]))
    assert not AllocationRun.objects.exists()
    # The worker's turn: the same task, run.
    number = allocation_run_task.call(season_id=season.pk, dry_run=True, actor_id=None)
    assert AllocationRun.objects.get(number=number).dry_run
