"""Public pages about people, mounted at /officers/ (beatbridge/urls.py)."""

from __future__ import annotations

from django.urls import path

from beatbridge.accounts import views

app_name = "officers"

urlpatterns = [
    path("<int:officer_id>/", views.officer_detail, name="detail"),
]
