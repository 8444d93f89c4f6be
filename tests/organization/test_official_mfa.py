"""Officials reach staff pages only with TOTP enrolled; strangers never reach them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from tests import factories
from ventanilla.accounts.models import User
from ventanilla.organization.models import Role

pytestmark = pytest.mark.django_db


def admin_urls() -> list[str]:
    """The admin's index, each app index, and each registered model's list and add pages."""
    superuser = RequestFactory().get("/admin/")
    superuser.user = User(is_staff=True, is_superuser=True, is_active=True)
    urls = [reverse("admin:index")]
    apps = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        apps.add(meta.app_label)
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if model_admin.has_add_permission(superuser):
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
    return urls


def test_every_admin_page_sends_an_official_without_totp_to_enrol(client: Client) -> None:
    staff = factories.user(staff=True, is_superuser=True)
    client.force_login(staff)
    activate = reverse("mfa_activate_totp")
    urls = admin_urls()
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(activate + "?next="), url


def test_an_official_with_totp_opens_every_admin_page(client: Client) -> None:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    for url in admin_urls():
        assert client.get(url).status_code == 200, url


def test_a_member_official_without_totp_is_sent_to_enrol_too(client: Client) -> None:
    office = factories.dependency("OSC")
    handler = factories.official(office, Role.HANDLER)
    client.force_login(handler)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_citizen_is_refused_by_the_admin(client: Client) -> None:
    client.force_login(factories.user())
    assert client.get(reverse("admin:index"), follow=True).status_code == 403


def test_anonymous_visitors_are_sent_to_our_login(client: Client) -> None:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("account_login"))


def test_login_of_an_enrolled_official_asks_for_the_code(client: Client) -> None:
    staff = factories.user("jefe@example.co", staff=True)
    secret = factories.enrol_totp(staff)
    response = client.post(
        reverse("account_login"), {"login": "jefe@example.co", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code(secret)})
    assert right.status_code == 302
    assert right["Location"] == reverse("workspace:inbox")  # officials land in their workspace
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_citizens_own_pages_do_not_ask_for_totp(client: Client) -> None:
    client.force_login(factories.user())
    assert client.get(reverse("portal:account")).status_code == 200
