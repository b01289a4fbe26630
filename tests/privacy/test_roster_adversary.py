"""An adversarial coordinator against the roster question: between an interim release
and the final one, they change the member list (move someone to another group, leave
someone off the roster) while only members who skip the roster question answer, so
that any move of a published figure can only come from the one member they touched.

Each test states the promise and passes when the product keeps it. The four attacks
by member-list edits each leaked before releases compared who could be named
(docs/relationships.md, "Privacy design"). A fifth, a group cell of zero ties, tells
what every respondent behind it has in common, as "everyone agreed" does for a score:
the product accepts that (docs/relationships.md says why), so it is not asserted here."""

from __future__ import annotations

import pytest

from tests.privacy.scenario import page_of, ready_round

pytestmark = pytest.mark.django_db(transaction=True)

THRESHOLD = 5
# 10 clinicians and 10 managers, alternating: the first 14 answer the roster (7 and 7),
# the next 5 answer everything but the roster, the last (a manager) never answers.
GROUPS = ["Clinician", "Manager"] * 10
WITHHELD = (  # what the dashboard says when it shows no connections
    "Too few members answered the question of who works with whom",
    "How the network is connected is not shown again this round",
)


def scenario(network, owner, instruments, *, seed: int):
    r = ready_round(
        network, owner, instruments, count=len(GROUPS), seed=seed, groups=GROUPS, roster=True
    )
    names = [p.name for p in r.personas]
    people = {name: r.coordinator.member_id(name) for name in names}
    roster, late, silent = r.personas[:14], r.personas[14:19], r.personas[19]
    for i, persona in enumerate(roster):
        # two ties each to other roster respondents (a ring and a chord) ...
        persona.ties = {roster[(i + 1) % 14].name: 2, roster[(i + 4) % 14].name: 3}
        persona.named_on_map = i % 3 == 0
    # ... and the silent manager is named by three clinicians and one manager
    for persona in (roster[0], roster[2], roster[4], roster[1]):
        persona.ties[silent.name] = 4
    return r, people, roster, late, silent


def edit_member(r, name: str, **changes) -> None:
    """The member edit form, as the coordinator posts it (``group`` by its label,
    ``off_roster`` True or False)."""
    base = r.coordinator.base
    member = r.coordinator.member_id(name)
    form = page_of(r.coordinator.get(f"{base}/members/{member}/edit/"))
    data = {}
    for entry in form.inputs:
        field = entry.get("name")
        if not field or field == "csrfmiddlewaretoken":
            continue
        if entry["tag"] == "select":
            data[field] = next((o["value"] for o in entry["options"] if o["selected"]), "")
        elif entry.get("type") == "checkbox":
            if entry["checked"]:
                data[field] = entry.get("value", "on")
        elif entry.get("type") not in ("submit", "button", "radio"):
            data[field] = entry.get("value", "")
    if "group" in changes:
        data["group"] = r.coordinator.group_ids()[changes["group"]]
    if "off_roster" in changes:
        if changes["off_roster"]:
            data["off_roster"] = "on"
        else:
            data.pop("off_roster", None)
    response = r.coordinator.post(f"{base}/members/{member}/edit/", data)
    assert response.status_code == 302, response.content[:2000]


def read(campaign, moment: int) -> dict:
    """The dashboard's connection figures at ``moment``: the headline table (figure ->
    value), the group table ((group, with group) -> value), the named table (member ->
    ties) and whether the whole section was withheld."""
    out = {"figures": {}, "groups": {}, "named": {}, "withheld": False, "text": ""}
    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if fetched.status != 200 or not fetched.is_html or "/pack" in fetched.source:
            continue
        if "?" in fetched.source:
            continue
        page = fetched.page
        if any(words in page.text for words in WITHHELD):
            out["withheld"] = True
        for table in page.tables:
            header = [c.strip() for c in table.rows[0]] if table.rows else []
            if header == ["Figure", "Value", "What it means"] and not out["figures"]:
                out["figures"] = {row[0]: row[1] for row in table.rows[1:]}
            elif header == ["Group", "With group", "Working ties"] and not out["groups"]:
                out["groups"] = {(row[0], row[1]): row[2] for row in table.rows[1:]}
            elif header == ["Member", "Group", "Working ties"] and not out["named"]:
                out["named"] = {row[0]: row[1:] for row in table.rows[1:]}
    return out


def shown(value: str | None) -> bool:
    return value is not None and "too few" not in value.lower()


