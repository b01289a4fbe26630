"""The coordinator's pages for a round: create and edit, its own questions, progress,
closing and extending. Leaders may read the list, the summary and the progress.

No page here reads an answer: coordinators see who has responded, never what anyone
answered (quality T1)."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from .. import languages, progress, services
from ..assessment_forms import AssessmentForm, CustomQuestionForm, ExtendForm
from ..models import Assessment, CustomQuestion, Invitation, Member, Network
from ..selectors import NetworkAccess
from ..services.assessments import DAYS_BEFORE_MEETING
from .common import form_add_service_error, network_view, render_page

# The preview's link is built from this dummy salt and never stored, so it opens nothing.
PREVIEW_SALT = "0" * 32
LINK_PLACEHOLDER = "(the member's personal link)"
UNSUBSCRIBE_PLACEHOLDER = "(the member's unsubscribe link)"
ERASE_PLACEHOLDER = "(the member's erasure link)"
SAMPLE_MEMBER = {"name": "Alex Example", "email": "alex.example@example.org"}


def assessment_for(access: NetworkAccess, assessment_id: int) -> Assessment:
    """A round of this network only: another network's id is a 404."""
    return get_object_or_404(Assessment, pk=assessment_id, network=access.network)


# ---- the list and one round --------------------------------------------------------


@network_view()
def assessment_list(request: HttpRequest, access: NetworkAccess) -> HttpResponse:
    return render_page(
        request, "surveys/assessment_list.html", access, rounds=progress.rounds_of(access.network)
    )


@network_view()
def assessment_detail(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.select_related("health_scorecard", "matrix"),
        pk=assessment_id,
        network=access.network,
    )
    totals = progress.invitation_totals(assessment)
    question_count = assessment.custom_questions.count()
    return render_page(
        request,
        "surveys/assessment_detail.html",
        access,
        assessment=assessment,
        instruments=assessment.instruments,
        totals=totals,
        response_rate=progress.rate(totals["completed"], totals["invited"]),
        question_count=question_count,
        locked=totals["total"] > 0,
        deletion_on=services.raw_data_deletion_on(assessment),
    )


# ---- create and edit, with an email preview ----------------------------------------


@network_view(manage=True)
def assessment_edit(
    request: HttpRequest, access: NetworkAccess, assessment_id: int | None = None
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id) if assessment_id else None
    form = AssessmentForm(request.POST or None, network=access.network, assessment=assessment)
    preview = None
    if request.method == "POST":
        valid = form.is_valid()
        if "preview" in request.POST:  # show the email, save nothing
            preview = email_preview(access.network, assessment, form.cleaned_data)
        elif valid:
            saved = _save(request, access, assessment, form)
            if saved is not None:
                return redirect(saved)
    return render_page(
        request,
        "surveys/assessment_form.html",
        access,
        form=form,
        assessment=assessment,
        preview=preview,
        days_before_meeting=DAYS_BEFORE_MEETING,
    )


def _save(
    request: HttpRequest, access: NetworkAccess, assessment: Assessment | None, form
) -> Assessment | None:
    try:
        saved = services.assessment_save(
            network=access.network,
            user=request.user,
            assessment=assessment,
            **form.service_fields(),
        )
    except ValidationError as error:
        form_add_service_error(form, error)
        return None
    note = ""
    if form.closing_proposed:
        closes = date_format(saved.closes_on, "j F Y")
        note = " " + _("It closes on %(date)s, %(days)s days before the meeting.") % {
            "date": closes,
            "days": DAYS_BEFORE_MEETING,
        }
    if assessment is None:
        created = _("%(title)s created.") % {"title": saved.title}
        then = _("Next, add any questions of your own, then invite members.")
        messages.success(request, f"{created}{note} {then}")
    else:
        messages.success(request, (_("%(title)s saved.") % {"title": saved.title}) + note)
    return saved


