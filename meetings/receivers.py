"""What meetings does when surveys reports news (surveys imports nothing of meetings)."""

from django.dispatch import receiver

from surveys.services.erasure import mentions_scrub
from surveys.signals import assessment_opening, member_data_requested, member_erasing

from .follow_up import follow_up_questions_take
from .models import Action, AgreedLevel, MatrixSession, MeetingTable


@receiver(assessment_opening)
def ask_about_agreed_actions(sender, *, assessment, **kwargs) -> None:
    """A round opening asks its members whether the actions agreed since made a
    difference: the questions are stored on the round, in the same transaction."""
    follow_up_questions_take(assessment=assessment)


@receiver(member_erasing)
def forget_an_erased_member(sender, *, member_id: int, network_id: int, mentions, **kwargs):
    """Actions they owned lose the owner (and with it the name); their name or address
    typed anywhere in the network's meetings is taken out."""
    actions = Action.objects.filter(session__assessment__network_id=network_id)
    actions.filter(owner_member_id=member_id).update(owner_member=None, who="")
    mentions_scrub(actions, mentions, text=["what", "who"])
    sessions = MatrixSession.objects.filter(assessment__network_id=network_id)
    mentions_scrub(sessions, mentions, text=["title", "facilitator_notes"])
    mentions_scrub(MeetingTable.objects.filter(session__in=sessions), mentions, text=["name"])
    mentions_scrub(
        AgreedLevel.objects.filter(session__in=sessions),
        mentions,
        text=["notes", "override_reason"],
    )


@receiver(member_data_requested)
def actions_a_member_owns(sender, *, member, **kwargs) -> dict:
    """For a subject access export: the actions the member owns."""
    owned = Action.objects.filter(owner_member=member).select_related("session")
    return {
        "actions_owned": [
            {
                "what": action.what,
                "meeting": action.session.title,
                "due_on": action.due_on.isoformat(),
                "status": action.get_status_display(),
            }
            for action in owned.order_by("due_on", "pk")
        ]
    }
