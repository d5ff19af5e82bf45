from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrimeDataConfig(AppConfig):
    name = "beatbridge.crimedata"
    verbose_name = _("Crime data")
