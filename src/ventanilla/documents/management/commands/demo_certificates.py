"""Make a demo certification authority and a signing certificate for every entity, so that the
demo signs its documents like a deployment does. Never use these outside a demo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ventanilla.documents import certificates
from ventanilla.organization.models import Entity


class Command(BaseCommand):
    help = (
        "Create a demo certification authority and a PKCS#12 signing certificate for each "
        "entity in SIGNING_KEYS_DIR (existing files are kept)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = []
        for entity in Entity.objects.order_by("code"):
            path = certificates.entity_key_path(entity.code)
            if not path.exists():
                certificates.demo_certificate_make(code=entity.code, name=entity.name)
                made.append(entity.code)
        folder = settings.SIGNING_KEYS_DIR
        if made:
            self.stdout.write(f"Demo signing certificates for {', '.join(made)} in {folder}.")
        else:
            self.stdout.write(f"Every entity has a signing certificate in {folder}.")
        self.stdout.write(
            f"Trust {certificates.keys_dir() / certificates.CA_FILE} to validate their signatures "
            "in a PDF reader (a demo authority: never in production)."
        )
