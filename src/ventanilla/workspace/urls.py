from django.urls import path
from django.utils.translation import gettext_lazy as _

from ventanilla.workspace import (
    agenda_views,
    assisted_views,
    expediente_views,
    insights_views,
    issued_views,
    places_views,
    report_views,
    survey_views,
    turn_views,
    views,
)

app_name = "workspace"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path(_("equipo/"), views.team, name="team"),
    path(_("cifras/"), insights_views.dashboard, name="dashboard"),
    path(_("encuestas/"), survey_views.survey_results, name="survey_results"),
    path(_("informes/pqrsd/"), report_views.pqrsd, name="report_pqrsd"),
    path(_("casos/<str:number>/"), views.case_detail, name="case"),
    path(_("casos/<str:number>/accion/<slug:action>/"), views.case_action, name="case_action"),
    path(_("casos/<str:number>/asignar/"), views.case_assign_view, name="case_assign"),
    path(_("casos/<str:number>/nota/"), views.case_note, name="case_note"),
    path(_("casos/<str:number>/mensaje/"), views.case_message, name="case_message"),
    path(_("casos/<str:number>/proyectar/"), views.case_draft, name="case_draft"),
    path(
        _("casos/<str:number>/documentos/<int:document_id>/"),
        views.case_document,
        name="case_document",
    ),
    path(
        _("casos/<str:number>/expediente/indice.json"),
        expediente_views.case_index_json,
        name="case_index_json",
    ),
    path(
        _("casos/<str:number>/expediente/indice.pdf"),
        expediente_views.case_index_pdf,
        name="case_index_pdf",
    ),
    path(_("casos/<str:number>/expediente.zip"), expediente_views.case_zip, name="case_zip"),
    path(_("casos/<str:number>/constancia/"), issued_views.receipt, name="receipt"),
    path(_("casos/<str:number>/expedidos/<int:issued_id>/"), issued_views.issued, name="issued"),
    path(_("agenda/"), agenda_views.agenda_points, name="agenda_points"),
    path(_("agenda/<int:point_id>/"), agenda_views.agenda, name="agenda"),
    path(_("agenda/<int:point_id>/agendar/"), agenda_views.agenda_book, name="agenda_book"),
    path(
        _("agenda/citas/<str:code>/llegada/"), agenda_views.agenda_check_in, name="agenda_check_in"
    ),
    path(
        _("agenda/citas/<str:code>/no-asistio/"), agenda_views.agenda_no_show, name="agenda_no_show"
    ),
    path(_("radicar/"), assisted_views.assisted_start, name="assisted_start"),
    path(_("radicar/<slug:slug>/"), assisted_views.assisted_file, name="assisted_file"),
    path(_("cupos/"), places_views.places_seasons, name="places_seasons"),
    path(_("cupos/<slug:code>/"), places_views.places_season, name="places_season"),
    path(_("cupos/<slug:code>/asignar/"), places_views.places_run_start, name="places_run_start"),
    path(
        _("cupos/<slug:code>/asignaciones/<int:number>/"),
        places_views.places_run,
        name="places_run",
    ),
    path(
        _("cupos/<slug:code>/asignaciones/<int:number>/entradas.json"),
        places_views.places_run_document,
        {"kind": "inputs"},
        name="places_run_inputs",
    ),
    path(
        _("cupos/<slug:code>/asignaciones/<int:number>/resultados.json"),
        places_views.places_run_document,
        {"kind": "outputs"},
        name="places_run_outputs",
    ),
    path(_("cupos/<slug:code>/soportes/"), places_views.places_evidence, name="places_evidence"),
    path(
        _("cupos/<slug:code>/soportes/<int:application_id>/"),
        places_views.places_evidence_review,
        name="places_evidence_review",
    ),
    path(_("cupos/<slug:code>/liberados/"), places_views.places_releases, name="places_releases"),
    path(_("turnos/"), turn_views.turn_points, name="turn_points"),
    path(_("turnos/<int:point_id>/"), turn_views.turn_desk, name="turn_desk"),
    path(_("turnos/<int:point_id>/llamar/"), turn_views.turn_call, name="turn_call"),
    path(_("turnos/<int:point_id>/emitir/"), turn_views.turn_issue, name="turn_issue"),
    path(_("turnos/<int:point_id>/dispositivos/"), turn_views.turn_devices, name="turn_devices"),
    path(
        _("turnos/<int:point_id>/<int:ticket_id>/trasladar/"),
        turn_views.turn_transfer,
        name="turn_transfer",
    ),
    path(
        _("turnos/<int:point_id>/<int:ticket_id>/<slug:action>/"),
        turn_views.turn_act,
        name="turn_act",
    ),
]
