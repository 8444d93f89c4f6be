from django.urls import path
from django.utils.translation import gettext_lazy as _

from ventanilla.workspace import (
    agenda_views,
    assisted_views,
    expediente_views,
    issued_views,
    views,
)

app_name = "workspace"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path(_("equipo/"), views.team, name="team"),
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
]