def interim_then_final(r, people, roster, late, campaign, between):
    for persona in roster:
        assert r.respond(persona, people=people), persona.name
    response = r.coordinator.post(
        f"/networks/{r.coordinator.network_id}/results/{r.assessment.pk}/release/", {}
    )
    assert response.status_code in (200, 302)
    before = campaign.look("interim release")
    between()
    no_roster = [p for p in r.pages if not any(q.kind == "roster" for q in p.questions)]
    for persona in late:
        assert r.respond(persona, people=people, pages=no_roster), persona.name
    r.coordinator.close()
    after = campaign.look("closed")
    return read(campaign, before), read(campaign, after)


def changed_cells(before: dict, after: dict) -> dict:
    """Cells shown at both moments whose value moved, though no roster answer came in
    between: every such move is the touched member's ties."""
    out = {}
    for key in ("figures", "groups"):
        for cell, value in before[key].items():
            if key == "figures" and cell == "Members with at least one tie":
                # "13 of 20": the denominator is the member count, known to everyone
                value = value.split(" of ")[0]
                later = after[key].get(cell, "").split(" of ")[0]
            else:
                later = after[key].get(cell)
            if shown(value) and shown(later) and later != value:
                out[(key, cell)] = (value, later)
    return out


# ---- attack 1: move a member who never answered to another group between releases --------


def test_moving_a_silent_member_to_another_group_between_releases_tells_nothing(
    network, owner, instruments
):
    r, people, roster, late, silent = scenario(network, owner, instruments, seed=61)
    campaign = r.campaign(r.readers(), THRESHOLD)
    before, after = interim_then_final(
        r, people, roster, late, campaign, lambda: edit_member(r, silent.name, group="Clinician")
    )
    assert before["groups"], "the interim release showed no group table"
    assert after["withheld"] or not changed_cells(before, after), changed_cells(before, after)


# ---- attack 2: move a member who answered (and did not agree to be named) ----------------


def test_moving_a_respondent_to_another_group_between_releases_tells_nothing(
    network, owner, instruments
):
    r, people, roster, late, silent = scenario(network, owner, instruments, seed=62)
    target = roster[1]  # a manager, not named on the map
    assert not target.named_on_map
    campaign = r.campaign(r.readers(), THRESHOLD)
    before, after = interim_then_final(
        r, people, roster, late, campaign, lambda: edit_member(r, target.name, group="Clinician")
    )
    assert before["groups"], "the interim release showed no group table"
    assert after["withheld"] or not changed_cells(before, after), changed_cells(before, after)


# ---- attack 3: leave a member who never answered off the roster between releases --------


def test_leaving_a_silent_member_off_the_roster_between_releases_tells_nothing(
    network, owner, instruments
):
    r, people, roster, late, silent = scenario(network, owner, instruments, seed=63)
    campaign = r.campaign(r.readers(), THRESHOLD)
    before, after = interim_then_final(
        r, people, roster, late, campaign, lambda: edit_member(r, silent.name, off_roster=True)
    )
    assert before["figures"], "the interim release showed no figures"
    assert after["withheld"] or not changed_cells(before, after), changed_cells(before, after)


# ---- attack 4: leave a member who answered off the roster between releases --------------


def test_leaving_a_respondent_off_the_roster_between_releases_tells_nothing(
    network, owner, instruments
):
    r, people, roster, late, silent = scenario(network, owner, instruments, seed=64)
    target = roster[1]
    campaign = r.campaign(r.readers(), THRESHOLD)
    before, after = interim_then_final(
        r, people, roster, late, campaign, lambda: edit_member(r, target.name, off_roster=True)
    )
    assert before["figures"], "the interim release showed no figures"
    assert after["withheld"] or not changed_cells(before, after), changed_cells(before, after)


# ---- attack 5: a group cell of zero (or of every possible pair) ----------------------------

SMALL = ["Clinician", "Manager"] * 7 + ["Carer"] * 2  # carers: too few to show apart


def small_group_round(network, owner, instruments, *, seed: int, meeting: bool = False):
    r = ready_round(
        network,
        owner,
        instruments,
        count=len(SMALL),
        seed=seed,
        groups=SMALL,
        roster=True,
        meeting=meeting,
    )
    names = [p.name for p in r.personas]
    people = {name: r.coordinator.member_id(name) for name in names}
    for i, persona in enumerate(r.personas):
        # odd offsets only: clinicians (even) name managers (odd) and the other way
        # round, so no manager names a manager
        persona.ties = {names[(i + 1) % 16]: 2, names[(i + 5) % 16]: 4}
        persona.named_on_map = i % 2 == 0
    return r, people


# ---- attack 6: live answers, the meeting screen and the workbook vs the dashboard --------


