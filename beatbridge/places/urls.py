from django.urls import path

from beatbridge.places import views

app_name = "places"

urlpatterns = [
    path("", views.home, name="home"),
]
