"""Who works with whom: a coordinator who reads every page, export and chart at every
moment still cannot learn whom a given member named, nor any tie of a member who did
not agree to be shown by name; groups under the threshold never appear apart.

Written from the promise: the attacker reads what the coordinator can fetch (pages,
the figures embedded in them, the workbook) and compares moments; the test alone
knows who named whom."""

import json
import random

import pytest

from tests.privacy.scenario import ready_round

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 5
SECTION = "How the network is connected"
# What follows the section on the dashboard and in the pack.
AFTER = (
    "Agreed at the matrix meeting",
    "Progress against last round",
    "Actions from matrix meetings",
    "Who answered",
    "7. Questions for the steering group",
)
GROUPS = ["Clinician"] * 6 + ["Manager"] * 6 + ["Carer"] * 2  # carers: too few to show


def roster_round(network, owner, instruments, *, seed: int):
    r = ready_round(
        network, owner, instruments, count=len(GROUPS), seed=seed, groups=GROUPS, roster=True
    )
    rng = random.Random(seed)
    names = [p.name for p in r.personas]
    for persona in r.personas:
        others = [n for n in names if n != persona.name]
        persona.ties = {n: rng.randint(1, 4) for n in rng.sample(others, k=rng.randint(2, 5))}
        persona.named_on_map = rng.random() < 0.5
    people = {name: r.coordinator.member_id(name) for name in names}
    return r, people


def relationship_text(campaign, moment: int) -> str:
    """Everything the coordinator read at ``moment`` about connections: the dashboard's
    and the pack's section, and the figures of every relationship chart."""
    out = []
    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if fetched.status != 200 or not fetched.is_html:
            continue
        page = fetched.page
        text = page.text
        if SECTION in text:
            section = text[text.index(SECTION) :]
            ends = [section.index(h) for h in AFTER if h in section]
            out.append(section[: min(ends)] if ends else section)
        for name, block in page.json_blocks.items():
            if "relationships" in name:
                out.append(json.dumps(block))
    return "\n".join(out)


def untied(persona, personas) -> set[str]:
    """The names ``persona`` has no tie with, as either side named it."""
    tied = set(persona.ties) | {p.name for p in personas if persona.name in p.ties}
    return {p.name for p in personas} - tied - {persona.name}


def test_coordinator_cannot_see_whom_anyone_named_nor_a_non_consenting_members_ties(
    network, owner, instruments
):
    r, people = roster_round(network, owner, instruments, seed=21)
    campaign = r.campaign(r.readers(), THRESHOLD)
    for persona in r.personas:
        assert r.respond(persona, people=people), f"{persona.name} could not answer"
        campaign.look(f"{persona.name} submitted")
    r.coordinator.close()
    last = campaign.look("closed")

    seen = relationship_text(campaign, last)
    assert "Working ties between groups" in seen, "the released figures were not shown"
    consenting = {p.name for p in r.personas if p.named_on_map}
    for moment in range(1, last + 1):
        text = relationship_text(campaign, moment)
        # nobody's name appears with the connections unless they agreed
        shown = {p.name for p in r.personas if p.name in text}
        assert shown <= consenting, (moment, sorted(shown - consenting))
        # a group under the threshold never appears apart: no row, no node of its own
        assert not [row for row in _group_table(campaign, moment) if "Carer" in row[:2]], moment
        assert "Carer<br>" not in text, moment
    # on the named map, a line joins two people only when both agreed and they are tied
    assert _group_table(campaign, last), "no group table was read"
    named = _named_map(campaign, last)
    assert named["ties"], "no named map was read"
    for a, b in named["lines"]:
        assert {a, b} <= consenting
        persona = next(p for p in r.personas if p.name == a)
        assert b not in untied(persona, r.personas)
    # and a named person's tie count is their ties to other named people, no more
    for persona in r.personas:
        if persona.name in named["ties"]:
            with_named = {n for n in consenting if n not in untied(persona, r.personas)} - {
                persona.name
            }
            assert named["ties"][persona.name] == len(with_named), persona.name


def _named_map(campaign, moment: int) -> dict:
    """The named map's lines (pairs of names) and each named person's tie count, read
    from its data table and figure on the dashboard."""
    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if fetched.status != 200 or not fetched.is_html:
            continue
        for table in fetched.page.tables:
            header = [c.strip() for c in table.rows[0]] if table.rows else []
            if header == ["Member", "Group", "Working ties"]:
                ties = {row[0]: int(row[2]) for row in table.rows[1:]}
                lines = set()
                for name, block in fetched.page.json_blocks.items():
                    if "relationships-named" not in name:
                        continue
                    for trace in block.get("data", []):
                        if trace.get("mode") == "lines" and " and " in str(trace.get("text")):
                            lines.add(tuple(str(trace["text"]).split(" and ", 1)))
                return {"ties": ties, "lines": lines}
    return {"ties": {}, "lines": set()}


def test_one_more_roster_answer_between_two_releases_tells_nothing(network, owner, instruments):
    """An interim release, then five more members answer but only one of them the
    roster question, then the round closes: the connections the coordinator reads
    before and after must not differ by that one member's ties."""
    r, people = roster_round(network, owner, instruments, seed=22)
    campaign = r.campaign(r.readers(), THRESHOLD)
    first, rest = r.personas[:9], r.personas[9:]
    for persona in first:
        assert r.respond(persona, people=people)
    r.coordinator.post(f"/networks/{network.pk}/results/{r.assessment.pk}/release/", {})
    before = campaign.look("interim release")
    assert "Working ties between groups" in relationship_text(campaign, before)
    no_roster = [p for p in r.pages if not any(q.kind == "roster" for q in p.questions)]
    assert r.respond(rest[0], people=people)  # the one who answers the roster
    for persona in rest[1:]:
        assert r.respond(persona, people=people, pages=no_roster)
    r.coordinator.close()
    after = campaign.look("closed")

    figures_before = _figures(campaign, before)
    figures_after = _figures(campaign, after)
    assert figures_before, "the interim release showed no connections"
    withheld = "Too few members answered the question of who works with whom" in (
        relationship_text(campaign, after)
    )
    assert withheld or figures_after == figures_before


def _figures(campaign, moment: int) -> list[list[str]]:
    """The rows of every table about connections the coordinator read at ``moment``."""
    rows = []
    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if fetched.status != 200 or not fetched.is_html:
            continue
        for table in fetched.page.tables:
            context = " ".join(table.context)
            if "working ties" in context.lower() or "Working ties" in " ".join(table.rows[0]):
                rows += table.rows
    return rows


def _group_table(campaign, moment: int) -> list[list[str]]:
    """The rows of the group-by-group table of ties, wherever the coordinator read it."""
    rows = []
    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if fetched.status != 200 or not fetched.is_html:
            continue
        for table in fetched.page.tables:
            if table.rows and [c.strip() for c in table.rows[0]] == [
                "Group",
                "With group",
                "Working ties",
            ]:
                rows += table.rows[1:]
    return rows
