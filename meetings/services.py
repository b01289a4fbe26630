"""Writes for the maturity-matrix meeting. Small functions with keyword-only
arguments; views call them as `services.noun_verb(...)`. A refusal is a
ValidationError with a message the coordinator or participant can act on."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from surveys.models import Assessment, Event, User
from surveys.services import event_record

from . import room, selectors
from .models import Action, AgreedLevel, LiveRating, MatrixSession, MeetingTable
from .signals import agreed_levels_changed

# Read aloud and typed on a phone: no 0/O, 1/I/L, 5/S or 8/B to mix up.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
CODE_LENGTH = 6
MAX_TABLES = 12
# A meeting is a room of people: more live ratings than this for one dimension is
# someone scripting the public page, not a table of 4 to 8.
MAX_PARTICIPANTS = 150

CLOSED = gettext_lazy("This meeting is closed, so its agreed levels can no longer change.")
NO_MATRIX = gettext_lazy(
    "This assessment has no maturity matrix: add the matrix to the assessment first."
)


def meeting_code_normalise(code: str) -> str:
    """What a participant typed, as stored: capitals, no spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# ---- planning ----------------------------------------------------------------------


@transaction.atomic
def matrix_session_create(
    *,
    assessment: Assessment,
    title: str,
    held_on,
    tables: list[str],
    facilitator_notes: str = "",
    user: User | None = None,
) -> MatrixSession:
    if assessment.matrix_id is None:
        raise ValidationError({"assessment": NO_MATRIX})
    for _ in range(10):  # a clash is one in hundreds of millions; try again if so
        code = _new_code()
        if not MatrixSession.objects.filter(code=code).exists():
            break
    session = MatrixSession.objects.create(
        assessment=assessment,
        title=title,
        held_on=held_on,
        facilitator_notes=facilitator_notes,
        code=code,
        created_by=user,
    )
    meeting_tables_set(session=session, names=tables)
    return session


@transaction.atomic
def matrix_session_update(
    *, session: MatrixSession, title: str, held_on, tables: list[str], facilitator_notes: str = ""
) -> MatrixSession:
    session.title = title
    session.held_on = held_on
    session.facilitator_notes = facilitator_notes
    session.save(update_fields=["title", "held_on", "facilitator_notes"])
    meeting_tables_set(session=session, names=tables)
    return session


def meeting_tables_set(*, session: MatrixSession, names: list[str]) -> list[MeetingTable]:
    """The meeting's tables, in the order given. A table that has ratings or agreed
    levels is never removed silently: the coordinator is told to keep it."""
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise ValidationError({"tables": gettext("Give at least one table, such as “Table A”.")})
    if len(names) > MAX_TABLES:
        raise ValidationError(
            {"tables": gettext("A meeting can have at most %(n)s tables.") % {"n": MAX_TABLES}}
        )
    existing = {t.name: t for t in session.tables.all()}
    gone = [t for name, t in existing.items() if name not in names]
    used = [t.name for t in gone if t.live_ratings.exists() or t.agreed_levels.exists()]
    if used:
        raise ValidationError(
            {
                "tables": gettext(
                    "%(names)s already has ratings or agreed levels, so it cannot be "
                    "removed or renamed. Keep its name in the list."
                )
                % {"names": ", ".join(used)}
            }
        )
    for table in gone:
        table.delete()
    kept = []
    for position, name in enumerate(names):
        table = existing.get(name) or MeetingTable(session=session, name=name)
        table.position = position
        table.save()
        kept.append(table)
    return kept


# ---- running -----------------------------------------------------------------------


def matrix_session_start(*, session: MatrixSession) -> MatrixSession:
    """Opens the meeting to live ratings, on the first dimension unless the
    facilitator already chose one."""
    if session.is_closed:
        raise ValidationError(gettext("This meeting is closed."))
    if session.is_running:
        return session
    dimensions = selectors.dimensions_of(session.assessment)
    if not dimensions:
        raise ValidationError(NO_MATRIX)
    session.status = MatrixSession.RUNNING
    session.started_at = session.started_at or timezone.now()
    session.current_dimension = session.current_dimension or dimensions[0]["code"]
    session.save(update_fields=["status", "started_at", "current_dimension"])
    return session


