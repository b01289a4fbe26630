"""Reads that need care. Every coordinator or leader page goes through
`network_access`, the one scoping helper: a network the user has no role on is a 404,
whatever the URL."""

from dataclasses import dataclass

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from .models import Event, Member, Network, NetworkRole, StakeholderGroup, User


class TwoFactorRequired(Exception):
    """The network requires two-factor sign-in and the user has no authenticator yet:
    surveys.middleware.TwoFactorRequiredRedirect sends them to set one up."""

    def __init__(self, network: Network):
        super().__init__(network.name)
        self.network = network


@dataclass(frozen=True)
class NetworkAccess:
    network: Network
    role: str

    @property
    def is_coordinator(self) -> bool:
        return self.role == NetworkRole.COORDINATOR


def network_access(user: User, network_id: int, *, manage: bool = False) -> NetworkAccess:
    """The user's access to one network. Outsiders get 404 (the network's existence is
    not revealed); a leader asking to manage gets 403 (they know it exists). On a
    network that requires two-factor sign-in, its coordinators and leaders without an
    authenticator get TwoFactorRequired (set it up first) before any page opens."""
    if not user.is_authenticated:
        raise Http404
    role = (
        NetworkRole.objects.select_related("network")
        .filter(user=user, network_id=network_id)
        .first()
    )
    if role is None:
        raise Http404
    if role.network.require_two_factor and not is_mfa_enabled(user):
        raise TwoFactorRequired(role.network)
    if manage and role.role != NetworkRole.COORDINATOR:
        raise PermissionDenied(gettext("Only the network's coordinators can do this."))
    return NetworkAccess(network=role.network, role=role.role)


def networks_for_user(user: User) -> QuerySet[Network]:
    """The networks the user has a role on, with the counts the list shows."""
    return (
        Network.objects.filter(roles__user=user)
        .annotate(
            member_count=Count(
                "members", filter=Q(members__removed_at__isnull=True), distinct=True
            ),
        )
        .order_by("name", "pk")
    )


def members_of(
    network: Network, *, search: str = "", group_id: int | None = None
) -> QuerySet[Member]:
    members = Member.objects.current().filter(network=network).select_related("group")
    if search:
        members = members.filter(
            Q(name__icontains=search)
            | Q(email__icontains=search)
            | Q(organisation__icontains=search)
        )
    if group_id:
        members = members.filter(group_id=group_id)
    return members.order_by("name", "pk")


def groups_with_counts(network: Network) -> QuerySet[StakeholderGroup]:
    return network.groups.annotate(
        member_count=Count("members", filter=Q(members__removed_at__isnull=True))
    ).order_by("position", "name")


def coordinator_count(network: Network) -> int:
    return network.roles.filter(role=NetworkRole.COORDINATOR, user__isnull=False).count()


def audit_events(network: Network, *, kind: str = "") -> QuerySet[Event]:
    """The network's audit trail, newest first: its own events, and the sign-ins (and
    failed ones) of the accounts that hold a role on it."""
    team = User.objects.filter(network_roles__network=network)
    events = Event.objects.filter(
        Q(network=network) | Q(network__isnull=True, kind__in=Event.ACCOUNT_KINDS, account__in=team)
    )
    if kind:
        events = events.filter(kind=kind)
    return events.select_related("actor", "account", "member", "assessment").order_by(
        "-created_at", "-pk"
    )


# ---- a member's own answers (shown only to that member, in their own session) -----


def response_answers(response, page) -> dict:
    """The saved answers for one survey page, as the form shows them: "1".."5" or
    "dk", text, a profile option, or {"current", "target"} for the matrix. Only the
    tables the page needs are read, one query each."""
    from .models import Answer, MatrixRating, TextAnswer
    from .survey_pages import DONT_KNOW, NUMBER_KINDS

    if response is None:
        return {}
    kinds = {q.code: q.kind for q in page.questions}
    codes = list(kinds)
    saved: dict = {}
    if set(NUMBER_KINDS) & set(kinds.values()):
        for item, value in Answer.objects.filter(response=response, item__in=codes).values_list(
            "item", "value"
        ):
            saved[item] = DONT_KNOW if value is None else str(value)
    if "text" in kinds.values():
        saved.update(
            TextAnswer.objects.filter(response=response, question__in=codes).values_list(
                "question", "text"
            )
        )
    if "matrix" in kinds.values():
        for dimension, current, target in MatrixRating.objects.filter(
            response=response, dimension__in=codes
        ).values_list("dimension", "current", "target"):
            saved[dimension] = {"current": str(current), "target": str(target or "")}
    if "roster" in kinds.values():
        saved.update(_roster_answer(response, [c for c, k in kinds.items() if k == "roster"]))
    for code, kind in kinds.items():
        if kind == "choice" and code in response.profile:
            saved[code] = response.profile[code]
    return saved


# ---- the roster question (shown only to the member answering it) ------------------

ROSTER_PAGE_SIZE = 25


def roster_candidates(
    member: Member, *, search: str = "", group_id: int | None = None, offset: int = 0
) -> tuple[list[dict], int]:
    """People the roster offers this member, matching a search on name or organisation
    and a group: one page of them (name order) and how many match. Never addresses."""
    people = Member.objects.on_roster().filter(network_id=member.network_id).exclude(pk=member.pk)
    if search:
        people = people.filter(Q(name__icontains=search) | Q(organisation__icontains=search))
    if group_id:
        people = people.filter(group_id=group_id)
    total = people.count()
    page = people.order_by("name", "pk").values("pk", "name", "organisation", "group__name")[
        offset : offset + ROSTER_PAGE_SIZE
    ]
    return list(page), total


def roster_picks(response) -> list[dict]:
    """The people this member has chosen so far, with how closely, in the order chosen.
    People who have since left the roster are not shown (nor counted)."""
    from .models import Tie

    if response is None:
        return []
    return list(
        Tie.objects.filter(response=response, member__in=Member.objects.on_roster())
        .order_by("created_at", "pk")
        .values(
            "member_id", "member__name", "member__organisation", "member__group__name", "closeness"
        )
    )


def _roster_answer(response, codes: list[str]) -> dict:
    """The roster question's saved state, in one query: how many people were chosen,
    how many still lack a closeness, and whether the page was answered."""
    from .models import Tie

    counts = Tie.objects.filter(response=response, member__in=Member.objects.on_roster()).aggregate(
        chosen=Count("pk"), unrated=Count("pk", filter=Q(closeness__isnull=True))
    )
    value = {**counts, "answered": response.roster_answered_at is not None}
    return dict.fromkeys(codes, value)
