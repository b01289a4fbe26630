"""Version 2 of the scorecard fixes what review found in version 1 (docs/instruments.md,
"Version 2"). Version 1 stays exactly as members answered it.

No database and no Django: the files and their loader are plain data and code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import textstat

from scorecards.scoring.risks import FLAGS
from surveys.instruments.validation import (
    INSTRUMENTS_DIR,
    PERFORMANCE_PREFIX,
    definition_checksum,
    function_subdimensions,
    load_instrument_file,
    scale_items,
    subdimension_items,
)
from surveys.survey_pages import DONT_KNOW, scorecard_pages

V1_FILE = INSTRUMENTS_DIR / "health-scorecard.v1.json"
V2_FILE = INSTRUMENTS_DIR / "health-scorecard.v2.json"
# What members of version 1 rounds were shown; a used version never changes.
V1_CHECKSUM = "cab472bcbbef59ed91825733bad5492279a895ac5a9df220c1e579e728322e6f"

V2_SUBDIMENSIONS = {
    "purpose": {
        "purpose_clarity": "Clarity of purpose",
        "purpose_ownership": "Shared ownership and identity",
        "purpose_compelling": "Compelling purpose",
        "purpose_member_needs": "Meeting member needs",
        "purpose_impact": "Impact achieved",
    },
    "function": {
        "fn_community": "Community building",
        "fn_filtering": "Filtering",
        "fn_amplifying": "Amplifying",
        "fn_facilitating": "Facilitating",
        "fn_investing": "Investing and providing",
        "fn_convening": "Convening",
    },
    "form": {
        "form_leadership": "Distributed leadership and power",
        "form_trust": "Relationships and trust",
        "form_diversity": "Diversity and innovation",
        "form_participation": "Participation and critical mass",
        "form_coordination": "Coordination and resources",
        "form_governance": "Light, adaptable governance",
        "form_learning": "Knowledge sharing and learning",
    },
}
# Each double-barrelled v1 statement -> its single-idea halves, and the one idea each
# carries (a word or phrase that must appear in it and in none of its siblings).
SPLITS = {
    "P07": {"P13": "patients", "P14": "care services"},
    "P08": {"P15": "fund", "P16": "host"},
    "F01": {"F13": "values", "F14": "ways of doing things"},
    "F10": {"F22": "training", "F23": "expert advice"},
    "M10": {"M29": "skills", "M30": "time"},
    "M16": {"M31": "worked", "M32": "failed"},
}
# Halves left out to keep v2 to the framework's 45 statements (docs/instruments.md,
# "Keeping to 45"): each split keeps its more important half, and its code stays retired.
SPLIT_HALVES_DROPPED = {"P14", "P16", "F23", "M30"}
# Every other statement written for v2 and then left out for length.
TRIMMED = {"P06", "P09", "P10", "F15", "F21", "M05", "M20", "M22", "M26", "M28"}
# Statements the risk flags read, apart from v1's reworded M01, M16 and P12: all stay.
READ_BY_RISK_FLAGS = {"P01", "P02", "P03", "P18", "M03", "M07", "M14", "M17", "M18", "M19"}
READ_BY_RISK_FLAGS |= {"M21", "M24", "M31", "M32"}
# Statements added in v2 for ideas v1 did not ask about, and where each is scored.
ADDED = {
    "M21": "form_leadership",  # leadership that passes between members over time
    "P19": "purpose_impact",  # impact achieved
    "P20": "purpose_impact",
    "P21": "purpose_impact",
    "M25": "form_diversity",  # innovation and creativity
    "M23": "form_trust",  # expectations of collaboration
    "P17": "purpose_member_needs",  # reciprocity, beside v1's P11
    "M27": "form_participation",  # engagement over time
}
ASSUMES_A_JOB = re.compile(
    r"\b(my|your|their|our) (own )?(improvement )?(work|job|role|practice|team|projects?)\b"
    r"|\bjob\b|\bimprovement work\b|\bsimilar work\b|\bcolleagues?\b|\bprofessional\b"
    r"|\bclinical\b|\bworkplace\b",
    re.IGNORECASE,
)
NEGATIONS = re.compile(r"\b(not|no|never|nobody|none|nothing|neither|nor)\b|n't\b", re.IGNORECASE)
JARGON = re.compile(
    r"\b(stakeholders?|synergy|leverage|paradigm|ecosystem|deliverables?|kpis?|holistic"
    r"|empower\w*|metrics|utilis\w*|best practice|governance|silos?)\b",
    re.IGNORECASE,
)
PLAIN_ENGLISH = 60  # Flesch reading ease: 60 to 70 reads as plain English


@pytest.fixture(scope="module")
def v1() -> dict[str, Any]:
    return load_instrument_file(V1_FILE)


@pytest.fixture(scope="module")
def v2() -> dict[str, Any]:
    return load_instrument_file(V2_FILE)


def _items(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in scale_items(definition)}


def _raw_items(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Items as written in the file, same_as included."""
    return {
        item["code"]: item
        for domain in definition["domains"]
        for sub in domain["subdimensions"]
        for item in sub["items"]
    }