def matrix_session_show(*, session: MatrixSession, dimension: str) -> MatrixSession:
    """The dimension the facilitator shows becomes the one phones rate."""
    if session.is_running and session.current_dimension != dimension:
        session.current_dimension = dimension
        session.save(update_fields=["current_dimension"])
    return session


def matrix_session_close(*, session: MatrixSession) -> MatrixSession:
    """Ends the meeting: no more live ratings or agreed levels. The point of the
    meeting is to leave with actions, so it cannot close without one."""
    if session.is_closed:
        return session
    if not session.actions.exists():
        raise ValidationError(
            gettext(
                "Add at least one take-home action before closing the meeting: what will "
                "happen next, who will do it and by when."
            )
        )
    session.status = MatrixSession.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    assessment_id = session.assessment_id
    transaction.on_commit(
        lambda: agreed_levels_changed.send(sender=MatrixSession, assessment_id=assessment_id)
    )
    return session


# ---- what a table agrees -----------------------------------------------------------


def _check_levels(*, level: int, target, range_low, range_high) -> None:
    errors = {}
    if target is not None and target < level:
        errors["target"] = gettext(
            "The target (level %(target)s) is below the agreed level now (%(level)s): "
            "choose the same level or a higher one."
        ) % {"target": target, "level": level}
    if (range_low is None) != (range_high is None):
        errors["range_high" if range_high is None else "range_low"] = gettext(
            "Give both ends of the range of views, or neither."
        )
    elif range_low is not None and range_low > range_high:
        errors["range_low"] = gettext("The lowest view cannot be above the highest.")
    if errors:
        raise ValidationError(errors)


def _refuse_override_without_reason(proposal, level: int, reason: str) -> None:
    if proposal is not None and level != proposal.level and not reason:
        raise ValidationError(
            {
                "override_reason": gettext(
                    "The proposed level is %(proposed)s, %(why)s. To record level %(level)s "
                    "instead, say why the group agreed it; or record level %(proposed)s."
                )
                % {"proposed": proposal.level, "why": proposal.description, "level": level}
            }
        )


@transaction.atomic
def agreed_level_record(
    *,
    session: MatrixSession,
    table: MeetingTable,
    dimension: str,
    level: int,
    target: int | None = None,
    priority: bool = False,
    range_low: int | None = None,
    range_high: int | None = None,
    notes: str = "",
    override_reason: str = "",
    user: User | None = None,
) -> AgreedLevel:
    """Records a table's agreed level for one dimension and brings the meeting's
    merged level up to date. The proposal is worked out here, from the views on
    record now, so the lowest-level rule holds whatever the browser sent."""
    # Lock the meeting so two tables saving at once merge in turn.
    session = (
        MatrixSession.objects.select_for_update(of=("self",))
        .select_related("assessment__matrix")
        .get(pk=session.pk)
    )
    if session.is_closed:
        raise ValidationError(CLOSED)
    if dimension not in {d["code"] for d in selectors.dimensions_of(session.assessment)}:
        raise ValidationError(gettext("That dimension is not in this meeting’s matrix."))
    proposal = room.table_proposal(session, table, dimension)
    reason = override_reason.strip()
    _refuse_override_without_reason(proposal, level, reason)
    if range_low is None and range_high is None and proposal is not None:
        range_low, range_high = proposal.low, proposal.high
    _check_levels(level=level, target=target, range_low=range_low, range_high=range_high)
    agreed, _ = AgreedLevel.objects.update_or_create(
        session=session,
        table=table,
        dimension=dimension,
        defaults={
            "level": level,
            "proposed_level": proposal.level if proposal else None,
            "override_reason": reason if proposal and level != proposal.level else "",
            "range_low": range_low,
            "range_high": range_high,
            "notes": notes.strip(),
            "target": target,
            "priority": priority,
            "recorded_by": user,
        },
    )
    merged_level_refresh(session=session, dimension=dimension, user=user)
    return agreed


