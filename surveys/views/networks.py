from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import progress, selectors, services
from ..forms import NetworkForm, RoleInviteForm
from ..models import NetworkRole
from ..selectors import NetworkAccess
from .common import network_view


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    networks = list(selectors.networks_for_user(request.user))
    return render(request, "surveys/network_list.html", {"networks": networks})


@login_required
def network_create(request: HttpRequest) -> HttpResponse:
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network = services.network_create(user=request.user, **form.cleaned_data)
        messages.success(
            request, _("%(name)s is ready. Next, add its members.") % {"name": network.name}
        )
        return redirect("member_list", network.pk)
    return render(request, "surveys/network_form.html", {"form": form})


@network_view()
def network_detail(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    network = access.network
    context = {
        "access": access,
        "network": network,
        "groups": selectors.groups_with_counts(network),
        "member_count": network.members.current().count(),
        "roles": network.roles.select_related("user"),
        "latest_round": progress.latest_round(network),
    }
    return render(request, "surveys/network_detail.html", context)


@network_view(manage=True)
def network_edit(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    form = NetworkForm(request.POST or None, instance=access.network)
    if request.method == "POST" and form.is_valid():
        services.network_update(network=access.network, user=request.user, **form.cleaned_data)
        messages.success(request, _("Network details saved."))
        return redirect("network_detail", access.network.pk)
    return render(request, "surveys/network_form.html", {"form": form, "network": access.network})


@network_view(manage=True)
def team(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    form = RoleInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_invite(
                network=access.network, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("team", access.network.pk)
    roles = access.network.roles.select_related("user")
    return render(
        request,
        "surveys/team.html",
        {"network": access.network, "access": access, "form": form, "roles": roles},
    )


@network_view(manage=True, methods=("POST",))
def role_remove(request: HttpRequest, access: NetworkAccess, role_id: int) -> HttpResponse:
    network_role = get_object_or_404(NetworkRole, pk=role_id, network=access.network)
    try:
        services.role_remove(network_role=network_role, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(email)s no longer has a role on this network.") % {"email": network_role.email},
        )
        if network_role.user_id == request.user.pk:
            return redirect("network_list")
    return redirect("team", access.network.pk)
