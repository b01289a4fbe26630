"""A coordinator sets up a round: instruments, dates, anonymity, the invitation email
(previewed without saving), questions of their own; leaders may only read."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from surveys import services
from surveys.assessment_forms import parse_reminder_days
from surveys.models import (
    Assessment,
    CustomQuestion,
    Invitation,
)
from tests.factories import (
    AssessmentFactory,
    CustomQuestionFactory,
    InvitationFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def form_data(**overrides) -> dict:
    today = TODAY()
    data = {
        "title": "Spring round",
        "instruments": ["scorecard", "matrix"],
        "opens_on": today.isoformat(),
        "meeting_on": "",
        "closes_on": (today + timedelta(days=21)).isoformat(),
        "anonymity_threshold": "5",
        "invitation_subject": "Your views on the network",
        "invitation_message": "Hello {name},\n\nPlease tell us how we are doing.",
        "reminder_days": "7, 2",
    }
    return {**data, **overrides}


def create_url(network) -> str:
    return reverse("assessment_create", args=[network.pk])


# ---- creating and editing ----------------------------------------------------------


def test_coordinator_creates_an_assessment_with_both_instruments(signed_in, network, instruments):
    response = signed_in.post(create_url(network), form_data(reminder_days="2, 7, 14"))

    assessment = Assessment.objects.get()
    assert response.url == reverse("assessment_detail", args=[network.pk, assessment.pk])
    assert assessment.health_scorecard == instruments["scorecard"]
    assert assessment.matrix == instruments["matrix"]
    assert assessment.reminder_days == [14, 7, 2]
    assert assessment.network == network
    assert "Spring round created" in signed_in.get(response.url).content.decode()


def test_create_form_starts_with_the_networks_defaults(signed_in, network, instruments):
    body = signed_in.get(create_url(network)).content.decode()

    defaults = services.assessment_defaults(network)
    assert defaults["invitation_subject"] in body
    assert 'value="7, 2"' in body
    assert 'name="anonymity_threshold" value="5"' in body
    assert "cannot be below 3" in body  # the form says why the minimum exists
    assert instruments["scorecard"].title in body and instruments["matrix"].title in body


def test_meeting_date_without_closing_date_proposes_closing_five_days_before(
    signed_in, network, instruments
):
    meeting = TODAY() + timedelta(days=30)

    response = signed_in.post(
        create_url(network), form_data(meeting_on=meeting.isoformat(), closes_on="")
    )

    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.closes_on == meeting - timedelta(days=5)
    assert assessment.closes_on == services.proposed_closing(meeting)
    assert "5 days before the meeting" in signed_in.get(response.url).content.decode()


def test_proposed_closing_is_shown_when_the_form_comes_back_with_another_error(
    signed_in, network, instruments
):
    meeting = TODAY() + timedelta(days=30)

    response = signed_in.post(
        create_url(network), form_data(meeting_on=meeting.isoformat(), closes_on="", title="")
    )

    proposed = (meeting - timedelta(days=5)).isoformat()
    assert f'name="closes_on" value="{proposed}"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_meeting_before_opening_is_refused_and_keeps_what_was_typed(
    signed_in, network, instruments
):
    response = signed_in.post(
        create_url(network),
        form_data(meeting_on=(TODAY() - timedelta(days=1)).isoformat(), title="Kept title"),
    )

    body = response.content.decode()
    assert "There is a problem" in body
    assert "The meeting must be on or after the opening date" in body
    assert 'value="Kept title"' in body and "Please tell us how we are doing." in body
    assert not Assessment.objects.exists()


FAR = "9999-12-31"
TWO_YEARS_AGO = (TODAY() - timedelta(days=730)).isoformat()


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"closes_on": FAR}, "closes_on", "The closing date must be within two years from today"),
        ({"opens_on": FAR, "closes_on": FAR}, "opens_on", "opening date must be within two years"),
        ({"meeting_on": FAR}, "meeting_on", "The meeting must be within two years from today"),
        ({"meeting_on": FAR, "closes_on": ""}, "meeting_on", "The meeting must be within two"),
        ({"opens_on": TWO_YEARS_AGO}, "opens_on", "The opening date can be at most a year ago"),
        (
            {"opens_on": "0001-01-01", "meeting_on": "0001-01-06", "closes_on": ""},
            "opens_on",
            "a year ago",
        ),
    ],
)
def test_olivia_typing_an_impossible_date_is_told_the_limit_and_keeps_everything_else(
    signed_in, network, instruments, overrides, field, message
):
    response = signed_in.post(
        create_url(network), form_data(title="Kept title", reminder_days="9, 3", **overrides)
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and message in body
    assert f'href="#id_{field}"' in body  # the summary leads to the field at fault
    assert 'value="Kept title"' in body and 'value="9, 3"' in body
    assert "Please tell us how we are doing." in body
    assert not Assessment.objects.exists()


def test_olivia_editing_last_years_round_keeps_its_opening_date(signed_in, network, instruments):
    opened = TODAY() - timedelta(days=400)
    assessment = AssessmentFactory(
        network=network, opens_on=opened, closes_on=opened + timedelta(days=21)
    )
    data = form_data(
        title="Renamed", opens_on=opened.isoformat(), closes_on=assessment.closes_on.isoformat()
    )

    response = signed_in.post(reverse("assessment_edit", args=[network.pk, assessment.pk]), data)

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.title, assessment.opens_on) == ("Renamed", opened)


def test_meeting_after_closing_is_accepted(signed_in, network, instruments):
    meeting = TODAY() + timedelta(days=40)

    response = signed_in.post(create_url(network), form_data(meeting_on=meeting.isoformat()))

    assert response.status_code == 302
    assert Assessment.objects.get().meeting_on == meeting


YESTERDAY = (TODAY() - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"closes_on": YESTERDAY}, "The closing date must be on or after the opening date"),
        ({"closes_on": ""}, "Give a closing date, or a meeting date"),
        ({"instruments": []}, "Choose at least one instrument"),
        ({"anonymity_threshold": "2"}, "greater than or equal to 3"),
        ({"reminder_days": "7, soon"}, "days from 1 to 60"),
        ({"reminder_days": "0"}, "days from 1 to 60"),
        ({"reminder_days": "61"}, "days from 1 to 60"),
        ({"reminder_days": "2.5"}, "days from 1 to 60"),
    ],
)
def test_coordinator_is_told_what_is_wrong_and_nothing_is_saved(
    signed_in, network, instruments, overrides, message
):
    response = signed_in.post(create_url(network), form_data(title="Kept", **overrides))

    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert 'value="Kept"' in body
    assert not Assessment.objects.exists()


def test_matrix_alone_is_enough(signed_in, network, instruments):
    signed_in.post(create_url(network), form_data(instruments=["matrix"]))

    assessment = Assessment.objects.get()
    assert assessment.health_scorecard is None and assessment.matrix == instruments["matrix"]


@pytest.mark.parametrize(
    "typed,days", [("7, 2", [7, 2]), ("2;7 7", [7, 2]), ("", []), (" 60 ,1 ", [60, 1])]
)
def test_reminder_days_are_read_as_whole_days_latest_first(typed, days):
    assert parse_reminder_days(typed) == days


def test_coordinator_edits_a_round(signed_in, network, instruments):
    assessment = AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])
    url = reverse("assessment_edit", args=[network.pk, assessment.pk])

    response = signed_in.post(url, form_data(title="Renamed", instruments=["scorecard"]))

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.title == "Renamed"


def test_instruments_lock_once_invitations_exist(signed_in, network, instruments):
    assessment = AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])
    InvitationFactory(assessment=assessment)
    url = reverse("assessment_edit", args=[network.pk, assessment.pk])

    body = signed_in.get(url).content.decode()
    signed_in.post(url, form_data(title="Still editable", instruments=["scorecard", "matrix"]))

    assert "the instruments can no longer change" in body
    assessment.refresh_from_db()
    assert assessment.title == "Still editable"
    assert assessment.matrix is None  # the disabled checkbox ignored what was posted


# ---- the email preview -------------------------------------------------------------


def test_preview_email_saves_nothing(signed_in, network, instruments):
    MemberFactory(network=network, name="Asha Patel")

    response = signed_in.post(
        create_url(network),
        form_data(invitation_subject="Tell us, please", preview="1"),
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Email preview" in body and "Nothing has been saved yet" in body
    assert "Tell us, please" in body
    assert "Hello Asha," in body  # {name} filled with the first member's first name
    assert "(the member&#x27;s personal link)" in body
    assert "/s/" not in body  # no link of any kind is shown
    assert not Assessment.objects.exists()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_preview_uses_a_sample_member_when_the_network_has_none(signed_in, network, instruments):
    response = signed_in.post(create_url(network), form_data(preview="1"))

    body = response.content.decode()
    assert "Hello Alex," in body and "Alex Example" in body
    assert not Assessment.objects.exists()


def test_preview_of_a_saved_round_changes_nothing(signed_in, network, instruments):
    assessment = AssessmentFactory(network=network, health_scorecard=instruments["scorecard"])
    url = reverse("assessment_edit", args=[network.pk, assessment.pk])

    response = signed_in.post(
        url, form_data(title="Unsaved title", instruments=["scorecard"], preview="1")
    )

    assert "Email preview" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.title != "Unsaved title"


# ---- questions of the coordinator's own --------------------------------------------


def questions_url(assessment) -> str:
    return reverse("assessment_questions", args=[assessment.network_id, assessment.pk])


def test_coordinator_adds_and_removes_a_question_of_their_own(signed_in, network):
    assessment = AssessmentFactory(network=network)

    signed_in.post(questions_url(assessment), {"kind": "text", "text": "What should we stop?"})
    question = CustomQuestion.objects.get()
    page = signed_in.get(questions_url(assessment)).content.decode()
    signed_in.post(reverse("custom_question_remove", args=[network.pk, assessment.pk, question.pk]))

    assert (question.kind, question.text) == ("text", "What should we stop?")
    assert "never mixed into the standard scores" in page
    assert not CustomQuestion.objects.exists()


def test_question_over_300_characters_is_refused_and_kept(signed_in, network):
    assessment = AssessmentFactory(network=network)

    response = signed_in.post(questions_url(assessment), {"kind": "text", "text": "x" * 301})

    assert "at most 300 characters" in response.content.decode()
    assert "x" * 301 in response.content.decode()
    assert not CustomQuestion.objects.exists()


def test_eleventh_question_is_refused(signed_in, network):
    assessment = AssessmentFactory(network=network)
    for n in range(10):
        services.custom_question_add(assessment=assessment, kind="agreement", text=f"Q {n}")

    response = signed_in.post(questions_url(assessment), {"kind": "text", "text": "One more"})

    assert "at most 10 questions" in response.content.decode()
    assert CustomQuestion.objects.count() == 10


def test_questions_lock_once_invitations_exist(signed_in, network):
    assessment = AssessmentFactory(network=network)
    question = CustomQuestionFactory(assessment=assessment)
    InvitationFactory(assessment=assessment)

    page = signed_in.get(questions_url(assessment)).content.decode()
    added = signed_in.post(questions_url(assessment), {"kind": "text", "text": "Late one"})
    removed = signed_in.post(
        reverse("custom_question_remove", args=[network.pk, assessment.pk, question.pk]),
        follow=True,
    )

    assert "can no longer change" in page and "Add question" not in page
    assert "can no longer change" in added.content.decode()
    assert "can no longer change" in removed.content.decode()
    assert list(CustomQuestion.objects.all()) == [question]


def test_question_of_another_round_is_404(signed_in, network):
    assessment = AssessmentFactory(network=network)
    other = CustomQuestionFactory(assessment=AssessmentFactory(network=network))

    response = signed_in.post(
        reverse("custom_question_remove", args=[network.pk, assessment.pk, other.pk])
    )

    assert response.status_code == 404
    assert CustomQuestion.objects.filter(pk=other.pk).exists()


# ---- the list, the summary, the network's page -------------------------------------


def test_assessment_list_is_empty_with_a_button_to_create_one(signed_in, network):
    body = signed_in.get(reverse("assessment_list", args=[network.pk])).content.decode()

    assert "No assessments yet" in body
    assert reverse("assessment_create", args=[network.pk]) in body


def test_assessment_list_counts_in_one_query_however_many_rounds(
    signed_in, network, django_assert_num_queries
):
    for _ in range(3):
        assessment = AssessmentFactory(network=network)
        InvitationFactory(assessment=assessment, status=Invitation.COMPLETED)
        InvitationFactory(assessment=assessment)
        InvitationFactory(assessment=assessment, status=Invitation.REVOKED)
    url = reverse("assessment_list", args=[network.pk])

    # user and role (the session is read from the cache); then the rounds with their counts
    with django_assert_num_queries(3):
        body = signed_in.get(url).content.decode()

    assert body.count("50%") == 3  # 1 completed of 2 invited; revoked not counted


def test_round_status_is_written_not_only_coloured(signed_in, network):
    today = TODAY()
    AssessmentFactory(network=network, title="Future", opens_on=today + timedelta(days=2))
    AssessmentFactory(
        network=network,
        title="Past",
        opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=1),
    )
    AssessmentFactory(network=network, title="Now")

    body = signed_in.get(reverse("assessment_list", args=[network.pk])).content.decode()

    assert ">Scheduled<" in body and ">Closed<" in body and ">Open<" in body


def test_detail_shows_instruments_with_preview_links_and_next_steps(
    signed_in, network, instruments
):
    scorecard = instruments["scorecard"]
    assessment = AssessmentFactory(network=network, health_scorecard=scorecard)

    body = signed_in.get(assessment.get_absolute_url()).content.decode()

    assert reverse("instrument_preview", args=[scorecard.code, scorecard.version]) in body
    assert "Next steps" in body
    assert reverse("assessment_invite", args=[network.pk, assessment.pk]) in body


def test_network_page_shows_the_latest_round_and_its_response_rate(signed_in, network):
    AssessmentFactory(network=network, title="Old round", opens_on=TODAY() - timedelta(days=60))
    latest = AssessmentFactory(network=network, title="Latest round")
    InvitationFactory(assessment=latest, status=Invitation.COMPLETED)
    InvitationFactory(assessment=latest)

    body = signed_in.get(reverse("network_detail", args=[network.pk])).content.decode()

    assert "Latest round" in body and "Old round" not in body
    assert "1 of 2 completed (50% response rate)" in body


# ---- who may do what ---------------------------------------------------------------


def test_leader_reads_the_list_summary_and_progress_but_manages_nothing(client, leader, network):
    assessment = AssessmentFactory(network=network)
    client.force_login(leader)

    for name in ("assessment_detail", "assessment_progress"):
        body = client.get(reverse(name, args=[network.pk, assessment.pk])).content.decode()
        assert "Close early" not in body and "Edit details" not in body
    assert client.get(reverse("assessment_list", args=[network.pk])).status_code == 200
    assert client.post(create_url(network), form_data()).status_code == 403
    for name in ("assessment_edit", "assessment_invite", "invitation_list"):
        assert client.get(reverse(name, args=[network.pk, assessment.pk])).status_code == 403
