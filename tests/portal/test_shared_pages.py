"""The home page, the catalogue and a service's page are served whole from memory to visitors
who are nobody in particular — and never to anybody else: not to a signed-in citizen, not to
a visitor with a message waiting, not across languages or addresses."""

from __future__ import annotations

import gzip

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from ventanilla.catalog.models import Service

SERVICE = "/tramites/solicitud-cupo-escolar/"
PAGES = ["/", "/tramites/", "/tramites/?q=cupo", SERVICE, "/en/services/"]


def test_a_second_anonymous_visit_renders_nothing(
    client: Client, reference_service: Service
) -> None:
    for url in PAGES:
        first = client.get(url)
        assert first.status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert len(queries) == 0, (url, [q["sql"] for q in queries])
        assert first.templates and not second.templates, url
        assert second.status_code == 200
        assert second.content == first.content, url
        assert second["Cache-Control"] == first["Cache-Control"]
        assert "Cookie" in second["Vary"]


def test_a_browser_that_accepts_gzip_gets_the_kept_page_compressed(
    client: Client, reference_service: Service
) -> None:
    plain = client.get(SERVICE).content
    response = client.get(SERVICE, headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content) < len(plain) / 2


def test_a_signed_in_citizen_never_gets_the_anonymous_page(
    client: Client, reference_service: Service
) -> None:
    anonymous = client.get(SERVICE).content.decode()
    assert "Mis solicitudes" not in anonymous
    client.force_login(factories.user("ana@example.co"))
    mine = client.get(SERVICE)
    assert "Mis solicitudes" in mine.content.decode() and mine.templates
    assert "private" in mine["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert "Mis solicitudes" not in client.get(SERVICE).content.decode()


def test_a_waiting_message_is_shown_not_lost(client: Client, reference_service: Service) -> None:
    client.get("/")  # the anonymous home page is kept
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, "Le enviamos el enlace a su correo.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "Le enviamos el enlace a su correo." in client.get("/").content.decode()


def test_each_language_and_address_has_its_own_page(
    client: Client, reference_service: Service
) -> None:
    spanish = client.get(SERVICE).content.decode()
    english = client.get("/en/services/solicitud-cupo-escolar/").content.decode()
    assert 'lang="es"' in spanish and 'lang="en"' in english
    found = client.get("/tramites/?q=cupo").content.decode()
    nothing = client.get("/tramites/?q=zzzzqqq").content.decode()
    assert "solicitud-cupo-escolar" in found and "solicitud-cupo-escolar" not in nothing


def test_an_unknown_service_is_a_404_each_time(client: Client, db: None) -> None:
    assert client.get("/tramites/no-existe/").status_code == 404
    assert client.get("/tramites/no-existe/").status_code == 404
