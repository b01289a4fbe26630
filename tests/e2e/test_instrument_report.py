"""A coordinator, in a real browser, opens a round's instrument report from its
dashboard: axe finds nothing serious on it (quality A1)."""

import pytest

from tests.e2e.test_instrument_preview import sign_in
from tests.scorecards.helpers import released_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_opens_the_instrument_report_and_axe_passes(
    page, axe_check, owner, network, instruments
):
    assessment = released_round(network, instruments, members=30)
    sign_in(page, owner)

    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/")
    page.get_by_role("link", name="Instrument report").click()

    page.get_by_role("heading", name="Do the statements of each domain hang together?").wait_for()
    assert page.get_by_role("table").count() == 5  # domains, three of statements, matrix
    axe_check(page, "instrument report")
