"""Meeting pages: everyone's (a neighbourhood's meetings, one meeting) and the team's."""

from django.urls import path

from beatbridge.voice.views import meetings

urlpatterns = [
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/meetings/",
        meetings.neighbourhood_meetings,
        name="meetings",
    ),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/questions/", meetings.ask_question, name="meeting_ask"),
    path(
        "meetings/<int:pk>/questions/<int:question_id>/support/",
        meetings.support_question,
        {"support": True},
        name="question_upvote",
    ),
    path(
        "meetings/<int:pk>/questions/<int:question_id>/withdraw-support/",
        meetings.support_question,
        {"support": False},
        name="question_withdraw_upvote",
    ),
    path("meetings/<int:pk>/register/", meetings.register_for_meeting, name="meeting_register"),
    # The neighbourhood team.
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/meetings/",
        meetings.manage_meetings,
        name="manage_meetings",
    ),
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/meetings/new/",
        meetings.create_meeting,
        name="create_meeting",
    ),
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/meetings/new-series/",
        meetings.create_series,
        name="create_series",
    ),
    path("manage/meetings/<int:pk>/", meetings.manage_meeting, name="manage_meeting"),
    path("manage/meetings/<int:pk>/edit/", meetings.edit_meeting, name="edit_meeting"),
    path("manage/meetings/<int:pk>/<slug:action>/", meetings.meeting_action, name="meeting_action"),
]
