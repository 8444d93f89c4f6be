"""Filing a case: everything checked and computed first, then one short transaction that takes
the entity's filing counter last.

`case_file` is the one entry point for every channel: the portal, the API and an official's
assisted filing (Ley 1755 de 2015, art. 15: petitions may be filed by any means).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ventanilla.accounts.models import ConsentText, User
from ventanilla.cases import filing_checks
from ventanilla.cases.assignment import assignment_rule_apply
from ventanilla.cases.documents import (
    StoredFile,
    document_row,
    file_problems,
    file_store,
)
from ventanilla.cases.events import CaseEvent, Happened, publish
from ventanilla.cases.legal import SlaState, reception, sla_state
from ventanilla.cases.models import (
    Case,
    CaseDocument,
    FilerKind,
    FilingChannel,
    Priority,
)
from ventanilla.cases.numbering import counter_next
from ventanilla.cases.timeline import EventKind, event_append
from ventanilla.cases.uploads import Upload
from ventanilla.catalog import formkit, search
from ventanilla.catalog.models import Channel, ServiceVersion, VersionStatus
from ventanilla.catalog.schema import OwnerKind, ServiceDefinition
from ventanilla.catalog.selectors import dependencies_to_choose_for, service_points_for
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role, ServicePoint
from ventanilla.organization.selectors import (
    dependencies_for,
    dependency_by_code,
    entity_calendar,
)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud at a counter
CODE_LENGTH = 10  # 31^10 ≈ 2^49.5 possibilities


class FilingError(Exception):
    """The filing cannot be accepted; `errors` maps a field path to what the citizen must fix."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class IdempotencyConflict(FilingError):
    """The caller already filed a different request with the same idempotency key."""

    def __init__(self, case: Case) -> None:
        super().__init__(
            {
                "idempotency_key": [
                    _(
                        "Esta solicitud ya se envió antes con otros datos. Si quiere radicar "
                        "otra, empiece de nuevo."
                    )
                ]
            }
        )
        self.case = case


class CallerKind(StrEnum):
    API_CLIENT = "api_client"
    OFFICIAL = "official"
    CITIZEN = "citizen"
    SESSION = "session"


@dataclass(frozen=True)
class Caller:
    """Who submits a filing: an idempotency key is looked up among this caller's filings
    only, so no key typed on one surface can reach another caller's case."""

    kind: CallerKind
    ref: str

    @classmethod
    def api_client(cls, pk: int) -> Caller:
        return cls(CallerKind.API_CLIENT, str(pk))

    @classmethod
    def official(cls, user: User) -> Caller:
        return cls(CallerKind.OFFICIAL, str(user.pk))

    @classmethod
    def citizen(cls, user: User) -> Caller:
        return cls(CallerKind.CITIZEN, str(user.pk))

    @classmethod
    def session(cls, session_key: str) -> Caller:
        return cls(CallerKind.SESSION, session_key)

    def scoped(self, key: str) -> str:
        """What is stored for `key`: a digest of the caller and the key together, so a key of
        any length fits the column and none can name another caller's scope."""
        return hashlib.sha256(json.dumps([self.kind.value, self.ref, key]).encode()).hexdigest()


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    id_type: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class Filing:
    case: Case
    verification_code: str
    created: bool = True


@dataclass
class _Prepared:
    definition: ServiceDefinition
    answers: dict[str, Any]
    dependency: Dependency
    stored_files: list[StoredFile] = field(default_factory=list)


def normalize_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def code_hash(filing_number: str, code: str) -> str:
    """What is stored: the code itself is shown once and never kept."""
    return hashlib.sha256(f"{filing_number}:{normalize_code(code)}".encode()).hexdigest()


def _new_code(scoped_key: str) -> str:
    """A random code; for a retried submission (same caller and key) the same code, so the
    citizen who double-clicked still sees a code that works."""
    if scoped_key:
        digest = hmac.new(
            settings.SECRET_KEY.encode(), f"case-code:{scoped_key}".encode(), hashlib.sha256
        ).digest()
        return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:CODE_LENGTH])
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def check_upload(upload: Upload, definition: ServiceDefinition) -> list[str]:
    """What is wrong with a file for one of the service's required documents."""
    document = next((d for d in definition.documents if d.key == upload.key), None)
    if document is None:
        return [_("Este documento no se pide en este trámite.")]
    return file_problems(
        upload, accepted=tuple(document.accepted_types), max_mb=document.max_size_mb
    )


