"""The admin reads in Spanish: third-party sections included, and with messages whose grammar
does not depend on the model's gender."""

from __future__ import annotations

from django.test import Client

from tests import factories
from ventanilla.catalog.models import Category


def admin(client: Client) -> Client:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    return client


def test_the_admin_index_names_every_section_in_spanish(client: Client, db: None) -> None:
    html = admin(client).get("/admin/", HTTP_ACCEPT_LANGUAGE="es-CO").content.decode()
    assert 'lang="es"' in html
    for spanish in ("Verificación en dos pasos", "Autenticadores", "Tareas en segundo plano"):
        assert spanish in html
    for english in ("Tasks Database Backend", "Task Results", "Authenticators", ">MFA<"):
        assert english not in html
    assert ">Vista<" not in html  # Django's Spanish says "Vista" for the verb "View"


def test_a_browser_that_prefers_english_still_gets_the_admin_in_spanish(
    client: Client, db: None
) -> None:
    admin(client)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    # The admin is outside i18n_patterns, whose default language has no prefix: Django's
    # LocaleMiddleware gives such paths LANGUAGE_CODE, whatever the browser or the cookie say.
    assert 'lang="es"' in html and "Catálogo de servicios" in html
    client.cookies["ventanilla_language"] = "en"
    assert 'lang="es"' in client.get("/admin/").content.decode()


def test_messages_about_a_feminine_model_read_right(client: Client, db: None) -> None:
    admin(client)
    added = client.post(
        "/admin/catalog/category/add/",
        {"slug": "salud", "name_es": "Salud", "name_en": "Health", "order": 1},
        follow=True,
    ).content.decode()
    assert 'Se agregó: categoría “<a href="/admin/catalog/category/' in added
    assert "El categoría" not in added
    category = Category.objects.get(slug="salud").pk
    sure = client.get(f"/admin/catalog/category/{category}/delete/").content.decode()
    assert "¿Seguro que quiere eliminar “Salud” (categoría)?" in sure
    assert "Are you sure" not in sure
    missing = client.get("/admin/catalog/category/999999/change/", follow=True).content.decode()
    assert "No hay ningún registro de categoría con el ID “999999”" in missing
