"""Networks, the roles people hold on them, and their stakeholder groups."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from ..emails import absolute_url, email_send
from ..models import Event, Network, NetworkRole, StakeholderGroup, User
from ..selectors import coordinator_count
from .accounts import confirmed_user
from .events import event_record


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


def network_update(*, network: Network, user: User | None = None, **fields) -> Network:
    """Save the network's details; what changed is recorded by name (and the retention
    period by value, since it decides when answers are deleted)."""
    # Read from the database: a bound form has already put the new values on `network`.
    stored = Network.objects.filter(pk=network.pk).values(*fields, "retention_months").get()
    changed = [name for name, value in fields.items() if stored[name] != value]
    before = stored["retention_months"]
    for name, value in fields.items():
        setattr(network, name, value)
    with transaction.atomic():
        network.save(update_fields=list(fields))
        if changed:
            detail = "Changed: " + ", ".join(
                str(Network._meta.get_field(name).verbose_name) for name in changed
            )
            if "retention_months" in changed:
                detail += f" (raw answers kept {before} months, now {network.retention_months})"
            event_record(Event.NETWORK_EDITED, network=network, actor=user, detail=detail)
    return network


def role_invite(*, network: Network, email: str, role: str, invited_by: User) -> NetworkRole:
    """Give an address a role. An existing confirmed account gets it at once; anyone else
    gets it when they sign up or sign in with that address. Either way they are emailed."""
    email = email.strip().lower()
    if network.roles.filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s already has a role on this network.") % {"email": email})
    user = confirmed_user(email)
    with transaction.atomic():
        network_role = NetworkRole.objects.create(
            network=network, email=email, role=role, user=user, invited_by=invited_by
        )
        event_record(
            Event.ROLE_INVITED,
            network=network,
            actor=invited_by,
            account=user,
            detail=f"{email} as {role}",
        )
        transaction.on_commit(lambda: role_send_invitation(network_role=network_role))
    return network_role


def role_send_invitation(*, network_role: NetworkRole) -> None:
    path = reverse("network_detail", args=[network_role.network_id])
    if network_role.user_id is None:
        # `as` sets the wording only (a leader's account, not a coordinator's); the
        # role itself is claimed by the confirmed address, never by this parameter.
        query = urlencode({"email": network_role.email, "as": network_role.role}, safe="@")
        path = reverse("account_signup") + "?" + query
    email_send(
        template="role_invitation",
        to=network_role.email,
        context={"role": network_role, "network": network_role.network, "url": absolute_url(path)},
        language=role_invitation_language(network_role),
    )


def role_invitation_language(network_role: NetworkRole) -> str | None:
    """The invited person's own language if they have an account; else the inviting
    coordinator's, the best guess for a colleague in the same network."""
    someone = network_role.user or network_role.invited_by
    return someone.language if someone is not None else None


@transaction.atomic
def role_remove(*, network_role: NetworkRole, user: User | None = None) -> None:
    """Remove someone's role. A network always keeps at least one coordinator."""
    network = Network.objects.select_for_update().get(pk=network_role.network_id)
    is_active_coordinator = (
        network_role.role == NetworkRole.COORDINATOR and network_role.user_id is not None
    )
    if is_active_coordinator and coordinator_count(network) <= 1:
        raise ValidationError(
            _("A network needs at least one coordinator. Invite another coordinator first.")
        )
    event_record(
        Event.ROLE_REMOVED,
        network=network,
        actor=user,
        account=network_role.user,
        detail=f"{network_role.email} ({network_role.role})",
    )
    network_role.delete()


def group_create(*, network: Network, name: str) -> StakeholderGroup:
    name = name.strip()
    if network.groups.filter(name__iexact=name).exists():
        raise ValidationError(_("There is already a group called %(name)s.") % {"name": name})
    position = network.groups.count()
    return StakeholderGroup.objects.create(network=network, name=name, position=position)


def group_rename(*, group: StakeholderGroup, name: str) -> StakeholderGroup:
    name = name.strip()
    if group.network.groups.filter(name__iexact=name).exclude(pk=group.pk).exists():
        raise ValidationError(_("There is already a group called %(name)s.") % {"name": name})
    group.name = name
    group.save(update_fields=["name"])
    return group


def group_delete(*, group: StakeholderGroup) -> None:
    if group.members.exists():
        raise ValidationError(
            _("%(name)s still has members. Move them to another group before deleting it.")
            % {"name": group.name}
        )
    group.delete()
