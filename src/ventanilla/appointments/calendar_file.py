"""A booking as an iCalendar file (RFC 5545) that phones and mail programs add to a calendar,
at the right local time: the event carries the point's time zone (TZID and its VTIMEZONE)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Alarm, Calendar, Event

from ventanilla.appointments.models import Booking, BookingState


def booking_ics(booking: Booking, *, title: str, description: str, url: str) -> bytes:
    zone = ZoneInfo(booking.point.entity.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Ventanilla//Citas//ES")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.code}@{settings.SITE_URL.split('//')[-1].strip('/')}")
    event.add("dtstamp", booking.changed_at)
    event.add("dtstart", booking.starts_at.astimezone(zone))
    event.add("dtend", booking.ends_at.astimezone(zone))
    event.add("summary", title)
    event.add("location", f"{booking.point.name}, {booking.point.address}")
    event.add("description", description)
    event.add("url", url)
    event.add("sequence", booking.events.count())
    event.add("status", "CANCELLED" if booking.state == BookingState.CANCELLED else "CONFIRMED")
    if booking.point.latitude is not None and booking.point.longitude is not None:
        event.add("geo", (float(booking.point.latitude), float(booking.point.longitude)))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", timedelta(hours=-2))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
