from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "schakel.knowledge"
    label = "knowledge"

    def ready(self):
        from . import checks  # noqa: F401 - registers the data file check
