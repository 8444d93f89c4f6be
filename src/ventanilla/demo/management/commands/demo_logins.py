"""`manage.py demo_logins`: who to sign in as in the demo, and the officials' current code."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand

from ventanilla.accounts.models import User
from ventanilla.demo.data.people import DEMO_PASSWORD, DEMO_TOTP_SECRET, NAMED_LOGINS
from ventanilla.demo.people import demo_totp_code


class Command(BaseCommand):
    help = "Print the demo logins, their password, and the officials' TOTP secret and code."

    def handle(self, *args: Any, **options: Any) -> None:
        emails = [login.email for login in NAMED_LOGINS]
        present = {user.email: user for user in User.objects.filter(email__in=emails).only("email")}
        if not present:
            self.stdout.write(
                "La demostración no está cargada / The demo is not loaded: "
                "run `python manage.py load_demo`."
            )
            return
        own_secret = {
            authenticator.user_id
            for authenticator in Authenticator.objects.filter(
                user__in=present.values(), type=Authenticator.Type.TOTP
            )
            if decrypt(authenticator.data["secret"]) != DEMO_TOTP_SECRET
        }

        width = max(len(email) for email in emails)
        self.stdout.write("Accesos de demostración / Demo logins")
        self.stdout.write(f"Contraseña / password: {DEMO_PASSWORD}")
        self.stdout.write("")
        for login in NAMED_LOGINS:
            user = present.get(login.email)
            note = ""
            if user is None:
                note = "  (no existe / missing)"
            elif user.pk in own_secret:
                note = "  (usa su propio autenticador / uses its own authenticator)"
            self.stdout.write(f"  {login.email:<{width}}  {login.what_es}{note}")
            self.stdout.write(f"  {'':<{width}}  {login.what_en}")

        code, seconds = demo_totp_code()
        label = quote(f"{settings.SITE_NAME} demo")
        uri = "otpauth://totp/{}?{}".format(
            label, urlencode({"secret": DEMO_TOTP_SECRET, "issuer": settings.SITE_NAME})
        )
        self.stdout.write("")
        self.stdout.write(
            "Los funcionarios entran con un código de 6 cifras / Officials sign in with a "
            "6-digit code."
        )
        self.stdout.write(
            f"  Secreto TOTP / TOTP secret: {DEMO_TOTP_SECRET} "
            "(agréguelo a cualquier app de autenticación / add it to any authenticator app)"
        )
        self.stdout.write(f"  {uri}")
        self.stdout.write(
            f"  Código actual / current code: {code} "
            f"(vale {seconds} s más / valid for {seconds} more s; "
            "vuelva a ejecutar / run again: python manage.py demo_logins)"
        )
