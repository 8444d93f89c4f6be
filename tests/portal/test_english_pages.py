"""English pages read in English: walking the catalogue, a service and its whole filing in
English, the main part of each page holds no Spanish word (the names of offices and places are
names, and stay as they are)."""

from __future__ import annotations

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.portal.test_filing import PDF, SECTIONS
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Entity, Locality, ServicePoint

# Words that only Spanish uses, and Spanish word endings no English word has.
SPANISH = re.compile(
    r"\b(el|los|las|del|por|para|que|una|su|sus|usted|aquí|también|está|después|según|"
    r"solicitud|trámite|radicar|radicado|continuar|volver|cambiar|enviar|revise|elija|escriba)\b"
    r"|\w+ción\b|\w+ciones\b",
    re.IGNORECASE,
)


def _main_text(page: str) -> str:
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def _names() -> list[str]:
    """Proper names the deployment gives in one language."""
    names: list[str] = []
    for model in (Entity, Dependency, ServicePoint, Locality):
        names += [str(n) for n in model.objects.values_list("name", flat=True)]
    return sorted(names, key=len, reverse=True)


def _spanish_in(page: str) -> list[str]:
    text = _main_text(page)
    for name in _names():
        text = text.replace(name, " ")
    return sorted({m.group(0) for m in SPANISH.finditer(text)})


def test_the_filing_in_english_holds_no_spanish(client: Client, reference_service: Service) -> None:
    client.force_login(factories.user(first_name="Ana", last_name="Rojas"))
    slug = reference_service.slug
    with translation.override("en"):
        pages = [
            reverse("portal:home"),
            reverse("portal:catalog"),
            reverse("portal:catalog") + "?q=school",
            reverse("portal:service", args=[slug]),
            reverse("portal:tracking"),
        ]
        sections = [reverse("portal:file_section", args=[slug, key]) for key, _ in SECTIONS]
        documents = reverse("portal:file_documents", args=[slug])
        review = reverse("portal:file_review", args=[slug])
    found: dict[str, list[str]] = {}
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        found[url] = _spanish_in(page.content.decode())
    for url, (_key, data) in zip(sections, SECTIONS, strict=True):
        found[url] = _spanish_in(client.get(url).content.decode())
        # An error page too (where an empty page is one): the messages are English.
        empty = client.post(url, {})
        if empty.status_code == 200:
            found[url + " (error)"] = _spanish_in(empty.content.decode())
        assert client.post(url, data).status_code == 302
    found[documents] = _spanish_in(client.post(documents, {}).content.decode())
    client.post(
        documents,
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", PDF, "application/pdf")},
    )
    page = client.get(review).content.decode()
    found[review] = _spanish_in(page)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page)
    assert key
    done = client.post(review, {"idempotency_key": key.group(1), "consent": "on"}, follow=True)
    found["done"] = _spanish_in(done.content.decode())
    own = re.search(r'href="(/en/[^"]+)">See your request<', done.content.decode())
    assert own, "the receipt links to the citizen's own case"
    found[own.group(1)] = _spanish_in(client.get(own.group(1)).content.decode())
    assert not {url: words for url, words in found.items() if words}
    # The same pages in Spanish do show the words looked for.
    assert _spanish_in(client.get(f"/tramites/{slug}/").content.decode())
