"""A citizen adds to their account a case filed without it — at a counter, on the phone or as a
guest — by proving its filing number and verification code, the secret handed to whoever filed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ventanilla.accounts.models import User
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.timeline import EventKind, event_append
from ventanilla.cases.tracking import case_track
from ventanilla.core import clock
from ventanilla.core.ratelimit import wait_minutes


class ClaimError(Exception):
    """The case cannot be added to this account; the message says why, for the citizen."""


def case_claim(*, user: User, filing_number: str, code: str, client: str) -> Case:
    """Put the case with this number and code in `user`'s account. The code is checked with
    the same limits as public tracking (per client address `client`). A case filed with an ID
    document joins only the account that carries the same document."""
    found = case_track(filing_number=filing_number, code=code, client=client)
    if found.retry_after:
        minutes = wait_minutes(found.retry_after)
        raise ClaimError(
            ngettext(
                "Hubo demasiados intentos. Espere %(minutes)s minuto y vuelva a intentarlo.",
                "Hubo demasiados intentos. Espere %(minutes)s minutos y vuelva a intentarlo.",
                minutes,
            )
            % {"minutes": minutes}
        )
    if found.case is None:
        raise ClaimError(_("No encontramos una solicitud con ese número y ese código. Revíselos."))
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=found.case.pk)
        if case.applicant_id == user.pk:
            return case
        if case.applicant_id is not None:
            raise ClaimError(_("Esa solicitud ya está en otra cuenta."))
        if case.filer_kind == FilerKind.ANONYMOUS:
            raise ClaimError(_("Una denuncia anónima no se asocia a ninguna cuenta."))
        if case.contact_id_number and (case.contact_id_type, case.contact_id_number) != (
            user.id_type,
            user.id_number,
        ):
            raise ClaimError(
                _(
                    "Esa solicitud se radicó con otro documento de identidad. Revise el "
                    "documento en sus datos o acérquese a un punto de atención."
                )
            )
        case.applicant = user
        case.filer_kind = FilerKind.CITIZEN
        case.save(update_fields=["applicant", "filer_kind"])
        event_append(
            case=case,
            at=clock.now(),
            kind=EventKind.CLAIMED,
            actor_id=user.pk,
            actor_label=user.get_full_name() or user.email,
            stage_from=case.stage,
            stage_to=case.stage,
            citizen_visible=True,
        )
    return case
