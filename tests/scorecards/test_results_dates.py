"""The results list and the shared view say when a round really closed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from scorecards.access import new_share_token, share_token_hash
from scorecards.models import ShareLink
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db


def _day(day) -> str:
    return date_format(day, "j M Y")


@pytest.fixture
def closed_early(network, instruments):
    """Due to close in 11 days, closed today (and released, as closing does)."""
    today = timezone.localdate()
    return released_round(network, instruments, closes_on=today + timedelta(days=11))


def test_olivia_sees_the_day_a_round_was_closed_early_not_its_planned_close(
    client, owner, network, closed_early
):
    client.force_login(owner)

    body = client.get(reverse("results_overview", args=[network.pk])).content.decode()

    assert _day(timezone.localdate()) in body
    assert _day(closed_early.closes_on) not in body


def test_a_share_link_reader_sees_the_day_a_round_was_closed_early(
    client, owner, network, closed_early
):
    token = new_share_token()
    ShareLink.objects.create(
        network=network,
        label="Steering group",
        token_hash=share_token_hash(token),
        created_by=owner,
        expires_at=timezone.now() + timedelta(days=7),
    )

    body = client.get(f"/shared/{token}/", follow=True).content.decode()

    assert "Results, round by round" in body
    assert _day(timezone.localdate()) in body
    assert _day(closed_early.closes_on) not in body


def test_a_round_still_open_has_no_closing_day_and_one_run_to_its_date_closed_on_it(
    network, instruments
):
    today = timezone.localdate()
    assessment = released_round(network, instruments, closes_on=today + timedelta(days=11))
    assessment.closed_at = None

    assert assessment.closed_on is None
    assessment.closes_on = today - timedelta(days=1)
    assert assessment.closed_on == today - timedelta(days=1)
