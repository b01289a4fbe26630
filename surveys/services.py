"""Writes. Small functions with keyword-only arguments; views, forms and tasks call these."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .emails import absolute_url, email_send
from .instruments.validation import (
    InstrumentError,
    definition_checksum,
    instrument_files,
    load_instrument_file,
)
from .member_import import MemberRow
from .models import Instrument, Member, Network, NetworkRole, StakeholderGroup, User
from .selectors import coordinator_count

# ---- accounts ---------------------------------------------------------------------


def user_signup(*, email: str, full_name: str, password: str) -> User:
    """An inactive account until the address is confirmed through the emailed link."""
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, is_active=False
    )
    transaction.on_commit(lambda: user_send_confirmation(user=user))
    return user


def user_send_confirmation(*, user: User) -> None:
    path = reverse(
        "signup_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    email_send(
        template="confirm_email", to=user.email, context={"user": user, "url": absolute_url(path)}
    )


@transaction.atomic
def user_confirm_email(*, user: User) -> None:
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    roles_claim(user=user)


def roles_claim(*, user: User) -> int:
    """Roles a coordinator offered to this address become the user's own. Only for a
    confirmed address, so nobody can claim a role by signing up with someone's email."""
    if user.email_confirmed_at is None and not user.is_superuser:
        return 0
    return NetworkRole.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)


# ---- networks and roles -----------------------------------------------------------


@transaction.atomic
def network_create(*, user: User, **fields) -> Network:
    """A new network: its creator becomes coordinator and it gets the default groups."""
    network = Network.objects.create(**fields)
    NetworkRole.objects.create(
        network=network, user=user, email=user.email, role=NetworkRole.COORDINATOR
    )
    StakeholderGroup.objects.bulk_create(
        StakeholderGroup(network=network, name=name, position=index)
        for index, name in enumerate(settings.DEFAULT_STAKEHOLDER_GROUPS)
    )
    return network


def network_update(*, network: Network, **fields) -> Network:
    for name, value in fields.items():
        setattr(network, name, value)
    network.save(update_fields=list(fields))
    return network


def role_invite(*, network: Network, email: str, role: str, invited_by: User) -> NetworkRole:
    """Give an address a role. An existing confirmed account gets it at once; anyone else
    gets it when they sign up or sign in with that address. Either way they are emailed."""
    email = email.strip().lower()
    if network.roles.filter(email__iexact=email).exists():
        raise ValidationError(f"{email} already has a role on this network.")
    user = User.objects.filter(email__iexact=email, email_confirmed_at__isnull=False).first()
    with transaction.atomic():
        network_role = NetworkRole.objects.create(
            network=network, email=email, role=role, user=user, invited_by=invited_by
        )
        transaction.on_commit(lambda: role_send_invitation(network_role=network_role))
    return network_role


def role_send_invitation(*, network_role: NetworkRole) -> None:
    path = reverse("network_detail", args=[network_role.network_id])
    if network_role.user_id is None:
        path = reverse("signup") + f"?email={network_role.email}"
    email_send(
        template="role_invitation",
        to=network_role.email,
        context={"role": network_role, "network": network_role.network, "url": absolute_url(path)},
    )


@transaction.atomic
def role_remove(*, network_role: NetworkRole) -> None:
    """Remove someone's role. A network always keeps at least one coordinator."""
    network = Network.objects.select_for_update().get(pk=network_role.network_id)
    is_active_coordinator = (
        network_role.role == NetworkRole.COORDINATOR and network_role.user_id is not None
    )
    if is_active_coordinator and coordinator_count(network) <= 1:
        raise ValidationError(
            "A network needs at least one coordinator. Invite another coordinator first."
        )
    network_role.delete()


# ---- stakeholder groups -----------------------------------------------------------


def group_create(*, network: Network, name: str) -> StakeholderGroup:
    name = name.strip()
    if network.groups.filter(name__iexact=name).exists():
        raise ValidationError(f"There is already a group called {name}.")
    position = network.groups.count()
    return StakeholderGroup.objects.create(network=network, name=name, position=position)


def group_rename(*, group: StakeholderGroup, name: str) -> StakeholderGroup:
    name = name.strip()
    if group.network.groups.filter(name__iexact=name).exclude(pk=group.pk).exists():
        raise ValidationError(f"There is already a group called {name}.")
    group.name = name
    group.save(update_fields=["name"])
    return group


def group_delete(*, group: StakeholderGroup) -> None:
    if group.members.exists():
        raise ValidationError(
            f"{group.name} still has members. Move them to another group before deleting it."
        )
    group.delete()


# ---- members ----------------------------------------------------------------------


def member_save(*, network: Network, member: Member | None = None, **fields) -> Member:
    """Create or edit one member. Adding an address that was removed earlier brings that
    member back rather than failing, so their past answers stay theirs."""
    fields["email"] = fields["email"].strip().lower()
    clash = Member.objects.filter(network=network, email=fields["email"])
    if member is not None:
        clash = clash.exclude(pk=member.pk)
    existing = clash.first()
    if existing is not None and existing.removed_at is None:
        raise ValidationError({"email": f"{fields['email']} is already a member of this network."})
    member = member or existing or Member(network=network)
    for name, value in fields.items():
        setattr(member, name, value)
    member.removed_at = None
    member.save()
    return member


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
    Member.objects.bulk_create(new, batch_size=1000)
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


# ---- instruments ------------------------------------------------------------------


def instruments_load(*, directory=None) -> list[tuple[Instrument, str]]:
    """Load every definition file: new versions are added, identical ones left alone,
    and a changed file under a version already loaded is refused: a version, once
    loaded, may have been answered, and its meaning must never shift under old answers.
    Raises InstrumentError (naming the file and field) before anything is written."""
    definitions = [load_instrument_file(path) for path in instrument_files(directory)]
    results = []
    with transaction.atomic():
        for definition in definitions:
            results.append(_instrument_load_one(definition))
    return results


def _instrument_load_one(definition: dict) -> tuple[Instrument, str]:
    checksum = definition_checksum(definition)
    existing = Instrument.objects.filter(
        code=definition["code"], version=definition["version"]
    ).first()
    if existing is None:
        instrument = Instrument.objects.create(
            code=definition["code"],
            version=definition["version"],
            kind=definition["kind"],
            title=definition["title"],
            definition=definition,
            checksum=checksum,
        )
        return instrument, "added"
    if existing.checksum != checksum:
        raise InstrumentError(
            f"{definition['code']}.v{definition['version']}.json",
            "version",
            f"version {definition['version']} is already loaded with different content; "
            "a loaded version never changes. Save the change as a new version.",
        )
    return existing, "unchanged"
