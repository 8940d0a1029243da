from django.urls import path

from . import views

app_name = "modmail"

urlpatterns = [
    # The member's side.
    path("messages/", views.inbox, name="inbox"),
    path("messages/new/", views.new, name="new"),
    path("messages/<int:pk>/", views.conversation, name="conversation"),
    # The team's side, beside the moderation pages.
    path("moderation/messages/", views.team, name="team"),
    path("moderation/messages/reach-out/", views.reach_out, name="reach_out"),
    path("moderation/messages/<int:pk>/", views.team_conversation, name="team_conversation"),
]
