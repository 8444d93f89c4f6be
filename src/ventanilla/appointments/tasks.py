"""Background work of appointments: reminders, and telling people when their day closes."""

from __future__ import annotations

from django.tasks import task

from ventanilla.appointments import services


@task()
def bookings_remind() -> int:
    """Settle past bookings nobody recorded, remind the day before, and tell those whose day
    closed after they booked."""
    services.bookings_settle()
    return services.bookings_remind() + services.bookings_on_closed_days()
