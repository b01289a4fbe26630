"""The network's audit trail, for its coordinators (quality G2): a page, filtered by
kind and newest first, and the same as a CSV file. Leaders get 403, outsiders 404."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from .. import languages, selectors, services
from ..models import Event
from ..selectors import NetworkAccess
from ..spreadsheets import csv_text
from .common import network_view, render_page

PAGE_SIZE = 50
KINDS = dict(Event.KIND_CHOICES)
COLUMNS = [
    pgettext_lazy("audit trail column", "When"),
    pgettext_lazy("audit trail column", "What"),
    pgettext_lazy("audit trail column", "Detail"),
    pgettext_lazy("audit trail column", "Who"),
    pgettext_lazy("audit trail column", "About"),
    pgettext_lazy("audit trail column", "From address"),
]
# What was done without anyone signed in: by a member's own link, a share link, or a
# sign-in attempt; with no request at all, by the worker.
FROM_A_LINK = {
    Event.COPIED_LINK_USED: gettext_noop("Someone with a copied link"),
    Event.MEMBER_UNSUBSCRIBED: gettext_noop("The member"),
    Event.MEMBER_ERASED: gettext_noop("The member"),
    Event.SHARE_LINK_USED: gettext_noop("Someone with the share link"),
    Event.SIGN_IN_FAILED: gettext_noop("Unknown"),
}


def who(event: Event) -> str:
    if event.actor is not None:
        return event.actor.full_name or event.actor.email
    if event.kind in FROM_A_LINK and event.address:
        return gettext(FROM_A_LINK[event.kind])
    if event.address:
        return gettext("Someone not signed in")
    return gettext("netassess (automatic)")


def about(event: Event) -> str:
    """What the event is about: an account, a member (never the name of one who was
    erased), a round."""
    parts = []
    if event.account is not None:
        parts.append(event.account.email)
    if event.member is not None:
        parts.append(gettext("a member (erased)") if event.member.erased_at else event.member.name)
    if event.assessment is not None:
        parts.append(event.assessment.title)
    return " · ".join(parts)


def row(event: Event) -> list[str]:
    when = timezone.localtime(event.created_at)
    return [
        when.strftime("%Y-%m-%d %H:%M:%S"),
        event.get_kind_display(),
        event.detail,
        who(event),
        about(event),
        event.address or "",
    ]


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in KINDS else ""


@network_view(manage=True)
def network_audit(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    kind = _kind(request)
    page = Paginator(selectors.audit_events(access.network, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page(
        request,
        "surveys/audit_list.html",
        access,
        page=page,
        rows=[(event, row(event)) for event in page.object_list],
        kinds=Event.KIND_CHOICES,
        kind=kind,
    )


@network_view(manage=True)
def network_audit_csv(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    """Every event of the trail (or of one kind), neutralised for spreadsheets (S7).
    Downloading it is itself recorded."""
    kind = _kind(request)
    events = selectors.audit_events(access.network, kind=kind)
    columns = [str(column) for column in COLUMNS]
    text = csv_text(columns, [row(event) for event in events.iterator(chunk_size=2000)])
    with languages.override("en"):  # the trail itself is recorded in one language
        detail = f"Kind: {KINDS[kind]}" if kind else "All kinds"
    services.event_record(
        Event.AUDIT_EXPORTED, network=access.network, actor=request.user, detail=detail
    )
    name = f"{slugify(access.network.name) or 'network'}-audit-trail.csv"
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
