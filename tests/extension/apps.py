from django.apps import AppConfig


class ExtensionConfig(AppConfig):
    name = "tests.extension"
    label = "test_extension"

    def ready(self) -> None:
        from tests.extension import handlers  # noqa: F401  (subscribes on import)
        from tests.extension.effects import Prioritize
        from tests.extension.fields import VehiclePlate
        from ventanilla.cases.effects import register
        from ventanilla.catalog.fields import register as register_field

        register(Prioritize())
        register_field(VehiclePlate())
