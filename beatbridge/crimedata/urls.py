"""The public crime pages: a neighbourhood's recorded crime, and downloads of what it shows."""

from django.urls import path

from beatbridge.crimedata import hotspot_views, views

app_name = "crimedata"

urlpatterns = [
    # Under "crime/": "forces/<force>/<code>/" is a neighbourhood's page, whatever the code.
    path(
        "forces/<slug:force>/crime/hotspots/", hotspot_views.force_hotspots, name="force_hotspots"
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/crime/",
        views.neighbourhood_crime,
        name="neighbourhood_crime",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/crime/counts.csv",
        views.neighbourhood_crime_csv,
        name="neighbourhood_crime_csv",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/crime/outcomes.csv",
        views.neighbourhood_outcomes_csv,
        name="neighbourhood_outcomes_csv",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/crime/points.geojson",
        views.neighbourhood_crime_points,
        name="neighbourhood_crime_points",
    ),
]
