"""How allauth sends our mail: rendered in the request, delivered by the worker after commit."""

from __future__ import annotations

from functools import partial
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url

from ventanilla.core.tasks import email_send


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Officials land in their workspace; citizens in their account."""
        user = request.user
        if user.is_authenticated and (user.is_staff or user.memberships.exists()):
            return str(resolve_url("workspace:inbox"))
        return str(super().get_login_redirect_url(request))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        html = None
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(body) for body, mime in message.alternatives if mime == "text/html"), None
            )
        transaction.on_commit(
            partial(
                email_send.enqueue,
                subject=str(message.subject),
                body=str(message.body),
                to=list(message.to),
                from_email=str(message.from_email),
                html=html,
            )
        )
