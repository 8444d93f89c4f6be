"""A national identity provider (OpenID Connect) is offered when configured."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PROVIDER = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "identidad",
                "name": "Carpeta Ciudadana",
                "client_id": "ventanilla",
                "secret": "s3cret",
                "settings": {"server_url": "https://idp.example.gov.co"},
            }
        ],
    }
}


def test_login_page_offers_no_provider_by_default(client: Client) -> None:
    assert "Carpeta Ciudadana" not in client.get("/cuenta/login/").content.decode()


@override_settings(SOCIALACCOUNT_PROVIDERS=PROVIDER)
def test_login_page_offers_the_configured_provider(client: Client) -> None:
    html = client.get("/cuenta/login/").content.decode()
    assert "Carpeta Ciudadana" in html
    assert "/cuenta/oidc/identidad/login/" in html
