"""allauth's mail (address verification, password reset, sign-in codes) leaves through the
outbox like the rest of ours: rendered in the request from allauth's templates, in the
visitor's language, and delivered by the worker with retries — an SMTP outage delays it and
loses none."""

from __future__ import annotations

from typing import Any

from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.utils.translation import get_language

from ventanilla.accounts.adapter import AccountAdapter
from ventanilla.notifications.models import Event
from ventanilla.notifications.services import notification_queue_rendered


class OutboxAccountAdapter(AccountAdapter):
    """Our account adapter, with allauth's mail queued in the outbox instead of sent."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(body) for body, mime in message.alternatives if mime == "text/html"), ""
            )
        notification_queue_rendered(
            event=Event.ACCOUNT_EMAIL,
            address=email,
            language=get_language() or settings.LANGUAGE_CODE,
            subject=str(message.subject),
            body=str(message.body),
            html=html,
            reference=template_prefix.rsplit("/", 1)[-1],
        )
