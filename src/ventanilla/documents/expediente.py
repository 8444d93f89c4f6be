"""The electronic file (expediente) of a case and its electronic index, as Colombia's Archivo
General de la Nación describes them (Acuerdo 002 de 2014; Guía de documento y expediente
electrónico): every document in the order it joined the file, with its name, the dates it was
created and added, its SHA-256, size, format, origin and page count, and the case's identity.

The index is given as JSON and as a tagged PDF (PDF/UA), and the whole file as a ZIP of the
documents with both indexes, built in a temporary file (a case can hold many megabytes).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO, Any, BinaryIO, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ventanilla.cases.models import Case, CaseDocument
from ventanilla.core import clock

INDEX_VERSION = 1
FORMATS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


class Origin:
    CITIZEN = "citizen"
    OFFICIAL = "official"
    ISSUED = "issued"


@dataclass(frozen=True)
class IndexEntry:
    position: int
    document_id: int
    name: str
    stored_name: str  # its name inside the ZIP
    created_at: datetime
    added_at: datetime
    sha256: str
    size: int
    format: str
    content_type: str
    origin: str
    pages: int | None
    first_page: int | None
    last_page: int | None


@dataclass(frozen=True)
class Index:
    case: Case
    citizen: bool
    generated_at: datetime
    entries: list[IndexEntry]

    def as_dict(self) -> dict[str, Any]:
        case = self.case
        language = translation.get_language() or "es"
        definition = case.service_version.parsed
        return {
            "index_version": INDEX_VERSION,
            "generated_at": self.generated_at,
            "scope": "citizen" if self.citizen else "complete",
            "case": {
                "filing_number": case.filing_number,
                "service": case.service.slug,
                "service_title": definition.title.get(language),
                "entity": case.entity.name,
                "entity_code": case.entity.code,
                "dependency": case.dependency.name,
                "filed_at": case.filed_at,
                "received_on": case.received_on,
                "due_date": case.due_date,
                "closed_at": case.closed_at,
                "stage": case.stage,
                "stage_label": definition.workflow.stage(case.stage).citizen_label.get(language)
                if self.citizen
                else definition.workflow.stage(case.stage).label.get(language),
                "state": "closed" if case.is_closed else "open",
            },
            "documents": [asdict(entry) for entry in self.entries],
            "totals": {
                "documents": len(self.entries),
                "pages": sum(e.pages or 0 for e in self.entries),
                "bytes": sum(e.size for e in self.entries),
            },
        }


def _origin(document: CaseDocument, case: Case, required: set[str]) -> str:
    if hasattr(document, "issued"):
        return Origin.ISSUED
    if document.is_response:
        return Origin.OFFICIAL
    if document.key in required:
        return Origin.CITIZEN  # a required document is the citizen's, whoever uploaded it
    if document.uploaded_by_id is None or document.uploaded_by_id == case.applicant_id:
        return Origin.CITIZEN
    return Origin.OFFICIAL


def page_count(document: CaseDocument) -> int | None:
    """Pages of a PDF (read with pikepdf), 1 for an image, None when it cannot be told."""
    if document.content_type.startswith("image/"):
        return 1
    if document.content_type != "application/pdf":
        return None
    import pikepdf

    try:
        with document.file.open("rb") as handle, pikepdf.open(cast(BinaryIO, handle)) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, OSError, ValueError):
        return None


def _stored_name(position: int, document: CaseDocument) -> str:
    safe = "".join(c for c in document.original_name if c.isalnum() or c in "._-")[-80:]
    return f"{position:03d}-{safe or 'documento'}"


def expediente_index(case: Case, *, citizen: bool) -> Index:
    """The case's index: for the citizen, the documents they may see; else every one."""
    documents = case.documents.select_related("issued").order_by("uploaded_at", "pk")
    if citizen:
        documents = documents.filter(citizen_visible=True)
    required = {d.key for d in case.service_version.parsed.documents}
    entries = []
    page = 1
    for position, document in enumerate(documents, start=1):
        pages = page_count(document)
        issued = getattr(document, "issued", None)
        entries.append(
            IndexEntry(
                position=position,
                document_id=document.pk,
                name=document.original_name,
                stored_name=_stored_name(position, document),
                created_at=issued.issued_at if issued is not None else document.uploaded_at,
                added_at=document.uploaded_at,
                sha256=document.sha256,
                size=document.size,
                format=FORMATS.get(document.content_type, document.content_type),
                content_type=document.content_type,
                origin=_origin(document, case, required),
                pages=pages,
                first_page=page if pages else None,
                last_page=page + pages - 1 if pages else None,
            )
        )
        page += pages or 0
    return Index(case=case, citizen=citizen, generated_at=clock.now(), entries=entries)


def index_json(index: Index) -> bytes:
    return json.dumps(index.as_dict(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def index_pdf(index: Index) -> bytes:
    """The index as a tagged PDF (PDF/UA-1), with its language and title set."""
    from weasyprint import HTML

    language = translation.get_language() or "es"
    data = index.as_dict()
    html = render_to_string(
        "documents/indice.html",
        {
            "index": index,
            "data": data,
            "case": data["case"],
            "entries": index.entries,
            "language": language,
            "title": _("Índice electrónico del expediente %(number)s")
            % {"number": index.case.filing_number},
            "zone": timezone.get_current_timezone(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def expediente_zip(index: Index, out: IO[bytes]) -> None:
    """Write the whole file to `out`: each document under its position, `index.json`,
    `indice.pdf`, and `sha256sums.txt` to check them with `sha256sum -c`."""
    documents = index.case.documents.in_bulk([e.document_id for e in index.entries])
    sums = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in index.entries:
            document = documents[entry.document_id]
            name = f"documentos/{entry.stored_name}"
            with document.file.open("rb") as source, archive.open(name, "w") as target:
                digest = hashlib.sha256()
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
                    target.write(chunk)
            sums.append(f"{digest.hexdigest()}  {name}")
        for name, content in (("index.json", index_json(index)), ("indice.pdf", index_pdf(index))):
            archive.writestr(name, content)
            sums.append(f"{hashlib.sha256(content).hexdigest()}  {name}")
        archive.writestr("sha256sums.txt", "\n".join(sums) + "\n")


def expediente_zip_file(index: Index) -> IO[bytes]:
    """The ZIP in a temporary file, rewound; it disappears when closed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    expediente_zip(index, handle)
    handle.seek(0)
    return handle


def case_for_export(filing_number: str) -> Case | None:
    return (
        Case.objects.select_related("service", "service_version", "entity", "dependency")
        .filter(filing_number=filing_number.strip())
        .first()
    )
