"""Participants' phones in a maturity-matrix meeting: no account, just the meeting's
short code (read off the projector or a QR code). A participant picks their table and
their level for the dimension the facilitator shows; nothing else is readable here.

A random key in the browser session stands for the participant, so each phone has one
changeable rating per dimension and nobody is named. Codes that match no meeting count
towards the same per-address limit as survey links (quality S6), and one phone can
only send so many ratings a minute."""

import secrets
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django_ratelimit.core import get_usage

from surveys.background_save import is_background_save
from surveys.views.common import FailureLimit, ratelimited

from .. import selectors, services
from ..forms import LiveRatingForm
from ..models import LiveRating, MatrixSession

PARTICIPANT_KEY = "meeting_participant"
TABLES_KEY = "meeting_tables"
# Generous: a room behind one hospital address shares the per-address limit.
RATINGS_PER_PHONE = "30/m"
RATINGS_PER_ADDRESS = "600/m"
TOO_MANY = gettext_lazy("Too many ratings from this phone: wait a minute, then send yours again.")


CODE_GUESSES = FailureLimit("meeting-code-failures")


def _ratings_limited(request: HttpRequest) -> bool:
    for key, rate in ((_participant_group_key, RATINGS_PER_PHONE), ("ip", RATINGS_PER_ADDRESS)):
        usage = get_usage(request, group="meeting-live-ratings", key=key, rate=rate, increment=True)
        if usage and usage["should_limit"]:
            return True
    return False


def participant_key(request: HttpRequest) -> str:
    if PARTICIPANT_KEY not in request.session:
        request.session[PARTICIPANT_KEY] = secrets.token_hex(16)  # 128 random bits
    return request.session[PARTICIPANT_KEY]


def _participant_group_key(group: str, request: HttpRequest) -> str:
    return participant_key(request)


def _find(code: str) -> MatrixSession | None:
    normalised = services.meeting_code_normalise(code)
    if not normalised:
        return None
    return (
        MatrixSession.objects.select_related("assessment__matrix", "assessment__network")
        .filter(code=normalised)
        .first()
    )


def join_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/join_invalid.html", status=404)


def _current(meeting: MatrixSession) -> tuple[dict | None, int, int]:
    """The dimension on screen, its number and the number of dimensions."""
    dims = selectors.dimensions_of(meeting.assessment)
    for number, dimension in enumerate(dims, start=1):
        if dimension["code"] == meeting.current_dimension:
            return dimension, number, len(dims)
    return None, 0, len(dims)


def _mine(meeting: MatrixSession, key: str, dimension: dict | None) -> int | None:
    if dimension is None:
        return None
    return (
        LiveRating.objects.filter(session=meeting, dimension=dimension["code"], participant_key=key)
        .values_list("level", flat=True)
        .first()
    )


def looked_up(view):
    """Finds the meeting by its code, or answers like an unknown survey link does."""

    @never_cache
    @wraps(view)
    def wrapper(request: HttpRequest, code: str) -> HttpResponse:
        if CODE_GUESSES.reached(request):
            return ratelimited(request, None)
        meeting = _find(code)
        if meeting is None:
            CODE_GUESSES.record_failure(request)
            return join_invalid(request)
        if code != meeting.code:  # typed in lower case or with a dash: one address
            return redirect(request.path.replace(f"/{code}/", f"/{meeting.code}/", 1))
        return view(request, meeting)

    return wrapper


@never_cache
def meeting_code_entry(request: HttpRequest) -> HttpResponse:
    """A box to type the code on the projector (also on the home page). Posted, not
    put in the address, so the code stays out of access logs (quality G4); an unknown
    code counts towards the same guessing limit as /m/<code>/."""
    code = request.POST.get("code", "").strip() if request.method == "POST" else ""
    error = None
    if request.method == "POST":
        if CODE_GUESSES.reached(request):
            return ratelimited(request, None)
        meeting = _find(code)
        if meeting is not None:
            return redirect("meeting_join", meeting.code)
        CODE_GUESSES.record_failure(request)
        error = (
            gettext("Type the code shown on the facilitator’s screen: six letters and numbers.")
            if not code
            else gettext(
                "No meeting has the code %(code)s. Check the code on the facilitator’s "
                "screen and type it again."
            )
            % {"code": code}
        )
    return render(
        request,
        "meetings/join_code.html",
        {"code": code, "error": error},
        status=404 if error and code else 400 if error else 200,
    )


@looked_up
def meeting_join(request: HttpRequest, meeting: MatrixSession) -> HttpResponse:
    key = participant_key(request)
    chosen = request.session.get(TABLES_KEY, {}).get(meeting.code)
    form = LiveRatingForm(
        request.POST or None, tables=meeting.tables.all(), initial={"table": chosen}
    )
    if request.method != "POST":
        return _page(request, meeting, form, key)
    if _ratings_limited(request):
        return _answer(request, meeting, form, TOO_MANY, 429)
    if not form.is_valid():
        return _answer(request, meeting, form, None, 400)
    try:
        rating = services.live_rating_save(
            session=meeting, participant_key=key, **form.cleaned_data
        )
    except ValidationError as error:
        return _answer(request, meeting, form, error.messages[0], 409)
    _remember_table(request, meeting, rating.table_id)
    message = gettext(
        "Your rating is in: level %(level)s. You can change it until the facilitator moves on."
    ) % {"level": rating.level}
    if is_background_save(request):
        return JsonResponse({"saved": True, "message": message, "level": rating.level})
    messages.success(request, message)
    return redirect("meeting_join", meeting.code)


def _remember_table(request: HttpRequest, meeting: MatrixSession, table_id: int) -> None:
    tables = request.session.get(TABLES_KEY, {})
    tables[meeting.code] = table_id
    request.session[TABLES_KEY] = tables


def _answer(request, meeting, form, message: str | None, status: int) -> HttpResponse:
    """A refused rating: JSON for the page's script, else the page with the reason."""
    if is_background_save(request):
        errors = [str(message)] if message else [e for errs in form.errors.values() for e in errs]
        return JsonResponse({"saved": False, "errors": errors}, status=status)
    if message:
        form.add_error(None, message)
    return _page(request, meeting, form, participant_key(request), status=status)


def _page(request, meeting, form, key: str, status: int = 200) -> HttpResponse:
    dimension, number, total = _current(meeting)
    tables = list(meeting.tables.all())
    context = {
        "network_name": meeting.assessment.network.name,
        "meeting": meeting,
        "form": form,
        "tables": tables,
        "dimension": dimension,
        "number": number,
        "total": total,
        "mine": _mine(meeting, key, dimension),
        "chosen_table": form["table"].value(),
    }
    return render(request, "meetings/join.html", context, status=status)


@looked_up
def meeting_join_state(request: HttpRequest, meeting: MatrixSession) -> HttpResponse:
    """Polled by the phone: which dimension is on screen now, and my rating of it."""
    dimension, number, total = _current(meeting)
    data = {"status": meeting.status, "dimension": None, "mine": None}
    if dimension is not None and meeting.is_running:
        data["dimension"] = {
            "code": dimension["code"],
            "title": dimension["title"],
            "description": dimension.get("description", ""),
            "number": number,
            "total": total,
            "levels": [
                {"level": lv["level"], "label": lv["label"], "descriptor": lv["descriptor"]}
                for lv in dimension["levels"]
            ],
        }
        data["mine"] = _mine(meeting, participant_key(request), dimension)
    return JsonResponse(data)
