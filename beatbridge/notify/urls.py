"""Pages of the notify app: a person's alerts, followed places and settings; the team's
pages to send alerts and see their figures; unsubscribe links and SMS receipts."""

from django.urls import path

from beatbridge.notify import views

app_name = "notify"

urlpatterns = [
    path("alerts/", views.inbox, name="inbox"),
    path("alerts/following/", views.following, name="following"),
    path("alerts/following/<int:follow_id>/stop/", views.unfollow, name="unfollow"),
    path("alerts/settings/", views.preferences, name="preferences"),
    path(
        "alerts/settings/new-webhook-secret/",
        views.new_webhook_secret,
        name="new_webhook_secret",
    ),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/sms-receipts/", views.sms_receipt, name="sms_receipt"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert"),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/follow/",
        views.follow_neighbourhood,
        name="follow_neighbourhood",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/unfollow/",
        views.unfollow_neighbourhood,
        name="unfollow_neighbourhood",
    ),
    # The team.
    path("manage/alerts/", views.sent, name="sent"),
    path("manage/alerts/new/", views.compose, name="compose"),
    path("manage/alerts/<uuid:public_id>/", views.figures, name="figures"),
    path("manage/alerts/<uuid:public_id>/figures.csv", views.figures_csv, name="figures_csv"),
]
