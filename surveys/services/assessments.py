"""Assessments: creating a round, its own questions, closing, extending, reopening."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.json import KT
from django.utils import timezone

from ..models import Assessment, CustomQuestion, Instrument, Network, User
from ..signals import assessment_closed

DEFAULT_SUBJECT = "Your views on {network}: the network health survey"
DEFAULT_MESSAGE = (
    "Hello {name},\n\n"
    "{network} is asking its members how well the network is working, so that the "
    "steering group can decide what to keep and what to change.\n\n"
    "{minutes}Your answers are anonymous: results are only "
    "shown for groups of several people, never for one person."
)
DAYS_BEFORE_MEETING = 5


def proposed_closing(meeting_on: date) -> date:
    """Close a few days before the steering-group meeting, leaving time to read results."""
    return meeting_on - timedelta(days=DAYS_BEFORE_MEETING)


def assessment_defaults(network: Network) -> dict:
    today = timezone.localdate()
    return {
        "title": f"{network.name}: {today:%B %Y}",
        "opens_on": today,
        "closes_on": today + timedelta(days=21),
        "anonymity_threshold": 5,
        "invitation_subject": DEFAULT_SUBJECT.format(network=network.name),
        "invitation_message": DEFAULT_MESSAGE.replace("{network}", network.name).replace(
            "{minutes}", _takes_about()
        ),
        "reminder_days": [7, 2],
    }


def _takes_about() -> str:
    """How long the survey a new round gets takes, from the latest scorecard's own
    figure, so the invitation never promises a shorter survey than members will see."""
    minutes = (
        Instrument.objects.filter(kind=Instrument.SCORECARD)
        .order_by("-version")
        .values_list(KT("definition__minutes"), flat=True)
        .first()
    )
    return f"The survey takes about {minutes} minutes. " if minutes else ""


RAW_DELETED = (
    "The raw answers of this round were deleted under the network's retention period, so "
    "it can no longer change: its released results stand."
)


def assessment_save(
    *, network: Network, user: User | None, assessment: Assessment | None = None, **fields
) -> Assessment:
    if assessment is not None and assessment.raw_deleted_at is not None:
        raise ValidationError(RAW_DELETED)
    if not fields.get("health_scorecard") and not fields.get("matrix"):
        raise ValidationError("Choose at least one instrument: the scorecard, the matrix or both.")
    if assessment is not None and assessment.invitations.exists():
        for name in Assessment.INSTRUMENT_FIELDS.values():
            if fields.get(name) != getattr(assessment, name):
                raise ValidationError(
                    "Invitations have been sent, so the instruments can no longer change."
                )
        if "asks_roster" in fields and fields["asks_roster"] != assessment.asks_roster:
            raise ValidationError(
                "Invitations have been sent, so the question of who works with whom can no "
                "longer be added or taken away."
            )
    assessment = assessment or Assessment(network=network, created_by=user)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.full_clean(exclude=["network", "created_by"])
    assessment.save()
    return assessment


def assessment_close(*, assessment: Assessment) -> None:
    with transaction.atomic():
        assessment.closed_at = timezone.now()
        assessment.save(update_fields=["closed_at"])
        assessment_id = assessment.pk
        transaction.on_commit(
            lambda: assessment_closed.send(sender=Assessment, assessment_id=assessment_id)
        )


def assessment_extend(*, assessment: Assessment, closes_on: date) -> None:
    """A new closing date; reopens a round that was closed."""
    if assessment.raw_deleted_at is not None:
        raise ValidationError(RAW_DELETED)
    if closes_on < timezone.localdate():
        raise ValidationError("The new closing date must be today or later.")
    if closes_on < assessment.opens_on:
        raise ValidationError("The new closing date must be after the opening date.")
    assessment.closes_on = closes_on
    assessment.closed_at = None
    assessment.save(update_fields=["closes_on", "closed_at"])


def custom_question_add(*, assessment: Assessment, kind: str, text: str) -> CustomQuestion:
    with transaction.atomic():
        existing = list(assessment.custom_questions.select_for_update())
        if assessment.invitations.exists() or assessment.raw_deleted_at is not None:
            raise ValidationError(
                "Invitations have been sent, so the questions can no longer change."
            )
        if len(existing) >= CustomQuestion.MAX_PER_ASSESSMENT:
            limit = CustomQuestion.MAX_PER_ASSESSMENT
            raise ValidationError(f"A round can have at most {limit} questions of its own.")
        number = max((int(q.code[1:]) for q in existing), default=0) + 1
        return CustomQuestion.objects.create(
            assessment=assessment,
            code=f"X{number}",
            kind=kind,
            text=text.strip(),
            position=len(existing),
        )


def custom_question_remove(*, question: CustomQuestion) -> None:
    if question.assessment.invitations.exists() or question.assessment.raw_deleted_at:
        raise ValidationError("Invitations have been sent, so the questions can no longer change.")
    question.delete()
