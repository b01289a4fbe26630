"""Addresses for people without an account: share links and members' summaries."""

from django.urls import path

from .views import share, summary

urlpatterns = [
    path("shared/<str:token>/", share.shared_open, name="shared_open"),
    path("summary/<str:token>/", summary.member_summary_open, name="member_summary_open"),
    path("members-summary/<int:summary_id>/", summary.member_summary, name="member_summary"),
    path("survey/summary/", summary.member_summary_for_round, name="member_summary_for_round"),
]
