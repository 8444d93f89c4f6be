"""Producing issued documents in the background: rendering and signing take long enough that
no request waits for them."""

from __future__ import annotations

from django.tasks import task

from ventanilla.documents import issuing


@task()
def document_produce_task(pk: int) -> str:
    return str(issuing.document_produce(pk=pk).state)


@task()
def documents_resume() -> int:
    return issuing.documents_resume()
