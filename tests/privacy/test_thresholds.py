"""Cells under the threshold: every published figure about answers comes from at least
the threshold number of people who answered (don't know does not count)."""

import pytest

from tests.privacy.scenario import ready_round

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 5
# Items most members answer "don't know": only the last few give a rating.
MOSTLY_DONT_KNOW = {"P02": 1, "P05": 2, "F05": 3, "M07": 4, "I_community": 2, "X1": 3}


def test_no_figure_anyone_can_read_comes_from_fewer_than_the_threshold(
    network, owner, leader, instruments
):
    r = ready_round(
        network,
        owner,
        instruments,
        count=7,
        seed=5,
        groups=["Clinician", "Manager", "Patient or carer"],
        custom=True,
        meeting=True,
        dont_know=MOSTLY_DONT_KNOW,
    )
    campaign = r.campaign(r.readers(leader=leader, share=True), THRESHOLD)

    for number, persona in enumerate(r.personas, start=1):
        assert r.respond(persona)
        if number >= THRESHOLD - 1:
            campaign.look(f"{number} submitted")
    r.coordinator.close()
    campaign.look("closed")

    findings = campaign.attack(r.personas)
    assert findings.clean, findings.report()
