from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from beatbridge.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("beatbridge.accounts.urls")),
    path("officers/", include("beatbridge.accounts.public_urls")),
    path("open311/v2/", include("beatbridge.open311.urls")),
    path("", include("beatbridge.places.urls")),
    # After places, whose urls register the neighbourhood_code converter.
    path("", include("beatbridge.reports.urls")),
    path("", include("beatbridge.crimedata.urls")),
    path("", include("beatbridge.voice.urls")),
    path("", include("beatbridge.notify.urls")),
    path("", include("beatbridge.watch.urls")),
    path("", include("beatbridge.partners.urls")),
    path("", include("beatbridge.problems.urls")),
]

# Only officer photos are public uploads; anything else under MEDIA_ROOT is never served.
urlpatterns += [
    path(
        f"{settings.MEDIA_URL.lstrip('/')}officers/<path:path>",
        serve,
        {"document_root": settings.MEDIA_ROOT / "officers"},
    )
]