def email_preview(network: Network, assessment: Assessment | None, data: dict) -> dict | None:
    """The real invitation email as the first member (or a sample member) would get it,
    built on unsaved objects with a dummy link: nothing is saved or issued."""
    if "invitation_subject" not in data or "invitation_message" not in data:
        return None
    sample = (
        copy.copy(assessment)
        if assessment
        else Assessment(network=network, **services.assessment_defaults(network))
    )
    for name in ("title", "invitation_subject", "invitation_message", "opens_on", "closes_on"):
        if data.get(name) is not None:
            setattr(sample, name, data[name])
    member = Member.objects.current().filter(network=network).order_by("name", "pk").first()
    member = member or Member(network=network, **SAMPLE_MEMBER)
    member.language = "en"  # the English invitation (not saved)
    invitation = Invitation(assessment=sample, member=member, token_salt=PREVIEW_SALT)
    email = services.invitation_email(invitation)
    swaps = {}
    for real, shown in (
        (services.invitation_url(invitation), LINK_PLACEHOLDER),
        (services.unsubscribe_url(member), UNSUBSCRIBE_PLACEHOLDER),
        (services.erasure_url(member), ERASE_PLACEHOLDER),
    ):
        # The same link opening in each language (`?lang=cy`) first: it is the longer.
        swaps |= {languages.with_language(real, code): shown for code in languages.codes()}
        swaps[real] = shown
    text, html = email.body, email.alternatives[0][0]
    for real, shown in swaps.items():
        text = text.replace(real, shown)
        for variant in (escape(real), real):  # a dead href first, then the visible text
            html = html.replace(f'href="{variant}"', 'href="#"').replace(variant, escape(shown))
    return {
        "member": member,
        "to": email.to[0],
        "subject": email.subject,
        "text": text,
        "html": html,
    }


# ---- the round's own questions -----------------------------------------------------


@network_view(manage=True)
def assessment_questions(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    form = CustomQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.custom_question_add(assessment=assessment, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Question %(code)s added.") % {"code": question.code})
            return redirect("assessment_questions", access.network.pk, assessment.pk)
    questions = list(assessment.custom_questions.all())
    return render_page(
        request,
        "surveys/assessment_questions.html",
        access,
        assessment=assessment,
        form=form,
        questions=questions,
        locked=assessment.invitations.exists(),
        limit=CustomQuestion.MAX_PER_ASSESSMENT,
        full=len(questions) >= CustomQuestion.MAX_PER_ASSESSMENT,
    )


@network_view(manage=True, methods=("POST",))
def custom_question_remove(
    request: HttpRequest, access: NetworkAccess, assessment_id: int, question_id: int
) -> HttpResponse:
    question = get_object_or_404(
        CustomQuestion.objects.select_related("assessment"),
        pk=question_id,
        assessment_id=assessment_id,
        assessment__network=access.network,
    )
    try:
        services.custom_question_remove(question=question)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Question %(code)s removed.") % {"code": question.code})
    return redirect("assessment_questions", access.network.pk, assessment_id)


# ---- progress, closing, extending --------------------------------------------------


@network_view()
def assessment_progress(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    later = progress.extension_offered(assessment, timezone.localdate())
    return _progress_page(request, access, assessment, ExtendForm(initial={"closes_on": later}))


def _progress_page(
    request: HttpRequest, access: NetworkAccess, assessment: Assessment, extend_form: ExtendForm
) -> HttpResponse:
    return render_page(
        request,
        "surveys/assessment_progress.html",
        access,
        assessment=assessment,
        progress=progress.assessment_progress(assessment),
        extend_form=extend_form,
    )


@network_view(manage=True, methods=("POST",))
def assessment_close(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    if assessment.status == "closed":
        messages.info(request, _("This round is already closed."))
    elif "confirm" not in request.POST:  # a confirmation page when script did not ask
        return render_page(
            request,
            "surveys/assessment_confirm.html",
            access,
            assessment=assessment,
            heading=_("Close %(title)s now?") % {"title": assessment.title},
            explanation=_(
                "Members will no longer be able to answer, and their links will stop working. "
                "You can reopen the round later by giving a new closing date."
            ),
            action_url=reverse("assessment_close", args=[access.network.pk, assessment.pk]),
            button=_("Close the round now"),
            cancel_url=reverse("assessment_progress", args=[access.network.pk, assessment.pk]),
        )
    else:
        services.assessment_close(assessment=assessment)
        messages.success(
            request,
            _("The round is closed: links no longer work. Reopen it with a new closing date."),
        )
    return redirect("assessment_progress", access.network.pk, assessment.pk)


@network_view(manage=True, methods=("POST",))
def assessment_extend(
    request: HttpRequest, access: NetworkAccess, assessment_id: int
) -> HttpResponse:
    assessment = assessment_for(access, assessment_id)
    was_closed = assessment.status == "closed"
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_extend(
                assessment=assessment, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            form.add_error("closes_on", error)
        else:
            closes = date_format(assessment.closes_on, "j F Y")
            if was_closed:
                message = _("The round is reopened: it now closes on %(date)s.")
            else:
                message = _("The round is extended: it now closes on %(date)s.")
            messages.success(request, message % {"date": closes})
            return redirect("assessment_progress", access.network.pk, assessment.pk)
    return _progress_page(request, access, assessment, form)
