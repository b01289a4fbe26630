"""Answering as others: the coordinator fills the round with answers of their own, then
subtracts them.

Four members' links copied (or four members added with the coordinator's own addresses
while the round is open), answered by the coordinator with answers they know (all
3s, the middle of every scale, so any scoring of them is known too), then one real
member submits and the round closes. Whatever is released, minus what the coordinator
typed, is the real member.

Then the round is reopened and five more real members answer, so that there surely is
a release to read: it must say how many links were copied (or members added) while
the round was open, and the attack over both closes must still recover nobody."""

from dataclasses import replace

import pytest

from tests.privacy.attacker import mentions
from tests.privacy.scenario import attributes, emailed_link, people, ready_round, respond

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 5
READERS = ("coordinator", "leader", "share link")
# How a release might word its doors: "4 links copied", "members added while open: 4".
COPIED = r"cop(y|ied|ies)|passed on|by hand|personal links?"
ADDED = r"\badded\b|\bjoined\b|new members?"


def typed_by_the_coordinator(persona):
    """The same member, answered by the coordinator: the middle of every scale."""
    return replace(
        persona,
        answers=dict.fromkeys(persona.answers, "3"),
        matrix=dict.fromkeys(persona.matrix, ("3", "3")),
        texts={
            code: f"Typed by the coordinator as {persona.key} on {code}" for code in persona.texts
        },
    )


def attack_every_reader(campaign, personas, door_words: str, doors: int) -> list[str]:
    """The attack as each reader over everything they read, and whether the last release
    each reader saw shows the doors."""
    failures = []
    for reader in READERS:
        findings = campaign.attack(personas, readers=[reader])
        if not findings.clean:
            failures.append(f"--- {reader}:\n{findings.report()}")
        page = campaign.text(campaign.moment, reader, "/results/")
        if not mentions(page, door_words, doors):
            failures.append(
                f"--- {reader}: the release does not say that {doors} members came in "
                f"this way while the round was open (looked for /{door_words}/ and {doors})"
            )
    return failures


def more_answers_then_close(r, campaign, later) -> None:
    r.coordinator.reopen()
    for persona in later:
        assert r.respond(persona), f"{persona.name} could not answer after the reopening"
    r.coordinator.close()
    campaign.look("reopened, five more answered, closed again")


def test_coordinator_answering_through_four_copied_links_recovers_nobody_and_is_shown(
    network, owner, leader, instruments
):
    r = ready_round(network, owner, instruments, count=10, seed=71, groups=["Clinician", "Manager"])
    fakes, real, later = r.personas[:4], r.personas[4], r.personas[5:]
    typed = [typed_by_the_coordinator(p) for p in fakes]

    for persona in typed:
        link = r.coordinator.copy_link(persona.name)
        assert link, f"copy link refused for {persona.name}, who had not started"
        assert respond(r.assessment, link, persona), f"the copied link for {persona.name} failed"
    assert r.respond(real)
    r.coordinator.close()

    campaign = r.campaign(r.readers(leader=leader, share=True), THRESHOLD)
    campaign.knowledge.own = {p.name: p for p in typed}
    campaign.knowledge.doors = {p.name for p in typed}
    campaign.look("four answered by the coordinator, one real member, closed")
    more_answers_then_close(r, campaign, later)

    failures = attack_every_reader(campaign, [real, *later], COPIED, len(fakes))
    assert not failures, "\n".join(failures)


def test_coordinator_answering_as_four_members_added_while_open_recovers_nobody_and_is_shown(
    network, owner, leader, instruments
):
    r = ready_round(network, owner, instruments, count=6, seed=73, groups=["Clinician"])
    real, later = r.personas[0], r.personas[1:]
    local, domain = owner.email.split("@")
    extras = people(4, seed=74, groups=["Clinician"], pages=r.pages, prefix="Extra")
    extras = [replace(p, email=f"{local}+{p.key}@{domain}") for p in extras]
    typed = [typed_by_the_coordinator(p) for p in extras]

    for persona in extras:
        r.coordinator.add_member(persona)
    r.coordinator.invite_everyone()
    for persona in typed:
        assert respond(r.assessment, emailed_link(persona.email), persona)
    assert r.respond(real)
    r.coordinator.close()

    campaign = r.campaign(r.readers(leader=leader, share=True), THRESHOLD)
    campaign.knowledge.attributes.update(attributes(extras, r.scorecard))
    campaign.knowledge.own = {p.name: p for p in typed}
    campaign.knowledge.doors = {p.name for p in typed}
    campaign.look("four answered by the coordinator, one real member, closed")
    more_answers_then_close(r, campaign, later)

    failures = attack_every_reader(campaign, [real, *later], ADDED, len(extras))
    assert not failures, "\n".join(failures)
