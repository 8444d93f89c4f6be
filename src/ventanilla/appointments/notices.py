"""What a booking tells its holder (email, text message, in-app), and the line a case's route
gets when one of its bookings changes. The events join the notifications registry when Django
starts; their default texts are created by this app's data migration and edited in the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ventanilla.notifications.models import Channel, event_register
from ventanilla.notifications.services import Recipient, notification_queue

if TYPE_CHECKING:
    from ventanilla.accounts.models import User
    from ventanilla.appointments.models import Booking

BOOKED = "appointment_booked"
RESCHEDULED = "appointment_rescheduled"
CANCELLED = "appointment_cancelled"
REMINDER = "appointment_reminder"
AFFECTED = "appointment_affected"
CODE = "appointment_code"

EVENTS = {
    BOOKED: _("cita agendada"),
    RESCHEDULED: _("cita cambiada de hora"),
    CANCELLED: _("cita cancelada"),
    REMINDER: _("recordatorio de la cita, el día anterior"),
    AFFECTED: _("cambió el horario del punto de una cita"),
    CODE: _("código para confirmar el correo o el celular de quien agenda"),
}
SMS = frozenset({BOOKED, RESCHEDULED, REMINDER, AFFECTED, CODE})

_PLACE = "{{ point_name }}, {{ point_address }}"
_MANAGE = "{{ manage_url }}"

# (subject, email body, short text for SMS and in-app) per event and language.
TEMPLATES: dict[str, dict[str, tuple[str, str, str | None]]] = {
    BOOKED: {
        "es": (
            "Su cita del {{ when_es }}",
            "Hola, {{ name }}:\n\nSu cita quedó agendada.\n\n"
            "Trámite: {{ service_title_es }}\nCuándo: {{ when_es }}\nDónde: " + _PLACE + "\n"
            "Código de la cita: {{ code }}\n\n"
            "Lleve su documento de identidad: la cita solo sirve a la persona que la agendó.\n"
            "Agregue la cita a su calendario, cámbiela o cancélela aquí: " + _MANAGE + "\n\n"
            "Si no puede ir, cancélela: otra persona podrá usar el cupo.",
            "Cita {{ code }}: {{ when_es }}, {{ point_name }}. Cambiar o cancelar: " + _MANAGE,
        ),
        "en": (
            "Your appointment on {{ when_en }}",
            "Hello {{ name }},\n\nYour appointment is booked.\n\n"
            "Service: {{ service_title_en }}\nWhen: {{ when_en }}\nWhere: " + _PLACE + "\n"
            "Appointment code: {{ code }}\n\n"
            "Bring your ID document: the appointment is only good for the person who booked "
            "it.\nAdd it to your calendar, change it or cancel it here: " + _MANAGE + "\n\n"
            "If you cannot go, cancel it so that someone else can use the time.",
            "Appointment {{ code }}: {{ when_en }}, {{ point_name }}. Change or cancel: " + _MANAGE,
        ),
    },
    RESCHEDULED: {
        "es": (
            "Su cita cambió al {{ when_es }}",
            "Hola, {{ name }}:\n\nSu cita {{ code }} ahora es el {{ when_es }}, en "
            + _PLACE
            + ".\n\nTrámite: {{ service_title_es }}\nVer, cambiar o cancelar: "
            + _MANAGE,
            "Cita {{ code }} cambiada: {{ when_es }}, {{ point_name }}.",
        ),
        "en": (
            "Your appointment moved to {{ when_en }}",
            "Hello {{ name }},\n\nYour appointment {{ code }} is now on {{ when_en }}, at "
            + _PLACE
            + ".\n\nService: {{ service_title_en }}\nSee, change or cancel it: "
            + _MANAGE,
            "Appointment {{ code }} moved: {{ when_en }}, {{ point_name }}.",
        ),
    },
    CANCELLED: {
        "es": (
            "Cancelamos su cita del {{ when_es }}",
            "Hola, {{ name }}:\n\nLa cita {{ code }} del {{ when_es }} en {{ point_name }} "
            "quedó cancelada. Si necesita otra, agéndela de nuevo en {{ site_url }}.",
            None,
        ),
        "en": (
            "Your appointment on {{ when_en }} is cancelled",
            "Hello {{ name }},\n\nAppointment {{ code }} on {{ when_en }} at {{ point_name }} "
            "is cancelled. If you need another one, book it again at {{ site_url }}.",
            None,
        ),
    },
    REMINDER: {
        "es": (
            "Mañana tiene cita: {{ when_es }}",
            "Hola, {{ name }}:\n\nLe recordamos su cita {{ code }}.\n\n"
            "Trámite: {{ service_title_es }}\nCuándo: {{ when_es }}\nDónde: " + _PLACE + "\n\n"
            "Lleve su documento de identidad. Si no puede ir, cancélela aquí: " + _MANAGE,
            "Recuerde su cita {{ code }}: {{ when_es }}, {{ point_name }}. Cancelar: " + _MANAGE,
        ),
        "en": (
            "Your appointment tomorrow: {{ when_en }}",
            "Hello {{ name }},\n\nA reminder of your appointment {{ code }}.\n\n"
            "Service: {{ service_title_en }}\nWhen: {{ when_en }}\nWhere: " + _PLACE + "\n\n"
            "Bring your ID document. If you cannot go, cancel it here: " + _MANAGE,
            "Reminder: appointment {{ code }}, {{ when_en }}, {{ point_name }}. Cancel: " + _MANAGE,
        ),
    },
    AFFECTED: {
        "es": (
            "Cambió el horario de {{ point_name }}",
            "Hola, {{ name }}:\n\n{{ point_name }} cambió su horario de atención y su cita "
            "{{ code }} del {{ when_es }} quedó fuera de él. La cita se mantiene; si prefiere "
            "otra hora, cámbiela aquí: " + _MANAGE,
            "{{ point_name }} cambió su horario. Su cita {{ code }} ({{ when_es }}) se mantiene; "
            "puede cambiarla: " + _MANAGE,
        ),
        "en": (
            "{{ point_name }} changed its hours",
            "Hello {{ name }},\n\n{{ point_name }} changed its opening hours and your "
            "appointment {{ code }} on {{ when_en }} is now outside them. The appointment "
            "stands; if you prefer another time, change it here: " + _MANAGE,
            "{{ point_name }} changed its hours. Your appointment {{ code }} ({{ when_en }}) "
            "stands; you can change it: " + _MANAGE,
        ),
    },
}


TEMPLATES[CODE] = {
    "es": (
        "Su código para agendar la cita: {{ code }}",
        "Su código para confirmar la cita es: {{ code }}\n\nEscríbalo en la página donde está "
        "agendando. Vence en una hora.\n\nSi usted no está agendando una cita, ignore este "
        "mensaje: nadie más lo recibió.",
        "Su código para agendar la cita es {{ code }}. Si no lo pidió, ignórelo.",
    ),
    "en": (
        "Your code to book the appointment: {{ code }}",
        "Your code to confirm the appointment is: {{ code }}\n\nType it on the page where you "
        "are booking. It expires in an hour.\n\nIf you are not booking an appointment, ignore "
        "this message: nobody else received it.",
        "Your code to book the appointment is {{ code }}. If you did not ask for it, ignore it.",
    ),
}


def register() -> None:
    for key, label in EVENTS.items():
        event_register(key, label, secret=key == CODE)


def booking_code_send(*, email: str, phone: str, code: str, language: str) -> None:
    """Send the code with which a guest proves the email (or, without one, the mobile phone)
    the booking's notices will go to."""
    if email:
        recipient = Recipient(channel=Channel.EMAIL, address=email, language=language)
    else:
        recipient = Recipient(channel=Channel.SMS, address=phone, language=language)
    notification_queue(event=CODE, recipients=[recipient], context={"code": code})