def _route(
    definition: ServiceDefinition,
    version: ServiceVersion,
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
) -> Dependency | None:
    owner = definition.workflow.initial.owner
    service = version.service
    if owner.kind == OwnerKind.FIXED:
        return dependency_by_code(service.entity_id, owner.dependency or "")
    if owner.kind == OwnerKind.SERVICE_POINT:
        return service_point.dependency if service_point else None
    if owner.kind == OwnerKind.CHOSEN_AT_FILING:
        return chosen_dependency
    return service.dependency


# The catalogue's channel through which each filing channel arrives (another system filing
# for a citizen is an online filing; a call centre's client files by phone).
OFFERED_AS = {
    FilingChannel.ONLINE: Channel.ONLINE,
    FilingChannel.API: Channel.ONLINE,
    FilingChannel.IN_PERSON: Channel.IN_PERSON,
    FilingChannel.PHONE: Channel.PHONE,
}


def _who_may_file(
    *,
    version: ServiceVersion,
    channel: str,
    applicant: User | None,
    filed_by: User | None,
) -> dict[str, list[str]]:
    """The trust rules of filing, whoever calls: the service must be offered through this
    channel; only an official of the service's entity files for somebody else; and a case joins
    an account at a counter only when that account's ID document was verified (an ID number
    typed at signup proves nothing, so such a person files as a contact and claims it later)."""
    errors: dict[str, list[str]] = {}
    service = version.service
    offered = OFFERED_AS.get(FilingChannel(channel)) if channel in FilingChannel.values else None
    if offered is None or offered not in service.channels:
        errors["service"] = [_("Este trámite no se recibe por este canal.")]
    if filed_by is not None:
        own = dependencies_for(filed_by, role_at_least=Role.HANDLER).filter(
            entity_id=service.entity_id
        )
        if not own.exists():
            errors["filer"] = [
                _("Solo un funcionario de la entidad que presta este trámite puede radicarlo.")
            ]
        if applicant is not None and applicant != filed_by and not applicant.id_is_verified:
            errors.setdefault("filer", []).append(
                _(
                    "La cuenta de esta persona no tiene el documento verificado: radique con "
                    "sus datos de contacto."
                )
            )
    return errors


def _place_problems(
    version: ServiceVersion,
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
) -> dict[str, list[str]]:
    """What is wrong with the service point or dependency chosen at filing: each must offer
    the service, and the one that handles the first stage must be given."""
    service = version.service
    first = version.parsed.workflow.initial.owner.kind
    errors: dict[str, list[str]] = {}
    if service_point is not None:
        if not service_points_for(service).filter(pk=service_point.pk).exists():
            errors["service_point"] = [_("Ese punto de atención no ofrece este trámite.")]
    elif first == OwnerKind.SERVICE_POINT:
        errors["service_point"] = [
            _("Elija el colegio o el punto de atención donde hará el trámite.")
        ]
    if chosen_dependency is not None:
        if not dependencies_to_choose_for(service).filter(pk=chosen_dependency.pk).exists():
            errors["chosen_dependency"] = [
                _("Esa dependencia no atiende este trámite. Elija una de la lista.")
            ]
    elif first == OwnerKind.CHOSEN_AT_FILING:
        errors["chosen_dependency"] = [_("Elija la dependencia que atenderá su solicitud.")]
    return errors


