"""What meetings does when surveys reports news (surveys imports nothing of meetings)."""

from django.dispatch import receiver

from surveys.signals import assessment_opening

from .follow_up import follow_up_questions_take


@receiver(assessment_opening)
def ask_about_agreed_actions(sender, *, assessment, **kwargs) -> None:
    """A round opening asks its members whether the actions agreed since made a
    difference: the questions are stored on the round, in the same transaction."""
    follow_up_questions_take(assessment=assessment)