def _all_texts(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """Every statement a member rates: agreement, importance and performance items."""
    texts = [(item["code"], item["text"]) for item in scale_items(definition)]
    for section in ("function_importance", "function_performance"):
        items = definition.get(section, {}).get("items", [])
        texts += [(item["code"], item["text"]) for item in items]
    return texts


# Version 1 is kept, version 2 is the next one -----------------------------------------


def test_v1_is_kept_exactly_as_members_answered_it(v1: dict[str, Any]) -> None:
    assert definition_checksum(v1) == V1_CHECKSUM


def test_v2_is_the_next_version_of_the_same_instrument(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    assert (v2["code"], v2["kind"], v2["version"]) == (v1["code"], v1["kind"], 2)
    assert v2["scale"] == v1["scale"]
    assert v2["profile"] == v1["profile"] and v2["comments"] == v1["comments"]


# Structure ------------------------------------------------------------------------------


def test_v2_subdimensions_are_the_framework_plus_impact_and_participation(
    v2: dict[str, Any],
) -> None:
    found = {
        domain["code"]: {sub["code"]: sub["title"] for sub in domain["subdimensions"]}
        for domain in v2["domains"]
    }
    assert found == V2_SUBDIMENSIONS


def test_every_v2_subdimension_has_two_to_four_items(v2: dict[str, Any]) -> None:
    counts = {code: len(items) for code, items in subdimension_items(v2).items()}
    assert all(2 <= count <= 4 for count in counts.values()), counts
    assert sum(counts.values()) == 45


def test_v2_keeps_to_the_frameworks_length_by_leaving_statements_out(
    v2: dict[str, Any],
) -> None:
    """Thirty to 45 statements (framework section 6); what was left out is gone, and
    the statements the risk flags read are all still asked."""
    codes = set(_items(v2))
    assert 30 <= len(codes) <= 45
    assert codes.isdisjoint(SPLIT_HALVES_DROPPED | TRIMMED)
    assert codes >= READ_BY_RISK_FLAGS
    flags_read = {code for flag in FLAGS for code in flag.items}
    assert flags_read - {"M01", "M16", "P12"} == READ_BY_RISK_FLAGS


def test_impact_achieved_asks_at_least_three_things_the_network_has_changed(
    v2: dict[str, Any],
) -> None:
    impact = [i for i in scale_items(v2) if i["subdimension"] == "purpose_impact"]
    achieved = [i for i in impact if not i["reverse"]]
    assert len(achieved) >= 3
    assert all(re.search(r"\b(achiev\w*|change|better)\b", i["text"]) for i in achieved)


def test_each_v2_domain_has_a_reverse_item_without_a_double_negative(v2: dict[str, Any]) -> None:
    reverse = [item for item in scale_items(v2) if item["reverse"]]
    assert {item["domain"] for item in reverse} == {"purpose", "function", "form"}
    assert [item["text"] for item in reverse if NEGATIONS.search(item["text"])] == []


def test_v2_codes_are_unique_and_follow_the_scheme(v2: dict[str, Any]) -> None:
    letters = {"purpose": "P", "function": "F", "form": "M"}
    codes = [item["code"] for item in scale_items(v2)]
    assert len(codes) == len(set(codes))
    for item in scale_items(v2):
        assert item["code"][0] == letters[item["domain"]], item


def test_v2_new_statements_take_new_numbers_and_kept_ones_say_so(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    """A code always means one thing: a v1 code still in use is the same statement and
    declares it; every other statement has a number v1 never used."""
    v1_items, v2_items = _raw_items(v1), _raw_items(v2)
    for code, item in v2_items.items():
        if code in v1_items:
            assert item.get("same_as") == code
            assert (item["text"], item["reverse"]) == (
                v1_items[code]["text"],
                v1_items[code]["reverse"],
            )
        else:
            assert "same_as" not in item, code
            assert int(code[1:]) > max(int(c[1:]) for c in v1_items if c[0] == code[0]), code


# Wording --------------------------------------------------------------------------------


def test_every_v2_statement_is_plain_english(v2: dict[str, Any]) -> None:
    scores = {code: textstat.flesch_reading_ease(text) for code, text in _all_texts(v2)}
    assert {code: score for code, score in scores.items() if score < PLAIN_ENGLISH} == {}


def test_reading_ease_check_can_fail() -> None:
    # v1's M02 was refused for this; the check is not a formality.
    assert (
        textstat.flesch_reading_ease(
            "Members can influence the network's decisions, whatever their job title."
        )
        < PLAIN_ENGLISH
    )


def test_no_v2_statement_assumes_the_member_has_a_job(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    assert [text for _, text in _all_texts(v2) if ASSUMES_A_JOB.search(text)] == []
    # The same check finds the statements review found in v1.
    assumed = {code for code, text in _all_texts(v1) if ASSUMES_A_JOB.search(text)}
    assert assumed == {"F02", "F03", "F07", "F08", "M02", "M16", "I_facilitating"}


def test_v2_statements_are_short_plain_single_sentences(v2: dict[str, Any]) -> None:
    for item in scale_items(v2):
        text = item["text"]
        assert text[0].isupper() and text.endswith("."), text
        assert len(text) <= 100, text
        assert not re.search(r"[?;:]|and/or|\(", text), text
        assert not JARGON.search(text), text
    texts = [item["text"].lower() for item in scale_items(v2)]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("old_code", sorted(SPLITS))
def test_double_barrelled_v1_statement_is_split_into_single_ideas(
    v1: dict[str, Any], v2: dict[str, Any], old_code: str
) -> None:
    """Both halves, or only the more important one: never the two ideas in one."""
    v1_items, v2_items = _items(v1), _items(v2)
    parts = SPLITS[old_code]
    kept = [code for code in parts if code not in SPLIT_HALVES_DROPPED]
    assert kept and all(code in v2_items for code in kept)
    assert old_code in v1_items and old_code not in v2_items
    subdimensions = {v2_items[code]["subdimension"] for code in kept}
    assert subdimensions == {v1_items[old_code]["subdimension"]}
    for code in kept:
        text, idea = v2_items[code]["text"], parts[code]
        assert not re.search(r"\b(and|or|as well as)\b", text), text
        assert idea in text, (code, idea)
        others = [other for other in parts.values() if other != idea]
        assert not any(other in text for other in others), (code, text)


def test_enough_people_taking_part_is_scored_as_participation_not_diversity(
    v2: dict[str, Any],
) -> None:
    items = _items(v2)
    assert items["M09"]["subdimension"] == "form_participation"
    diversity = [i["text"] for i in items.values() if i["subdimension"] == "form_diversity"]
    assert not any(re.search(r"\b(enough|take part|active|involved)\b", t) for t in diversity)


@pytest.mark.parametrize(("code", "subdimension"), sorted(ADDED.items()))
def test_statement_added_in_v2_is_where_it_belongs(
    v1: dict[str, Any], v2: dict[str, Any], code: str, subdimension: str
) -> None:
    assert code not in _items(v1)
    assert _items(v2)[code]["subdimension"] == subdimension


def test_reciprocity_is_asked_more_than_once(v2: dict[str, Any]) -> None:
    needs = [i["text"] for i in scale_items(v2) if i["subdimension"] == "purpose_member_needs"]
    giving_and_getting = [t for t in needs if re.search(r"\b(give|help)", t)]
    assert len(giving_and_getting) >= 2, needs


# Importance and performance on comparable terms ----------------------------------------


def test_performance_repeats_the_six_importance_statements(v2: dict[str, Any]) -> None:
    importance = v2["function_importance"]["items"]
    performance = v2["function_performance"]["items"]
    assert [(i["function"], i["text"]) for i in performance] == [
        (i["function"], i["text"]) for i in importance
    ]
    assert [i["code"] for i in performance] == [PERFORMANCE_PREFIX + i["code"] for i in importance]
    assert sorted(i["function"] for i in performance) == sorted(function_subdimensions(v2))


def test_performance_scale_matches_importance_point_for_point(v2: dict[str, Any]) -> None:
    performance = v2["function_performance"]
    assert performance["labels"] == [
        "Not at all well",
        "Slightly well",
        "Moderately well",
        "Very well",
        "Extremely well",
    ]
    importance = v2["function_importance"]["labels"]
    assert [label.split()[0] for label in performance["labels"][:4]] == [
        label.split()[0] for label in importance[:4]
    ]
    assert performance["dont_know"] is True and performance["dont_know_label"] == "Don't know"


def test_performance_page_comes_right_after_the_importance_page(v2: dict[str, Any]) -> None:
    pages = scorecard_pages(v2)
    keys = [page.key for page in pages]
    assert keys[keys.index("importance") + 1] == "performance"
    page = pages[keys.index("performance")]
    assert {q.kind for q in page.questions} == {"performance"}
    assert [q.code for q in page.questions] == [
        i["code"] for i in v2["function_performance"]["items"]
    ]
    for question in page.questions:
        assert [value for value, _ in question.options] == ["1", "2", "3", "4", "5", DONT_KNOW]
        assert question.options[-1][1] == "Don't know"


def test_v1_has_no_performance_page(v1: dict[str, Any]) -> None:
    assert "performance" not in [page.key for page in scorecard_pages(v1)]


# Honest length ----------------------------------------------------------------------------


def _closed_questions(definition: dict[str, Any]) -> int:
    return (
        len(scale_items(definition))
        + len(definition["function_importance"]["items"])
        + len(definition.get("function_performance", {}).get("items", []))
        + len(definition["profile"])
    )


def test_v2_minutes_keep_v1s_pace_and_the_introduction_says_the_same(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    """v1's eight minutes for its closed questions, at the same pace for v2's."""
    expected = round(v1["minutes"] * _closed_questions(v2) / _closed_questions(v1))
    assert v2["minutes"] == expected == 9
    assert "about nine minutes" in v2["introduction"]
