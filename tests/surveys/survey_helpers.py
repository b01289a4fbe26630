"""Building a live round and answering it the way a member's browser does."""

from datetime import timedelta
from unittest import mock

from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from surveys import services, tasks, tokens
from surveys.models import Assessment, Invitation
from surveys.survey_pages import FOLLOW_UP, SCALE_KINDS, survey_pages
from tests.factories import MemberFactory


def open_assessment(network, instruments, *, members=3, **overrides) -> Assessment:
    today = timezone.localdate()
    fields = {
        **services.assessment_defaults(network),
        "health_scorecard": instruments["scorecard"],
        "matrix": instruments["matrix"],
        "opens_on": today - timedelta(days=3),
        "closes_on": today + timedelta(days=10),
        **overrides,
    }
    assessment = services.assessment_save(network=network, user=None, **fields)
    for _ in range(members):
        MemberFactory(network=network)
    return assessment


def invite_all(assessment) -> list[Invitation]:
    return services.invitations_create(
        assessment=assessment, members=assessment.network.members.all()
    )


def link_path(invitation: Invitation) -> str:
    return f"/s/{tokens.token_for(invitation.pk, invitation.token_salt)}/"


def pages_of(assessment):
    custom = list(assessment.custom_questions.values("code", "kind", "text"))
    return survey_pages(
        assessment.health_scorecard.definition if assessment.health_scorecard else None,
        assessment.matrix.definition if assessment.matrix else None,
        custom,
        assessment.follow_up_questions,
        roster=assessment.asks_roster,
    )


def full_answers(page, value="4") -> dict:
    """A complete, valid answer for every question on a page."""
    data = {}
    for question in page.questions:
        if question.kind in SCALE_KINDS:
            data[question.code] = value
        elif question.kind == FOLLOW_UP:
            data[question.code] = "1"
        elif question.kind == "choice":
            data[question.code] = question.options[0][0]
        elif question.kind == "text":
            data[question.code] = f"Comment for {question.code}"
        elif question.kind == "matrix":
            data[f"{question.code}.current"] = "3"
            data[f"{question.code}.target"] = "4"
    return data


def start(client, invitation):
    client.get(link_path(invitation))
    return client.post("/survey/")


def answer_everything(client, assessment, value="4"):
    for page in pages_of(assessment):
        response = client.post(
            f"/survey/page/{page.key}/", {**full_answers(page, value), "nav": "next"}
        )
        assert response.status_code == 302, (page.key, response.content[:2000])


def outbox_links() -> list[str]:
    import re

    return [re.search(r"/s/[\w-]+/", m.body).group(0) for m in mail.outbox]


def run_as_a_worker(invitation_ids, *, retries=0):
    """Run the send task the way a worker runs its `retries`-th retry: a retry is then
    scheduled through Celery, not raised as the error it was for. Returns the counts and
    the countdown of the retry scheduled (None when none was)."""
    task = tasks.send_invitations
    task.push_request(args=[invitation_ids], retries=retries, called_directly=False)
    try:
        with mock.patch.object(task, "apply_async") as broker:  # a broker, for the retry
            try:
                return task.run(invitation_ids), None
            except Retry:
                return None, broker.call_args.kwargs["countdown"]
    finally:
        task.pop_request()