def _prepare(
    *,
    version: ServiceVersion,
    channel: str,
    answers: dict[str, Any],
    filer_kind: str,
    applicant: User | None,
    contact: Contact | None,
    documents: list[Upload],
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
    filed_by: User | None,
) -> _Prepared:
    if version.status != VersionStatus.PUBLISHED:
        raise FilingError({"service": [_("Este trámite ya no recibe solicitudes.")]})
    errors = _who_may_file(version=version, channel=channel, applicant=applicant, filed_by=filed_by)
    if errors:
        raise FilingError(errors)
    definition = version.parsed
    if filer_kind not in {f.value for f in definition.filers}:
        errors.setdefault("filer", []).append(_("Este trámite no se puede radicar de esa forma."))
    if filer_kind == FilerKind.CITIZEN and applicant is None:
        errors.setdefault("filer", []).append(_("Ingrese con su cuenta para radicar."))
    if filer_kind == FilerKind.GUEST and not (contact and contact.name and contact.email):
        # At a counter or on the phone a phone number is enough to reach the person.
        assisted = channel in {FilingChannel.IN_PERSON, FilingChannel.PHONE}
        if not (assisted and contact and contact.name and contact.phone):
            errors.setdefault("contact", []).append(
                _(
                    "Escriba el nombre y un correo verificado (o un teléfono, si radica un "
                    "funcionario)."
                )
            )
    result = formkit.validate_answers(definition.form, answers)
    for path, messages in result.errors.items():
        errors.setdefault(path, []).extend(messages)
    given = {u.key for u in documents}
    for document in definition.documents_asked(answers):
        if document.mandatory and document.key not in given:
            errors.setdefault(f"documents.{document.key}", []).append(_("Adjunte este documento."))
    for upload in documents:
        problems = check_upload(upload, definition)
        if problems:
            errors.setdefault(f"documents.{upload.key}", []).extend(problems)
    for document in definition.documents:
        if sum(u.key == document.key for u in documents) > document.max_files:
            errors.setdefault(f"documents.{document.key}", []).append(
                _("Adjunte como máximo %(n)s archivos para este documento.")
                % {"n": document.max_files}
            )
    if not errors:
        request = filing_checks.Request(
            version=version,
            answers=result.answers,
            channel=channel,
            applicant=applicant,
            documents=frozenset(given),
        )
        errors.update(filing_checks.problems(request))
    dependency = _route(definition, version, service_point, chosen_dependency)
    if dependency is None:
        errors.setdefault("dependency", []).append(_("Elija dónde quiere hacer el trámite."))
    if errors:
        raise FilingError(errors)
    assert dependency is not None  # noqa: S101 - an error was raised above otherwise
    return _Prepared(definition=definition, answers=result.answers, dependency=dependency)


def _store_files(prepared: _Prepared, documents: list[Upload], now: datetime) -> None:
    for upload in documents:
        prepared.stored_files.append(file_store(upload, folder=f"cases/{now:%Y/%m}"))


def _search_text(
    filing_number: str,
    applicant_name: str,
    contact: Contact | None,
    applicant: User | None,
    answers: dict[str, Any],
) -> str:
    parts = [filing_number, applicant_name]
    if applicant is not None:
        parts += [applicant.id_number, applicant.email]
    if contact is not None:
        parts += [contact.id_number, contact.email]
    for value in answers.values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            parts += [str(v) for v in value.values()]
    return search.index_text(parts)


def _fingerprint(
    *,
    service_version: ServiceVersion,
    answers: dict[str, Any],
    channel: str,
    filer_kind: str,
    applicant: User | None,
    contact: Contact | None,
    documents: list[Upload],
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
    priority: str,
) -> str:
    """A digest of what is being filed, to tell a retry from another request under one key."""
    filed = {
        "service_version": service_version.pk,
        "answers": answers,
        "channel": channel,
        "filer_kind": filer_kind,
        "applicant": applicant.pk if applicant is not None else None,
        "contact": asdict(contact) if contact is not None else None,
        "documents": sorted([upload.key, upload.sha256] for upload in documents),
        "service_point": service_point.pk if service_point is not None else None,
        "chosen_dependency": chosen_dependency.pk if chosen_dependency is not None else None,
        "priority": priority,
    }
    return hashlib.sha256(json.dumps(filed, sort_keys=True, default=str).encode()).hexdigest()


def _replay(scoped_key: str, fingerprint: str) -> Filing | None:
    """The first filing under this caller's key, or None; a different request under the same
    key is a conflict, never the first case."""
    existing = Case.objects.filter(idempotency_key=scoped_key).first()
    if existing is None:
        return None
    if existing.idempotency_fingerprint != fingerprint:
        raise IdempotencyConflict(existing)
    return Filing(existing, format_code(_new_code(scoped_key)), created=False)


def _prepare_at(
    *,
    version: ServiceVersion,
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
    **given: Any,
) -> _Prepared:
    """`_prepare`, with the problems of the chosen place said in its own words."""
    place_errors = _place_problems(version, service_point, chosen_dependency)
    try:
        prepared = _prepare(
            version=version,
            service_point=service_point,
            chosen_dependency=chosen_dependency,
            **given,
        )
    except FilingError as error:
        if not place_errors:
            raise
        # The place's own error says what to choose better than "choose where".
        errors = {k: v for k, v in error.errors.items() if k != "dependency"}
        raise FilingError({**errors, **place_errors}) from error
    if place_errors:
        raise FilingError(place_errors)
    return prepared


