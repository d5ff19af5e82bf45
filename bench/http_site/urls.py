"""The product's URLs plus /bench/minimal/: the cheapest response Django can give.

It goes through the same middleware as every page, so the ratio of a page's rate
to this one says what the page itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from beatbridge.urls import urlpatterns as beatbridge_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *beatbridge_urlpatterns]
