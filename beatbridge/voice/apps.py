from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "beatbridge.voice"
    verbose_name = _("Community voice")
