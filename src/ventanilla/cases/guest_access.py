"""Access for guests: a person who filed with a verified email but no account follows, answers
and receives their case through a signed link sent to that email.

The link proves control of the case's email address, as a password reset link does. It names
the case and the address, so it stops working if either changes, and it expires. The public
tracking page (number and code) stays minimal; the link opens the same case page a signed-in
citizen has: the route, messages, answering an information request, the answer and its
documents."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.core import signing

from ventanilla.cases.models import Case, FilerKind

SALT = "ventanilla.cases.guest-access"
# Long enough for a month to answer an information request, an extension and the answer.
LINK_MAX_AGE = timedelta(days=120)


def is_guest_case(case: Case) -> bool:
    """Filed by a guest: no account, but an email address we write to."""
    return (
        case.filer_kind == FilerKind.GUEST
        and case.applicant_id is None
        and bool(case.contact_email)
    )


def _address_digest(email: str) -> str:
    # The link is signed, so a digest binds it to the address as well as the address itself
    # would, without writing the address into URLs, logs and browser histories.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def guest_token(case: Case) -> str:
    """The secret part of the case's guest link."""
    return signing.dumps([case.pk, _address_digest(case.contact_email)], salt=SALT)


def guest_case(filing_number: str, token: str) -> Case | None:
    """The guest case this token opens, or None when it is forged, expired, for another case,
    or for an email the case no longer has."""
    try:
        pk, digest = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    case = Case.objects.filter(pk=pk, filing_number=filing_number.strip().upper()).first()
    if case is None or not is_guest_case(case):
        return None
    if not hmac.compare_digest(_address_digest(case.contact_email), str(digest)):
        return None
    return case
