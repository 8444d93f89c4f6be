"""Background work of appointments: reminders, and telling people when their day closes."""

from __future__ import annotations

from django.tasks import task

from ventanilla.appointments import services


@task()
def bookings_remind() -> int:
    """The reminder the day before, and a word to those whose day closed after they booked."""
    return services.bookings_remind() + services.bookings_on_closed_days()
