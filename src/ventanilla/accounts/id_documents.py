"""Colombian identity documents and how their numbers look.

Used by the citizen profile, by form fields of type "ID document" and by the assisted channel.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class IdType(models.TextChoices):
    CC = "CC", _("Cédula de ciudadanía")
    TI = "TI", _("Tarjeta de identidad")
    RC = "RC", _("Registro civil de nacimiento")
    CE = "CE", _("Cédula de extranjería")
    PA = "PA", _("Pasaporte")
    PPT = "PPT", _("Permiso por Protección Temporal")
    NIT = "NIT", _("NIT (persona jurídica)")


# What each number looks like, and the hint the citizen reads when it does not.
_PATTERNS: dict[str, tuple[str, StrOrPromise]] = {
    IdType.CC: (r"[1-9]\d{3,9}", _("La cédula tiene de 4 a 10 cifras, sin puntos.")),
    IdType.TI: (r"\d{10,11}", _("La tarjeta de identidad tiene 10 u 11 cifras.")),
    IdType.RC: (
        r"\d{10,11}|[A-Z0-9]{8,11}",
        _("El registro civil (NUIP) tiene de 10 a 11 cifras, o de 8 a 11 letras y cifras."),
    ),
    IdType.CE: (r"\d{3,10}", _("La cédula de extranjería tiene de 3 a 10 cifras.")),
    IdType.PA: (r"[A-Z0-9]{5,20}", _("El pasaporte tiene de 5 a 20 letras y cifras.")),
    IdType.PPT: (r"\d{5,10}", _("El PPT tiene de 5 a 10 cifras.")),
    IdType.NIT: (
        r"\d{9}-?\d",
        _("El NIT tiene 9 cifras y el dígito de verificación, por ejemplo 899999061-9."),
    ),
}

NIT_WEIGHTS = (41, 37, 29, 23, 19, 17, 13, 7, 3)


def nit_check_digit(base: str) -> int:
    """DIAN's check digit for a 9-digit NIT (modulo 11 with prime weights)."""
    total = sum(int(d) * w for d, w in zip(base, NIT_WEIGHTS, strict=True))
    remainder = total % 11
    return remainder if remainder < 2 else 11 - remainder


def id_number_pattern(id_type: str) -> str:
    """The regular expression a normalised number of `id_type` matches in full."""
    return _PATTERNS[id_type][0]


def normalize_id_number(id_type: str, number: str) -> str:
    """Drop the dots, spaces and dashes people type; letters in upper case."""
    cleaned = re.sub(r"[\s.]", "", number).upper()
    if id_type != IdType.NIT:
        cleaned = cleaned.replace("-", "")
    return cleaned


def validate_id_number(id_type: str, number: str) -> str:
    """Return the normalised number, or raise ValidationError with a hint for the citizen."""
    if id_type not in _PATTERNS:
        raise ValidationError(_("Elija un tipo de documento válido."), code="id_type")
    normalized = normalize_id_number(id_type, number)
    pattern, hint = _PATTERNS[id_type]
    if not re.fullmatch(pattern, normalized):
        raise ValidationError(hint, code="id_number")
    if id_type == IdType.NIT:
        digits = normalized.replace("-", "")
        if nit_check_digit(digits[:9]) != int(digits[9]):
            raise ValidationError(
                _("El dígito de verificación del NIT no corresponde."), code="nit_check_digit"
            )
        normalized = f"{digits[:9]}-{digits[9]}"
    return normalized
