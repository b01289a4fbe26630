"""The instrument files keep the promises of the framework (docs, section 6).

No database and no Django: the files and their loader are plain data and code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from surveys.instruments.validation import (
    INSTRUMENTS_DIR,
    SCHEMA_DIR,
    InstrumentError,
    definition_checksum,
    function_subdimensions,
    instrument_files,
    load_instrument_file,
    scale_items,
    subdimension_items,
)

SCORECARD_FILE = INSTRUMENTS_DIR / "health-scorecard.v1.json"
SCORECARD_V2_FILE = INSTRUMENTS_DIR / "health-scorecard.v2.json"
MATRIX_FILE = INSTRUMENTS_DIR / "maturity-matrix.v1.json"

FRAMEWORK_SUBDIMENSIONS = {
    "purpose": [
        "Clarity of purpose",
        "Shared ownership and identity",
        "Compelling purpose",
        "Meeting member needs",
    ],
    "function": [
        "Community building",
        "Filtering",
        "Amplifying",
        "Facilitating",
        "Investing and providing",
        "Convening",
    ],
    "form": [
        "Distributed leadership and power",
        "Relationships and trust",
        "Diversity and critical mass",
        "Coordination and resources",
        "Light, adaptable governance",
        "Knowledge sharing and learning",
    ],
}
FRAMEWORK_MATRIX_DIMENSIONS = [
    "Common purpose",
    "Distributed leadership",
    "Membership and critical mass",
    "Relationships and trust",
    "Collective intelligence and learning",
    "Meeting member needs",
    "Helpful outputs and impact",
    "Coordination, resources and sustainability",
]
ITEM_LETTER = {"purpose": "P", "function": "F", "form": "M"}
NEGATIONS = re.compile(r"\b(not|no|never|nobody|none|nothing|neither|nor)\b|n't\b", re.IGNORECASE)
JARGON = re.compile(
    r"\b(stakeholders?|synergy|leverage|paradigm|ecosystem|deliverables?|kpis?|holistic"
    r"|empower\w*|metrics|utilis\w*|best practice|governance|silos?)\b",
    re.IGNORECASE,
)
VAGUE_ADJECTIVES = re.compile(
    r"\b(good|excellent|poor|strong|weak|effective|mature|outstanding|great|adequate"
    r"|best|world-class|exemplary)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def scorecard() -> dict[str, Any]:
    return load_instrument_file(SCORECARD_FILE)


@pytest.fixture(scope="module")
def matrix() -> dict[str, Any]:
    return load_instrument_file(MATRIX_FILE)


def _all_codes(definition: dict[str, Any]) -> list[str]:
    if definition["kind"] == "matrix":
        return [dimension["code"] for dimension in definition["dimensions"]]
    codes = [domain["code"] for domain in definition["domains"]]
    codes += list(subdimension_items(definition))
    codes += [item["code"] for item in scale_items(definition)]
    codes += [item["code"] for item in definition["function_importance"]["items"]]
    codes += [question["code"] for question in definition["profile"]]
    codes += [question["code"] for question in definition["comments"]]
    return codes


# The files as a whole ------------------------------------------------------------


def test_instrument_files_lists_both_definitions_and_not_the_schemas() -> None:
    assert instrument_files() == [SCORECARD_FILE, SCORECARD_V2_FILE, MATRIX_FILE]


def test_each_file_is_named_after_its_code_and_version() -> None:
    for path in instrument_files():
        definition = load_instrument_file(path)
        assert path.name == f"{definition['code']}.v{definition['version']}.json"


def test_schemas_are_valid_draft_2020_12() -> None:
    for name in ("scorecard.schema.json", "matrix.schema.json"):
        schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def test_codes_are_unique(scorecard: dict[str, Any], matrix: dict[str, Any]) -> None:
    for definition in (scorecard, matrix):
        codes = _all_codes(definition)
        assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)


# Scorecard -------------------------------------------------------------------------


def test_scorecard_has_purpose_function_and_form_domains(scorecard: dict[str, Any]) -> None:
    assert [domain["code"] for domain in scorecard["domains"]] == ["purpose", "function", "form"]


def test_subdimensions_are_exactly_those_of_the_framework(scorecard: dict[str, Any]) -> None:
    titles = {
        domain["code"]: [sub["title"] for sub in domain["subdimensions"]]
        for domain in scorecard["domains"]
    }
    assert titles == FRAMEWORK_SUBDIMENSIONS


def test_subdimension_codes_are_short_snake_case(scorecard: dict[str, Any]) -> None:
    for code in subdimension_items(scorecard):
        assert re.fullmatch(r"[a-z][a-z_]{2,24}", code), code


def test_every_subdimension_has_two_to_four_items(scorecard: dict[str, Any]) -> None:
    counts = {code: len(items) for code, items in subdimension_items(scorecard).items()}
    assert len(counts) == 16
    assert all(2 <= count <= 4 for count in counts.values()), counts


def test_scorecard_has_thirty_to_forty_five_items(scorecard: dict[str, Any]) -> None:
    assert 30 <= len(scale_items(scorecard)) <= 45


def test_each_domain_has_a_reverse_coded_item(scorecard: dict[str, Any]) -> None:
    reversed_domains = {item["domain"] for item in scale_items(scorecard) if item["reverse"]}
    assert reversed_domains == {"purpose", "function", "form"}


def test_reverse_coded_items_avoid_double_negatives(scorecard: dict[str, Any]) -> None:
    reverse_texts = [item["text"] for item in scale_items(scorecard) if item["reverse"]]
    assert reverse_texts
    assert [text for text in reverse_texts if NEGATIONS.search(text)] == []


def test_item_codes_use_the_domain_letter_and_a_running_number(
    scorecard: dict[str, Any],
) -> None:
    for letter_domain, letter in ITEM_LETTER.items():
        codes = [i["code"] for i in scale_items(scorecard) if i["domain"] == letter_domain]
        assert codes == [f"{letter}{n:02d}" for n in range(1, len(codes) + 1)]


def test_items_are_short_plain_single_statements(scorecard: dict[str, Any]) -> None:
    for item in scale_items(scorecard):
        text = item["text"]
        assert text[0].isupper() and text.endswith("."), text
        assert len(text) <= 100, text
        assert not re.search(r"[?;:]|and/or|\(", text), text
        assert not JARGON.search(text), text


def test_item_texts_are_all_different(scorecard: dict[str, Any]) -> None:
    texts = [item["text"].lower() for item in scale_items(scorecard)]
    assert len(texts) == len(set(texts))


def test_scale_is_five_point_agreement_with_a_separate_dont_know(
    scorecard: dict[str, Any],
) -> None:
    scale = scorecard["scale"]
    assert (scale["min"], scale["max"]) == (1, 5)
    assert scale["labels"][0] == "Strongly disagree"
    assert scale["labels"][-1] == "Strongly agree"
    assert len(scale["labels"]) == 5
    assert scale["dont_know"] is True
    assert scale["dont_know_label"] == "Don't know"
    assert "Don't know" not in scale["labels"]


def test_every_function_has_an_importance_item(scorecard: dict[str, Any]) -> None:
    rated = [item["function"] for item in scorecard["function_importance"]["items"]]
    assert sorted(rated) == sorted(function_subdimensions(scorecard))
    assert len(rated) == 6


def test_importance_codes_name_their_function(scorecard: dict[str, Any]) -> None:
    for item in scorecard["function_importance"]["items"]:
        assert item["code"] == "I_" + item["function"].removeprefix("fn_")


def test_importance_labels_run_from_not_important_to_essential(
    scorecard: dict[str, Any],
) -> None:
    labels = scorecard["function_importance"]["labels"]
    assert len(labels) == 5
    assert labels[0].lower() == "not important"
    assert labels[-1].lower() == "essential"


def test_profile_asks_tenure_frequency_and_role_but_not_stakeholder_group(
    scorecard: dict[str, Any],
) -> None:
    profile = {question["code"]: question for question in scorecard["profile"]}
    assert list(profile) == ["tenure", "frequency", "network_role"]
    all_text = json.dumps(scorecard["profile"]).lower()
    assert "stakeholder" not in all_text
    assert "patient or carer" not in all_text


def test_tenure_options_are_the_four_time_bands(scorecard: dict[str, Any]) -> None:
    tenure = next(q for q in scorecard["profile"] if q["code"] == "tenure")
    assert [option["value"] for option in tenure["options"]] == ["lt_6m", "6_12m", "1_2y", "gt_2y"]


def test_profile_values_are_short_slugs(scorecard: dict[str, Any]) -> None:
    for question in scorecard["profile"]:
        for option in question["options"]:
            assert re.fullmatch(r"[a-z0-9_]{2,12}", option["value"]), option


def test_comments_are_two_or_three_known_questions(scorecard: dict[str, Any]) -> None:
    codes = [question["code"] for question in scorecard["comments"]]
    assert 2 <= len(codes) <= 3
    assert set(codes) <= {"C_works", "C_change", "C_other"}
    assert all(question["text"].endswith("?") for question in scorecard["comments"])


def test_introduction_says_it_takes_about_eight_minutes(scorecard: dict[str, Any]) -> None:
    assert scorecard["minutes"] == 8
    assert "about eight minutes" in scorecard["introduction"]


# Matrix ----------------------------------------------------------------------------


def test_matrix_has_the_eight_framework_dimensions(matrix: dict[str, Any]) -> None:
    titles = [dimension["title"] for dimension in matrix["dimensions"]]
    assert titles == FRAMEWORK_MATRIX_DIMENSIONS


def test_matrix_levels_are_one_to_five_once_each(matrix: dict[str, Any]) -> None:
    assert len(matrix["levels"]) == 5
    for dimension in matrix["dimensions"]:
        assert [cell["level"] for cell in dimension["levels"]] == [1, 2, 3, 4, 5]
        assert [cell["label"] for cell in dimension["levels"]] == matrix["levels"]


def test_matrix_has_forty_distinct_descriptors(matrix: dict[str, Any]) -> None:
    descriptors = [
        cell["descriptor"].strip().lower()
        for dimension in matrix["dimensions"]
        for cell in dimension["levels"]
    ]
    assert len(descriptors) == 40
    assert len(set(descriptors)) == 40
    assert all(len(descriptor) >= 40 for descriptor in descriptors)


def test_matrix_descriptors_describe_behaviour_not_grades(matrix: dict[str, Any]) -> None:
    for dimension in matrix["dimensions"]:
        for cell in dimension["levels"]:
            assert not VAGUE_ADJECTIVES.search(cell["descriptor"]), cell["descriptor"]


# Helpers used by scoring and forms -------------------------------------------------


def test_scale_items_keeps_survey_order_and_location(scorecard: dict[str, Any]) -> None:
    items = scale_items(scorecard)
    first_purpose = scorecard["domains"][0]["subdimensions"][0]["items"][0]
    assert items[0] == {**first_purpose, "subdimension": "purpose_clarity", "domain": "purpose"}
    assert items[-1]["domain"] == "form"
    flattened = [code for codes in subdimension_items(scorecard).values() for code in codes]
    assert [item["code"] for item in items] == flattened


def test_checksum_ignores_key_order_but_not_content(scorecard: dict[str, Any]) -> None:
    reordered = json.loads(json.dumps(scorecard, sort_keys=True, indent=4))
    assert definition_checksum(reordered) == definition_checksum(scorecard)
    assert re.fullmatch(r"[0-9a-f]{64}", definition_checksum(scorecard))
    reordered["domains"][0]["subdimensions"][0]["items"][0]["text"] += " "
    assert definition_checksum(reordered) != definition_checksum(scorecard)


# Broken files ----------------------------------------------------------------------


def _node(data: Any, path: str) -> Any:
    for part in path.split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    parent, _, key = path.rpartition("/")

    def edit(data: dict[str, Any]) -> None:
        node = _node(data, parent) if parent else data
        node[int(key) if isinstance(node, list) else key] = value

    return edit


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    parent, _, key = path.rpartition("/")

    def edit(data: dict[str, Any]) -> None:
        node = _node(data, parent)
        del node[int(key) if isinstance(node, list) else key]

    return edit


def _add_items(subdimension_path: str, *codes: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        items = _node(data, subdimension_path + "/items")
        items += [{"code": code, "text": "An extra statement.", "reverse": False} for code in codes]

    return edit


def _combined(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for one_edit in edits:
            one_edit(data)

    return edit


BROKEN_CASES = [
    pytest.param(
        SCORECARD_FILE,
        _set("domains/0/subdimensions/2/items/1/reverse", "yes"),
        "domains/0/subdimensions/2/items/1/reverse: 'yes' is not of type 'boolean'",
        id="wrong-type",
    ),
    pytest.param(
        SCORECARD_FILE,
        _delete("domains/1/subdimensions/0/items/0/text"),
        "domains/1/subdimensions/0/items/0/text: required field is missing",
        id="missing-field",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("domains/2/subdimensions/0/items/1/code", "P01"),
        "domains/2/subdimensions/0/items/1/code: duplicate code 'P01' "
        "(first used at domains/0/subdimensions/0/items/0/code)",
        id="duplicate-item-code",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("profile/0/code", "fn_community"),
        "profile/0/code: duplicate code 'fn_community' "
        "(first used at domains/1/subdimensions/0/code)",
        id="duplicate-code-across-sections",
    ),
    pytest.param(
        SCORECARD_FILE,
        _add_items("domains/0/subdimensions/1", "P90", "P91"),
        "domains/0/subdimensions/1/items: has 5 entries; allows at most 4",
        id="too-many-items-in-a-subdimension",
    ),
    pytest.param(
        SCORECARD_FILE,
        _delete("domains/1/subdimensions/3/items/1"),
        "domains/1/subdimensions/3/items: has 1 entry; needs at least 2",
        id="too-few-items-in-a-subdimension",
    ),
    pytest.param(
        SCORECARD_FILE,
        _combined(*(_add_items(f"domains/1/subdimensions/{n}", f"F9{n}") for n in range(4))),
        "domains: 46 items in all; a scorecard needs 30 to 45",
        id="too-many-items-in-all",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("function_importance/items/2/function", "fn_lobbying"),
        "function_importance/items/2/function: 'fn_lobbying' is not a function sub-dimension",
        id="importance-for-unknown-function",
    ),
    pytest.param(
        SCORECARD_FILE,
        _delete("function_importance/items/5"),
        "function_importance/items: no importance item for 'fn_convening'",
        id="function-without-importance",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("function_importance/items/5/function", "fn_community"),
        "function_importance/items/5/function: 'fn_community' is already rated",
        id="function-rated-twice",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("domains/1/code", "functions"),
        "domains/1/code: 'function' was expected",
        id="wrong-domain-code",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("kind", "survey"),
        "kind: unknown instrument kind 'survey'",
        id="unknown-kind",
    ),
    pytest.param(
        SCORECARD_FILE,
        _set("profile/0/options/1/value", "lt_6m"),
        "profile/0/options/1/value: duplicate code 'lt_6m'",
        id="duplicate-profile-value",
    ),
    pytest.param(
        MATRIX_FILE,
        _delete("dimensions/3/levels/4"),
        "dimensions/3/levels: has 4 entries; needs at least 5",
        id="matrix-level-missing",
    ),
    pytest.param(
        MATRIX_FILE,
        _set("dimensions/3/levels/4/level", 4),
        "dimensions/3/levels: levels must be 1 to 5 once each; missing [5], repeated [4]",
        id="matrix-level-repeated",
    ),
    pytest.param(
        MATRIX_FILE,
        _set("dimensions/2/levels/0/level", 6),
        "dimensions/2/levels/0/level: 6 is greater than the maximum of 5",
        id="matrix-level-out-of-range",
    ),
    pytest.param(
        MATRIX_FILE,
        _set("dimensions/6/code", "common_purpose"),
        "dimensions/6/code: duplicate code 'common_purpose'",
        id="matrix-duplicate-dimension",
    ),
    pytest.param(
        MATRIX_FILE,
        _set("dimensions/0/levels/2/label", "Established"),
        "dimensions/0/levels/2/label: 'Established' does not match the level 3 label 'Working'",
        id="matrix-label-mismatch",
    ),
]


def _write_broken_copy(tmp_path: Path, source: Path, edit: Callable[[Any], None]) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    edit(data)
    target = tmp_path / source.name
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.mark.parametrize(("source", "edit", "expected"), BROKEN_CASES)
def test_broken_file_is_refused_with_the_field_path(
    tmp_path: Path, source: Path, edit: Callable[[Any], None], expected: str
) -> None:
    broken = _write_broken_copy(tmp_path, source, edit)
    with pytest.raises(InstrumentError) as refused:
        load_instrument_file(broken)
    assert str(refused.value).startswith(f"{source.name}: {expected}")


def test_bad_json_is_refused_with_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "health-scorecard.v2.json"
    broken.write_text('{\n  "code": "health-scorecard",\n  "version" 2\n}\n', encoding="utf-8")
    with pytest.raises(InstrumentError) as refused:
        load_instrument_file(broken)
    assert str(refused.value) == (
        "health-scorecard.v2.json: line 3, column 13: invalid JSON: Expecting ':' delimiter"
    )


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    text = SCORECARD_FILE.read_text(encoding="utf-8").replace(
        '"version": 1,', '"version": 1,\n  "version": 2,', 1
    )
    broken = tmp_path / SCORECARD_FILE.name
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"health-scorecard\.v1\.json: .*'version' .*twice"):
        load_instrument_file(broken)


def test_a_file_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "list.v1.json"
    broken.write_text("[]", encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"^list\.v1\.json: \(top level\): expected"):
        load_instrument_file(broken)


def test_instrument_error_is_a_value_error_that_keeps_its_parts(tmp_path: Path) -> None:
    broken = _write_broken_copy(tmp_path, MATRIX_FILE, _delete("dimensions/0/title"))
    with pytest.raises(ValueError) as refused:
        load_instrument_file(broken)
    error = refused.value
    assert isinstance(error, InstrumentError)
    assert (error.filename, error.where) == (MATRIX_FILE.name, "dimensions/0/title")


def test_instrument_files_reads_another_folder_sorted(tmp_path: Path) -> None:
    for name in ("b.v1.json", "a.v2.json", "a.v1.json", "notes.md"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "x.schema.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in instrument_files(tmp_path)] == ["a.v1.json", "a.v2.json", "b.v1.json"]


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "matrix.v1.json"
    broken.write_bytes('{"title": "Caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(InstrumentError, match=r"^matrix\.v1\.json: byte 14: not valid UTF-8"):
        load_instrument_file(broken)


def test_loader_works_without_django() -> None:
    script = (
        "import sys; import surveys.instruments.validation as v; "
        "[v.load_instrument_file(p) for p in v.instrument_files()]; "
        "sys.exit('django' in sys.modules)"
    )
    project_root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script], cwd=project_root, check=False)
    assert result.returncode == 0
