"""Booking codes: eight characters of Crockford's base 32 (no I, L, O, U), shown as K7QM-2XPD,
read back forgivingly. About 10^12 codes: not guessable in the few tries the rate limits allow,
and a code alone shows nothing without the holder's ID number."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def code_new() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_normalize(code: str) -> str:
    """The stored form of a code as a person typed it; "" when it cannot be one."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_READ_AS)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return ""
    return f"{raw[:4]}-{raw[4:]}"
