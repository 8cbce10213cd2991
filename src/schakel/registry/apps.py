from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "schakel.registry"
    label = "registry"

    def ready(self):
        from . import checks  # noqa: F401 - registers the contract check
