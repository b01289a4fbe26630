"""The meeting shows how the network is connected beside the matrix dimensions about
connections, from the round's released figures only."""

import pytest
from django.urls import reverse

from meetings.models import MatrixSession
from tests.meetings.helpers import running
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db


def run_page(client, meeting, dimension):
    MatrixSession.objects.filter(pk=meeting.pk).update(current_dimension=dimension)
    return client.get(
        reverse("meeting_run", args=[meeting.assessment.network_id, meeting.pk])
    ).content.decode()


def test_facilitator_sees_the_connections_beside_membership_not_beside_purpose(
    client, owner, network, instruments
):
    assessment = released_round(network, instruments, members=20, ties="dense")
    meeting = running(assessment)
    client.force_login(owner)
    membership = run_page(client, meeting, "membership")
    assert "How the network is connected, from this round" in membership
    assert "Working ties between groups" in membership
    assert "How the network is connected" not in run_page(client, meeting, "common_purpose")


def test_a_round_without_the_roster_shows_no_connections_in_the_meeting(
    client, owner, network, instruments
):
    meeting = running(released_round(network, instruments, members=12))
    client.force_login(owner)
    assert "How the network is connected" not in run_page(client, meeting, "membership")
