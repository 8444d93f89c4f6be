"""Where allauth sends people after they sign in. Its mail leaves through the outbox
(`notifications.account_mail`, which extends this adapter)."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import resolve_url

from ventanilla.accounts.id_documents import IdType, validate_id_number
from ventanilla.accounts.models import IdVerification, User
from ventanilla.accounts.services import IdentityError, id_document_verify

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Officials land in their workspace; citizens in their account."""
        user = request.user
        if user.is_authenticated and (user.is_staff or user.memberships.exists()):
            return str(resolve_url("workspace:inbox"))
        return str(super().get_login_redirect_url(request))


def _claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The person's claims as the OpenID Connect provider gave them (userinfo first)."""
    merged: dict[str, Any] = {}
    for part in ("id_token", "userinfo"):
        value = extra_data.get(part)
        if isinstance(value, dict):
            merged.update(value)
    return merged or extra_data


def identity_from_provider(user: User, extra_data: dict[str, Any]) -> None:
    """The identity provider vouches for the ID document it names: the account's number is then
    verified (cases filed for that number at a counter reach this account)."""
    claims = _claims(extra_data)
    number = str(claims.get(settings.OIDC_ID_NUMBER_CLAIM) or "").strip()
    kind = str(claims.get(settings.OIDC_ID_TYPE_CLAIM) or "").strip().upper()
    if not number or kind not in IdType.values:
        return
    try:
        number = validate_id_number(kind, number)
    except ValidationError:
        logger.warning("identity provider gave an ID number that does not look valid")
        return
    try:
        id_document_verify(
            user=user, method=IdVerification.PROVIDER, id_type=kind, id_number=number
        )
    except IdentityError:
        logger.warning("identity provider named an ID document already verified elsewhere")


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> User:
        user: User = super().save_user(request, sociallogin, form)
        identity_from_provider(user, sociallogin.account.extra_data)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        if sociallogin.is_existing:
            identity_from_provider(sociallogin.user, sociallogin.account.extra_data)
