"""Another app offers its own notification event without a migration of this one: its
templates validate, the admin offers it, and a notice for it is written and rendered."""

from __future__ import annotations

import pytest

from ventanilla.notifications.models import (
    Channel,
    NotificationTemplate,
    event_choices,
    event_register,
)
from ventanilla.notifications.services import Recipient, notification_queue

pytestmark = pytest.mark.django_db


def test_a_registered_event_has_templates_and_notices() -> None:
    event_register("test_event_reminder", "recordatorio de prueba")
    assert ("test_event_reminder", "recordatorio de prueba") in event_choices()
    template = NotificationTemplate(
        event="test_event_reminder",
        channel=Channel.IN_APP,
        language="es",
        subject="Su cita es mañana",
        body="Le esperamos a las {{ hour }}.",
    )
    template.full_clean()
    template.save()
    (notice,) = notification_queue(
        event="test_event_reminder",
        recipients=[Recipient(channel=Channel.IN_APP, user_id=None)],
        context={"hour": "8:30"},
    )
    notice.refresh_from_db()
    assert (notice.subject, notice.body) == ("Su cita es mañana", "Le esperamos a las 8:30.")
    assert notice.get_event_display() == "recordatorio de prueba"


def test_an_unregistered_event_is_refused_by_the_admin_form() -> None:
    template = NotificationTemplate(
        event="no_such_event", channel=Channel.EMAIL, language="es", subject="x", body="y"
    )
    with pytest.raises(Exception, match="no_such_event"):
        template.full_clean()
