"""Pages of problem-solving projects: the team's under manage/problems/, and a published
project's public page under its neighbourhood."""

from django.urls import path

from beatbridge.problems import views

app_name = "problems"

PROJECT = "manage/problems/<int:project_id>/"

urlpatterns = [
    path("manage/problems/", views.project_list, name="list"),
    path("manage/problems/new/", views.start, name="start"),
    path(PROJECT, views.project_detail, name="project"),
    path(f"{PROJECT}stage/", views.advance, name="advance"),
    path(f"{PROJECT}details/", views.details, name="details"),
    path(f"{PROJECT}analysis/", views.analysis, name="analysis"),
    path(f"{PROJECT}questions/", views.ask, name="ask"),
    path(f"{PROJECT}questions/<int:question_id>/finding/", views.finding, name="finding"),
    path(f"{PROJECT}snapshot/", views.snapshot, name="snapshot"),
    path(f"{PROJECT}partners/", views.invite, name="invite"),
    path(f"{PROJECT}actions/", views.add_action, name="add_action"),
    path(f"{PROJECT}assessments/", views.assess, name="assess"),
    path(f"{PROJECT}decision/", views.decide, name="decide"),
    path(f"{PROJECT}publish/", views.publish, name="publish"),
    path(f"{PROJECT}withdraw/", views.withdraw, name="withdraw"),
    path("manage/problems/actions/<int:action_id>/", views.update_action, name="update_action"),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/problems/<int:project_id>/",
        views.public_project,
        name="public",
    ),
]
