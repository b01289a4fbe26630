"""The facilitator's screen during the meeting, one dimension at a time, for a
projector and a tablet: the five levels, members' survey ratings, live ratings from
phones (polled as JSON, so the page never reloads), and per table the record of what
was agreed. The record form works as a plain post without script, and through
meeting.js, which keeps entries on the device when the connection drops."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from surveys.background_save import is_background_save
from surveys.selectors import NetworkAccess
from surveys.views.common import form_add_service_error, render_page

from .. import room, selectors, services
from ..forms import ActionForm, AgreedLevelForm
from ..models import AgreedLevel, MatrixSession, MeetingTable
from .meeting import join_url, meeting_view, qr_svg

# How often the facilitator's page asks for new live ratings, in milliseconds.
POLL_MS = 3000


def _dimension_code(meeting: MatrixSession, requested: str | None) -> str | None:
    codes = [d["code"] for d in selectors.dimensions_of(meeting.assessment)]
    if not codes:
        return None
    for code in (requested, meeting.current_dimension):
        if code in codes:
            return code
    return codes[0]


def _initial(table: room.TablePicture) -> dict:
    """What the record form starts with: what was recorded, else the proposal."""
    saved, proposal = table.saved, table.proposal
    if saved is not None:
        fields = ("level", "override_reason", "range_low", "range_high", "notes", "target")
        return {**{f: getattr(saved, f) for f in fields}, "priority": saved.priority}
    if proposal is not None:
        return {"level": proposal.level, "range_low": proposal.low, "range_high": proposal.high}
    return {}


def record_form(meeting: MatrixSession, table_id: int, data=None, initial=None):
    labels = selectors.level_labels(meeting.assessment)
    return AgreedLevelForm(data, prefix=f"t{table_id}", labels=labels, initial=initial)


def run_page(
    request: HttpRequest,
    access: NetworkAccess,
    meeting: MatrixSession,
    code: str | None,
    *,
    bound: dict | None = None,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if code is None:
        return render_page(request, "meetings/run.html", access, meeting=meeting, picture=None)
    picture = room.dimension_picture(meeting, code)
    dims = selectors.dimensions_of(meeting.assessment)
    bound = bound or {}
    tables = [
        {
            "picture": t,
            "form": bound.get(t.table.pk) or record_form(meeting, t.table.pk, initial=_initial(t)),
        }
        for t in picture.tables
    ]
    url = join_url(request, meeting)
    n = picture.number
    # Phones rate the room's dimension, which this page may not be showing (a GET
    # never moves the room): the page says so and offers to move it.
    elsewhere = meeting.is_running and meeting.current_dimension not in ("", code)
    return render_page(
        request,
        "meetings/run.html",
        access,
        http_status=status,
        meeting=meeting,
        picture=picture,
        dimensions=dims,
        elsewhere=next(
            (d["title"] for d in dims if elsewhere and d["code"] == meeting.current_dimension), ""
        ),
        previous=dims[n - 2] if n > 1 else None,
        next=dims[n] if n < len(dims) else None,
        levels=selectors.level_labels(meeting.assessment),
        table_forms=tables,
        actions=list(
            meeting.actions.select_related(*selectors.OWNER).filter(
                dimension=picture.dimension["code"]
            )
        ),
        action_total=meeting.actions.count(),
        recorded=set(meeting.agreed_levels.filter(table=None).values_list("dimension", flat=True)),
        action_form=action_form
        or ActionForm(initial={"dimension": picture.dimension["code"]}, dimensions=dims),
        relationships=room.released_relationships(meeting.assessment, picture.dimension["code"]),
        join_url=url,
        qr=qr_svg(url, gettext("QR code for %(url)s") % {"url": url}),
        poll_ms=POLL_MS,
    )


@meeting_view(methods=("GET", "POST"))
def meeting_run(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    """GET shows a dimension (`?d=`, else the one phones are rating) and changes
    nothing, so a prefetch, a crawler or a link opened elsewhere never moves the room.
    POST (Previous, Next, Go: forms with a CSRF token) moves every phone to `d`."""
    if request.method == "POST":
        code = _dimension_code(meeting, request.POST.get("d"))
        if code is not None:
            services.matrix_session_show(session=meeting, dimension=code)
        return redirect(_run_url(access, meeting, code))
    return run_page(request, access, meeting, _dimension_code(meeting, request.GET.get("d")))


def _run_url(access: NetworkAccess, meeting: MatrixSession, code: str | None) -> str:
    url = reverse("meeting_run", args=[access.network.pk, meeting.pk])
    return f"{url}?d={code}#dimension" if code else url


def live_json(meeting: MatrixSession, picture: room.DimensionPicture) -> dict:
    titles = {d["code"]: d["title"] for d in selectors.dimensions_of(meeting.assessment)}
    return {
        "status": meeting.status,
        "current": meeting.current_dimension,
        "current_title": titles.get(meeting.current_dimension, ""),
        "dimension": picture.dimension["code"],
        "total": picture.live.everyone.n,
        "counts": picture.live.everyone.as_list(),
        "tables": [
            {
                "id": t.table.pk,
                "name": t.table.name,
                "n": t.views.n,
                "counts": t.views.as_list(),
                "low": t.views.low,
                "high": t.views.high,
                "proposal": t.proposal.level if t.proposal else None,
                "proposal_text": t.proposal.description if t.proposal else "",
                "saved": t.saved.level if t.saved else None,
            }
            for t in picture.tables
        ],
        "merged": _merged_json(picture.merged),
    }


def _merged_json(merged: AgreedLevel | None) -> dict | None:
    if merged is None:
        return None
    return {
        "level": merged.level,
        "range": merged.range,
        "target": merged.target,
        "priority": merged.priority,
    }


@never_cache
@meeting_view()
def meeting_live(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    """Polled by the facilitator's page: live ratings of one dimension."""
    code = _dimension_code(meeting, request.GET.get("d"))
    if code is None:
        return JsonResponse({"status": meeting.status, "dimension": None})
    return JsonResponse(live_json(meeting, room.dimension_picture(meeting, code)))


