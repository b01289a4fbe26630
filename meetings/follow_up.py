"""After the meeting: who owns each action (someone on the network's team, a member, or
a name typed in), editing an action from the network's action list, and the one
reminder an owner with an address gets before the due date."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from surveys import languages
from surveys.emails import absolute_url, email_build
from surveys.models import Assessment, Event, Member, Network, NetworkRole, User
from surveys.services import erasure_url, unsubscribe_url

from .models import Action, role_name
from .services import action_event

log = logging.getLogger(__name__)

TEAM = "team"
MEMBER = "member"
# A team member's part, as the owner list names it beside them.
PARTS = {
    NetworkRole.COORDINATOR: gettext_lazy("Coordinator"),
    NetworkRole.LEADER: gettext_lazy("Leader"),
}


# ---- owners -------------------------------------------------------------------------


def owner_choices(network: Network) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for an owner: the network's team, then its current members.
    Values are `team-<role id>` or `member-<member id>`."""
    roles = NetworkRole.objects.filter(network=network).select_related("user")
    members = Member.objects.filter(network=network).current().only("pk", "name")
    team = [(f"{TEAM}-{r.pk}", f"{role_name(r)} ({PARTS.get(r.role, r.role)})") for r in roles]
    return [
        (gettext("The network’s team"), sorted(team, key=lambda c: c[1].casefold())),
        (gettext("Members"), [(f"{MEMBER}-{m.pk}", m.name) for m in members]),
    ]


def owner_value(action: Action) -> str:
    """The owner as the edit form offers them; "" for a member removed since, who is
    no longer on the list, so the coordinator chooses again."""
    if action.owner_role_id:
        return f"{TEAM}-{action.owner_role_id}"
    if action.owner_member_id and action.owner_member.removed_at is None:
        return f"{MEMBER}-{action.owner_member_id}"
    return ""


def owner_find(*, network: Network, value: str) -> NetworkRole | Member | None:
    """The owner a choice stands for, of this network only; "" is no owner."""
    if not value:
        return None
    kind, _, pk = value.partition("-")
    model = {TEAM: NetworkRole, MEMBER: Member}.get(kind)
    owner = model.objects.filter(network=network, pk=pk).first() if model and pk.isdigit() else None
    if owner is None or (isinstance(owner, Member) and owner.removed_at is not None):
        raise ValidationError(
            {"owner": gettext("Choose someone on this network’s team or member list.")}
        )
    return owner


@dataclass(frozen=True)
class Owner:
    name: str
    email: str  # "" when nobody should be emailed
    language: str = languages.DEFAULT  # the language their reminder is written in


def owner_of(action: Action) -> Owner:
    """Who owns the action and the address a reminder may go to: a team member's
    sign-in address (or the invited address), a member's unless they unsubscribed or
    were removed, nobody's for a typed-in name."""
    if action.owner_role is not None:
        role = action.owner_role
        if role.user is None:  # invited, not signed up: no language chosen yet
            return Owner(role_name(role), role.email)
        return Owner(role_name(role), role.user.email, role.user.language)
    member = action.owner_member
    if member is not None:
        emailable = member.unsubscribed_at is None and member.removed_at is None
        return Owner(member.name, member.email if emailable else "", member.language)
    return Owner(action.who, "")


# ---- editing ------------------------------------------------------------------------


def action_update(
    *,
    action: Action,
    what: str,
    owner: str,
    who: str,
    due_on: date,
    status: str,
    user: User | None = None,
) -> Action:
    """Change an action after the meeting. `owner` is a choice from `owner_choices`
    (or ""); without one, `who` is the name typed in."""
    network = action.session.assessment.network
    chosen = owner_find(network=network, value=owner)
    who = who.strip()
    if chosen is None and not who:
        raise ValidationError({"who": gettext("Choose who will do it, or type a name.")})
    if status not in {value for value, _ in Action.STATUS_CHOICES}:
        raise ValidationError({"status": gettext("Choose open, done or dropped.")})
    before = (action.what, action.owner_role_id, action.owner_member_id, action.who)
    before += (action.due_on, action.status)
    action.what = what.strip()
    action.owner_role = chosen if isinstance(chosen, NetworkRole) else None
    action.owner_member = chosen if isinstance(chosen, Member) else None
    action.who = "" if chosen is not None else who
    action.due_on = due_on
    action.status = status
    after = (action.what, action.owner_role_id, action.owner_member_id, action.who)
    after += (action.due_on, action.status)
    names = ("what", "owner", "owner", "owner", "due date", "status")
    changed = list(dict.fromkeys(n for n, b, a in zip(names, before, after, strict=True) if b != a))
    with transaction.atomic():
        action.save()
        if changed:
            change = "changed " + ", ".join(changed)
            action_event(Event.ACTION_EDITED, action=action, user=user, change=change)
    return action


