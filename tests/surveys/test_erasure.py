"""Erasure and subject access (quality G3, docs/retention.md): after a member is erased
no table holds their name or address, while their submitted answers still count; a
coordinator's subject access export holds what is kept about them and nothing of
anyone else; a member can download their own answers, and only they can."""

import csv
import io
import json

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.urls import reverse

from meetings import services as meeting_services
from scorecards import services as scorecard_services
from scorecards.models import Release, ShareLink, Snapshot
from surveys import services
from surveys.models import Answer, Event, Invitation, Member, Response, TextAnswer, Tie
from tests.factories import MemberFactory, add_role
from tests.scorecards.helpers import release
from tests.surveys.survey_helpers import (
    answer_everything,
    invite_all,
    link_path,
    open_assessment,
    start,
)

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Zelda Quartermaine", "zelda.quartermaine@example.org"
TEXT_COLUMNS = (models.CharField, models.TextField, models.JSONField)  # EmailField is a CharField


def traces(*needles: str) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a text, char, email or JSON column of any
    model's table holds one of the needles, in any case."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if not isinstance(field, TEXT_COLUMNS):
                    continue
                for needle in needles:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" '  # noqa: S608 - names from the models
                        f'WHERE LOWER(CAST("{field.column}" AS TEXT)) LIKE %s',
                        [f"%{needle.lower()}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append((table, field.column, needle))
    return found


@pytest.fixture
def zelda_round(client, network, owner, instruments):
    """A released roster round of 12 in which Zelda answered, agreed to be named on the
    map and was chosen by others; another member's comment names her; she owns a meeting
    action; a failed send quoted her address; someone typed her address at sign-in; a
    legal hold reason and a share link's label name her."""
    from scorecards.demo import demo_round_answers

    zelda = services.member_save(
        network=network,
        user=owner,
        name=NAME,
        email=EMAIL,
        group=network.groups.first(),
        organisation="Quartermaine Ltd",
    )
    assessment = open_assessment(network, instruments, members=11, asks_roster=True)
    demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=3, ties="dense")
    mine = Response.objects.get(invitation__member=zelda)
    Response.objects.filter(pk=mine.pk).update(named_on_map=True)
    others = Response.objects.filter(assessment=assessment).exclude(pk=mine.pk)
    for response in others[:3]:
        Tie.objects.get_or_create(response=response, member=zelda, defaults={"closeness": 3})
    comment = TextAnswer.objects.filter(response__in=others).first()
    comment.text = f"Thanks to {NAME} for chairing."
    comment.save()
    Invitation.objects.filter(member=zelda).update(
        failure_reason=f"SMTPRecipientsRefused: {{'{EMAIL}': (550, 'busy')}}"
    )
    release(assessment)
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Spring meeting", held_on=assessment.closes_on, tables=["A"]
    )
    action = meeting_services.action_add(
        session=meeting, what=f"{NAME} to draft the charter", who="", due_on=assessment.closes_on
    )
    action.owner_member = zelda
    action.save()
    client.post(reverse("account_login"), {"login": EMAIL, "password": "not her password"})
    ShareLink.objects.create(
        network=network,
        label=f"For {NAME}",
        token_hash="0" * 64,
        expires_at=assessment.created_at,
    )
    services.legal_hold_place(assessment=assessment, user=owner, reason=f"Query from {NAME}")
    return {"assessment": assessment, "zelda": zelda, "response": mine, "action": action}


def test_erased_member_leaves_no_trace_in_any_table_and_her_answers_still_count(
    client, owner, zelda_round
):
    zelda, assessment = zelda_round["zelda"], zelda_round["assessment"]
    before = traces(NAME, EMAIL)
    # The setup did put her everywhere worth checking.
    tables = {table for table, _, _ in before}
    for table in (
        "surveys_member",
        "surveys_textanswer",
        "surveys_event",
        "surveys_invitation",
        "surveys_assessment",
        "scorecards_release",
        "scorecards_snapshot",
        "scorecards_sharelink",
        "meetings_action",
    ):
        assert table in tables, table
    answers = Answer.objects.filter(response=zelda_round["response"]).count()
    respondents = Snapshot.objects.filter(assessment=assessment).latest_first().first()
    link = link_path(zelda.invitations.get())

    client.force_login(owner)
    url = reverse("member_erase", args=[zelda.network_id, zelda.pk])
    assert NAME in client.get(url).content.decode()  # a confirmation page first
    assert Member.objects.get(pk=zelda.pk).erased_at is None
    response = client.post(url, {"confirm": "1"})

    assert response.status_code == 302
    assert traces(NAME, EMAIL) == []
    # Her submitted answers stay, anonymous, and still count when scored afresh.
    kept = Response.objects.get(pk=zelda_round["response"].pk)
    assert Answer.objects.filter(response=kept).count() == answers
    assert kept.invitation.member.name == "Erased member"
    assert kept.invitation.token_hash is None
    Snapshot.objects.filter(assessment=assessment).delete()
    again = scorecard_services.snapshot_compute(assessment_id=assessment.pk)
    assert again.n_respondents == respondents.n_respondents == 12
    # Nobody names her on the roster any more, her action has no owner, her link is dead.
    assert not Tie.objects.filter(member=zelda).exists()
    zelda_round["action"].refresh_from_db()
    assert (zelda_round["action"].owner_member, zelda_round["action"].owner_name) == (None, "")
    assert client.get(link).status_code == 404
    erased = Event.objects.get(kind=Event.MEMBER_ERASED)
    assert (erased.actor, erased.member) == (owner, None)
    trail = client.get(reverse("network_audit", args=[zelda.network_id])).content.decode()
    assert "a member (erased)" in trail
    assert Release.objects.filter(assessment=assessment).count() == 1


