"""Maturity-matrix meeting pages, under networks/<network_id>/meetings/."""

from django.urls import path

from .views import actions, meeting, run

ONE = "<int:meeting_id>/"

urlpatterns = [
    path("", meeting.meeting_list, name="meeting_list"),
    path("new/", meeting.meeting_create, name="meeting_create"),
    path("actions/", actions.network_actions, name="network_actions"),
    path("actions/<int:action_id>/edit/", actions.action_edit, name="action_edit"),
    path(ONE, meeting.meeting_detail, name="meeting_detail"),
    path(ONE + "edit/", meeting.meeting_edit, name="meeting_edit"),
    path(ONE + "grid/", meeting.meeting_print, name="meeting_print"),
    path(ONE + "start/", meeting.meeting_start, name="meeting_start"),
    path(ONE + "close/", meeting.meeting_close, name="meeting_close"),
    path(ONE + "run/", run.meeting_run, name="meeting_run"),
    path(ONE + "live/", run.meeting_live, name="meeting_live"),
    path(
        ONE + "tables/<int:table_id>/record/",
        run.meeting_record,
        name="meeting_record",
    ),
    path(ONE + "actions/", actions.meeting_actions, name="meeting_actions"),
    path(ONE + "actions/add/", actions.meeting_action_add, name="meeting_action_add"),
    path(
        ONE + "actions/<int:action_id>/status/",
        actions.meeting_action_status,
        name="meeting_action_status",
    ),
    path(ONE + "actions.csv", actions.meeting_actions_csv, name="meeting_actions_csv"),
]
