from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "beatbridge.demo"
    verbose_name = "Demo city"
