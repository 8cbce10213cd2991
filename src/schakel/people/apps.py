from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "schakel.people"
    label = "people"

    def ready(self) -> None:
        from . import retention

        retention.register()
