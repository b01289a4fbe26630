"""The roster question: whom a member has worked with, chosen from the member list, and
how closely (docs/relationships.md). Saved as the member goes, like every other page."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Member, Response, Tie
from .responses import ResponseLocked

CLOSENESS_VALUES = {str(value) for value, _ in Tie.CLOSENESS_CHOICES}


@dataclass
class RosterPost:
    """What a roster page post asks for: people to add or remove, how closely for each
    person already chosen, whether the member agrees to be shown by name."""

    add: list[int] = field(default_factory=list)
    remove: list[int] = field(default_factory=list)
    closeness: dict[int, int] = field(default_factory=dict)
    named_on_map: bool = False
    errors: dict[str, str] = field(default_factory=dict)


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def roster_parse(data) -> RosterPost:
    """The post's fields: ``add``/``remove`` (member ids), ``c-<id>`` (1 to 4) and
    ``named_on_map``. Anything else is ignored; a closeness not offered is an error."""
    post = RosterPost(
        add=_ids(data.getlist("add")),
        remove=_ids(data.getlist("remove")),
        named_on_map=data.get("named_on_map") == "yes",
    )
    for name, value in data.items():
        if not name.startswith("c-") or not name[2:].isdigit() or value == "":
            continue
        if value in CLOSENESS_VALUES:
            post.closeness[int(name[2:])] = int(value)
        else:
            post.errors[f"c-{name[2:]}"] = _("Choose how closely you work together")
    return post


def roster_save(*, response: Response, member: Member, post: RosterPost) -> None:
    """Store the post over what was saved: people added (only those the roster offers,
    never the member themself), removed, their closeness, and the consent. The round
    must be open. One transaction; the response's ``updated_at`` moves, so the worker
    sees new data."""
    if response.submitted_at is not None or not response.assessment.is_open:
        raise ResponseLocked
    with transaction.atomic():
        if post.remove:
            Tie.objects.filter(response=response, member_id__in=post.remove).delete()
        if post.add:
            room = Tie.MAX_PER_RESPONSE - Tie.objects.filter(response=response).count()
            offered = (
                Member.objects.on_roster()
                .filter(network_id=member.network_id, pk__in=post.add[: max(room, 0)])
                .exclude(pk=member.pk)
                .values_list("pk", flat=True)
            )
            Tie.objects.bulk_create(
                [Tie(response=response, member_id=pk) for pk in offered], ignore_conflicts=True
            )
        for member_id, closeness in post.closeness.items():
            Tie.objects.filter(response=response, member_id=member_id).update(closeness=closeness)
        Response.objects.filter(pk=response.pk).update(
            named_on_map=post.named_on_map, updated_at=timezone.now()
        )
        response.named_on_map = post.named_on_map


def roster_missing(*, response: Response | None) -> dict[str, str]:
    """People chosen without saying how closely: each must be answered (or removed)
    before moving on."""
    if response is None:
        return {}
    return {
        f"c-{member_id}": _("Say how closely you work with %(name)s, or remove them")
        % {"name": name}
        for member_id, name in Tie.objects.filter(
            response=response, closeness__isnull=True, member__in=Member.objects.on_roster()
        ).values_list("member_id", "member__name")
    }


def roster_answer(*, response: Response) -> None:
    """The member moved on from the roster page: it counts as answered, with or without
    anyone chosen (working with nobody is an answer)."""
    if response.roster_answered_at is None:
        now = timezone.now()
        Response.objects.filter(pk=response.pk).update(roster_answered_at=now, updated_at=now)
        response.roster_answered_at = now


def member_roster_choose(*, member: Member, on_roster: bool) -> None:
    """The member's own choice to be offered to others on the roster, or not. Leaving
    also takes them out of every relationship figure from then on."""
    member.left_roster_at = None if on_roster else timezone.now()
    Member.objects.filter(pk=member.pk).update(left_roster_at=member.left_roster_at)
