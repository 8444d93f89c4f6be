from django.apps import AppConfig


class ExtensionConfig(AppConfig):
    name = "tests.extension"
    label = "test_extension"

    def ready(self) -> None:
        from tests.extension import handlers  # noqa: F401  (subscribes on import)
        from tests.extension.effects import Prioritize
        from ventanilla.cases.effects import register

        register(Prioritize())
