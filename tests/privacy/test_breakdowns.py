"""Combining breakdowns: the overall figures, the stakeholder groups, time in the
network and part in the network each hide their small groups, but together they can
leave one person alone.

Five clinicians who have been in the network more than two years, five managers of one
to two years and one patient of under six months: hide the patient's group and the
next smallest in each breakdown, and overall minus the managers minus the members of
more than two years is the patient. The attacker also solves everything read as one
least-squares system per figure, with the range of possible answers as bounds."""

import pytest

from tests.privacy.scenario import ready_round

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 5
GROUPS = ["Clinician"] * 5 + ["Manager"] * 5 + ["Patient or carer"]
TENURES = ["gt_2y"] * 5 + ["1_2y"] * 5 + ["lt_6m"]
ROLES = ["core"] * 5 + ["active"] * 5 + ["occasional"]


@pytest.fixture
def patient_alone(network, owner, instruments):
    r = ready_round(
        network, owner, instruments, count=11, seed=47, groups=GROUPS, tenures=TENURES, roles=ROLES
    )
    for persona in r.personas:
        assert r.respond(persona)
    r.coordinator.close()
    return r


def test_coordinator_combining_breakdowns_recovers_nobody(patient_alone):
    r = patient_alone
    campaign = r.campaign(r.readers(), THRESHOLD)
    campaign.look("closed")

    findings = campaign.attack(r.personas)
    assert findings.clean, findings.report()


def test_leader_and_share_link_combining_breakdowns_recover_nobody(patient_alone, leader):
    r = patient_alone
    campaign = r.campaign(r.readers(coordinator=False, leader=leader, share=True), THRESHOLD)
    campaign.look("closed")

    reports = []
    for reader in ("leader", "share link"):
        findings = campaign.attack(r.personas, readers=[reader])
        if not findings.clean:
            reports.append(f"--- {reader}:\n{findings.report()}")
    assert not reports, "\n".join(reports)
