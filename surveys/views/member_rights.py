"""A member's rights over their data (docs/retention.md): erasure, asked for through
the link in every email sent to them or through a coordinator; a subject access export
for the coordinator to give them; and a copy of their own answers, which only they can
download, from the thank-you page right after submitting."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import selectors, services
from ..models import Event, Invitation, Member, Tie
from ..selectors import NetworkAccess
from ..spreadsheets import csv_text
from ..subject_access import member_record
from .common import network_view, render_page
from .member import _page_summaries, member_language
from .member_link import LINK_KEY, SESSION_KEY, SUBMITTED_KEY, Survey, member_view


def _member(access: NetworkAccess, member_id: int) -> Member:
    """A member of this network not erased yet (removed ones too: they may ask)."""
    return get_object_or_404(
        Member.objects.select_related("group", "network"),
        pk=member_id,
        network=access.network,
        erased_at__isnull=True,
    )


def _download(content: str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


# ---- the coordinator's side --------------------------------------------------------


@network_view(manage=True)
def member_erase(request: HttpRequest, access: NetworkAccess, member_id: int) -> HttpResponse:
    """A confirmation page, then the erasure (a POST with `confirm`)."""
    member = _member(access, member_id)
    if request.method == "POST" and "confirm" in request.POST:
        services.member_erase(member=member, user=request.user)
        messages.success(
            request,
            _(
                "The member's personal data is erased: no name, address or organisation is "
                "left. Their submitted answers still count, anonymously."
            ),
        )
        return redirect("member_list", access.network.pk)
    answered = Invitation.objects.filter(member=member, status=Invitation.COMPLETED).count()
    return render_page(
        request, "surveys/member_erase.html", access, member=member, answered=answered
    )


@network_view(manage=True)
def member_data(request: HttpRequest, access: NetworkAccess, member_id: int) -> HttpResponse:
    """Everything held about one member, as JSON, for a subject access request. The
    download is recorded in the audit trail."""
    member = _member(access, member_id)
    record = member_record(member)
    services.event_record(Event.MEMBER_DATA_EXPORTED, member=member, actor=request.user)
    content = json.dumps(record, indent=2, ensure_ascii=False)
    return _download(content, "application/json; charset=utf-8", f"member-{member.pk}-data.json")


# ---- the member's side -------------------------------------------------------------


def _no_such_link(request: HttpRequest) -> HttpResponse:
    response = render(request, "surveys/survey/link_invalid.html", status=404)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def member_erase_by_link(request: HttpRequest, signed: str) -> HttpResponse:
    """The erasure link in every email to a member: what goes and what stays, then a
    POST erases."""
    member = services.member_for_erasure_link(signed)
    if member is None:
        return _no_such_link(request)
    member_language(request, member)
    context = {"network_name": member.network.name}
    if request.method == "POST":
        services.member_erase(member=member, by_member=True)
        for key in (SESSION_KEY, LINK_KEY, SUBMITTED_KEY):
            request.session.pop(key, None)
        return render(request, "surveys/survey/erased.html", context)
    response = render(request, "surveys/survey/erase.html", context)
    response["Referrer-Policy"] = "same-origin"
    return response


@member_view
def survey_my_answers(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The member's own answers, in the words they chose them by, as a CSV file: from
    their own session only, once they have submitted (nobody else can read them)."""
    if survey.invitation.status != Invitation.COMPLETED or survey.response is None:
        return redirect("survey_welcome")
    closeness = {value: str(label) for value, label in Tie.CLOSENESS_CHOICES}
    rows = [
        [summary["page"].title, row["q"].text, row["answer"]]
        for summary in _page_summaries(survey)
        for row in summary["rows"]
    ]
    rows += [
        [_("Who you have worked with"), pick["member__name"], closeness.get(pick["closeness"], "")]
        for pick in selectors.roster_picks(survey.response)
    ]
    text = csv_text([_("Section"), _("Question"), _("Your answer")], rows)
    return _download(text, "text/csv; charset=utf-8", "my-answers.csv")
