"""The kinds of document the demo catalogue asks for, with how long one stays valid; put in by
a data migration, and again by tests that flush the database.

A certificate (studies, medical, address) is asked "recent" by most procedures: 90 days, or 30
for those a registry issues every day on request (a chamber of commerce's certificate of legal
existence, an employment certificate). An identity document or a diploma does not expire for
this purpose. A power of attorney is granted for a purpose and may be revoked at any time: 90
days, after which the citizen shows it is still in force. "other" is whatever a service asks
that is its own: never offered for reuse. Administrators change these in the admin.
"""

from __future__ import annotations

from typing import Any

KINDS = [
    # key, Spanish name, English name, valid days (None: no expiry), reusable
    ("identity_document", "Documento de identidad", "Identity document", None, True),
    ("academic_certificate", "Certificado académico", "Academic certificate", 90, True),
    ("medical_certificate", "Certificado médico", "Medical certificate", 90, True),
    ("diploma", "Diploma o acta de grado", "Diploma or graduation record", None, True),
    ("power_of_attorney", "Poder", "Power of attorney", 90, True),
    ("employment_record", "Certificado laboral", "Employment certificate", 30, True),
    (
        "legal_existence_certificate",
        "Certificado de existencia y representación legal",
        "Certificate of legal existence and representation",
        30,
        True,
    ),
    ("proof_of_address", "Constancia de residencia", "Proof of address", 90, True),
    ("other", "Otro documento", "Other document", None, False),
]


def ensure_document_kinds(model: Any) -> None:
    """Add the default kinds that are missing (`model` is DocumentKind, or a migration's)."""
    for key, name_es, name_en, valid_days, reusable in KINDS:
        model.objects.get_or_create(
            key=key,
            defaults={
                "name_es": name_es,
                "name_en": name_en,
                "valid_days": valid_days,
                "reusable": reusable,
            },
        )