def connections_sheet(campaign, moment: int) -> dict:
    import io

    import openpyxl

    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if fetched.source.endswith(".xlsx") and fetched.status == 200:
            book = openpyxl.load_workbook(io.BytesIO(fetched.body))
            if "Connections" not in book.sheetnames:
                return {}
            rows = list(book["Connections"].iter_rows(values_only=True))[1:]
            return {(row[0], row[1], row[2]): row[3] for row in rows}
    return {}


def meeting_group_tables(campaign, moment: int) -> list[dict]:
    out = []
    for fetched in campaign.pages.get((moment, "coordinator"), []):
        if "/meetings/" not in fetched.source or fetched.status != 200 or not fetched.is_html:
            continue
        for table in fetched.page.tables:
            header = [c.strip() for c in table.rows[0]] if table.rows else []
            if header == ["Group", "With group", "Working ties"]:
                out.append({(row[0], row[1]): row[2] for row in table.rows[1:]})
    return out


def test_a_live_roster_answer_moves_nothing_and_small_groups_stay_merged_everywhere(
    network, owner, instruments
):
    """After an interim release one more member answers the roster: the dashboard, the
    workbook's Connections sheet and the meeting screen must all still show the
    release, agree with each other, and never show the two carers apart."""
    r, people = small_group_round(network, owner, instruments, seed=7, meeting=True)
    for persona in r.personas[:13] + r.personas[14:15]:
        assert r.respond(persona, people=people), persona.name
    r.coordinator.post(
        f"/networks/{r.coordinator.network_id}/results/{r.assessment.pk}/release/", {}
    )
    campaign = r.campaign(r.readers(), THRESHOLD)
    first = campaign.look("interim release")
    assert r.respond(r.personas[13], people=people)
    second = campaign.look("one more answered the roster; no release")

    for moment in (first, second):
        seen = read(campaign, moment)
        assert seen["groups"], "no group table was read"
        assert read(campaign, first)["figures"] == seen["figures"], moment
        assert read(campaign, first)["groups"] == seen["groups"], moment
        sheet = connections_sheet(campaign, moment)
        assert sheet, "no Connections sheet"
        assert str(sheet[("figure", "ties", "Working ties")]) == seen["figures"]["Working ties"]
        assert not any("Carer" in (k[1] or "") or "Carer" in (k[2] or "") for k in sheet)
        meetings = meeting_group_tables(campaign, moment)
        assert meetings, "the meeting screen showed no connections"
        assert all(m == seen["groups"] for m in meetings), moment
        assert not [k for k in seen["groups"] if "Carer" in k]


# ---- attack 7: agreed to be named in one round, not in the next ----------------------------


def test_a_member_who_agreed_last_round_but_not_this_one_is_not_named_this_round(
    network, owner, instruments
):
    from tests.privacy.scenario import Round
    from tests.surveys.survey_helpers import open_assessment

    r, people = small_group_round(network, owner, instruments, seed=73)
    turncoat = r.personas[0]  # a clinician, tied to members 02 and 06 (managers)
    for persona in r.personas:
        persona.named_on_map = True  # everyone agrees in the first round
        assert r.respond(persona, people=people), persona.name
    r.coordinator.close()
    first = r.campaign(r.readers(), THRESHOLD)
    shown_first = read(first, first.look("first round closed"))["named"]
    assert turncoat.name in shown_first, "the first round's named map did not show them"

    second = open_assessment(network, instruments, members=0, asks_roster=True)
    r.coordinator.assessment_id = second.pk
    r.coordinator.invite_everyone()
    r2 = Round(r.coordinator, second, r.personas, r.vocab, r.scorecard)
    turncoat.named_on_map = False
    for persona in r.personas:
        assert r2.respond(persona, people=people), persona.name
    r.coordinator.close()
    campaign = r2.campaign(r2.readers(), THRESHOLD)
    moment = campaign.look("second round closed")
    seen = read(campaign, moment)
    assert seen["named"], "the second round's named map was not read"
    assert turncoat.name not in seen["named"]
    for fetched in campaign.pages[(moment, "coordinator")]:
        if fetched.status != 200 or not fetched.is_html:
            continue
        for name, block in fetched.page.json_blocks.items():
            if "relationships" in name:
                assert turncoat.name not in str(block), (fetched.source, name)
    # and the others' line counts on this round's map leave out their lines to them
    ties_now = {n: int(v[1]) for n, v in seen["named"].items()}
    for persona in r.personas[1:]:
        with_turncoat = persona.name in turncoat.ties or turncoat.name in persona.ties
        if with_turncoat and persona.name in ties_now and persona.name in shown_first:
            assert ties_now[persona.name] == int(shown_first[persona.name][1]) - 1, persona.name
