"""The member list: one at a time or from a checked CSV file."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..member_import import MemberRow
from ..models import Event, Member, Network, User
from .events import current_address, event_record
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
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of this network.")
                % {"email": fields["email"]}
            }
        )
    member = member or existing or Member(network=network)
    # Read from the database: a bound form may already have put the new one on `member`.
    stored = Member.objects.filter(pk=member.pk).values(*fields, "removed_at").first()
    with transaction.atomic():
        for name, value in fields.items():
            setattr(member, name, value)
        member.removed_at = None
        member.save()
        if stored is None:
            event_record(Event.MEMBER_ADDED, member=member, actor=user)
        elif stored["email"] != member.email:
            event_record(Event.MEMBER_EMAIL_CHANGED, member=member, actor=user)
            invitations_end_for_new_address(member=member)
            _tell_old_address(member.pk, stored["email"])
        else:
            changed = _changed_fields(stored, member)
            if changed:
                event_record(Event.MEMBER_EDITED, member=member, actor=user, detail=changed)
    return member


def _changed_fields(stored: dict, member: Member) -> str:
    """Which of a member's fields an edit changed, by name only (never the values)."""
    names = [
        str(Member._meta.get_field(name).verbose_name)
        for name, before in stored.items()
        if name != "removed_at" and before != getattr(member, Member._meta.get_field(name).attname)
    ]
    parts = ["Brought back onto the member list"] if stored["removed_at"] else []
    if names:
        parts.append("Changed: " + ", ".join(names))
    return "; ".join(parts)


def _tell_old_address(member_id: int, old_address: str) -> None:
    from ..queue import enqueue_on_commit
    from ..tasks import send_address_changed  # the tasks module imports this one

    enqueue_on_commit(send_address_changed, member_id, old_address)


def member_remove(*, member: Member, user: User | None = None) -> None:
    member.removed_at = timezone.now()
    with transaction.atomic():
        member.save(update_fields=["removed_at", "updated_at"])
        event_record(Event.MEMBER_REMOVED, member=member, actor=user)


def member_unsubscribe(*, member: Member) -> None:
    if member.unsubscribed_at is None:
        member.unsubscribed_at = timezone.now()
        with transaction.atomic():
            member.save(update_fields=["unsubscribed_at", "updated_at"])
            event_record(Event.MEMBER_UNSUBSCRIBED, member=member)


@transaction.atomic
def members_import(
    *, network: Network, rows: list[MemberRow], user: User | None = None
) -> dict[str, int]:
    """Apply a checked file: new addresses are added, known ones updated (never
    duplicated), removed ones brought back. Unsubscribed members stay unsubscribed."""
    groups = {g.name: g for g in network.groups.all()}
    existing = {m.email: m for m in Member.objects.filter(network=network)}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    new, changed = [], []
    actor = user if user is not None and user.is_authenticated else None
    address = current_address()
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
                    language=row.language or "en",
                )
            )
            continue
        language = row.language or member.language  # no language given: theirs stays
        values = (row.name, groups[row.group].pk, row.organisation, language, None)
        if (
            member.name,
            member.group_id,
            member.organisation,
            member.language,
            member.removed_at,
        ) == values:
            counts["unchanged"] += 1
            continue
        member.name, member.group, member.organisation, member.language = (
            row.name,
            groups[row.group],
            row.organisation,
            language,
        )
        member.removed_at = None
        member.updated_at = timezone.now()
        changed.append(member)
    with transaction.atomic():
        created = Member.objects.bulk_create(new, batch_size=1000)
        if created and created[0].pk is None:  # a database that returns no ids
            created = list(Member.objects.filter(network=network, email__in=[m.email for m in new]))
        Event.objects.bulk_create(
            [
                Event(
                    kind=Event.MEMBER_ADDED,
                    network=network,
                    member=m,
                    actor=actor,
                    address=address,
                    detail="From an imported file",
                )
                for m in created
            ],
            batch_size=1000,
        )
    Member.objects.bulk_update(
        changed,
        ["name", "group", "organisation", "language", "removed_at", "updated_at"],
        batch_size=1000,
    )
    counts["added"], counts["updated"] = len(new), len(changed)
    event_record(
        Event.MEMBERS_IMPORTED,
        network=network,
        actor=user,
        detail=f"{counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged",
    )
    return counts


def import_preview(*, network: Network, rows: list[MemberRow]) -> dict[str, int]:
    """What `members_import` would do, without doing it."""
    existing = {
        email: (name, group, organisation, language, removed)
        for email, name, group, organisation, language, removed in Member.objects.filter(
            network=network
        ).values_list("email", "name", "group__name", "organisation", "language", "removed_at")
    }
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        current = existing.get(row.email)
        if current is None:
            counts["added"] += 1
        elif current == (row.name, row.group, row.organisation, row.language or current[3], None):
            counts["unchanged"] += 1
        else:
            counts["updated"] += 1
    return counts
