"""Open311 GeoReport v2 under /open311/v2/: each resource with .json, .xml or no extension."""

from django.urls import path, re_path

from beatbridge.open311 import views

app_name = "open311"

_FORMAT = r"(?:\.(?P<fmt>[A-Za-z0-9]+))?"

urlpatterns = [
    path("", views.discovery, name="root"),
    re_path(rf"^discovery{_FORMAT}$", views.discovery, name="discovery"),
    re_path(rf"^services{_FORMAT}$", views.service_list, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+?){_FORMAT}$",
        views.service_definition,
        name="service_definition",
    ),
    # Some clients ask for a definition at service/{code}, in the singular.
    re_path(rf"^service/(?P<service_code>[^/]+?){_FORMAT}$", views.service_definition),
    re_path(rf"^requests{_FORMAT}$", views.service_requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+?){_FORMAT}$",
        views.service_request,
        name="request",
    ),
    re_path(rf"^tokens/(?P<token>[^/]+?){_FORMAT}$", views.token, name="token"),
    re_path(r"^", views.unknown),
]
