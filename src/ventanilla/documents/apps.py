from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ventanilla.documents"
    label = "documents"
    verbose_name = _("Documentos")

    def ready(self) -> None:
        # Issuing subscribes to the case's events (an answer is issued when a case is answered).
        from ventanilla.documents import issuing  # noqa: F401
