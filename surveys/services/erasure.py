"""Erasure (docs/retention.md): a member asks, through the link in every email sent to
them or through a coordinator, and their personal data goes from everywhere the
network holds it. Their submitted answers stay, as anonymous rows: the member row they
hang from keeps no name, address or organisation (or goes, when nothing hangs from
it), and the links that led to it are cleared."""

import re
from collections.abc import Iterable

from django.core import signing
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ..emails import absolute_url
from ..models import (
    Assessment,
    CustomQuestion,
    Event,
    Invitation,
    Member,
    Response,
    TextAnswer,
    Tie,
    User,
)
from ..signals import member_erasing
from .events import event_record

ERASE_SALT = "netassess.erase"
ERASED_NAME = "Erased member"
# What a mention of an erased member's name or address becomes in text kept afterwards.
MENTION = "[a member]"


def erasure_url(member: Member) -> str:
    """The member's own erasure link, in every email sent to them: signed, so it names
    only them and cannot be made up."""
    signed = signing.dumps(member.pk, salt=ERASE_SALT)
    return absolute_url(reverse("member_erase_by_link", args=[signed]))


def member_for_erasure_link(signed: str) -> Member | None:
    """The member an erasure link belongs to, if they are still there to erase."""
    try:
        member_id = signing.loads(signed, salt=ERASE_SALT)
    except signing.BadSignature:
        return None
    members = Member.objects.select_related("network")
    return members.filter(pk=member_id, erased_at__isnull=True).first()


# ---- taking mentions out of text --------------------------------------------------


def mention_pattern(mentions: Iterable[str]) -> re.Pattern | None:
    """Whole-word, any case: "Sam" goes, "Samuel" and "Samson Road" stay."""
    words = sorted({m.strip() for m in mentions if m and len(m.strip()) >= 2}, key=len)
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in reversed(words))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrubbed(value, pattern: re.Pattern):
    """``value`` (text, or JSON of lists and objects) with every mention replaced."""
    if isinstance(value, str):
        return pattern.sub(MENTION, value)
    if isinstance(value, list):
        return [scrubbed(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: scrubbed(item, pattern) for key, item in value.items()}
    return value


def mentions_scrub(
    rows: QuerySet, mentions: Iterable[str], *, text: Iterable[str] = (), json: Iterable[str] = ()
) -> int:
    """Take a member's name and address out of the given text and JSON columns of
    ``rows`` (one network's rows: the same name in another network is someone else's
    business). Text columns are searched by the database first; JSON columns are read
    row by row, since the database's rendering of JSON may escape what it holds.
    Returns how many rows changed."""
    mentions = [m for m in mentions if m]
    pattern = mention_pattern(mentions)
    if pattern is None:
        return 0
    text, json = list(text), list(json)
    changed = 0
    if text:
        found = Q()
        for column in text:
            for mention in mentions:
                found |= Q(**{f"{column}__icontains": mention})
        for row in rows.filter(found).only("pk", *text):
            changed += _save(row, {c: scrubbed(getattr(row, c), pattern) for c in text})
    for column in json:
        for row in rows.only("pk", column).iterator(chunk_size=50):
            changed += _save(row, {column: scrubbed(getattr(row, column), pattern)})
    return changed


def _save(row: Model, values: dict) -> int:
    values = {column: value for column, value in values.items() if value != getattr(row, column)}
    if not values:
        return 0
    type(row)._base_manager.filter(pk=row.pk).update(**values)
    return 1


# ---- erasure -----------------------------------------------------------------------


def member_erase(*, member: Member, user: User | None = None, by_member: bool = False) -> bool:
    """Remove the member's personal data from the network. Their submitted answers stay,
    anonymous: unfinished answers are discarded, every link of theirs is cleared (open
    ones end as opted out), ties naming them on other members' roster answers are
    deleted, the other apps take them out of what they hold (action owners, names on
    released maps), mentions of their name or address are taken out of the network's
    text, and their row keeps no name, address or organisation (or is deleted when no
    invitation points at it). Returns whether anything was erased."""
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("network").get(pk=member.pk)
        if member.erased_at is not None:
            return False
        network = member.network
        mentions = [member.name, member.email]
        invitations = Invitation.objects.filter(member=member)
        Response.objects.filter(invitation__member=member, submitted_at__isnull=True).delete()
        invitations.filter(status__in=Invitation.LIVE).update(status=Invitation.OPTED_OUT)
        # failure_reason may quote the address (a mail server's refusal does).
        invitations.update(token_salt="", token_hash=None, link_is_copy=False, failure_reason="")
        Tie.objects.filter(member=member).delete()
        member_erasing.send(
            sender=Member, member_id=member.pk, network_id=network.pk, mentions=mentions
        )
        _text_scrub(network.pk, mentions)
        if invitations.exists():
            _anonymise(member)
        else:
            member.delete()  # events about them keep no link; summary emails go
        event_record(
            Event.MEMBER_ERASED,
            network=network,
            actor=user,
            detail="At the member's own request, by their link"
            if by_member
            else "By a coordinator, at the member's request",
        )
    return True


def _anonymise(member: Member) -> None:
    now = timezone.now()
    member.name = ERASED_NAME
    member.email = f"erased-{member.pk}@erased.invalid"
    member.organisation = ""
    member.removed_at = member.removed_at or now
    member.unsubscribed_at = member.unsubscribed_at or now
    member.left_roster_at = member.left_roster_at or now
    member.off_roster = True
    member.erased_at = now
    member.save()


def _text_scrub(network_id: int, mentions: list[str]) -> None:
    """This app's text that may mention the member: the network's audit trail (and
    failed sign-ins with no account, which name an address), comments members wrote,
    and what coordinators wrote on the network's rounds."""
    pattern = mention_pattern(mentions)
    if pattern is None:
        return
    found = Q()
    for mention in mentions:
        found |= Q(detail__icontains=mention)
    events = Event.objects.filter(Q(network_id=network_id) | Q(network__isnull=True)).filter(found)
    for event in events.only("pk", "detail"):
        Event.objects.filter(pk=event.pk).erasure_update(detail=scrubbed(event.detail, pattern))
    mentions_scrub(
        TextAnswer.objects.filter(response__assessment__network_id=network_id),
        mentions,
        text=["text"],
    )
    mentions_scrub(
        Assessment.objects.filter(network_id=network_id),
        mentions,
        text=["title", "invitation_subject", "invitation_message", "legal_hold_reason"],
        json=["follow_up_questions"],
    )
    mentions_scrub(
        CustomQuestion.objects.filter(assessment__network_id=network_id), mentions, text=["text"]
    )