def test_member_erases_herself_from_the_link_in_her_invitation(
    client, network, instruments, django_capture_on_commit_callbacks
):
    assessment = open_assessment(network, instruments, members=0)
    zelda = MemberFactory(network=network, name=NAME, email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_invite(assessment=assessment, members=Member.objects.all())
    email = mail.outbox[0]
    erase = next(w for w in email.body.split() if "/erase/" in w)
    assert erase in email.alternatives[0][0]
    path = erase.removeprefix("http://127.0.0.1:8000")

    page = client.get(path)
    assert page.status_code == 200
    assert "Erase my details" in page.content.decode()
    assert Member.objects.get(pk=zelda.pk).name == NAME  # nothing happens on GET

    done = client.post(path)

    assert "Your details are erased" in done.content.decode()
    assert traces(NAME, EMAIL) == []
    event = Event.objects.get(kind=Event.MEMBER_ERASED)
    assert event.detail == "At the member's own request, by their link"
    assert event.actor is None
    assert client.post(path).status_code == 404  # the link is spent
    assert client.get(path.replace("/erase/", "/erase/x")).status_code == 404


def test_erasing_a_member_never_invited_deletes_the_row(client, owner, network):
    group = network.groups.first()
    zelda = services.member_save(network=network, user=owner, name=NAME, email=EMAIL, group=group)
    client.force_login(owner)

    client.post(reverse("member_erase", args=[network.pk, zelda.pk]), {"confirm": "1"})

    assert not Member.objects.filter(pk=zelda.pk).exists()
    assert traces(NAME, EMAIL) == []
    added = Event.objects.get(kind=Event.MEMBER_ADDED)
    assert (added.member, added.actor) == (None, owner)


def test_leader_cannot_erase_and_outsider_cannot_see_the_member(client, leader, outsider, network):
    zelda = MemberFactory(network=network, name=NAME, email=EMAIL)
    url = reverse("member_erase", args=[network.pk, zelda.pk])
    client.force_login(leader)
    assert client.post(url, {"confirm": "1"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert Member.objects.get(pk=zelda.pk).erased_at is None


def test_coordinator_downloads_what_is_held_about_one_member_and_nothing_of_anyone_else(
    client, owner, leader, zelda_round
):
    zelda, assessment = zelda_round["zelda"], zelda_round["assessment"]
    others = list(Member.objects.exclude(pk=zelda.pk).values_list("name", "email"))
    url = reverse("member_data", args=[zelda.network_id, zelda.pk])
    client.force_login(owner)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    record = json.loads(text)
    assert record["member"]["name"] == NAME
    assert record["member"]["email"] == EMAIL
    assert record["member"]["organisation"] == "Quartermaine Ltd"
    [invitation] = record["invitations"]
    assert (invitation["round"], invitation["answered"]) == (assessment.title, True)
    assert [a["what"] for a in record["actions_owned"]] == [f"{NAME} to draft the charter"]
    assert "nobody but the member can read them" in record["answers"]
    # No answer of hers, and nobody else: other members, the coordinator, the leader.
    for text_answer in TextAnswer.objects.filter(response=zelda_round["response"]):
        assert text_answer.text not in text
    for name, email in others:
        assert name not in text and email not in text
    for user in (owner, leader):
        assert user.full_name not in text and user.email not in text
    exported = Event.objects.get(kind=Event.MEMBER_DATA_EXPORTED)
    assert (exported.member, exported.actor) == (zelda, owner)

    client.force_login(leader)
    assert client.get(url).status_code == 403


def test_member_downloads_her_own_answers_after_submitting_and_nobody_else_can(
    client, owner, network, instruments
):
    assessment = open_assessment(network, instruments, members=1)
    [invitation] = invite_all(assessment)
    start(client, invitation)
    assert client.get("/survey/my-answers/").status_code == 302  # not before submitting
    answer_everything(client, assessment)
    assert client.post("/survey/submit/").url == "/survey/thanks/"
    assert "/survey/my-answers/" in client.get("/survey/thanks/").content.decode()

    download = client.get("/survey/my-answers/")

    assert download["Content-Disposition"] == 'attachment; filename="my-answers.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["Section", "Question", "Your answer"]
    said = [answer for _, _, answer in rows[1:]]
    assert any(answer.startswith("Comment for") for answer in said)
    assert "Agree" in said

    coordinator = type(client)()
    coordinator.force_login(owner)
    assert coordinator.get("/survey/my-answers/").status_code == 404


def test_erasing_a_member_leaves_the_same_persons_team_account_alone(owner, network):
    """Erasure is of a member record: the same person's team account is another matter."""
    zelda = MemberFactory(network=network, name=NAME, email=EMAIL)
    user = type(owner).objects.create_user(email=EMAIL, full_name=NAME)
    add_role(network, user)

    services.member_erase(member=zelda, user=owner)

    assert network.roles.filter(email=EMAIL).exists()
    assert not Member.objects.filter(email=EMAIL).exists()
