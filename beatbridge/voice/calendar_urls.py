"""Calendar feeds, the personal feed page and the team's CSV exports."""

from django.urls import path

from beatbridge.voice.views import calendar, exports

urlpatterns = [
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/calendar.ics",
        calendar.neighbourhood_calendar,
        name="neighbourhood_calendar",
    ),
    path("forces/<slug:force>/calendar.ics", calendar.force_calendar, name="force_calendar"),
    path("calendar/<str:token>.ics", calendar.personal_calendar, name="personal_calendar"),
    path("calendar/", calendar.my_calendar, name="my_calendar"),
    path("meetings/<int:pk>.ics", calendar.meeting_ics, name="meeting_ics"),
    path("events/<int:pk>.ics", calendar.event_ics, name="event_ics"),
    path("manage/cycles/<int:pk>/votes.csv", exports.export_votes, name="export_votes"),
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/attendance.csv",
        exports.export_attendance,
        name="export_attendance",
    ),
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/action-items.csv",
        exports.export_action_items,
        name="export_action_items",
    ),
]
