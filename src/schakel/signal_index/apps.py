from django.apps import AppConfig


class SignalIndexConfig(AppConfig):
    name = "schakel.signal_index"
    label = "signal_index"

    def ready(self) -> None:
        from schakel.privacy.retention import register_retention_handler

        from . import (
            checks,  # noqa: F401 - registers the key ring check
            services,
        )

        register_retention_handler(
            "signaleringsindex",
            find=services.retention_find,
            apply=services.retention_apply,
            describe=services.retention_describe,
        )
