"""Coordinator pages for assessments, under networks/<network_id>/assessments/."""

from django.urls import path

from .views import assessments, invitations, legal_hold

ONE = "<int:assessment_id>/"
INVITATION = ONE + "invitations/<int:invitation_id>/"

urlpatterns = [
    path("", assessments.assessment_list, name="assessment_list"),
    path("new/", assessments.assessment_edit, name="assessment_create"),
    path(ONE, assessments.assessment_detail, name="assessment_detail"),
    path(ONE + "edit/", assessments.assessment_edit, name="assessment_edit"),
    path(ONE + "questions/", assessments.assessment_questions, name="assessment_questions"),
    path(
        ONE + "questions/<int:question_id>/remove/",
        assessments.custom_question_remove,
        name="custom_question_remove",
    ),
    path(ONE + "progress/", assessments.assessment_progress, name="assessment_progress"),
    path(ONE + "close/", assessments.assessment_close, name="assessment_close"),
    path(ONE + "extend/", assessments.assessment_extend, name="assessment_extend"),
    path(ONE + "legal-hold/", legal_hold.assessment_legal_hold, name="assessment_legal_hold"),
    path(ONE + "invite/", invitations.assessment_invite, name="assessment_invite"),
    path(ONE + "invitations/", invitations.invitation_list, name="invitation_list"),
    path(INVITATION + "resend/", invitations.invitation_resend, name="invitation_resend"),
    path(INVITATION + "revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path(INVITATION + "link/", invitations.invitation_copy_link, name="invitation_copy_link"),
]