def _recorded_contact(filer_kind: str, applicant: User | None, contact: Contact | None) -> Contact:
    """The contact kept on the case: the account's, the one given, or none for an anonymous."""
    if filer_kind == FilerKind.ANONYMOUS:
        return Contact()
    if applicant is not None:
        return Contact(
            name=applicant.get_full_name() or applicant.email,
            email=applicant.email,
            phone=applicant.phone,
            id_type=applicant.id_type,
            id_number=applicant.id_number,
        )
    return contact or Contact()


def _announce(
    case: Case,
    *,
    now: datetime,
    author: User | None,
    filed_by: User | None,
    channel: str,
    timing: Any,
    prepared: _Prepared,
    code: str,
    language: str,
) -> None:
    """The case's first route event and its FILED event, in the filing's transaction."""
    event_append(
        case=case,
        at=now,
        kind=EventKind.FILED,
        first=True,
        actor_id=author.pk if author is not None else None,
        actor_label=str(filed_by) if filed_by else case.applicant_name,
        stage_to=prepared.definition.workflow.initial.key,
        data={
            "channel": channel,
            "received_on": timing.received_on.isoformat(),
            "due_date": timing.due_date.isoformat(),
            "dependency": prepared.dependency.code,
            "documents": [stored.sha256 for stored in prepared.stored_files],
        },
    )
    publish(
        Happened(
            events=frozenset({CaseEvent.FILED}),
            case=case,
            actor=author,
            as_actor="official" if filed_by else "citizen",
            context={"code": format_code(code), "language": language},
        )
    )


def _asked_uploads(
    definition: ServiceDefinition, answers: dict[str, Any], documents: list[Upload]
) -> list[Upload]:
    """`documents` without those only a hidden question asks for (its condition fails): they
    are not stored. One the service does not know stays, to be refused with the others."""
    asked = {d.key for d in definition.documents_asked(answers)}
    hidden = {d.key for d in definition.documents} - asked
    return [upload for upload in documents if upload.key not in hidden]


def case_file(
    *,
    service_version: ServiceVersion,
    answers: dict[str, Any],
    channel: str = FilingChannel.ONLINE,
    filer_kind: str = FilerKind.CITIZEN,
    applicant: User | None = None,
    contact: Contact | None = None,
    documents: list[Upload] | None = None,
    filed_by: User | None = None,
    service_point: ServicePoint | None = None,
    chosen_dependency: Dependency | None = None,
    priority: str = Priority.NORMAL,
    idempotency_key: str = "",
    caller: Caller | None = None,
    language: str = "es",
    consent_text: ConsentText | None = None,
    consent_method: str = "",
) -> Filing:
    """File a request: validate, number it, start its legal clock, route it, tell the citizen.

    Raises FilingError with field paths when something must be fixed; nothing is stored then.
    The same `idempotency_key` from the same `caller` with the same request gives back the
    first case (created=False); with a different request it raises IdempotencyConflict.
    """
    documents = _asked_uploads(service_version.parsed, answers, documents or [])
    if filer_kind != FilerKind.ANONYMOUS and consent_text is None:
        raise FilingError({"consent": [_("Autorice el tratamiento de sus datos para radicar.")]})
    scoped_key, fingerprint, replay = _idempotency(
        idempotency_key,
        caller,
        service_version=service_version,
        answers=answers,
        channel=channel,
        filer_kind=filer_kind,
        applicant=applicant,
        contact=contact,
        documents=documents,
        service_point=service_point,
        chosen_dependency=chosen_dependency,
        priority=priority,
    )
    if replay is not None:
        return replay
    prepared = _prepare_at(
        version=service_version,
        channel=channel,
        answers=answers,
        filer_kind=filer_kind,
        applicant=applicant,
        contact=contact,
        documents=documents,
        service_point=service_point,
        chosen_dependency=chosen_dependency,
        filed_by=filed_by,
    )
    now = clock.now()
    code = _new_code(scoped_key)
    contact = _recorded_contact(filer_kind, applicant, contact)
    _store_files(prepared, documents, now)
    try:
        with transaction.atomic(durable=True):
            case = _commit(
                prepared,
                service_version=service_version,
                now=now,
                code=code,
                channel=channel,
                filer_kind=filer_kind,
                applicant=applicant,
                contact=contact,
                filed_by=filed_by,
                service_point=service_point,
                chosen_dependency=chosen_dependency,
                priority=priority,
                idempotency=(scoped_key, fingerprint),
                consent=(consent_text, consent_method or "online"),
                language=language,
            )
    except BaseException as error:
        for stored in prepared.stored_files:
            default_storage.delete(stored.path)
        # Two requests with one key at once: the loser meets the winner's case.
        lost_race = scoped_key and isinstance(error, IntegrityError)
        replay = _replay(scoped_key, fingerprint) if lost_race else None
        if replay is not None:
            return replay
        raise
    return Filing(case, format_code(code), created=True)


