from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "schakel.directory"
    label = "directory"
