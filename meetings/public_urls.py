"""Participants' phones in a maturity-matrix meeting: no account, only the code on the
projector (meetings/views/live.py)."""

from django.urls import path

from .views import live

urlpatterns = [
    path("m/", live.meeting_code_entry, name="meeting_code_entry"),
    path("m/<str:code>/", live.meeting_join, name="meeting_join"),
    path("m/<str:code>/state/", live.meeting_join_state, name="meeting_join_state"),
]
