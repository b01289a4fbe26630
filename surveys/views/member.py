"""The member's survey pages: welcome, a page per section, review, submit, thanks, and
unsubscribing (quality S3, R5). Each is reached only through the session a personal
link opened (surveys/views/member_link.py). Every survey page is uncacheable.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import languages, selectors, services
from ..background_save import is_background_save
from ..models import Invitation, Member, Tie
from ..survey_pages import ROSTER, Page, answer_label
from .member_link import (
    SESSION_KEY,
    SUBMITTED_KEY,
    Survey,
    language_choose,
    link_invalid,
    member_view,
)


def _context(survey: Survey, **extra) -> dict:
    return {
        "network_name": survey.assessment.network.name,
        "assessment": survey.assessment,
        **extra,
    }


def _answering_minutes(instrument) -> int | None:
    return instrument.answering_minutes if instrument else None


def _dimensions(instrument) -> int:
    return instrument.dimension_count if instrument else 0


def _page_of(index: int, survey: Survey) -> str:
    return _("Page %(number)s of %(count)s") % {"number": index + 1, "count": len(survey.pages)}


def _switched_language(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    """The page's language button (`language` in its own form, so the answers were
    saved first): the same page again, in the language chosen."""
    language = languages.supported(request.POST.get("language"))
    if language is None:
        return None
    language_choose(request, survey.invitation, language)
    return redirect(request.get_full_path())


@member_view
def survey_welcome(request: HttpRequest, survey: Survey) -> HttpResponse:
    if request.method == "POST":
        survey.response = services.response_start(invitation=survey.invitation)
        return redirect(survey.resume_url())
    instrument = survey.assessment.health_scorecard or survey.assessment.matrix
    definition = languages.localised(instrument.definition, languages.current())
    context = _context(
        survey,
        title=survey.assessment.title,
        introduction=definition.get("introduction", definition["description"]),
        minutes=_answering_minutes(survey.assessment.health_scorecard),
        matrix_dimensions=_dimensions(survey.assessment.matrix),
        threshold=survey.assessment.anonymity_threshold,
        closes_on=survey.assessment.closes_on,
        started=survey.response is not None,
        optout_url=reverse("survey_opt_out"),
        asks_roster=survey.assessment.asks_roster,
        on_roster=survey.invitation.member.is_on_roster,
        roster_choice_url=reverse("survey_roster_choice"),
    )
    return render(request, "surveys/survey/welcome.html", context)


@member_view
def survey_page(request: HttpRequest, survey: Survey, page_key: str) -> HttpResponse:
    index = survey.index_of(page_key)
    if index is None:
        return redirect(survey.resume_url() if survey.response else reverse("survey_welcome"))
    if survey.response is None:
        survey.response = services.response_start(invitation=survey.invitation)
    page = survey.pages[index]
    if page.questions and page.questions[0].kind == ROSTER:
        return _roster_page(request, survey, index, page)
    errors: dict = {}
    if request.method == "POST":
        values, errors = services.parse_page(page, request.POST)
        survey.response.assessment = survey.assessment  # loaded already: no query to save
        try:
            services.answers_save(response=survey.response, page=page, values=values)
        except services.ResponseLocked:
            return link_invalid(request)
        if is_background_save(request):
            return JsonResponse(
                {"saved": not errors, "errors": errors}, status=400 if errors else 200
            )
        if request.POST.get("nav") == "back":
            return redirect(_page_url(survey, index - 1))
        switched = _switched_language(request, survey)
        if switched is not None:
            return switched
        # A page posted complete needs no reading back; otherwise what is missing may
        # have been saved before.
        if not errors and services.missing_answers(page, values):
            errors = services.missing_answers(
                page, selectors.response_answers(survey.response, page)
            )
        if not errors:
            return redirect(_page_url(survey, index + 1))
    saved = selectors.response_answers(survey.response, page)
    if request.method == "POST":
        saved.update({k: v for k, v in request.POST.items() if k in errors})
    context = _context(
        survey,
        page=page,
        rows=[
            {"q": q, "value": saved.get(q.code), "error": errors.get(q.code)}
            for q in page.questions
        ],
        errors=errors,
        progress_label=_page_of(index, survey),
        progress_percent=round(100 * index / len(survey.pages)),
        has_previous=True,
        autosave_url=request.path,
    )
    return render(request, "surveys/survey/page.html", context, status=400 if errors else 200)


def _roster_page(request: HttpRequest, survey: Survey, index: int, page: Page) -> HttpResponse:
    """The roster question: a search of the member list (a GET form, so it works
    without script and keeps the member's place), the people chosen so far with how
    closely, and whether they may be shown by name. Adding or removing someone is a
    post that comes back to the same search."""
    member, response = survey.invitation.member, survey.response
    search = request.GET.get("q", request.POST.get("q", "")).strip()[:100]
    group = request.GET.get("g", request.POST.get("g", ""))
    group_id = int(group) if group.isdigit() else None
    errors: dict = {}
    if request.method == "POST":
        if "roster" in request.POST:  # the member's choice to be offered to others
            services.member_roster_choose(member=member, on_roster=request.POST["roster"] == "join")
            return redirect(request.path)
        if not member.is_on_roster:  # the short form: Back, Continue, the language
            switched = _switched_language(request, survey)
            if switched is not None:
                return switched
        post = services.roster_parse(request.POST)
        response.assessment = survey.assessment
        try:
            services.roster_save(response=response, member=member, post=post)
        except services.ResponseLocked:
            return link_invalid(request)
        errors = post.errors
        if is_background_save(request):
            return JsonResponse(
                {"saved": not errors, "errors": errors}, status=400 if errors else 200
            )
        nav = request.POST.get("nav")
        if nav == "back" and not errors:
            return redirect(_page_url(survey, index - 1))
        switched = _switched_language(request, survey) if not errors else None
        if switched is not None:
            return switched
        if nav == "next" and not errors:
            errors = services.roster_missing(response=response)
            if not errors:
                services.roster_answer(response=response)
                return redirect(_page_url(survey, index + 1))
        elif not errors:
            return redirect(_roster_url(request.path, search, group, post))
    offset = request.GET.get("from", "0")
    offset = int(offset) if offset.isdigit() else 0
    candidates, matching = selectors.roster_candidates(
        member, search=search, group_id=group_id, offset=offset
    )
    picks = selectors.roster_picks(response)
    chosen = {p["member_id"] for p in picks}
    context = _context(
        survey,
        page=page,
        errors=errors,
        on_roster=member.is_on_roster,
        left_roster=member.left_roster_at is not None,
        search=search,
        group=group_id,
        groups=list(survey.assessment.network.groups.values_list("pk", "name")),
        candidates=[{**c, "chosen": c["pk"] in chosen} for c in candidates],
        matching=matching,
        offset=offset,
        shown_to=offset + len(candidates),
        next_offset=offset + len(candidates) if offset + len(candidates) < matching else None,
        picks=[{**p, "error": errors.get(f"c-{p['member_id']}")} for p in picks],
        closeness_choices=Tie.CLOSENESS_CHOICES,
        named_on_map=response.named_on_map,
        progress_label=_page_of(index, survey),
        progress_percent=round(100 * index / len(survey.pages)),
        autosave_url=request.path,
    )
    return render(request, "surveys/survey/roster.html", context, status=400 if errors else 200)


def _roster_url(path: str, search: str, group: str, post) -> str:
    """Back to the same search after adding or removing someone, with the focus on the
    person just added (their closeness) or on the list of people chosen."""
    query = urlencode({k: v for k, v in (("q", search), ("g", group)) if v})
    anchor = f"#c-{post.add[0]}" if post.add else "#picks"
    return f"{path}{'?' + query if query else ''}{anchor}"


def _page_url(survey: Survey, index: int) -> str:
    if index < 0:
        return reverse("survey_welcome")
    if index >= len(survey.pages):
        return reverse("survey_review")
    return reverse("survey_page", args=[survey.pages[index].key])


def _page_summaries(survey: Survey) -> list[dict]:
    """Each page with the member's answers in words, read in one go (a query per kind
    of answer, not per page)."""
    everything = Page(
        key="all", title="", questions=tuple(q for p in survey.pages for q in p.questions)
    )
    saved = selectors.response_answers(survey.response, everything)
    summaries = []
    for page in survey.pages:
        on_page = {q.code: saved[q.code] for q in page.questions if q.code in saved}
        rows = [{"q": q, "answer": answer_label(q, on_page.get(q.code))} for q in page.questions]
        summaries.append(
            {
                "page": page,
                "rows": rows,
                "answered": sum(1 for row in rows if row["answer"]),
                "missing": services.missing_answers(page, on_page),
            }
        )
    return summaries


@member_view
def survey_review(request: HttpRequest, survey: Survey) -> HttpResponse:
    if survey.response is None:
        return redirect("survey_welcome")
    summaries = _page_summaries(survey)
    # Progress counts answered questions, not pages passed: arriving here with most of
    # the survey skipped must not read 100%.
    answered = sum(s["answered"] for s in summaries)
    total = sum(len(s["rows"]) for s in summaries)
    context = _context(
        survey,
        summaries=summaries,
        incomplete=[s for s in summaries if s["missing"]],
        progress_label=_("Check your answers: %(answered)s of %(total)s questions answered")
        % {"answered": answered, "total": total},
        progress_percent=round(100 * answered / total) if total else 100,
        show_errors=request.GET.get("incomplete") == "1",
    )
    return render(request, "surveys/survey/review.html", context)


@require_POST
@member_view
def survey_submit(request: HttpRequest, survey: Survey) -> HttpResponse:
    if survey.response is None:
        return redirect("survey_welcome")
    if any(s["missing"] for s in _page_summaries(survey)):
        return redirect(reverse("survey_review") + "?incomplete=1")
    # This browser is the one that submitted: noted, and saved now rather than at the
    # end of the request, so it is on record before the submission is (a double
    # click's second request may see the submission and go to the thank-you page
    # before this one has finished).
    request.session[SUBMITTED_KEY] = survey.invitation.pk
    request.session.save()
    services.response_submit(response=survey.response)
    return redirect("survey_thanks")


@member_view
def survey_thanks(request: HttpRequest, survey: Survey) -> HttpResponse:
    if survey.invitation.status != Invitation.COMPLETED:
        return redirect("survey_welcome")
    return render(request, "surveys/survey/thanks.html", _context(survey))


@require_POST
@member_view
def survey_roster_choice(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The member takes their name off the roster, or puts it back, from the welcome
    page; their answers to the rest of the survey are untouched."""
    services.member_roster_choose(
        member=survey.invitation.member, on_roster=request.POST.get("roster") == "join"
    )
    return redirect("survey_welcome")


@member_view
def survey_opt_out(request: HttpRequest, survey: Survey) -> HttpResponse:
    if request.method == "POST":
        services.invitation_opt_out(invitation=survey.invitation)
        request.session.pop(SESSION_KEY, None)
        return render(request, "surveys/survey/opted_out.html", _context(survey))
    return render(request, "surveys/survey/opt_out.html", _context(survey))


@never_cache
def unsubscribe(request: HttpRequest, signed: str) -> HttpResponse:
    if request.method == "POST":
        member = services.member_unsubscribe_by_link(signed=signed)
        if member is None:
            return link_invalid(request)
        return render(
            request, "surveys/survey/unsubscribed.html", {"network_name": member.network.name}
        )
    return render(request, "surveys/survey/unsubscribe.html", {})


def member_language(request: HttpRequest, member: Member) -> None:
    """Pages reached from a member's own email link (unsubscribe, erasure) are in the
    language chosen in this browser, else the member's recorded one."""
    if not languages.chosen(request) and not languages.asked_for(request):
        languages.activate(member.language)