# ---- reminders ----------------------------------------------------------------------


def reminder_days() -> int:
    return settings.ACTION_REMINDER_DAYS


def actions_to_remind(today: date) -> list[Action]:
    """Open actions due within the reminder window (not yet past) whose current due
    date has not been reminded, with an owner who may have an address."""
    horizon = today + timedelta(days=reminder_days())
    return list(
        Action.objects.filter(status=Action.OPEN, due_on__gte=today, due_on__lte=horizon)
        .exclude(owner_role__isnull=True, owner_member__isnull=True)
        .exclude(reminded_for=F("due_on"))
        .select_related("owner_role__user", "owner_member", "session__assessment__network")
        .order_by("pk")
    )


def action_reminder_claim(*, action: Action) -> bool:
    """Mark this due date reminded, if nobody has: a second run (or a second worker)
    finds the row claimed and sends nothing."""
    claimed = (
        Action.objects.filter(pk=action.pk, due_on=action.due_on, status=Action.OPEN)
        .exclude(reminded_for=F("due_on"))
        .update(reminded_for=F("due_on"))
    )
    return claimed == 1


def action_reminder_send(*, action: Action, connection=None) -> bool:
    """One reminder for the action's current due date, through the project's email
    path. Claimed before sending: at most once, never twice (like members' reminders)."""
    owner = owner_of(action)
    if not owner.email or not action_reminder_claim(action=action):
        return False
    network = action.session.assessment.network
    context = {"action": action, "owner": owner, "network": network}
    if action.owner_role is not None:  # the team can sign in and update it
        context["url"] = absolute_url(reverse("network_actions", args=[network.pk]))
    else:
        context["unsubscribe_url"] = unsubscribe_url(action.owner_member)
        context["erase_url"] = erasure_url(action.owner_member)
    email = email_build(
        template="action_reminder", to=owner.email, context=context, language=owner.language
    )
    email.connection = connection
    try:
        email.send()
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Reminder for action %s not sent: %s", action.pk, error)
        return False
    return True


# ---- the next round asks whether each action made a difference --------------------

MAX_FOLLOW_UP_QUESTIONS = 10


# Follow-up questions are stored as answers beside the instrument's statements, so their
# codes live apart from every statement code (F11 is a statement of the v2 scorecard).
QUESTION_PREFIX = "ACT"


def question_code(action: Action) -> str:
    """The code of the follow-up question about an action, as answers are stored."""
    return f"{QUESTION_PREFIX}{action.pk}"


def follow_up_questions_for(assessment: Assessment) -> list[dict]:
    """The actions this network agreed (at meetings about earlier rounds) before the
    round opened, not dropped and not asked about by an earlier round: each is asked
    about once, in the next round."""
    earlier = Assessment.objects.filter(network_id=assessment.network_id).exclude(pk=assessment.pk)
    asked = {
        q["code"]
        for questions in earlier.values_list("follow_up_questions", flat=True)
        for q in questions
    }
    actions = (
        Action.objects.filter(session__assessment__in=earlier)
        .exclude(status=Action.DROPPED)
        .order_by("created_at", "pk")
    )
    questions = [{"code": question_code(a), "text": a.what} for a in actions]
    return [q for q in questions if q["code"] not in asked][:MAX_FOLLOW_UP_QUESTIONS]


def follow_up_questions_take(*, assessment: Assessment) -> list[dict]:
    """Store the round's follow-up questions as they are now: later edits to an action
    do not change what members are asked."""
    questions = follow_up_questions_for(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(follow_up_questions=questions)
    assessment.follow_up_questions = questions
    return questions
