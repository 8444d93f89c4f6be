"""Read queries about people and their consent."""

from __future__ import annotations

from django.db.models import QuerySet

from ventanilla.accounts.models import Consent, ConsentText, User
from ventanilla.core import clock, memo


def consent_text_current() -> ConsentText | None:
    """The data-processing notice in force now (the newest one already in force). The few
    texts there are remembered, newest first, until one of them changes."""
    texts: list[ConsentText] = memo.remembered(
        "consent-texts", None, lambda: list(ConsentText.objects.order_by("-in_force_from"))
    )
    now = clock.now()
    return next((text for text in texts if text.in_force_from <= now), None)


def consents_of(user: User) -> QuerySet[Consent]:
    """Every consent `user` gave, newest first, with the text they were shown."""
    return Consent.objects.filter(user=user).select_related("text", "recorded_by")


def user_has_consent(user: User) -> bool:
    return Consent.objects.filter(user=user, withdrawn_at__isnull=True).exists()


def account_with_verified_id(id_type: str, id_number: str) -> User | None:
    """The one account whose holder proved this ID document, if any. A number merely typed
    into an account does not count: anybody could have typed it."""
    if not (id_type and id_number):
        return None
    return User.objects.filter(
        id_type=id_type, id_number=id_number, id_verified_at__isnull=False, is_active=True
    ).first()
