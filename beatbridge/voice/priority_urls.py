"""Priority pages: residents' under the neighbourhood, the team's under manage/."""

from django.urls import path

from beatbridge.voice.views import priorities

NEIGHBOURHOOD = "forces/<slug:force>/<neighbourhood_code:code>/"

urlpatterns = [
    # Residents and the public.
    path(f"{NEIGHBOURHOOD}priorities/", priorities.neighbourhood_priorities, name="priorities"),
    path(
        f"{NEIGHBOURHOOD}priorities/cycles/<int:cycle_id>/",
        priorities.cycle_priorities,
        name="priority_cycle",
    ),
    path(f"{NEIGHBOURHOOD}you-said-we-did/", priorities.you_said_we_did, name="you_said_we_did"),
    path(f"{NEIGHBOURHOOD}residency/", priorities.residency, name="residency"),
    path("priorities/<int:priority_id>/", priorities.priority_detail, name="priority"),
    path("priorities/<int:priority_id>/vote/", priorities.vote, name="priority_vote"),
    path(
        "priorities/<int:priority_id>/withdraw-vote/",
        priorities.withdraw_vote,
        name="priority_withdraw_vote",
    ),
    # The neighbourhood team.
    path(f"manage/{NEIGHBOURHOOD}priorities/", priorities.manage_cycles, name="manage_cycles"),
    path("manage/priority-cycles/<int:cycle_id>/", priorities.manage_cycle, name="manage_cycle"),
    path(
        "manage/priority-cycles/<int:cycle_id>/<slug:action>/",
        priorities.cycle_action,
        name="manage_cycle_action",
    ),
    path(
        "manage/priorities/<int:priority_id>/",
        priorities.manage_priority,
        name="manage_priority",
    ),
    path(
        "manage/priorities/<int:priority_id>/<slug:action>/",
        priorities.priority_action,
        name="manage_priority_action",
    ),
]
