"""Background work owned by the core app."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task(queue_name="mail")
def email_send(
    *, subject: str, body: str, to: list[str], from_email: str, html: str | None = None
) -> None:
    """Send one email from the worker, so that a slow or absent mail server never holds up a
    request."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
