from django.urls import path
from django.utils.translation import gettext_lazy as _

from ventanilla.portal import (
    booking_views,
    catalog_views,
    citizen_views,
    expediente_views,
    filing_views,
    folder_views,
    issued_views,
    opendata_views,
    places_views,
    tracking_views,
    turn_views,
    verify_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("tramites/"), catalog_views.catalog, name="catalog"),
    path(_("tramites/<slug:slug>/"), catalog_views.service_detail, name="service"),
    path(_("seguimiento/"), tracking_views.tracking, name="tracking"),
    path(_("turnos/"), turn_views.points, name="turn_points"),
    path(_("turnos/puntos/<int:point_id>/"), turn_views.join, name="turn_join"),
    path(_("turnos/t/<str:token>/"), turn_views.ticket_page, name="turn_ticket"),
    path(_("turnos/quiosco/<str:secret>/"), turn_views.kiosk, name="turn_kiosk"),
    path(
        _("turnos/quiosco/<str:secret>/turno/<str:token>/"),
        turn_views.kiosk_ticket,
        name="turn_kiosk_ticket",
    ),
    path(_("turnos/pantalla/<str:secret>/"), turn_views.display, name="turn_display"),
    path(_("verificar/"), verify_views.verify, name="verify"),
    path(_("seguimiento/<str:number>/"), tracking_views.tracking_case, name="tracking_case"),
    path(
        _("seguimiento/<str:number>/enlace/"),
        tracking_views.tracking_guest_link,
        name="tracking_guest_link",
    ),
    path(_("tramites/<slug:slug>/radicar/"), filing_views.file_start, name="file_start"),
    path(_("tramites/<slug:slug>/radicar/sus-datos/"), filing_views.file_guest, name="file_guest"),
    path(_("tramites/<slug:slug>/radicar/donde/"), filing_views.file_place, name="file_place"),
    path(
        _("tramites/<slug:slug>/radicar/documentos/"),
        filing_views.file_documents,
        name="file_documents",
    ),
    path(_("tramites/<slug:slug>/radicar/revisar/"), filing_views.file_review, name="file_review"),
    path(
        _("tramites/<slug:slug>/radicar/paso/<slug:section>/"),
        filing_views.file_section,
        name="file_section",
    ),
    path(_("radicado/<str:number>/"), filing_views.file_done, name="file_done"),
    path(_("citas/"), booking_views.appointments_home, name="appointments"),
    path(_("citas/consultar/"), booking_views.booking_lookup, name="booking_lookup"),
    path(_("citas/agendar/<slug:slug>/"), booking_views.booking_points, name="booking_points"),
    path(
        _("citas/agendar/<slug:slug>/<int:point_id>/"),
        booking_views.booking_times,
        name="booking_times",
    ),
    path(
        _("citas/agendar/<slug:slug>/<int:point_id>/datos/"),
        booking_views.booking_details,
        name="booking_details",
    ),
    path(_("citas/<str:code>/"), booking_views.booking_page, name="booking"),
    path(_("citas/<str:code>/cita.ics"), booking_views.booking_calendar, name="booking_calendar"),
    path(_("citas/<str:code>/cancelar/"), booking_views.booking_cancel_view, name="booking_cancel"),
    path(_("citas/<str:code>/cambiar/"), booking_views.booking_move, name="booking_move"),
    path(_("cupos/"), places_views.seasons, name="places_seasons"),
    path(_("cupos/<slug:code>/"), places_views.season_page, name="places_season"),
    path(_("cupos/<slug:code>/datos.csv"), places_views.season_csv, name="places_season_csv"),
    path(_("cupos/<slug:code>/datos.json"), places_views.season_json, name="places_season_json"),
    path(_("datos-abiertos/"), opendata_views.opendata_page, name="opendata"),
    path(
        _("datos-abiertos/diccionario/"),
        opendata_views.opendata_dictionary,
        name="opendata_dictionary",
    ),
    path(
        _("datos-abiertos/diccionario.json"), opendata_views.opendata_schema, name="opendata_schema"
    ),
    path(
        _("datos-abiertos/catalogo.jsonld"),
        opendata_views.opendata_catalogue,
        name="opendata_catalogue",
    ),
    path(
        _("datos-abiertos/<slug:dataset>.<slug:fmt>"),
        opendata_views.opendata_latest,
        name="opendata_latest",
    ),
    path(
        _("datos-abiertos/<str:day>/<slug:dataset>.<slug:fmt>"),
        opendata_views.opendata_dated,
        name="opendata_dated",
    ),
    path(_("mi-cuenta/"), views.account, name="account"),
    path(_("mi-cuenta/solicitudes/"), citizen_views.my_cases, name="my_cases"),
    path(_("mi-cuenta/solicitudes/agregar/"), citizen_views.my_case_claim, name="my_case_claim"),
    path(_("mi-cuenta/solicitudes/<str:number>/"), citizen_views.my_case, name="my_case"),
    path(
        _("mi-cuenta/solicitudes/<str:number>/responder/"),
        citizen_views.my_case_answer,
        name="my_case_answer",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/mensaje/"),
        citizen_views.my_case_message,
        name="my_case_message",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/desistir/"),
        citizen_views.my_case_withdraw,
        name="my_case_withdraw",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/cupo/aceptar/"),
        places_views.place_accept,
        name="my_case_place_accept",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/cupo/no-acepto/"),
        places_views.place_decline,
        name="my_case_place_decline",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/cupo/formalizar/"),
        places_views.place_formalise,
        name="my_case_place_formalise",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/cupo/tomar/"),
        places_views.place_claim_view,
        name="my_case_place_claim",
    ),
    path(_("mi-cuenta/documentos/"), folder_views.my_documents, name="my_documents"),
    path(
        _("mi-cuenta/documentos/<int:document_id>/"),
        folder_views.my_document,
        name="my_document",
    ),
    path(
        _("mi-cuenta/documentos/<int:document_id>/quitar/"),
        folder_views.my_document_remove,
        name="my_document_remove",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/expediente/indice.json"),
        expediente_views.my_case_index_json,
        name="my_case_index_json",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/expediente/indice.pdf"),
        expediente_views.my_case_index_pdf,
        name="my_case_index_pdf",
    ),
    path(
        _("mi-cuenta/solicitudes/<str:number>/expediente.zip"),
        expediente_views.my_case_zip,
        name="my_case_zip",
    ),
    path(_("mi-cuenta/avisos/"), citizen_views.my_notifications, name="my_notifications"),
    path(_("mi-cuenta/mis-datos.json"), citizen_views.my_data, name="my_data"),
    path(
        _("solicitudes/<str:number>/documentos/<int:document_id>/"),
        citizen_views.case_document,
        name="case_document",
    ),
    path(_("solicitudes/<str:number>/constancia/"), issued_views.receipt, name="receipt"),
    path(
        _("solicitudes/<str:number>/expedidos/<int:issued_id>/"),
        issued_views.issued,
        name="issued",
    ),
    # A guest's case, opened by the link sent to the case's email (cases.guest_access).
    path(
        _("solicitudes/<str:number>/acceso/<str:token>/"),
        citizen_views.guest_access,
        name="guest_access",
    ),
    path(_("solicitudes/<str:number>/"), citizen_views.my_case, name="guest_case"),
    path(
        _("solicitudes/<str:number>/responder/"),
        citizen_views.my_case_answer,
        name="guest_case_answer",
    ),
    path(
        _("solicitudes/<str:number>/mensaje/"),
        citizen_views.my_case_message,
        name="guest_case_message",
    ),
    path(
        _("solicitudes/<str:number>/desistir/"),
        citizen_views.my_case_withdraw,
        name="guest_case_withdraw",
    ),
    path(
        _("solicitudes/<str:number>/cupo/aceptar/"),
        places_views.place_accept,
        name="guest_case_place_accept",
    ),
    path(
        _("solicitudes/<str:number>/cupo/no-acepto/"),
        places_views.place_decline,
        name="guest_case_place_decline",
    ),
    path(
        _("solicitudes/<str:number>/cupo/formalizar/"),
        places_views.place_formalise,
        name="guest_case_place_formalise",
    ),
    path(
        _("solicitudes/<str:number>/cupo/tomar/"),
        places_views.place_claim_view,
        name="guest_case_place_claim",
    ),
]
