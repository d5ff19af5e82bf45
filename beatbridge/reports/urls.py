"""Report pages: residents and the public (views.py), the neighbourhood team (staff_views.py)."""

from django.urls import path

from beatbridge.reports import staff_views, views

app_name = "reports"

urlpatterns = [
    # Residents and the public.
    path("report/", views.start, name="start"),
    path("report/concern/", views.report_concern, name="concern"),
    path("report/suspicious-activity/", views.report_suspicious_activity, name="suspicious"),
    path("tip/", views.send_tip, name="tip"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("my-reports/", views.my_reports, name="mine"),
    path("my-reports/<str:reference>/", views.my_report, name="mine_detail"),
    path("reports/<str:reference>/", views.public_report, name="public_detail"),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/reports/",
        views.neighbourhood_reports,
        name="public_list",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/reports.geojson",
        views.neighbourhood_reports_geojson,
        name="public_geojson",
    ),
    # The neighbourhood team.
    path("triage/", staff_views.triage_home, name="triage_home"),
    path("triage/guardrail/", staff_views.guardrail_figures, name="guardrail"),
    # Before the neighbourhood inbox, which would take "unplaced" for a neighbourhood code.
    path("triage/forces/<slug:force>/unplaced/", staff_views.unplaced_inbox, name="unplaced"),
    path(
        "triage/forces/<slug:force>/<neighbourhood_code:code>/",
        staff_views.inbox,
        name="inbox",
    ),
    path(
        "triage/forces/<slug:force>/<neighbourhood_code:code>/reports.csv",
        staff_views.export_csv,
        name="export",
    ),
    path(
        "triage/forces/<slug:force>/sectors/<slug:sector>/",
        staff_views.sector_inbox,
        name="sector_inbox",
    ),
    path("triage/reports/<str:reference>/", staff_views.report_detail, name="triage_detail"),
    path(
        "triage/reports/<str:reference>/<slug:action>/",
        staff_views.report_action,
        name="triage_action",
    ),
    path(
        "triage/reports/<str:reference>/photos/<int:photo_id>/",
        staff_views.photo,
        name="photo",
    ),
]
