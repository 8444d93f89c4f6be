"""Background work of appointments: the reminder the day before."""

from __future__ import annotations

from django.tasks import task

from ventanilla.appointments.services import bookings_remind as _remind


@task()
def bookings_remind() -> int:
    return _remind()
