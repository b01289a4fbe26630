"""A member's personal link and the session it opens (quality S2 to S6).

The token in the emailed link is swapped for a session on first use and the browser is
sent to a token-free address, so the token never sits in the address bar, history or a
Referer header. Every survey page (surveys/views/member.py) is reached through
`member_view`, which checks on each request that the link still works, and shows the
page in the language chosen in this browser, else the member's recorded one.
"""

from dataclasses import dataclass
from functools import lru_cache, wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from .. import languages, services
from ..models import Instrument, Invitation, Response
from ..survey_pages import Page, survey_pages, survey_pages_after
from .common import FailureLimit, ratelimited

SESSION_KEY = "survey_invitation"
# The hash of the link the session was opened with: a resend (a new link) ends it.
LINK_KEY = "survey_link"
# The invitation this browser submitted: only that browser sees the thank-you page.
SUBMITTED_KEY = "survey_submitted"
# What that browser may still open once it has submitted.
AFTER_SUBMIT = ("survey_thanks", "survey_my_answers")


@dataclass
class Survey:
    invitation: Invitation
    response: Response | None
    pages: list[Page]

    @property
    def assessment(self):
        return self.invitation.assessment

    def index_of(self, key: str) -> int | None:
        return next((i for i, p in enumerate(self.pages) if p.key == key), None)

    def resume_url(self) -> str:
        key = self.response.current_page if self.response else ""
        if self.index_of(key) is None:
            key = self.pages[0].key
        return reverse("survey_page", args=[key])


def link_invalid(request: HttpRequest) -> HttpResponse:
    """One page and one status for unknown, expired, revoked and used links (S5)."""
    for key in (SESSION_KEY, LINK_KEY, SUBMITTED_KEY):
        request.session.pop(key, None)
    response = render(request, "surveys/survey/link_invalid.html", status=404)
    response["Cache-Control"] = "no-store"
    return response


LINK_GUESSES = FailureLimit("survey-link-failures")


@never_cache
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    # Only failed attempts count, so members sharing one hospital address are not
    # blocked by each other; a guesser is stopped after 10 misses a minute (S6).
    if LINK_GUESSES.reached(request):
        return ratelimited(request, None)
    invitation = services.invitation_for_token(token)
    if invitation is None:
        LINK_GUESSES.record_failure(request)
        return link_invalid(request)
    services.invitation_open(invitation=invitation)
    # A copied link works once: from here this browser's session carries on.
    invitation = services.copied_link_first_use(invitation=invitation)
    request.session.cycle_key()
    request.session[SESSION_KEY] = invitation.pk
    request.session[LINK_KEY] = invitation.token_hash
    request.session[languages.MEMBER_KEY] = invitation.member.language
    # The email's link to the other language (`?lang=cy`) chooses it for this browser.
    asked = languages.asked_for(request)
    if asked:
        languages.remember(request, asked)
    return redirect("survey_welcome")


def member_view(view):
    """Loads the member's invitation from the session in one query, and turns away a
    link that has stopped working (S3) before the view runs."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        invitation_id = request.session.get(SESSION_KEY)
        invitation = (
            Invitation.objects.select_related(
                "member",
                "assessment__network",
                "assessment__health_scorecard",
                "assessment__matrix",
                "response",
            )
            # The instruments' texts are read once per process (`_instrument_pages`).
            .defer("assessment__health_scorecard__definition", "assessment__matrix__definition")
            .filter(pk=invitation_id)
            .first()
            if invitation_id
            else None
        )
        if invitation is None or invitation.token_hash != request.session.get(LINK_KEY):
            return link_invalid(request)
        if invitation.status == Invitation.COMPLETED:
            elsewhere = _after_submit(request, invitation, view.__name__)
            if elsewhere is not None:
                return elsewhere
        elif not services.invitation_is_live(invitation):
            return link_invalid(request)
        language = _language(request, invitation)
        languages.activate(language)
        survey = Survey(
            invitation, getattr(invitation, "response", None), _pages(invitation, language)
        )
        response = view(request, survey, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def language_choose(request: HttpRequest, invitation: Invitation, language: str) -> None:
    """The member chose a language on a survey page: this browser shows it from now on,
    and it is their recorded choice (their emails use it too)."""
    languages.remember(request, language)
    member = invitation.member
    if member.language != language:
        member.language = language
        type(member).objects.filter(pk=member.pk).update(language=language)


def _language(request: HttpRequest, invitation: Invitation) -> str:
    """A `?lang=` link chooses (and is recorded); else the browser's choice; else the
    member's recorded language."""
    asked = languages.asked_for(request)
    if asked:
        language_choose(request, invitation, asked)
        return asked
    return languages.chosen(request) or languages.supported(invitation.member.language) or "en"


def _after_submit(
    request: HttpRequest, invitation: Invitation, view_name: str
) -> HttpResponse | None:
    """Where a used link's session goes (S3, S5); None: on to the thank-you page.

    The browser that submitted keeps its thank-you page (a reload, a double click). Any
    other browser holding a session of the link, one that opened it on another device
    or just as the member submitted elsewhere, gets the page an unknown link gets, as a
    fresh browser opening the used link does. A submit posted again goes to the
    thank-you page whatever the browser: that is the double click, and the thank-you
    page then checks the browser in turn."""
    if view_name == "survey_submit":
        return redirect("survey_thanks")
    if request.session.get(SUBMITTED_KEY) != invitation.pk:
        return link_invalid(request)
    if view_name not in AFTER_SUBMIT:
        return redirect("survey_thanks")
    return None


def _pages(invitation: Invitation, language: str) -> list[Page]:
    assessment = invitation.assessment
    custom = list(assessment.custom_questions.values("code", "kind", "text"))
    versions = (
        (i.pk, i.checksum) if i else None for i in (assessment.health_scorecard, assessment.matrix)
    )
    return survey_pages_after(
        _instrument_pages(*versions, language),
        custom,
        assessment.follow_up_questions,
        roster=assessment.asks_roster,
    )


@lru_cache(maxsize=32)
def _instrument_pages(
    scorecard: tuple | None, matrix: tuple | None, language: str = "en"
) -> tuple[Page, ...]:
    """The pages of a pair of instrument versions, each given as (id, checksum), in a
    language, built once per process: a loaded version never changes, so a member's
    every page need not fetch and lay out its definitions again (docs/performance.md,
    P2 and P7)."""
    ids = [version[0] for version in (scorecard, matrix) if version]
    definitions = dict(Instrument.objects.filter(pk__in=ids).values_list("pk", "definition"))
    with languages.override(language):
        return tuple(
            survey_pages(
                languages.localised(definitions[scorecard[0]], language) if scorecard else None,
                languages.localised(definitions[matrix[0]], language) if matrix else None,
            )
        )
