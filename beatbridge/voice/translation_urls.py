"""The team's translation page, one for every kind of content that carries translations."""

from django.urls import path

from beatbridge.voice.views import translations

urlpatterns = [
    path("manage/translate/<slug:kind>/<int:pk>/", translations.translate, name="translate"),
]
