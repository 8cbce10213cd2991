from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "schakel.monitor"
    label = "monitor"
