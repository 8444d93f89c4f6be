from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ventanilla.documents"
    label = "documents"
    verbose_name = _("Documentos")

    def ready(self) -> None:
        # Issuing subscribes to the case's events (an answer is issued when a case is answered);
        # the citizen's folder keeps what a signed-in citizen files, and the files it shares
        # with cases are never swept as unfinished uploads.
        from ventanilla.cases.file_keepers import file_keeper_register
        from ventanilla.documents import folder, issuing  # noqa: F401

        file_keeper_register(folder.folder_files_kept)