def when_words(booking: Booking, language: str) -> str:
    """ "14 de enero de 2027, 08:20" in the point's time zone."""
    local = booking.starts_at.astimezone(_zone(booking))
    with translation.override(language):
        weekday = date_format(local.date(), "l")
        return f"{weekday}, {date_format(local.date(), 'DATE_FORMAT')}, {local:%H:%M}"


def _zone(booking: Booking) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(booking.point.entity.timezone)


def manage_url(booking: Booking, token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("portal:booking", args=[booking.code])
    return f"{settings.SITE_URL.rstrip('/')}{path}?clave={token}"


def booking_notify(booking: Booking, event: str, token: str) -> None:
    """Queue `event` for the booking's holder, in the transaction of the change."""
    language = booking.language if booking.language in {"es", "en"} else "es"
    recipients = []
    if booking.email:
        recipients.append(
            Recipient(
                channel=Channel.EMAIL,
                address=booking.email,
                user_id=booking.user_id,
                language=language,
            )
        )
    if booking.phone and event in SMS:
        recipients.append(Recipient(channel=Channel.SMS, address=booking.phone, language=language))
    if booking.user_id is not None:
        recipients.append(
            Recipient(channel=Channel.IN_APP, user_id=booking.user_id, language=language)
        )
    if not recipients:
        return
    context = {
        "name": booking.name,
        "code": booking.code,
        "service_title_es": booking.service.title("es"),
        "service_title_en": booking.service.title("en"),
        "point_name": booking.point.name,
        "point_address": booking.point.address,
        "when_es": when_words(booking, "es"),
        "when_en": when_words(booking, "en"),
        "manage_url": manage_url(booking, token, language),
        "site_url": settings.SITE_URL,
    }
    notification_queue(event=event, recipients=recipients, context=context, reference=booking.code)


def case_route_note(booking: Booking, what: str, *, actor: User | None) -> None:
    """Write the booking's change on its case's route (kind `appointment`, see effects)."""
    from ventanilla.cases.models import Case
    from ventanilla.cases.timeline import event_append
    from ventanilla.core import clock

    case = Case.objects.select_for_update().get(pk=int(booking.case_id or 0))
    event_append(
        case=case,
        at=clock.now(),
        kind="appointment",
        actor_id=actor.pk if actor else None,
        actor_label=actor.get_full_name() if actor else "",
        stage_from=case.stage,
        stage_to=case.stage,
        data={
            "what": what,
            "code": booking.code,
            "at": booking.starts_at.astimezone(_zone(booking)).isoformat(),
            "point": booking.point.name,
        },
    )
