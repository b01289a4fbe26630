"""The member list: one at a time or from a checked CSV file."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..member_import import MemberRow
from ..models import Event, Member, Network, User
from .events import event_record
from .links import invitations_end_for_new_address


def member_save(
    *, network: Network, member: Member | None = None, user: User | None = None, **fields
) -> Member:
    """Create or edit one member. Adding an address that was removed earlier brings that
    member back rather than failing, so their past answers stay theirs.

    A changed address ends the member's open invitations (answers saved so far belong to
    the old address, which is told), and both additions and address changes are
    recorded: a release says how many happened while its round was open."""
    fields["email"] = fields["email"].strip().lower()
    clash = Member.objects.filter(network=network, email=fields["email"])
    if member is not None:
        clash = clash.exclude(pk=member.pk)
    existing = clash.first()
    if existing is not None and existing.removed_at is None:
        raise ValidationError({"email": f"{fields['email']} is already a member of this network."})
    member = member or existing or Member(network=network)
    # Read from the database: a bound form may already have put the new one on `member`.
    old_address = Member.objects.filter(pk=member.pk).values_list("email", flat=True).first()
    with transaction.atomic():
        for name, value in fields.items():
            setattr(member, name, value)
        member.removed_at = None
        member.save()
        if old_address is None:
            event_record(Event.MEMBER_ADDED, member=member, actor=user)
        elif old_address != member.email:
            event_record(Event.MEMBER_EMAIL_CHANGED, member=member, actor=user)
            invitations_end_for_new_address(member=member)
            _tell_old_address(member.pk, old_address)
    return member


def _tell_old_address(member_id: int, old_address: str) -> None:
    from ..queue import enqueue_on_commit
    from ..tasks import send_address_changed  # the tasks module imports this one

    enqueue_on_commit(send_address_changed, member_id, old_address)


def member_remove(*, member: Member) -> None:
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at", "updated_at"])


def member_unsubscribe(*, member: Member) -> None:
    if member.unsubscribed_at is None:
        member.unsubscribed_at = timezone.now()
        member.save(update_fields=["unsubscribed_at", "updated_at"])


@transaction.atomic
def members_import(*, network: Network, rows: list[MemberRow]) -> dict[str, int]:
    """Apply a checked file: new addresses are added, known ones updated (never
    duplicated), removed ones brought back. Unsubscribed members stay unsubscribed."""
    groups = {g.name: g for g in network.groups.all()}
    existing = {m.email: m for m in Member.objects.filter(network=network)}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    new, changed = [], []
    for row in rows:
        member = existing.get(row.email)
        if member is None:
            new.append(
                Member(
                    network=network,
                    name=row.name,
                    email=row.email,
                    group=groups[row.group],
                    organisation=row.organisation,
                )
            )
            continue
        values = (row.name, groups[row.group].pk, row.organisation, None)
        if (member.name, member.group_id, member.organisation, member.removed_at) == values:
            counts["unchanged"] += 1
            continue
        member.name, member.group, member.organisation = (
            row.name,
            groups[row.group],
            row.organisation,
        )
        member.removed_at = None
        member.updated_at = timezone.now()
        changed.append(member)
    with transaction.atomic():
        created = Member.objects.bulk_create(new, batch_size=1000)
        if created and created[0].pk is None:  # a database that returns no ids
            created = list(Member.objects.filter(network=network, email__in=[m.email for m in new]))
        Event.objects.bulk_create(
            [Event(kind=Event.MEMBER_ADDED, network=network, member=m) for m in created],
            batch_size=1000,
        )
    Member.objects.bulk_update(
        changed, ["name", "group", "organisation", "removed_at", "updated_at"], batch_size=1000
    )
    counts["added"], counts["updated"] = len(new), len(changed)
    return counts


def import_preview(*, network: Network, rows: list[MemberRow]) -> dict[str, int]:
    """What `members_import` would do, without doing it."""
    existing = {
        email: (name, group, organisation, removed)
        for email, name, group, organisation, removed in Member.objects.filter(
            network=network
        ).values_list("email", "name", "group__name", "organisation", "removed_at")
    }
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        current = existing.get(row.email)
        if current is None:
            counts["added"] += 1
        elif current == (row.name, row.group, row.organisation, None):
            counts["unchanged"] += 1
        else:
            counts["updated"] += 1
    return counts
