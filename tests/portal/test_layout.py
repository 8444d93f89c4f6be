"""The portal's layout: both languages, the error pages, and the security headers."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

from ventanilla.accounts.models import User
from ventanilla.config import urls as project_urls

pytestmark = pytest.mark.django_db


def test_home_is_spanish_by_default(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "Haga sus trámites sin filas ni intermediarios" in html
    assert 'href="#contenido"' in html and 'id="contenido"' in html
    assert 'role="search"' in html


def test_home_in_english(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert '<html lang="en">' in html
    assert "Do your paperwork with no queues and no middlemen" in html
    assert "Skip to main content" in html
    # The deployment's own words in the footer follow the language too.
    assert "Monday to Friday, 7:00 a.m. to 4:30 p.m." in html
    assert "Lunes a viernes" not in html


@override_settings(SOURCE_CODE_URL="https://example.org/ventanilla-sed")
def test_the_footer_links_to_the_source_code_when_the_deployment_publishes_it(
    client: Client,
) -> None:
    assert '<a href="https://example.org/ventanilla-sed">Código fuente</a>' in (
        client.get("/").content.decode()
    )


def test_without_a_source_address_the_footer_has_no_dead_link(client: Client) -> None:
    assert "Código fuente" not in client.get("/").content.decode()


@override_settings(SITE_HOURS_EN="")
def test_without_english_hours_the_spanish_ones_show_on_english_pages(client: Client) -> None:
    assert "Lunes a viernes de 7:00 a. m. a 4:30 p. m." in client.get("/en/").content.decode()


def switch_link(html: str) -> str:
    nav = html[html.index('class="language-switch"') :]
    start = nav.index('href="') + len('href="')
    return nav[start : nav.index('"', start)]


def test_language_switch_is_a_plain_link_to_the_same_page(client: Client) -> None:
    client.force_login(User.objects.create_user("ana@example.co", "x"))
    page = client.get("/mi-cuenta/?pestana=datos").content.decode()
    target = switch_link(page)
    assert target == "/en/my-account/?pestana=datos"
    assert '<html lang="en">' in client.get(target).content.decode()
    back = switch_link(client.get("/en/my-account/").content.decode())
    assert back == "/mi-cuenta/"
    assert '<html lang="es">' in client.get(back).content.decode()


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_page_loads_anything_from_another_host(client: Client) -> None:
    for url in ["/", "/en/", "/cuenta/login/", "/cuenta/signup/"]:
        html = client.get(url).content.decode()
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html
        assert "<script>" not in html and " style=" not in html, url


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/no-existe/", "No encontramos esa página"),
        ("/en/does-not-exist/", "We could not find that page"),
    ],
)
def test_not_found_page_in_both_languages(client: Client, url: str, text: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert text in response.content.decode()


def _boom(request: object) -> None:
    raise RuntimeError("simulated failure")


def _forbidden(request: object) -> None:
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


urlpatterns = [
    path("boom/", _boom),
    path("prohibido/", _forbidden),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_server_error_page_reassures_the_citizen() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Nada de lo que ya radicó se perdió" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_forbidden_page(client: Client) -> None:
    response = client.get("/prohibido/")
    assert response.status_code == 403
    assert "No tiene permiso para ver esta página" in response.content.decode()
