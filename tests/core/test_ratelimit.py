"""The client address our limits count by, behind zero, one or two proxies of ours."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client, RequestFactory

from tests import factories
from ventanilla.core.ratelimit import client_ip


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "", "203.0.113.5"),
        (0, "10.0.0.1", "198.51.100.7", "10.0.0.1"),  # not trusted: the header is ignored
        (1, "10.0.0.1", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the client wrote 1.2.3.4
        (2, "10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (1, "10.0.0.1", "", "10.0.0.1"),  # came from inside, not through the balancer
        (1, "10.0.0.1", "not-an-address", "10.0.0.1"),
        (1, "10.0.0.1", "198.51.100.7:51234", "198.51.100.7"),
        (1, "10.0.0.1", "[2001:db8:1:2:3::9]:443", "2001:db8:1:2::/64"),
        (0, "2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::/64"),  # one client's /64 is one client
        (0, "::ffff:198.51.100.7", "", "198.51.100.7"),
    ],
)
def test_client_address(
    settings: Any, proxies: int, remote: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_ip(request) == expected


def test_one_setting_moves_our_limits_and_allauths() -> None:
    environment = {**os.environ, "TRUSTED_PROXY_COUNT": "2"}
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        env={**environment, "DJANGO_SETTINGS_MODULE": "ventanilla.config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split() == ["2", "2"]


@pytest.mark.django_db
def test_sign_in_limits_count_per_client_behind_the_balancer(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    factories.user("lucia@example.co")

    def sign_in(email: str, password: str, address: str) -> Any:
        return Client().post(
            "/cuenta/login/",
            {"login": email, "password": password},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    for n in range(10):  # ten failures a minute from one client…
        sign_in(f"x{n}@example.co", "mala-clave-123", "198.51.100.9")
    stopped = sign_in("lucia@example.co", factories.PASSWORD, "198.51.100.9")
    assert stopped.status_code == 200 and "Demasiados intentos" in stopped.content.decode()
    # …and another client behind the same balancer signs in.
    assert sign_in("lucia@example.co", factories.PASSWORD, "192.0.2.7").status_code == 302
