"""Pages of the partners app: the police's under manage/, the partner portal under partner/."""

from django.urls import path

from beatbridge.partners import views

app_name = "partners"

urlpatterns = [
    path("manage/partners/", views.directory, name="directory"),
    path("manage/partners/new/", views.organisation_create, name="organisation_create"),
    path("manage/partners/engagements.csv", views.export_engagements, name="export_engagements"),
    path("manage/partners/concerns/<int:concern_id>/", views.concern, name="concern"),
    path(
        "manage/partners/concerns/<int:concern_id>/report/",
        views.concern_to_report,
        name="concern_to_report",
    ),
    path(
        "manage/partners/concerns/<int:concern_id>/priority/",
        views.concern_to_priority,
        name="concern_to_priority",
    ),
    path("manage/partners/contacts/<int:contact_id>/end/", views.contact_end, name="contact_end"),
    path("manage/partners/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("manage/partners/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("manage/partners/<slug:slug>/contacts/", views.contacts, name="contacts"),
    path(
        "manage/partners/<slug:slug>/engagements/new/",
        views.engagement_create,
        name="engagement_create",
    ),
    path("manage/follow-ups/", views.follow_ups, name="follow_ups"),
    path("manage/follow-ups/export.csv", views.export_follow_ups, name="export_follow_ups"),
    path("manage/follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path(
        "manage/follow-ups/<int:follow_up_id>/owner/", views.follow_up_owner, name="follow_up_owner"
    ),
    path("partner/", views.portal, name="portal"),
    path("partner/referrals/<int:referral_id>/", views.portal_referral, name="portal_referral"),
]
