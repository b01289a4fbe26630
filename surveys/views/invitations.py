"""Inviting members to a round and looking after their invitations: resend, revoke,
copy a link. Coordinators see who has responded, never what they answered (T1)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from .. import progress, services
from ..assessment_forms import InviteForm
from ..models import Assessment, Invitation, Member
from ..selectors import NetworkAccess
from .assessments import assessment_for
from .common import network_view, render_page

PAGE_SIZE = 50
# The list's filters, carried through a resend or revoke so the coordinator stays put.
LIST_PARAMS = ("status", "q", "page")
CLOSED = gettext_lazy(
    "This round has closed, so nobody can be invited: reopen it with a new closing date first."
)


def invitation_for(access: NetworkAccess, assessment_id: int, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("member", "assessment"),
        pk=invitation_id,
        assessment_id=assessment_id,
        assessment__network=access.network,
    )


def _list_url(access: NetworkAccess, assessment_id: int, query: str = "") -> str:
    """The invitation list, with only its own filters kept from what was posted."""
    kept = QueryDict(query).copy()
    for key in list(kept):
        if key not in LIST_PARAMS:
            del kept[key]
    url = reverse("invitation_list", args=[access.network.pk, assessment_id])
    return f"{url}?{kept.urlencode()}" if kept else url


# ---- inviting ----------------------------------------------------------------------


def _why_not_invite(assessment: Assessment) -> str | None:
    """Links work only while a round is open: an email sent before or after that would
    lead its member to a dead link."""
    if assessment.status == "closed":
        return str(CLOSED)
    if assessment.status == "scheduled":
        opens = date_format(assessment.opens_on, "l j F")
        return gettext(
            "This round opens on %(date)s and links only work from then, so invite members "
            "on that day, or edit the opening date."
        ) % {"date": opens}
    return None


@network_view(manage=True)
def assessment_invite(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    refusal = _why_not_invite(assessment)
    if refusal:
        if request.method == "POST":
            messages.error(request, refusal)
            return redirect("assessment_detail", access.network.pk, assessment.pk)
        return render_page(
            request,
            "surveys/assessment_invite.html",
            access,
            assessment=assessment,
            refusal=refusal,
        )
    form = InviteForm(request.POST or None, network=access.network)
    if request.method == "POST" and form.is_valid():
        return _invite(request, access, assessment, form.chosen())
    reach, by_group = progress.invite_reach(assessment)
    groups = [(g, by_group.get(g.pk, progress.Reach())) for g in access.network.groups.all()]
    return render_page(
        request,
        "surveys/assessment_invite.html",
        access,
        assessment=assessment,
        form=form,
        reach=reach,
        groups=groups,
        candidates=progress.invite_candidates(assessment),
        selected=form.selected_member_ids(),
        chosen_groups={str(v) for v in (form["groups"].value() or [])},
    )


def _invite(
    request: HttpRequest, access: NetworkAccess, assessment: Assessment, members: QuerySet[Member]
) -> HttpResponse:
    reach, _ = progress.invite_reach(assessment, members)
    created = services.assessment_invite(assessment=assessment, members=members, user=request.user)
    skipped = _skipped_sentence(reach)
    if created:
        count = len(created)
        messages.success(
            request,
            ngettext(
                "%(count)s member invited: the emails are on their way.",
                "%(count)s members invited: the emails are on their way.",
                count,
            )
            % {"count": count}
            + skipped,
        )
    else:
        messages.info(request, gettext("Nobody new to invite.") + skipped)
    return redirect("invitation_list", access.network.pk, assessment.pk)


def _skipped_sentence(reach: progress.Reach) -> str:
    parts = [
        label % {"count": n}
        for n, label in (
            (reach.invited, gettext("%(count)s already invited")),
            (reach.unsubscribed, gettext("%(count)s unsubscribed")),
            (reach.removed, gettext("%(count)s removed from the member list")),
        )
        if n
    ]
    return " " + gettext("Skipped: %(parts)s.") % {"parts": ", ".join(parts)} if parts else ""


# ---- the invitation list -----------------------------------------------------------


@network_view(manage=True)
def invitation_list(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    status = request.GET.get("status", "")
    status = status if status in dict(Invitation.STATUS_CHOICES) else ""
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    invitations = assessment.invitations.select_related("member__group")
    if status:
        invitations = invitations.filter(status=status)
    if search:
        invitations = invitations.filter(member__name__icontains=search)
    counts = progress.status_counts(assessment)
    closed = assessment.status == "closed"
    return render_page(
        request,
        "surveys/invitation_list.html",
        access,
        assessment=assessment,
        page=Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page")),
        statuses=[
            (value, label, counts.get(value, 0)) for value, label in Invitation.STATUS_CHOICES
        ],
        total=sum(counts.values()),
        status=status,
        search=search,
        filtered=bool(status or search),
        closed=closed,
    )


@network_view(manage=True, methods=("POST",))
def invitation_resend(
    request: HttpRequest, access: NetworkAccess, assessment_id: int, invitation_id: int
) -> HttpResponse:
    invitation = invitation_for(access, assessment_id, invitation_id)
    name = invitation.member.name
    try:
        services.invitation_resend(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{name}: {error.messages[0]}")
    else:
        messages.success(
            request,
            gettext("A new link is on its way to %(name)s; the old one no longer works.")
            % {"name": name},
        )
    return redirect(_list_url(access, assessment_id, request.POST.get("back", "")))


@network_view(manage=True, methods=("POST",))
def invitation_revoke(
    request: HttpRequest, access: NetworkAccess, assessment_id: int, invitation_id: int
) -> HttpResponse:
    invitation = invitation_for(access, assessment_id, invitation_id)
    name = invitation.member.name
    back = request.POST.get("back", "")
    if not invitation.can_revoke:
        messages.error(request, f"{name}: {invitation.revoke_refusal}")
    elif "confirm" not in request.POST:  # a confirmation page when script did not ask
        return render_page(
            request,
            "surveys/assessment_confirm.html",
            access,
            assessment=invitation.assessment,
            heading=gettext("Revoke %(name)s's link?") % {"name": name},
            explanation=gettext(
                "%(name)s will no longer be able to answer with their link. Resend gives them "
                "a new one if you change your mind."
            )
            % {"name": name},
            action_url=reverse(
                "invitation_revoke", args=[access.network.pk, assessment_id, invitation.pk]
            ),
            button=gettext("Revoke the link"),
            cancel_url=_list_url(access, assessment_id, back),
            back=back,
        )
    else:
        try:
            services.invitation_revoke(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, f"{name}: {error.messages[0]}")
        else:
            messages.success(
                request,
                gettext("%(name)s's link no longer works. Resend gives them a new one.")
                % {"name": name},
            )
    return redirect(_list_url(access, assessment_id, back))


@network_view(manage=True, methods=("POST",))
def invitation_copy_link(
    request: HttpRequest, access: NetworkAccess, assessment_id: int, invitation_id: int
) -> HttpResponse:
    """The link is shown once, on this response: it is never stored or put in a session,
    so the raw token stays out of the database (quality S2)."""
    invitation = invitation_for(access, assessment_id, invitation_id)
    back = request.POST.get("back", "")
    try:
        url = services.invitation_copy_link(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{invitation.member.name}: {error.messages[0]}")
        return redirect(_list_url(access, assessment_id, back))
    response = render_page(
        request,
        "surveys/invitation_link.html",
        access,
        assessment=invitation.assessment,
        invitation=invitation,
        url=url,
        back_url=_list_url(access, assessment_id, back),
    )
    response["Cache-Control"] = "no-store"
    # same-origin, not no-referrer: the link is in the page, not in its address, and a
    # no-referrer page makes Chrome post its forms (sign out) with `Origin: null`,
    # which fails Django's CSRF check. Nothing is sent to other sites either way.
    response["Referrer-Policy"] = "same-origin"
    return response
