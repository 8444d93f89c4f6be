"""The files of a filing in progress: which documents a question asks on its own page and
which the documents page asks, what a page posts for them (added, taken off, refused), and the
citizen's folder offered for them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.accounts.models import User
from ventanilla.cases.filing import check_upload
from ventanilla.cases.uploads import upload_received, uploads_refused
from ventanilla.catalog.fields import DocumentAsked, FieldContext
from ventanilla.catalog.models import Service
from ventanilla.catalog.schema import FormSection, RequiredDocument, ServiceDefinition
from ventanilla.documents.folder import Reusable, folder_reusable
from ventanilla.portal.drafts import Draft, draft_attach, draft_detach, draft_reuse, file_ref


def loose_documents(definition: ServiceDefinition) -> list[RequiredDocument]:
    """The documents no question asks for: the documents page asks them, after the form."""
    return [d for d in definition.documents if definition.question_for(d.key) is None]


def section_context(
    service: Service, definition: ServiceDefinition, section: FormSection, draft: Draft
) -> FieldContext:
    """What the section's questions know: the answers so far, and the documents its file
    questions upload, with the name of the file attached to each so far."""
    documents = {}
    for field in section.fields:
        document = next((d for d in definition.documents if d.key == field.document), None)
        if document is not None:
            stored = tuple((file_ref(f), f["name"]) for f in draft.files_of(document.key))
            documents[document.key] = DocumentAsked(document, stored)
    return FieldContext(answers=draft.answers, service_id=service.pk, documents=documents)


def files_received(
    request: HttpRequest, definition: ServiceDefinition, section: FormSection, draft: Draft
) -> dict[str, list[str]]:
    """Attach to the draft the files posted for the section's file questions that are asked;
    what is wrong with a file, by question."""
    refused = uploads_refused(request)
    errors: dict[str, list[str]] = {}
    for field in section.fields:
        if field.document is None or not definition.form.shown(field, draft.answers):
            continue
        document = next(d for d in definition.documents if d.key == field.document)
        problems = files_posted(request, definition, draft, document, field.key, refused)
        if problems:
            errors[field.key] = problems
    return errors


def files_posted(
    request: HttpRequest,
    definition: ServiceDefinition,
    draft: Draft,
    document: RequiredDocument,
    name: str,
    refused: dict[str, str],
) -> list[str]:
    """Take off the draft the files of `document` ticked to remove, and attach those posted
    under `name` (beside the others when the document takes several); what is wrong."""
    for ref in request.POST.getlist(f"{name}__quitar"):
        draft_detach(draft, document.key, ref)
    if name in refused:
        return [refused[name]]
    posted = request.FILES.getlist(name)
    several = document.max_files > 1
    room = document.max_files - (len(draft.files_of(document.key)) if several else 0)
    if len(posted) > room:
        return [
            _(
                "Puede adjuntar hasta %(n)s archivos para este documento. Quite alguno de los "
                "que ya adjuntó o elija menos."
            )
            % {"n": document.max_files}
        ]
    problems = []
    for uploaded in posted:
        upload = upload_received(document.key, uploaded)
        wrong = check_upload(upload, definition)
        if wrong:
            problems += [f"{upload.display_name}: {w}" if several else w for w in wrong]
        else:
            draft_attach(draft, upload, keep=several)
    return problems


def with_documents(
    answers: dict[str, Any], draft: Draft, definition: ServiceDefinition
) -> dict[str, Any]:
    """File questions are answered by the documents page: their answer is the document key."""
    result = dict(answers)
    for field in definition.form.fields:
        if field.document and draft.document(field.document):
            result[field.key] = field.document
    return result


def folder_offers(
    request: HttpRequest, draft: Draft, definition: ServiceDefinition
) -> dict[str, list[Reusable]]:
    """What the signed-in citizen's folder holds, still valid, for each document asked."""
    user = request.user
    if draft.mode != "citizen" or not isinstance(user, User) or not user.is_authenticated:
        return {}
    today = timezone.localdate()
    found = {
        d.key: folder_reusable(user, d.kind, today, accepted=tuple(d.accepted_types))
        for d in loose_documents(definition)
    }
    return {key: items for key, items in found.items() if items}


def reuse_chosen(
    request: HttpRequest, draft: Draft, document: RequiredDocument, offered: list[Reusable]
) -> None:
    """The citizen chose a document of their folder (one of those offered) for `document`."""
    chosen = next((r for r in offered if r.ref == request.POST.get(f"reusar_{document.key}")), None)
    if chosen is not None and chosen.size <= document.max_size_mb * 1024 * 1024:
        draft_reuse(draft, document.key, chosen)
