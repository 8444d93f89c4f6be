"""Where allauth sends people after they sign in. Its mail leaves through the outbox
(`notifications.account_mail`, which extends this adapter)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.shortcuts import resolve_url


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Officials land in their workspace; citizens in their account."""
        user = request.user
        if user.is_authenticated and (user.is_staff or user.memberships.exists()):
            return str(resolve_url("workspace:inbox"))
        return str(super().get_login_redirect_url(request))
