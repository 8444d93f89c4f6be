"""`api_client create NAME [--channel phone] [--citizen EMAIL]` prints a token once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ventanilla.accounts.models import User
from ventanilla.api.services import api_client_create

CHANNELS = ("api", "phone", "in_person")


class Command(BaseCommand):
    help = "Create an API client and print its token (shown only this once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("name")
        parser.add_argument("--channel", choices=CHANNELS, default="api")
        parser.add_argument("--citizen", help="Email of a citizen: a personal token for them.")

    def handle(
        self, *args: Any, name: str, channel: str, citizen: str | None, **options: Any
    ) -> None:
        user = None
        if citizen:
            user = User.objects.filter(email__iexact=citizen).first()
            if user is None:
                raise CommandError(f"No user with email {citizen}")
        created = api_client_create(name=name, channel=channel, user=user)
        self.stdout.write(created.token)
        self.stderr.write("Keep this token safe: it is not stored and cannot be shown again.")
