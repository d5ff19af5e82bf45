from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "beatbridge.web"
    verbose_name = "Web"
