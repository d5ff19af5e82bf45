"""Pages of the watch app: the public, members, coordinators and the neighbourhood team."""

from django.urls import path

from beatbridge.watch import views

app_name = "watch"

urlpatterns = [
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/watch/",
        views.neighbourhood_schemes,
        name="neighbourhood",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/watch/propose/",
        views.propose,
        name="propose",
    ),
    path("watch/", views.my_schemes, name="mine"),
    path("watch/<int:pk>/", views.scheme_detail, name="scheme"),
    path("watch/<int:pk>/join/", views.join, name="join"),
    path("watch/<int:pk>/leave/", views.leave, name="leave"),
    path("watch/<int:pk>/messages-setting/", views.messages_setting, name="messages_setting"),
    path("watch/<int:pk>/members/", views.members, name="members"),
    path("watch/<int:pk>/messages/<int:alert_id>/reply/", views.reply, name="reply"),
    path("watch/<int:pk>/requests/", views.requests_to_join, name="requests"),
    path(
        "watch/<int:pk>/requests/<int:membership_id>/",
        views.decide_request,
        name="decide_request",
    ),
    path("watch/<int:pk>/roles/", views.roles, name="roles"),
    path("watch/<int:pk>/roles/<int:membership_id>/", views.set_role, name="set_role"),
    path("watch/<int:pk>/rota/", views.rota, name="rota"),
    path("watch/<int:pk>/rota/<int:slot_id>/cancel/", views.cancel_slot, name="cancel_slot"),
    path("watch/<int:pk>/rota/<int:slot_id>/sign-up/", views.sign_up, name="sign_up"),
    path("watch/<int:pk>/rota/<int:slot_id>/withdraw/", views.withdraw, name="withdraw"),
    # The neighbourhood team.
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/watch/",
        views.manage,
        name="manage",
    ),
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/watch/schemes.csv",
        views.export_schemes,
        name="export",
    ),
    path("manage/watch/<int:pk>/decide/", views.decide, name="decide"),
    path("manage/watch/<int:pk>/status/", views.set_status, name="set_status"),
]
