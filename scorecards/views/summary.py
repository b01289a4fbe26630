"""The members' summary: the coordinator publishes, emails and revokes it from a
round's dashboard; anyone holding its link reads it, signed out. Like a share link,
the link's token is swapped into the session and the page has a token-free address."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from surveys import languages
from surveys.models import Assessment, Invitation
from surveys.selectors import NetworkAccess
from surveys.views.common import network_view
from surveys.views.member_link import LINK_KEY
from surveys.views.member_link import SESSION_KEY as MEMBER_KEY

from .. import selectors, summaries
from ..models import MemberSummary

SESSION_KEY = "member_summaries"
SENT = (summaries.EVERYONE, summaries.ANSWERED)  # whom a note may go to
# The audiences as the dashboard offers them (summaries.AUDIENCES, in English there).
AUDIENCES = [
    (summaries.EVERYONE, gettext_lazy("Every invited member")),
    (summaries.ANSWERED, gettext_lazy("Only those who answered")),
]


def _round(access: NetworkAccess, assessment_id: int) -> Assessment:
    return get_object_or_404(Assessment, pk=assessment_id, network=access.network)


def _back(assessment: Assessment) -> HttpResponse:
    return redirect("assessment_dashboard", assessment.network_id, assessment.pk)


def _send(request: HttpRequest, summary: MemberSummary) -> None:
    audience = request.POST.get("audience", "")
    if audience not in SENT:
        return
    queued = summaries.member_summary_send(summary=summary, audience=audience, user=request.user)
    told = _sent_words(audience, queued) % {"n": queued}
    messages.success(request, f"{told} {_('Unsubscribed members are never emailed.')}")


def _sent_words(audience: str, queued: int) -> str:
    if audience == summaries.EVERYONE:
        return ngettext(
            "Emailing every invited member who had not been told yet: %(n)s member.",
            "Emailing every invited member who had not been told yet: %(n)s members.",
            queued,
        )
    return ngettext(
        "Emailing the members who answered who had not been told yet: %(n)s member.",
        "Emailing the members who answered who had not been told yet: %(n)s members.",
        queued,
    )


@network_view(manage=True, methods=("POST",))
def summary_publish(request: HttpRequest, access: NetworkAccess, assessment_id: int):
    assessment = _round(access, assessment_id)
    if not assessment.releases.exists():
        raise Http404
    summary = summaries.member_summary_publish(assessment=assessment, user=request.user)
    messages.success(request, _("The members' summary is published."))
    _send(request, summary)
    return _back(assessment)


@network_view(manage=True, methods=("POST",))
def summary_send(request: HttpRequest, access: NetworkAccess, assessment_id: int):
    assessment = _round(access, assessment_id)
    summary = summaries.live_summary(assessment)
    if summary is None:
        raise Http404
    _send(request, summary)
    return _back(assessment)


@network_view(manage=True, methods=("POST",))
def summary_revoke(request: HttpRequest, access: NetworkAccess, assessment_id: int):
    assessment = _round(access, assessment_id)
    summary = summaries.live_summary(assessment)
    if summary is not None:
        summaries.member_summary_revoke(summary=summary, user=request.user)
    messages.success(request, _("The members' summary link no longer works."))
    return _back(assessment)


def _grant(request: HttpRequest, summary: MemberSummary) -> HttpResponse:
    granted = set(request.session.get(SESSION_KEY, []))
    request.session[SESSION_KEY] = sorted(granted | {summary.pk})
    return redirect("member_summary", summary.pk)


@never_cache
@ratelimit(key="ip", rate="30/m", block=True)
def member_summary_open(request: HttpRequest, token: str) -> HttpResponse:
    """Swap the link's token for the session, then a token-free address."""
    summary = summaries.summary_for_token(token)
    if summary is None:
        return render(request, "scorecards/share_invalid.html", status=404)
    return _grant(request, summary)


@never_cache
def member_summary_for_round(request: HttpRequest) -> HttpResponse:
    """From the thank-you page: the member's own round's summary, if published."""
    invitation = (
        Invitation.objects.select_related("member")
        .filter(pk=request.session.get(MEMBER_KEY))
        .first()
    )
    if invitation is None or invitation.token_hash != request.session.get(LINK_KEY):
        raise Http404
    summary = summaries.live_summary(invitation.assessment)
    if summary is None:
        raise Http404
    # In the member's language, as their survey was, unless this browser chose one.
    request.session[languages.MEMBER_KEY] = invitation.member.language
    return _grant(request, summary)


@never_cache
def member_summary(request: HttpRequest, summary_id: int) -> HttpResponse:
    if summary_id not in request.session.get(SESSION_KEY, []):
        return render(request, "scorecards/share_invalid.html", status=404)
    summary = (
        MemberSummary.objects.select_related("assessment__network")
        .filter(pk=summary_id, revoked_at__isnull=True)
        .first()
    )
    if summary is None:
        return render(request, "scorecards/share_invalid.html", status=404)
    assessment = summary.assessment
    release = selectors.latest_release(assessment)
    context = {"assessment": assessment, "network": assessment.network, "release": release}
    if release is not None:
        context.update(summaries.summary_content(assessment, release))
    response = render(request, "scorecards/member_summary.html", context)
    response["Referrer-Policy"] = "same-origin"
    return response