def errors_json(form) -> list[dict]:
    out = []
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        for error in errors:
            out.append(
                {
                    "field": field.auto_id if field is not None else None,
                    "label": field.label if field is not None else "",
                    "message": error,
                }
            )
    return out


@meeting_view(methods=("POST",))
def meeting_record(
    request: HttpRequest, access: NetworkAccess, meeting: MatrixSession, table_id: int
):
    table = get_object_or_404(MeetingTable, pk=table_id, session=meeting)
    dimension = request.POST.get("dimension", "")
    form = record_form(meeting, table.pk, data=request.POST)
    if form.is_valid():
        try:
            agreed = services.agreed_level_record(
                session=meeting,
                table=table,
                dimension=dimension,
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            return _recorded(request, access, meeting, table, agreed)
    if is_background_save(request):
        return JsonResponse({"saved": False, "errors": errors_json(form)}, status=400)
    return run_page(
        request,
        access,
        meeting,
        _dimension_code(meeting, dimension),
        bound={table.pk: form},
        status=400,
    )


def _recorded(request, access, meeting, table, agreed: AgreedLevel) -> HttpResponse:
    titles = {d["code"]: d["title"] for d in selectors.dimensions_of(meeting.assessment)}
    message = gettext("%(table)s: level %(level)s recorded for %(dimension)s.") % {
        "table": table.name,
        "level": agreed.level,
        "dimension": titles[agreed.dimension],
    }
    if is_background_save(request):
        merged = AgreedLevel.objects.filter(
            session=meeting, dimension=agreed.dimension, table=None
        ).first()
        return JsonResponse({"saved": True, "message": message, "merged": _merged_json(merged)})
    messages.success(request, message)
    url = reverse("meeting_run", args=[access.network.pk, meeting.pk])
    return redirect(f"{url}?d={agreed.dimension}#table-{table.pk}")
