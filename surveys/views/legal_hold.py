"""A legal hold on a round: its coordinators stop (and later allow) the deletion of its
raw answers under the retention period, saying why each time (docs/retention.md)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy

from .. import services
from ..selectors import NetworkAccess
from .assessments import assessment_for
from .common import form_add_service_error, network_view, render_page


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Recorded in the audit trail. For example: complaint reference, "
            "investigation, legal claim. Do not name members."
        ),
    )


@network_view(manage=True)
def assessment_legal_hold(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if assessment.legal_hold_reason:
                services.legal_hold_lift(assessment=assessment, user=request.user, reason=reason)
                done = gettext(
                    "The legal hold is lifted: retention applies again, after a fresh warning."
                )
            else:
                services.legal_hold_place(assessment=assessment, user=request.user, reason=reason)
                done = gettext("The round is on legal hold: its raw answers will not be deleted.")
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("assessment_detail", access.network.pk, assessment.pk)
    return render_page(
        request,
        "surveys/legal_hold.html",
        access,
        http_status=400 if form.errors else 200,
        assessment=assessment,
        form=form,
        deletion_on=services.raw_data_deletion_on(assessment),
    )
