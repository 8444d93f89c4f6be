"""How a stored document leaves the server: as a download, never as a page of ours.

Browsers must not guess a type (`nosniff`) nor run what a file holds: PDFs and images open in
the browser's own viewer, everything else is saved. The file name goes out RFC 6266-encoded by
Django, so no name can break the header.
"""

from __future__ import annotations

from typing import IO

from django.http import FileResponse

INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def file_download(handle: IO[bytes], *, filename: str, content_type: str) -> FileResponse:
    """A response that sends `handle` as `filename`: inline for PDF and images, else attached."""
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type=content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
