"""What a ticket tells its citizen, queued in the transaction that changes it: by SMS and
email, and only when the citizen gave a phone or an email at the kiosk, the desk or the phone."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ventanilla.notifications.models import Channel
from ventanilla.notifications.services import Recipient, notification_queue
from ventanilla.turns.models import Ticket

TURN_NEAR = "turn_near"
TURN_CALLED = "turn_called"


def ticket_url(ticket: Ticket) -> str:
    """The citizen's page for `ticket` (its secret token is the key), in their language."""
    with translation.override(ticket.language):
        path = reverse("portal:turn_ticket", args=[ticket.token])
    return settings.SITE_URL.rstrip("/") + path


def ticket_notify(*, ticket: Ticket, event: str, ahead: int = 0) -> None:
    """Queue `event` for the ticket's holder by SMS and email, if they left either."""
    recipients = [
        Recipient(channel=channel, address=address, language=ticket.language)
        for channel, address in ((Channel.SMS, ticket.phone), (Channel.EMAIL, ticket.email))
        if address
    ]
    if not recipients:
        return
    notification_queue(
        event=event,
        recipients=recipients,
        context={
            "code": ticket.code,
            "name": ticket.name,
            "point": ticket.point.name,
            "desk": ticket.desk,
            "ahead": ahead,
            "ticket_url": ticket_url(ticket),
        },
        reference=ticket.code,
    )
