"""Maturity-matrix meeting pages, under networks/<network_id>/meetings/."""

from django.urls import path

from .views import meeting, meeting_actions, meeting_run

ONE = "<int:meeting_id>/"

urlpatterns = [
    path("", meeting.meeting_list, name="meeting_list"),
    path("new/", meeting.meeting_create, name="meeting_create"),
    path(ONE, meeting.meeting_detail, name="meeting_detail"),
    path(ONE + "edit/", meeting.meeting_edit, name="meeting_edit"),
    path(ONE + "grid/", meeting.meeting_print, name="meeting_print"),
    path(ONE + "start/", meeting.meeting_start, name="meeting_start"),
    path(ONE + "close/", meeting.meeting_close, name="meeting_close"),
    path(ONE + "run/", meeting_run.meeting_run, name="meeting_run"),
    path(ONE + "live/", meeting_run.meeting_live, name="meeting_live"),
    path(
        ONE + "tables/<int:table_id>/record/",
        meeting_run.meeting_record,
        name="meeting_record",
    ),
    path(ONE + "actions/", meeting_actions.meeting_actions, name="meeting_actions"),
    path(ONE + "actions/add/", meeting_actions.meeting_action_add, name="meeting_action_add"),
    path(
        ONE + "actions/<int:action_id>/status/",
        meeting_actions.meeting_action_status,
        name="meeting_action_status",
    ),
    path(ONE + "actions.csv", meeting_actions.meeting_actions_csv, name="meeting_actions_csv"),
]
