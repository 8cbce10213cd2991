from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "schakel.privacy"
    label = "privacy"

    def ready(self) -> None:
        from . import checks, task_trace  # noqa: F401

        task_trace.register()
