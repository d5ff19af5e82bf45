"""Community voice pages: priorities, meetings, events, calendars and translations, one
module each."""

from django.urls import include, path

app_name = "voice"

urlpatterns = [
    path("", include("beatbridge.voice.priority_urls")),
    path("", include("beatbridge.voice.meeting_urls")),
    path("", include("beatbridge.voice.event_urls")),
    path("", include("beatbridge.voice.calendar_urls")),
    path("", include("beatbridge.voice.translation_urls")),
]
