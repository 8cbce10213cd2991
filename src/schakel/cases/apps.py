from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "schakel.cases"
    label = "cases"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401
            retention,
            subject_access,
        )

        subject_access.register()
        retention.register()
