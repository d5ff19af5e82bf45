"""Event and registration pages: the public, registrants, and the neighbourhood team."""

from django.urls import path

from beatbridge.voice.views import events, registrations

urlpatterns = [
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/events/",
        events.neighbourhood_events,
        name="events",
    ),
    path(
        "forces/<slug:force>/<neighbourhood_code:code>/events/past/",
        events.neighbourhood_past_events,
        name="past_events",
    ),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/photos/<int:photo_id>/", events.event_photo, name="event_photo"),
    path("events/<int:pk>/register/", registrations.register_for_event, name="event_register"),
    path("registrations/", registrations.my_registrations, name="my_registrations"),
    path("registrations/<str:token>/", registrations.registration, name="registration"),
    # The neighbourhood team.
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/events/",
        events.manage_events,
        name="manage_events",
    ),
    path(
        "manage/forces/<slug:force>/<neighbourhood_code:code>/events/new/",
        events.create,
        name="event_create",
    ),
    path("manage/events/<int:pk>/edit/", events.edit, name="event_edit"),
    path("manage/events/<int:pk>/move/", events.move, name="event_move"),
    path("manage/events/<int:pk>/cancel/", events.cancel, name="event_cancel"),
    path("manage/events/<int:pk>/photos/", events.photos, name="event_photos"),
    path(
        "manage/events/<int:pk>/registrations/",
        registrations.event_registrations,
        name="event_registrations",
    ),
    path(
        "manage/meeting-registrations/<int:pk>/",
        registrations.meeting_registrations,
        name="meeting_registrations",
    ),
]
