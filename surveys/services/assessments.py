"""Assessments: creating a round, its own questions, closing, extending, reopening."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .. import languages
from ..models import Assessment, CustomQuestion, Instrument, Network, User
from ..signals import assessment_closed

# Translated when used, into the language of the members they are for.
DEFAULT_SUBJECT = gettext_noop("Your views on {network}: the network health survey")
DEFAULT_MESSAGE = gettext_noop(
    "Hello {name},\n\n"
    "{network} is asking its members how well the network is working, so that the "
    "steering group can decide what to keep and what to change.\n\n"
    "{minutes}Your answers are anonymous: results are only "
    "shown for groups of several people, never for one person."
)
# Languages with an invitation of their own on a round (besides English), and its fields.
INVITATION_FIELDS = {"cy": ("invitation_subject_cy", "invitation_message_cy")}
DAYS_BEFORE_MEETING = 5


def proposed_closing(meeting_on: date) -> date:
    """Close a few days before the steering-group meeting, leaving time to read results."""
    return meeting_on - timedelta(days=DAYS_BEFORE_MEETING)


def assessment_defaults(network: Network) -> dict:
    today = timezone.localdate()
    minutes = _latest_minutes()
    defaults = {
        # In the coordinator's language: "Tachwedd 2026" for a Welsh reader.
        "title": f"{network.name}: {date_format(today, 'F Y')}",
        "opens_on": today,
        "closes_on": today + timedelta(days=21),
        "anonymity_threshold": 5,
        "reminder_days": [7, 2],
    }
    subject, message = default_invitation(network, "en", minutes)
    defaults.update(invitation_subject=subject, invitation_message=message)
    for language, (subject_field, message_field) in INVITATION_FIELDS.items():
        subject, message = default_invitation(network, language, minutes)
        defaults.update({subject_field: subject, message_field: message})
    return defaults


def default_invitation(network: Network, language: str, minutes=None) -> tuple[str, str]:
    """The standard invitation's subject and message in a language ({name} left for
    each member's first name)."""
    with languages.override(language):
        subject = _(DEFAULT_SUBJECT).replace("{network}", network.name)
        message = (
            _(DEFAULT_MESSAGE)
            .replace("{network}", network.name)
            .replace("{minutes}", _takes_about(minutes))
        )
    return subject, message


def invitation_texts(assessment: Assessment, language: str) -> tuple[str, str]:
    """The invitation's subject and message for a member: the round's own in their
    language; for a language the coordinator left empty, the standard one in it."""
    fields = INVITATION_FIELDS.get(language)
    if fields is None:
        return assessment.invitation_subject, assessment.invitation_message
    subject, message = (getattr(assessment, name) for name in fields)
    if subject.strip() and message.strip():
        return subject, message
    standard = default_invitation(assessment.network, language)
    return subject.strip() or standard[0], message.strip() or standard[1]


def _latest_minutes():
    """How long the survey a new round gets takes, from the latest scorecard's own
    figure, so the invitation never promises a shorter survey than members will see."""
    return (
        Instrument.objects.filter(kind=Instrument.SCORECARD)
        .order_by("-version")
        .values_list(KT("definition__minutes"), flat=True)
        .first()
    )


def _takes_about(minutes) -> str:
    if not minutes:
        return ""
    return _("The survey takes about %(minutes)s minutes. ") % {"minutes": minutes}


RAW_DELETED = gettext_noop(
    "The raw answers of this round were deleted under the network's retention period, so "
    "it can no longer change: its released results stand."
)


def assessment_save(
    *, network: Network, user: User | None, assessment: Assessment | None = None, **fields
) -> Assessment:
    if assessment is not None and assessment.raw_deleted_at is not None:
        raise ValidationError(_(RAW_DELETED))
    if not fields.get("health_scorecard") and not fields.get("matrix"):
        raise ValidationError(
            _("Choose at least one instrument: the scorecard, the matrix or both.")
        )
    if assessment is not None and assessment.invitations.exists():
        for name in Assessment.INSTRUMENT_FIELDS.values():
            if fields.get(name) != getattr(assessment, name):
                raise ValidationError(
                    _("Invitations have been sent, so the instruments can no longer change.")
                )
        if "asks_roster" in fields and fields["asks_roster"] != assessment.asks_roster:
            raise ValidationError(
                _(
                    "Invitations have been sent, so the question of who works with whom can no "
                    "longer be added or taken away."
                )
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
        raise ValidationError(_(RAW_DELETED))
    if closes_on < timezone.localdate():
        raise ValidationError(_("The new closing date must be today or later."))
    if closes_on < assessment.opens_on:
        raise ValidationError(_("The new closing date must be after the opening date."))
    assessment.closes_on = closes_on
    assessment.closed_at = None
    assessment.save(update_fields=["closes_on", "closed_at"])


def custom_question_add(*, assessment: Assessment, kind: str, text: str) -> CustomQuestion:
    with transaction.atomic():
        existing = list(assessment.custom_questions.select_for_update())
        if assessment.invitations.exists() or assessment.raw_deleted_at is not None:
            raise ValidationError(
                _("Invitations have been sent, so the questions can no longer change.")
            )
        if len(existing) >= CustomQuestion.MAX_PER_ASSESSMENT:
            limit = CustomQuestion.MAX_PER_ASSESSMENT
            raise ValidationError(
                _("A round can have at most %(limit)s questions of its own.") % {"limit": limit}
            )
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
        raise ValidationError(
            _("Invitations have been sent, so the questions can no longer change.")
        )
    question.delete()
