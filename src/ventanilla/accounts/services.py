"""State changes of people's accounts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.models import Consent, ConsentMethod, ConsentText, IdVerification, User
from ventanilla.core import clock


class IdentityError(Exception):
    """The ID document cannot be verified for this account; the message says why."""


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
    """Change the personal data a citizen gives about themselves. A changed ID number is no
    longer verified."""
    fields = ["first_name", "last_name", "id_type", "id_number", "phone", "preferred_language"]
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        if (id_type, id_number) != (stored.id_type, stored.id_number):
            user.id_verified_at = None
            user.id_verification = ""
            user.id_verified_by = None
            fields += ["id_verified_at", "id_verification", "id_verified_by"]
        user.first_name = first_name
        user.last_name = last_name
        user.id_type = id_type
        user.id_number = id_number
        user.phone = phone
        user.preferred_language = preferred_language
        user.full_clean(exclude=["password", "id_verified_at", "id_verification", "id_verified_by"])
        user.save(update_fields=fields)
    return user


def id_document_verify(
    *,
    user: User,
    method: IdVerification,
    by: User | None = None,
    id_type: str = "",
    id_number: str = "",
) -> User:
    """Record that the account's ID document belongs to its holder: asserted by the identity
    provider (which may also give the number), or seen by the official `by` at a counter.
    Refused when another account already holds the same number verified."""
    if method == IdVerification.OFFICIAL and by is None:
        raise ValueError("an official's verification names the official")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if id_type and id_number:
            user.id_type, user.id_number = id_type, id_number
        if not (user.id_type and user.id_number):
            raise IdentityError(_("La cuenta no tiene un documento de identidad que verificar."))
        taken = (
            User.objects.filter(
                id_type=user.id_type, id_number=user.id_number, id_verified_at__isnull=False
            )
            .exclude(pk=user.pk)
            .exists()
        )
        if taken:
            raise IdentityError(_("Otra cuenta ya tiene ese documento de identidad verificado."))
        user.id_verified_at = clock.now()
        user.id_verification = method
        user.id_verified_by = by
        user.save(
            update_fields=[
                "id_type",
                "id_number",
                "id_verified_at",
                "id_verification",
                "id_verified_by",
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
