from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "schakel.people"
    label = "people"
