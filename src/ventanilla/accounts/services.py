"""State changes of people's accounts."""

from __future__ import annotations

from django.db import transaction

from ventanilla.accounts.models import Consent, ConsentMethod, ConsentText, User
from ventanilla.core import clock


def consent_record(
    *,
    user: User,
    text: ConsentText,
    language: str,
    method: ConsentMethod = ConsentMethod.ONLINE,
    recorded_by: User | None = None,
    ip_address: str | None = None,
) -> Consent:
    """Record that `user` authorised the processing of their data under `text`
    (Ley 1581 de 2012, art. 9: prior, express and informed; kept so it can be proven later).

    A verbal consent must name the official who heard it.
    """
    if method != ConsentMethod.ONLINE and recorded_by is None:
        raise ValueError("a verbal consent needs the official who recorded it")
    with transaction.atomic():
        return Consent.objects.create(
            user=user,
            text=text,
            language=language,
            given_at=clock.now(),
            method=method,
            recorded_by=recorded_by,
            ip_address=ip_address,
        )


def profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    id_type: str,
    id_number: str,
    phone: str,
    preferred_language: str,
) -> User:
    """Change the personal data a citizen gives about themselves."""
    user.first_name = first_name
    user.last_name = last_name
    user.id_type = id_type
    user.id_number = id_number
    user.phone = phone
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=[
            "first_name",
            "last_name",
            "id_type",
            "id_number",
            "phone",
            "preferred_language",
        ]
    )
    return user


def citizen_register(
    *,
    email: str,
    first_name: str,
    last_name: str,
    id_type: str,
    id_number: str,
    phone: str,
    consent_text: ConsentText | None,
    consent_method: ConsentMethod,
    recorded_by: User,
) -> User:
    """An official registers a citizen at a counter or on the phone: an account without a
    password (they set one with "forgot my password"), and the verbal consent they gave."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = User.objects.create_user(
            email,
            None,
            first_name=first_name,
            last_name=last_name,
            id_type=id_type,
            id_number=id_number,
            phone=phone,
        )
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
        if consent_text is not None:
            consent_record(
                user=user,
                text=consent_text,
                language="es",
                method=consent_method,
                recorded_by=recorded_by,
            )
    return user
