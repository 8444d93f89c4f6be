from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ventanilla.core import env


class Command(BaseCommand):
    help = "Write docs/configuration.md from the environment variables the settings read."

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "configuration.md"
        path.write_text(env.markdown())
        self.stdout.write(f"Wrote {path}")
