"""The coordinator's maturity-matrix meetings: plan one (title, date, tables, notes),
print the blank grid, open it to participants' phones, close it. Running a dimension
is in run.py, actions in actions.py, participants' phones in live.py.

Every page goes through `network_view` (the one scoping check) and then finds the
meeting among that network's only, so another network's meeting is a 404."""

import re
from functools import wraps

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from surveys.selectors import NetworkAccess
from surveys.views.common import form_add_service_error, network_view, render_page

from .. import selectors, services
from ..forms import MeetingForm
from ..models import MatrixSession


def meeting_view(*, manage: bool = True, methods: tuple[str, ...] | None = None):
    """`network_view`, then the meeting of that network: views get (request, access,
    meeting, ...)."""

    def decorator(view):
        @network_view(manage=manage, methods=methods)
        @wraps(view)
        def wrapper(request: HttpRequest, access: NetworkAccess, meeting_id: int, **kwargs):
            meeting = selectors.meeting_for(access.network, meeting_id)
            return view(request, access, meeting, **kwargs)

        return wrapper

    return decorator


def join_url(request: HttpRequest, meeting: MatrixSession) -> str:
    # The address the facilitator's own browser used, so phones in the same room
    # reach the same host.
    return request.build_absolute_uri(reverse("meeting_join", args=[meeting.code]))


def qr_svg(url: str, label: str) -> str:
    """An inline SVG QR code, drawn here so no third party sees the address."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"', "<svg", svg)
    title = label.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    svg = svg.replace("<svg", f'<svg class="qr" role="img" aria-label="{title}"', 1)
    return mark_safe(svg)  # built here from our own URL, with the label escaped


# ---- list, plan, edit --------------------------------------------------------------


@network_view(manage=True)
def meeting_list(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    return render_page(
        request,
        "meetings/list.html",
        access,
        meetings=list(selectors.meetings_of(access.network)),
        has_matrix=selectors.matrix_assessments(access.network).exists(),
    )


@network_view(manage=True)
def meeting_create(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    choices = selectors.matrix_assessments(access.network)
    chosen = request.GET.get("assessment")
    initial = {"assessment": chosen} if chosen and chosen.isdigit() else {}
    form = MeetingForm(request.POST or None, assessments=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.matrix_session_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request,
                gettext(
                    "%(title)s planned. Print the blank grid for participants, then start "
                    "the meeting on the day."
                )
                % {"title": meeting.title},
            )
            return redirect("meeting_detail", access.network.pk, meeting.pk)
    return render_page(
        request,
        "meetings/form.html",
        access,
        form=form,
        meeting=None,
        has_choices=choices.exists(),
        cancel_url=reverse("meeting_list", args=[access.network.pk]),
    )


@meeting_view()
def meeting_edit(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    tables = "\n".join(t.name for t in meeting.tables.all())
    form = MeetingForm(
        request.POST or None,
        initial={
            "title": meeting.title,
            "held_on": meeting.held_on,
            "tables": tables,
            "facilitator_notes": meeting.facilitator_notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.matrix_session_update(session=meeting, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, gettext("%(title)s saved.") % {"title": meeting.title})
            return redirect("meeting_detail", access.network.pk, meeting.pk)
    return render_page(
        request,
        "meetings/form.html",
        access,
        form=form,
        meeting=meeting,
        has_choices=True,
        cancel_url=reverse("meeting_detail", args=[access.network.pk, meeting.pk]),
    )


# ---- one meeting -------------------------------------------------------------------


@meeting_view()
def meeting_detail(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    tables = list(meeting.tables.all())
    url = join_url(request, meeting)
    return render_page(
        request,
        "meetings/detail.html",
        access,
        meeting=meeting,
        tables=tables,
        grid=selectors.results_grid(meeting, tables),
        levels=selectors.level_labels(meeting.assessment),
        action_count=meeting.actions.count(),
        join_url=url,
        qr=qr_svg(url, gettext("QR code for %(url)s") % {"url": url}),
    )


@meeting_view()
def meeting_print(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    """The blank grid for participants to read beforehand and write on."""
    return render_page(
        request,
        "meetings/print.html",
        access,
        meeting=meeting,
        definition=selectors.matrix_definition(meeting.assessment),
        tables=list(meeting.tables.all()),
        join_url=join_url(request, meeting),
    )


@meeting_view(methods=("POST",))
def meeting_start(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    try:
        services.matrix_session_start(session=meeting)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("meeting_detail", access.network.pk, meeting.pk)
    messages.success(
        request,
        gettext("The meeting has started: phones can now join with the code %(code)s.")
        % {"code": meeting.code},
    )
    return redirect("meeting_run", access.network.pk, meeting.pk)


@meeting_view(methods=("POST",))
def meeting_close(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    run_url = reverse("meeting_run", args=[access.network.pk, meeting.pk])
    if meeting.is_closed:
        messages.info(request, gettext("This meeting is already closed."))
        return redirect("meeting_detail", access.network.pk, meeting.pk)
    if not meeting.actions.exists():
        messages.error(
            request,
            gettext(
                "The meeting cannot close yet: add at least one take-home action (what "
                "will happen next, who will do it and by when)."
            ),
        )
        return redirect(f"{run_url}?d={meeting.current_dimension}#new-action")
    if "confirm" not in request.POST:  # a confirmation page
        recorded = meeting.agreed_levels.filter(table=None).count()
        return render_page(
            request,
            "meetings/confirm.html",
            access,
            meeting=meeting,
            missing=len(selectors.dimensions_of(meeting.assessment)) - recorded,
            cancel_url=run_url,
        )
    services.matrix_session_close(session=meeting)
    messages.success(
        request,
        gettext(
            "The meeting is closed. Its agreed levels now show on the dashboard; follow "
            "up the actions from the action plan."
        ),
    )
    return redirect("meeting_detail", access.network.pk, meeting.pk)