def merged_level_refresh(
    *, session: MatrixSession, dimension: str, user: User | None = None
) -> AgreedLevel | None:
    """The whole meeting's row for one dimension, rebuilt from its tables' rows."""
    rows = list(
        AgreedLevel.objects.filter(
            session=session, dimension=dimension, table__isnull=False
        ).select_related("table")
    )
    merged = room.merge(rows)
    if merged is None:
        AgreedLevel.objects.filter(session=session, dimension=dimension, table=None).delete()
        return None
    row, _ = AgreedLevel.objects.update_or_create(
        session=session,
        table=None,
        dimension=dimension,
        defaults={**merged, "recorded_by": user},
    )
    return row


# ---- participants' phones ----------------------------------------------------------


def live_rating_save(
    *,
    session: MatrixSession,
    table: MeetingTable,
    dimension: str,
    participant_key: str,
    level: int,
) -> LiveRating:
    """A participant's view of the dimension on screen: one per participant per
    dimension, changeable while the facilitator stays on it."""
    if not session.is_running:
        raise ValidationError(
            gettext("The meeting has not started yet: ratings open when the facilitator starts it.")
            if not session.is_closed
            else gettext("This meeting has ended, so ratings are no longer taken.")
        )
    if dimension != session.current_dimension:
        raise ValidationError(
            gettext(
                "The facilitator has moved on to another dimension: your rating was not "
                "counted. Rate the dimension now on screen."
            )
        )
    if table.session_id != session.pk:
        raise ValidationError(gettext("Choose one of this meeting’s tables."))
    if level not in room.LEVELS:
        raise ValidationError(gettext("Choose a level from 1 to 5."))
    ratings = LiveRating.objects.filter(session=session, dimension=dimension)
    mine = ratings.filter(participant_key=participant_key)
    if not mine.exists() and ratings.count() >= MAX_PARTICIPANTS:
        raise ValidationError(
            gettext("This meeting already has as many live ratings as it can take.")
        )
    try:
        with transaction.atomic():
            rating, _ = LiveRating.objects.update_or_create(
                session=session,
                dimension=dimension,
                participant_key=participant_key,
                defaults={"table": table, "level": level},
            )
    except IntegrityError:  # the same phone sent twice at once: the first one stands
        rating = mine.get()
    return rating


# ---- actions -----------------------------------------------------------------------


def action_add(
    *,
    session: MatrixSession,
    what: str,
    who: str,
    due_on,
    dimension: str = "",
    client_ref: str = "",
    user: User | None = None,
) -> Action:
    """A take-home action. Sent again with the same `client_ref` (a re-send after
    a dropped connection), it is stored once."""
    if client_ref:
        existing = session.actions.filter(client_ref=client_ref).first()
        if existing is not None:
            return existing
    codes = {d["code"] for d in selectors.dimensions_of(session.assessment)}
    if dimension and dimension not in codes:
        raise ValidationError(
            {"dimension": gettext("That dimension is not in this meeting’s matrix.")}
        )
    try:
        with transaction.atomic():
            action = Action.objects.create(
                session=session,
                what=what.strip(),
                who=who.strip(),
                due_on=due_on,
                dimension=dimension,
                client_ref=client_ref,
                created_by=user,
            )
            action_event(Event.ACTION_ADDED, action=action, user=user)
            return action
    except IntegrityError:  # the re-send raced the original
        return session.actions.get(client_ref=client_ref)


def action_event(kind: str, *, action: Action, user: User | None, change: str = "") -> None:
    """An action added or changed, in the network's audit trail: which action, in which
    meeting, and what changed (by name: the owner's name is never copied in)."""
    detail = f"Action {action.pk} ({action.what[:80]}) at {action.session.title[:60]}"
    event_record(
        kind,
        assessment=action.session.assessment,
        actor=user,
        detail=f"{detail}: {change}" if change else detail,
    )


def action_set_status(*, action: Action, status: str, user: User | None = None) -> Action:
    if status not in {value for value, _ in Action.STATUS_CHOICES}:
        raise ValidationError(gettext("Choose open, done or dropped."))
    if action.status != status:
        action.status = status
        with transaction.atomic():
            action.save(update_fields=["status", "updated_at"])
            action_event(Event.ACTION_EDITED, action=action, user=user, change=f"now {status}")
    return action
