"""A coordinator asks for interim results."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from surveys.models import Assessment
from surveys.selectors import NetworkAccess
from surveys.views.common import network_view

from ..releases import interim_release_request


@network_view(manage=True, methods=("POST",))
def release_interim(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=assessment_id, network=access.network)
    refusal = interim_release_request(assessment=assessment, user=request.user)
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(
            request,
            _(
                "Interim results are being released. They appear here in a moment, for "
                "everyone who can read this round's results."
            ),
        )
    return redirect("assessment_dashboard", access.network.pk, assessment.pk)
