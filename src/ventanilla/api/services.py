"""API clients and their tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from ventanilla.accounts.models import User
from ventanilla.api.models import ApiClient
from ventanilla.core import clock, memo

TOKEN_PREFIX = "vnt_"  # noqa: S105 - a recognisable prefix, not a secret


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A fresh token, its visible prefix and its hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token[:8], token_hash(token)


@dataclass(frozen=True)
class NewClient:
    client: ApiClient
    token: str


def api_client_create(*, name: str, channel: str = "api", user: User | None = None) -> NewClient:
    """Create a client and return its token, which is never shown again."""
    token, prefix, hashed = new_token()
    client = ApiClient.objects.create(
        name=name,
        user=user,
        channel=channel,
        token_prefix=prefix,
        token_hash=hashed,
        created_at=clock.now(),
    )
    return NewClient(client=client, token=token)


def api_client_authenticate(token: str) -> ApiClient | None:
    """The active client of `token`, or None. Clients are remembered by their token's hash
    until any client is saved (deactivating one takes effect within a second everywhere); the
    time of last use is written at most once a minute."""
    hashed = token_hash(token)
    client: ApiClient | None = memo.remembered(
        "api-client",
        hashed,
        lambda: (
            ApiClient.objects.select_related("user").filter(token_hash=hashed, active=True).first()
        ),
    )
    if client is not None:
        now = clock.now()
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
    return client
