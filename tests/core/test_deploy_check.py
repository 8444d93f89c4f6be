"""`check --deploy` is clean when the production environment variables are set."""

import os
import subprocess
import sys

from django.conf import settings


def test_deploy_check_is_clean_with_production_settings() -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ventanilla.config.settings",
        "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-0123456789",
        "HTTPS": "true",
        "ALLOWED_HOSTS": "ventanilla.example.gov.co",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DEBUG": "false",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
