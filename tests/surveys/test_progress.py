"""The progress of a round: response rates that never single out a small group (T1),
completions per day, whether the threshold will be reached, closing and reopening."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import progress, services
from surveys.models import Assessment, Invitation, MatrixRating, TextAnswer
from tests.factories import (
    AssessmentFactory,
    InvitationFactory,
    MemberFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def assessment(network):
    return AssessmentFactory(network=network, anonymity_threshold=5)


def progress_url(assessment) -> str:
    return reverse("assessment_progress", args=[assessment.network_id, assessment.pk])


def at_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def invite(assessment, group_name: str, status: str = Invitation.SENT, n: int = 1, **fields):
    group = assessment.network.groups.get(name=group_name)
    if status == Invitation.COMPLETED:
        fields.setdefault("completed_at", at_noon(TODAY()))
    for _ in range(n):
        member = MemberFactory(network=assessment.network, group=group)
        InvitationFactory(assessment=assessment, member=member, status=status, **fields)


def group_rows(body: str) -> dict[str, list[str]]:
    """The by-group table as {group: [cell texts]}."""
    table = body[body.index("By stakeholder group") : body.index("Invitations by status")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


# ---- who took part (quality T1: not secret, unlike what they said) ---------------


def test_progress_shows_every_groups_completions_as_the_invitation_list_does(signed_in, assessment):
    # The invitation list next door names who completed; hiding the same counts here
    # protected nothing and only made the two pages disagree.
    invite(assessment, "Clinician", Invitation.COMPLETED, n=7)
    invite(assessment, "Manager", Invitation.COMPLETED, n=6)
    invite(assessment, "Patient or carer", Invitation.COMPLETED, n=2)
    invite(assessment, "Patient or carer", Invitation.SENT, n=3)

    body = signed_in.get(progress_url(assessment)).content.decode()

    rows = group_rows(body)
    assert rows["Clinician"] == ["7", "7", "100%"]  # invited, completed, rate
    assert rows["Manager"] == ["6", "6", "100%"]
    assert rows["Patient or carer"] == ["5", "2", "40%"]
    assert "the invitation list names them" in body


# ---- counts ------------------------------------------------------------------------


def test_response_rate_leaves_out_revoked_invitations(assessment):
    invite(assessment, "Clinician", Invitation.COMPLETED, n=2)
    invite(assessment, "Clinician", Invitation.SENT, n=2)
    invite(assessment, "Clinician", Invitation.REVOKED, n=3)

    result = progress.assessment_progress(assessment)

    assert (result.invited, result.completed, result.rate) == (4, 2, 50)


def test_started_but_not_finished_are_counted(signed_in, assessment):
    invite(assessment, "Manager", Invitation.STARTED, n=3)
    invite(assessment, "Manager", Invitation.OPENED, n=1)

    body = signed_in.get(progress_url(assessment)).content.decode()

    assert progress.assessment_progress(assessment).started == 3
    assert 'Started, not finished</p><p class="stat mb-0">3<' in body


def test_completions_per_day_have_a_row_a_day_and_a_running_total(assessment):
    today = TODAY()
    invite(assessment, "Clinician", Invitation.COMPLETED, n=2, completed_at=at_noon(today))
    invite(
        assessment,
        "Clinician",
        Invitation.COMPLETED,
        n=1,
        completed_at=at_noon(today - timedelta(days=2)),
    )

    days = progress.assessment_progress(assessment).days

    assert len(days) == 8  # opened a week ago: eight days up to today
    assert [(d.completed, d.total) for d in days[-3:]] == [(1, 1), (0, 1), (2, 3)]
    assert days[-1].bar_percent == 100 and days[-3].bar_percent == 50


def test_a_very_long_round_lists_only_days_with_completions():
    start = TODAY() - timedelta(days=200)
    counts = {start + timedelta(days=3): 1, start + timedelta(days=150): 2}

    days, abridged = progress.day_series(counts, start, TODAY())

    assert abridged and [d.total for d in days] == [1, 3]


def test_progress_page_queries_do_not_grow_with_responses(
    signed_in, assessment, django_assert_num_queries
):
    invite(assessment, "Clinician", Invitation.COMPLETED, n=3)
    with django_assert_num_queries(5) as few:
        signed_in.get(progress_url(assessment))
    invite(assessment, "Manager", Invitation.COMPLETED, n=30, completed_at=at_noon(TODAY()))

    # session, user, role, round; by group and status; by day
    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(progress_url(assessment))


# ---- the pace sentence -------------------------------------------------------------


def round_of(opened_days_ago: int, closes_in: int, **fields) -> Assessment:
    today = TODAY()
    return Assessment(
        opens_on=today - timedelta(days=opened_days_ago),
        closes_on=today + timedelta(days=closes_in),
        anonymity_threshold=5,
        **fields,
    )


def forecast(assessment, completed, invited=100):
    return progress.pace_forecast(
        assessment=assessment, completed=completed, invited=invited, today=TODAY()
    )


def test_pace_says_the_threshold_will_be_reached():
    text = forecast(round_of(4, 20), completed=2)  # 2 in 5 days, 20 days to go: 8 more

    assert text.startswith("At the current pace about 8 more members will answer by ")
    assert text.endswith("the threshold of 5 will be reached.")


def test_pace_says_the_threshold_will_not_be_reached():
    text = forecast(round_of(9, 10), completed=1)  # 1 in 10 days, 10 to go: 1 more

    assert "about 1 more member will answer" in text
    assert "the threshold of 5 will not be reached" in text


def test_pace_never_expects_more_answers_than_members_left_to_answer():
    text = forecast(round_of(0, 30), completed=3, invited=4)

    assert "about 1 more member" in text and "will not be reached" in text


def test_pace_when_the_threshold_is_already_reached():
    assert "has been reached" in forecast(round_of(3, 3), completed=6)


def test_pace_before_anyone_answers_and_outside_the_round():
    closed = round_of(10, -1)

    assert "Nobody has completed" in forecast(round_of(3, 10), completed=0)
    assert "opens on" in forecast(round_of(-3, 10), completed=0)
    assert "has closed with 6 completed: the threshold of 5 was reached" in forecast(closed, 6)


# ---- closing, extending, reopening -------------------------------------------------


def test_close_without_confirmation_asks_first(signed_in, assessment):
    url = reverse("assessment_close", args=[assessment.network_id, assessment.pk])

    response = signed_in.post(url)

    assert "Close the round now" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.closed_at is None


def test_coordinator_closes_early_after_confirming(signed_in, assessment):
    url = reverse("assessment_close", args=[assessment.network_id, assessment.pk])

    response = signed_in.post(url, {"confirm": "1"}, follow=True)

    assessment.refresh_from_db()
    assert assessment.status == "closed"
    body = response.content.decode()
    assert "The round is closed" in body and "Reopen" in body


def test_coordinator_extends_an_open_round(signed_in, assessment):
    new_date = TODAY() + timedelta(days=30)
    url = reverse("assessment_extend", args=[assessment.network_id, assessment.pk])

    response = signed_in.post(url, {"closes_on": new_date.isoformat()}, follow=True)

    assessment.refresh_from_db()
    assert assessment.closes_on == new_date
    assert "The round is extended" in response.content.decode()


def test_coordinator_reopens_a_closed_round(signed_in, assessment):
    assessment.closed_at = timezone.now()
    assessment.save()
    url = reverse("assessment_extend", args=[assessment.network_id, assessment.pk])

    response = signed_in.post(url, {"closes_on": (TODAY() + timedelta(days=5)).isoformat()})

    assessment.refresh_from_db()
    assert response.status_code == 302
    assert assessment.status == "open"


def test_extending_into_the_past_is_refused_and_keeps_the_date(signed_in, assessment):
    before = assessment.closes_on
    past = (TODAY() - timedelta(days=1)).isoformat()
    url = reverse("assessment_extend", args=[assessment.network_id, assessment.pk])

    response = signed_in.post(url, {"closes_on": past})

    body = response.content.decode()
    assert "must be today or later" in body and f'value="{past}"' in body
    assessment.refresh_from_db()
    assert assessment.closes_on == before


def test_extending_to_9999_is_refused_with_the_latest_date_allowed(signed_in, assessment):
    before = assessment.closes_on
    url = reverse("assessment_extend", args=[assessment.network_id, assessment.pk])

    response = signed_in.post(url, {"closes_on": "9999-12-31"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "must be within two years from today" in body and 'value="9999-12-31"' in body
    assessment.refresh_from_db()
    assert assessment.closes_on == before


@pytest.mark.parametrize(
    ("opens_on", "closes_on"),
    [(date(2026, 1, 1), date.max), (date.min, date(2026, 1, 1)), (date.min, date.max)],
)
def test_olivias_round_stored_with_dates_at_the_ends_of_the_calendar_still_shows_its_pages(
    signed_in, network, opens_on, closes_on
):
    """Such a round can no longer be made through the form; one stored before that
    (or by another way in) must not take its pages down with an OverflowError."""
    assessment = AssessmentFactory(
        network=network, opens_on=opens_on, closes_on=closes_on, reminder_days=[7, 2]
    )
    invite(assessment, "Clinician", Invitation.COMPLETED)
    ids = [network.pk, assessment.pk]

    for name in ("assessment_progress", "assessment_detail", "assessment_edit"):
        assert signed_in.get(reverse(name, args=ids)).status_code == 200, name
    assert signed_in.get(reverse("assessment_list", args=[network.pk])).status_code == 200
    offered = progress.extension_offered(assessment, TODAY())
    assert offered == (date.max if closes_on == date.max else TODAY() + timedelta(days=7))
    services.reminder_slot_due(assessment, TODAY())  # the hourly reminder task's question


def test_leader_sees_progress_but_cannot_close_or_extend(client, leader, assessment):
    client.force_login(leader)
    ids = [assessment.network_id, assessment.pk]

    body = client.get(progress_url(assessment)).content.decode()
    closing = client.post(reverse("assessment_close", args=ids), {"confirm": "1"})
    extending = client.post(reverse("assessment_extend", args=ids), {"closes_on": "2099-01-01"})

    assert "Response rate" in body and "Close early" not in body
    assert (closing.status_code, extending.status_code) == (403, 403)
    assessment.refresh_from_db()
    assert assessment.closed_at is None


def test_outsider_gets_404_on_progress(client, outsider, assessment):
    client.force_login(outsider)

    assert client.get(progress_url(assessment)).status_code == 404


# ---- what nobody may see -----------------------------------------------------------


def test_coordinator_never_sees_answers_on_any_page(signed_in, network, instruments):
    """Quality T1: who has responded, never what they answered."""
    assessment = AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])
    for _ in range(6):
        invitation = InvitationFactory(
            assessment=assessment, status=Invitation.COMPLETED, completed_at=timezone.now()
        )
        response = ResponseFactory(
            invitation=invitation, profile={"role": "ZEBRA-PROFILE"}, submitted_at=timezone.now()
        )
        TextAnswer.objects.create(response=response, question="C1", text="ZEBRA-COMMENT")
        MatrixRating.objects.create(response=response, dimension="zebra-dimension", current=2)
    ids = [network.pk, assessment.pk]
    pages = [reverse("assessment_list", args=[network.pk])]
    pages += [reverse("network_detail", args=[network.pk])]
    pages += [
        reverse(name, args=ids)
        for name in (
            "assessment_detail",
            "assessment_edit",
            "assessment_questions",
            "assessment_invite",
            "invitation_list",
            "assessment_progress",
        )
    ]

    for url in pages:
        body = signed_in.get(url).content.decode()
        assert "ZEBRA" not in body.upper(), url
