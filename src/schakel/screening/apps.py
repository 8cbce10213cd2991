from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "schakel.screening"
    label = "screening"

    def ready(self) -> None:
        from . import checks  # noqa: F401
