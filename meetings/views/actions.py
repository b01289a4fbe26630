"""Take-home actions: added during the meeting (from the facilitator's screen) or
after it (from the action plan), followed up by status, exported as CSV. Leaders may
read the action plan and download it; only coordinators change it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache

from surveys.background_save import is_background_save
from surveys.models import Event
from surveys.selectors import NetworkAccess
from surveys.services import event_record
from surveys.views.common import form_add_service_error, network_view, render_page

from .. import follow_up, selectors, services
from ..forms import ActionEditForm, ActionForm, ActionStatusForm
from ..models import Action, MatrixSession
from .meeting import meeting_view
from .run import errors_json, run_page

FROM_RUN = "run"
# Said after a status changes: a whole sentence each, as Welsh words it differently.
STATUS_NOW = {
    Action.OPEN: gettext_lazy("“%(what)s” is now open."),
    Action.DONE: gettext_lazy("“%(what)s” is now done."),
    Action.DROPPED: gettext_lazy("“%(what)s” is now dropped."),
}


def plan_page(
    request: HttpRequest,
    access: NetworkAccess,
    meeting: MatrixSession,
    action_form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    dims = selectors.dimensions_of(meeting.assessment)
    return render_page(
        request,
        "meetings/actions.html",
        access,
        http_status=status,
        meeting=meeting,
        groups=selectors.actions_by_dimension(meeting),
        action_form=action_form or ActionForm(dimensions=dims),
        status_choices=Action.STATUS_CHOICES,
        today=timezone.localdate(),
    )


@meeting_view(manage=False)
def meeting_actions(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    """The action plan: leaders read it, coordinators also update it."""
    return plan_page(request, access, meeting)


@meeting_view(methods=("POST",))
def meeting_action_add(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    form = ActionForm(request.POST, dimensions=selectors.dimensions_of(meeting.assessment))
    if form.is_valid():
        try:
            action = services.action_add(session=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            return _added(request, access, meeting, action)
    if is_background_save(request):
        return JsonResponse({"saved": False, "errors": errors_json(form)}, status=400)
    if request.POST.get("from") == FROM_RUN:
        code = request.POST.get("dimension") or meeting.current_dimension or None
        return run_page(request, access, meeting, code, action_form=form, status=400)
    return plan_page(request, access, meeting, action_form=form, status=400)


def _added(request, access, meeting, action: Action) -> HttpResponse:
    due = date_format(action.due_on, "j M Y")
    message = gettext("Action added: %(what)s (%(who)s, by %(due)s).") % {
        "what": action.what,
        "who": action.who,
        "due": due,
    }
    if is_background_save(request):
        return JsonResponse(
            {
                "saved": True,
                "message": message,
                "action": {"id": action.pk, "what": action.what, "who": action.who, "due": due},
            }
        )
    messages.success(request, message)
    if request.POST.get("from") == FROM_RUN:
        url = reverse("meeting_run", args=[access.network.pk, meeting.pk])
        return redirect(f"{url}?d={action.dimension or meeting.current_dimension}#actions")
    return redirect("meeting_actions", access.network.pk, meeting.pk)


@meeting_view(methods=("POST",))
def meeting_action_status(
    request: HttpRequest, access: NetworkAccess, meeting: MatrixSession, action_id: int
):
    action = get_object_or_404(Action, pk=action_id, session=meeting)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_set_status(
            action=action, status=form.cleaned_data["status"], user=request.user
        )
        messages.success(request, STATUS_NOW[action.status] % {"what": action.what})
    else:
        messages.error(request, gettext("Choose open, done or dropped."))
    url = reverse("meeting_actions", args=[access.network.pk, meeting.pk])
    return redirect(f"{url}#action-{action.pk}")


@never_cache
@meeting_view(manage=False)
def meeting_actions_csv(request: HttpRequest, access: NetworkAccess, meeting: MatrixSession):
    response = HttpResponse(selectors.actions_csv(meeting), content_type="text/csv; charset=utf-8")
    event_record(
        Event.RESULTS_EXPORTED,
        assessment=meeting.assessment,
        actor=request.user,
        detail=f"The actions of {meeting.title[:80]} (CSV)",
    )
    filename = f"actions-{meeting.held_on.isoformat()}-{meeting.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- after the meeting: every action of the network -------------------------------


@network_view()
def network_actions(request: HttpRequest, access: NetworkAccess):
    """Every action of the network's meetings, open ones first, each with a way to edit
    it: owner, due date, status."""
    return render_page(
        request,
        "meetings/network_actions.html",
        access,
        actions=selectors.network_actions(access.network),
        today=timezone.localdate(),
    )


@network_view(manage=True, methods=("GET", "POST"))
def action_edit(request: HttpRequest, access: NetworkAccess, action_id: int):
    action = selectors.action_for(access.network, action_id)
    owners = follow_up.owner_choices(access.network)
    if request.method == "POST":
        form = ActionEditForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                follow_up.action_update(action=action, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request,
                    gettext("Action saved: %(what)s (%(who)s).")
                    % {"what": action.what, "who": action.owner_name},
                )
                url = reverse("network_actions", args=[access.network.pk])
                return redirect(f"{url}#action-{action.pk}")
    else:
        initial = {
            "what": action.what,
            "owner": follow_up.owner_value(action),
            "who": "" if follow_up.owner_value(action) else action.who,
            "due_on": action.due_on,
            "status": action.status,
        }
        form = ActionEditForm(initial=initial, owners=owners)
    return render_page(
        request,
        "meetings/action_edit.html",
        access,
        http_status=400 if form.errors else 200,
        action=action,
        form=form,
    )
