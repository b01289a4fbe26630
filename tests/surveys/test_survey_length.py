"""What members are told about how long the survey takes matches the round's own
scorecard version (v1: about 8 minutes; v2: about 9)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail

from surveys import services, tasks
from tests.surveys.survey_helpers import invite_all, open_assessment

pytestmark = pytest.mark.django_db


def reminders_for(assessment) -> list:
    tasks.send_invitations([i.pk for i in invite_all(assessment)])
    mail.outbox.clear()
    day = assessment.closes_on - timedelta(days=7)
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        tasks.send_due_reminders()
    return list(mail.outbox)


@pytest.mark.parametrize(("version", "minutes"), [(1, 8), (2, 9)])
def test_reminder_says_how_long_the_rounds_own_scorecard_takes(
    network, instruments, v1_instruments, version, minutes
):
    chosen = instruments if version == 2 else v1_instruments
    assessment = open_assessment(network, chosen, members=2, reminder_days=[7])

    sent = reminders_for(assessment)

    assert len(sent) == 2
    for message in sent:
        assert f"It takes about {minutes} minutes." in message.body
        assert f"It takes about {minutes} minutes." in message.alternatives[0][0]


def test_a_matrix_only_reminder_makes_no_promise_about_time(network, instruments):
    assessment = open_assessment(
        network, instruments, members=1, reminder_days=[7], health_scorecard=None
    )

    (message,) = reminders_for(assessment)

    assert "It takes about" not in message.body


def test_the_default_invitation_gives_the_latest_scorecards_time(network, instruments):
    message = services.assessment_defaults(network)["invitation_message"]

    assert instruments["scorecard"].version == 2
    assert "The survey takes about 9 minutes." in message
    assert "{minutes}" not in message and "eight" not in message