def _commit(
    prepared: _Prepared,
    *,
    service_version: ServiceVersion,
    now: datetime,
    code: str,
    channel: str,
    filer_kind: str,
    applicant: User | None,
    contact: Contact,
    filed_by: User | None,
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
    priority: str,
    idempotency: tuple[str, str],
    consent: tuple[ConsentText | None, str],
    language: str,
) -> Case:
    """The filing's transaction: the case with its number (the counter last), then its first
    route event and what it announces. The caller holds the durable transaction."""
    entity = service_version.service.entity
    calendar = entity_calendar(entity)
    timing = reception(now, prepared.definition.term, calendar)
    case = _insert(
        entity_id=entity.pk,
        year=now.astimezone(calendar.zone).year,
        number_format=entity.filing_number_format,
        entity_code=entity.code,
        service_version=service_version,
        prepared=prepared,
        channel=channel,
        filer_kind=filer_kind,
        applicant=applicant,
        contact=contact,
        filed_by=filed_by,
        service_point=service_point,
        chosen_dependency=chosen_dependency,
        priority=priority,
        now=now,
        timing_received=timing.received_on,
        timing_due=timing.due_date,
        sla=sla_state(
            due=timing.due_date, today=now.astimezone(calendar.zone).date(), calendar=calendar
        ),
        code=code,
        idempotency=idempotency,
        consent=consent,
    )
    _announce(
        case,
        now=now,
        author=filed_by or applicant,
        filed_by=filed_by,
        channel=channel,
        timing=timing,
        prepared=prepared,
        code=code,
        language=language,
    )
    return case


def _idempotency(
    idempotency_key: str, caller: Caller | None, **request: Any
) -> tuple[str, str, Filing | None]:
    """The key scoped to its caller, the request's fingerprint, and the case an earlier
    identical request filed under it (None when there is none); empty without a key."""
    if not idempotency_key:
        return "", "", None
    if caller is None:
        raise ValueError("an idempotency key is looked up among its caller's filings")
    scoped_key = caller.scoped(idempotency_key)
    fingerprint = _fingerprint(**request)
    return scoped_key, fingerprint, _replay(scoped_key, fingerprint)


def _insert(
    *,
    entity_id: int,
    year: int,
    number_format: str,
    entity_code: str,
    service_version: ServiceVersion,
    prepared: _Prepared,
    channel: str,
    filer_kind: str,
    applicant: User | None,
    contact: Contact,
    filed_by: User | None,
    service_point: ServicePoint | None,
    chosen_dependency: Dependency | None,
    priority: str,
    now: datetime,
    timing_received: Any,
    timing_due: Any,
    sla: SlaState,
    code: str,
    idempotency: tuple[str, str],
    consent: tuple[ConsentText | None, str],
) -> Case:
    assignee = assignment_rule_apply(dependency=prepared.dependency)
    # The counter row is the one serialised write of the platform: take it last, hold it short.
    sequence = counter_next(entity_id=entity_id, year=year, series="in")
    filing_number = number_format.format(entity=entity_code, year=year, seq=sequence)
    case = Case.objects.create(
        filing_number=filing_number,
        filing_entity_id=entity_id,
        entity_id=entity_id,
        year=year,
        sequence=sequence,
        verification_hash=code_hash(filing_number, code),
        service=service_version.service,
        service_version=service_version,
        applicant=applicant,
        filer_kind=filer_kind,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        contact_id_type=contact.id_type,
        contact_id_number=contact.id_number,
        channel=channel,
        filed_by=filed_by,
        service_point=service_point,
        chosen_dependency=chosen_dependency,
        stage=prepared.definition.workflow.initial.key,
        dependency=prepared.dependency,
        assignee=assignee,
        priority=priority,
        answers=prepared.answers,
        filed_at=now,
        received_on=timing_received,
        original_due_date=timing_due,
        due_date=timing_due,
        sla_state=sla,
        idempotency_key=idempotency[0],
        idempotency_fingerprint=idempotency[1],
        consent_text=consent[0],
        consent_method=consent[1] if consent[0] else "",
        search_text=_search_text(filing_number, contact.name, contact, applicant, prepared.answers),
    )
    CaseDocument.objects.bulk_create(
        [
            document_row(case, stored, at=now, by=applicant or filed_by)
            for stored in prepared.stored_files
        ]
    )
    return case
