from django.apps import AppConfig


class PoliceUkConfig(AppConfig):
    name = "beatbridge.policeuk"
    verbose_name = "data.police.uk compatibility"
