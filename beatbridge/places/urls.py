from django.urls import path

from beatbridge.places import views

app_name = "places"

urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods/", views.search, name="search"),
    path("locate/", views.locate, name="locate"),
    path("forces/<slug:force>/", views.force_detail, name="force"),
    path("forces/<slug:force>/<str:code>/", views.neighbourhood_detail, name="neighbourhood"),
]
