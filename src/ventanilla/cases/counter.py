"""Whom a case filed at a counter or on the phone belongs to.

An official files for the person in front of them (or on the line). The case joins an account
only when that account's ID document was verified: by the identity provider, or by an official
who saw the original. A number typed into an account at signup proves nothing, so otherwise the
case is filed for the person as a contact; the account's holder claims it later with the filing
number and code (`cases.claims.case_claim`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ventanilla.accounts.models import ConsentMethod, ConsentText, IdVerification, User
from ventanilla.accounts.selectors import account_with_verified_id
from ventanilla.accounts.services import IdentityError, citizen_register, id_document_verify
from ventanilla.cases.filing import Contact
from ventanilla.cases.models import FilingChannel


class Outcome(StrEnum):
    VERIFIED_ACCOUNT = "verified_account"  # the account whose document was already verified
    VERIFIED_NOW = "verified_now"  # the official saw the document of the account named
    REGISTERED = "registered"  # a new account, its document seen by the official
    CONTACT = "contact"  # filed for the person's contact details


@dataclass(frozen=True)
class CounterPerson:
    id_type: str
    id_number: str
    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""
    document_seen: bool = False  # the official held the original document (in person only)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class CounterIdentity:
    applicant: User | None
    contact: Contact | None
    outcome: Outcome


def counter_identity(
    *,
    official: User,
    channel: str,
    person: CounterPerson,
    consent_text: ConsentText | None,
    consent_method: ConsentMethod,
) -> CounterIdentity:
    """Decide, and record, whose case this is: a verified account; the account the person names
    by its email when the official saw their document and it carries that number; a new account
    for an email nobody has (document seen); or else the person's contact details."""
    verified = account_with_verified_id(person.id_type, person.id_number)
    if verified is not None:
        return CounterIdentity(verified, None, Outcome.VERIFIED_ACCOUNT)
    seen = channel == FilingChannel.IN_PERSON and person.document_seen
    if seen and person.email:
        named = User.objects.filter(email__iexact=person.email, is_active=True).first()
        if named is None:
            registered = citizen_register(
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                id_type=person.id_type,
                id_number=person.id_number,
                phone=person.phone,
                consent_text=consent_text,
                consent_method=consent_method,
                recorded_by=official,
            )
            registered = id_document_verify(
                user=registered, method=IdVerification.OFFICIAL, by=official
            )
            return CounterIdentity(registered, None, Outcome.REGISTERED)
        if (named.id_type, named.id_number) == (person.id_type, person.id_number):
            try:
                named = id_document_verify(user=named, method=IdVerification.OFFICIAL, by=official)
            except IdentityError:
                pass
            else:
                return CounterIdentity(named, None, Outcome.VERIFIED_NOW)
    contact = Contact(
        name=person.name,
        email=person.email,
        phone=person.phone,
        id_type=person.id_type,
        id_number=person.id_number,
    )
    return CounterIdentity(None, contact, Outcome.CONTACT)
