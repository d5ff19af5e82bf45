from django.urls import path, register_converter

from beatbridge.places import views


class NeighbourhoodCodeConverter:
    """A neighbourhood id as models.neighbourhood_code_validator allows it; anything else is 404."""

    regex = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NeighbourhoodCodeConverter, "neighbourhood_code")

app_name = "places"

urlpatterns = [
    path("", views.home, name="home"),
    path("neighbourhoods/", views.search, name="search"),
    path("locate/", views.locate, name="locate"),
    path("forces/<slug:force>/", views.force_detail, name="force"),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/",
        views.neighbourhood_detail,
        name="neighbourhood",
    ),
]
