"""Addresses for people without an account: share links and live meeting ratings."""

from django.urls import path

from .views import live, share

urlpatterns = [
    path("shared/<str:token>/", share.shared_open, name="shared_open"),
    # Participants' phones in a maturity-matrix meeting (scorecards/views/live.py).
    path("m/<str:code>/", live.meeting_join, name="meeting_join"),
    path("m/<str:code>/state/", live.meeting_join_state, name="meeting_join_state"),
]
