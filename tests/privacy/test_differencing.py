"""Differencing over time: read everything after every submission and subtract.

The coordinator knows from the invitation list who completed between two looks. If a
published figure moves when one person completes (n2 x mean2 - n1 x mean1, a level
count going up by one, a new comment, a new lowest level), the move is that person's
answer. The suite solves every figure ever read as one linear system per statistic
and counts a member's answer as recovered only when the system pins it down and it is
what they really answered."""

import pytest

from tests.privacy.scenario import ready_round

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 5


def test_coordinator_differencing_everything_after_each_submission_recovers_nobody(
    network, owner, instruments
):
    r = ready_round(
        network,
        owner,
        instruments,
        count=7,
        seed=11,
        groups=["Clinician", "Manager"],
        custom=True,
        meeting=True,
    )
    campaign = r.campaign(r.readers(), THRESHOLD)

    for persona in r.personas:
        assert r.respond(persona), f"{persona.name} could not answer"
        campaign.look(f"{persona.name} submitted")
    r.coordinator.close()
    campaign.look("closed")

    findings = campaign.attack(r.personas)
    assert findings.clean, findings.report()


def test_leader_and_share_link_differencing_after_each_submission_recover_nobody(
    network, owner, leader, instruments
):
    """They read the same releases as the coordinator, who tells them (or they learn)
    who completed when."""
    r = ready_round(
        network, owner, instruments, count=7, seed=23, groups=["Clinician", "Manager"], custom=True
    )
    campaign = r.campaign(r.readers(coordinator=False, leader=leader, share=True), THRESHOLD)

    for persona in r.personas:
        assert r.respond(persona), f"{persona.name} could not answer"
        campaign.look(f"{persona.name} submitted")
    r.coordinator.close()
    campaign.look("closed")

    reports = []
    for reader in ("leader", "share link"):
        findings = campaign.attack(r.personas, readers=[reader])
        if not findings.clean:
            reports.append(f"--- {reader}:\n{findings.report()}")
    assert not reports, "\n".join(reports)


def test_coordinator_closing_early_reading_then_reopening_for_one_more_recovers_nobody(
    network, owner, leader, instruments
):
    """Close at the threshold, read the release, reopen, let one more member answer,
    close again and read: the two releases differ by one person."""
    r = ready_round(
        network, owner, instruments, count=6, seed=37, groups=["Clinician", "Manager"], meeting=True
    )
    campaign = r.campaign(r.readers(leader=leader, share=True), THRESHOLD)
    first, last = r.personas[:THRESHOLD], r.personas[THRESHOLD]

    for persona in first:
        assert r.respond(persona)
    r.coordinator.close()
    campaign.look("closed early at the threshold")
    r.coordinator.reopen()
    assert r.respond(last), "the last member could not answer after the reopening"
    campaign.look("reopened; one more answered")
    r.coordinator.close()
    campaign.look("closed again")

    reports = []
    for reader in ("coordinator", "leader", "share link"):
        findings = campaign.attack(r.personas, readers=[reader])
        if not findings.clean:
            reports.append(f"--- {reader}:\n{findings.report()}")
    assert not reports, "\n".join(reports)
