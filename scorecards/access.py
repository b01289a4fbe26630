"""Who may read a network's results: its coordinators and leaders (through the one
scoping helper, surveys.selectors.network_access) or a holder of a live share link,
kept in the session. Anyone else gets a 404 for every results address."""

import hashlib
import secrets
from dataclasses import dataclass
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from surveys.models import Network
from surveys.selectors import NetworkAccess, network_access
from surveys.services import event_record

from .models import ShareLink

SESSION_KEY = "shared_networks"


@dataclass(frozen=True)
class ResultsAccess:
    network: Network
    role: str  # coordinator, leader or share

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


def share_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_share_token() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits


def live_share_link(token: str) -> ShareLink | None:
    link = ShareLink.objects.filter(token_hash=share_token_hash(token)).first()
    return link if link and share_link_is_live(link) else None


def share_link_is_live(link: ShareLink) -> bool:
    return link.revoked_at is None and link.expires_at > timezone.now()


def results_access(request: HttpRequest, network_id: int) -> ResultsAccess:
    if request.user.is_authenticated:
        try:
            access: NetworkAccess = network_access(request.user, network_id)
            return ResultsAccess(access.network, access.role)
        except Http404:
            pass
    link_id = request.session.get(SESSION_KEY, {}).get(str(network_id))
    link = (
        ShareLink.objects.select_related("network")
        .filter(pk=link_id, network_id=network_id)
        .first()
        if link_id
        else None
    )
    if link is None or not share_link_is_live(link):
        raise Http404
    return ResultsAccess(link.network, "share")


def results_event(request: HttpRequest, access: ResultsAccess, kind: str, **fields) -> None:
    """A download of results, in the network's audit trail: by the signed-in reader,
    or through which share link."""
    detail = fields.pop("detail", "")
    if access.role == "share":
        link_id = request.session.get(SESSION_KEY, {}).get(str(access.network.pk))
        detail = f"{detail} (through share link {link_id})"
    event_record(kind, actor=request.user, detail=detail.strip(), **fields)


def results_view(view):
    """Every results page: leaders, coordinators and share-link holders only; never
    cached by browsers or proxies, since it holds a network's results."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, network_id: int, **kwargs) -> HttpResponse:
        return view(request, results_access(request, network_id), **kwargs)

    return wrapper
