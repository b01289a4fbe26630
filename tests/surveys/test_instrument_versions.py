"""Versions side by side: what v2 declares the same as v1, the loader holding those
declarations to the truth, and which version a round gets."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from surveys.instruments.validation import INSTRUMENTS_DIR, InstrumentError, load_instrument_file
from surveys.instruments.versions import comparable_codes
from surveys.models import Assessment
from tests.factories import AssessmentFactory

V1_FILE = INSTRUMENTS_DIR / "health-scorecard.v1.json"
V2_FILE = INSTRUMENTS_DIR / "health-scorecard.v2.json"

V1_ITEMS_KEPT = (
    "P01 P02 P03 P04 P05 P11 F04 F09 F11 M03 M04 M07 M09 M11 M12 M13 M14 M15 M17 M18"
).split()
V1_SUBDIMENSIONS_KEPT = ["purpose_clarity", "form_governance"]


@pytest.fixture(scope="module")
def v1() -> dict[str, Any]:
    return load_instrument_file(V1_FILE)


@pytest.fixture(scope="module")
def v2() -> dict[str, Any]:
    return load_instrument_file(V2_FILE)


def _sub(definition: dict[str, Any], code: str) -> dict[str, Any]:
    return next(
        sub for domain in definition["domains"] for sub in domain["subdimensions"]
        if sub["code"] == code
    )  # fmt: skip


# comparable_codes ------------------------------------------------------------------------


def test_v2_is_comparable_with_v1_exactly_where_it_kept_the_wording(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    expected = {code: code for code in V1_ITEMS_KEPT + V1_SUBDIMENSIONS_KEPT}
    assert comparable_codes(v1, v2) == expected


def test_a_version_is_comparable_with_itself_everywhere(v1: dict[str, Any]) -> None:
    mapping = comparable_codes(v1, v1)
    codes = [
        code
        for domain in v1["domains"]
        for sub in domain["subdimensions"]
        for code in [sub["code"], *(item["code"] for item in sub["items"])]
    ]
    assert mapping == {code: code for code in codes}


def test_a_declared_same_as_maps_a_new_code_to_the_old_one(v1: dict[str, Any]) -> None:
    new = copy.deepcopy(v1)
    renamed = _sub(new, "purpose_clarity")
    renamed.update(code="purpose_shared_aims", same_as="purpose_clarity")
    renamed["items"][0].update(code="P50", same_as="P01")

    mapping = comparable_codes(v1, new)

    assert mapping["P50"] == "P01" and "P01" not in mapping
    assert mapping["purpose_shared_aims"] == "purpose_clarity"


def test_a_reworded_item_without_same_as_starts_a_new_series_and_so_does_its_subdimension(
    v1: dict[str, Any],
) -> None:
    new = copy.deepcopy(v1)
    _sub(new, "purpose_clarity")["items"][0]["text"] = "I know what the network is for."

    mapping = comparable_codes(v1, new)

    assert "P01" not in mapping and "purpose_clarity" not in mapping
    assert mapping["P02"] == "P02" and mapping["purpose_ownership"] == "purpose_ownership"


def test_an_item_that_changes_direction_is_not_comparable(v1: dict[str, Any]) -> None:
    new = copy.deepcopy(v1)
    _sub(new, "purpose_clarity")["items"][2]["reverse"] = False

    assert "P03" not in comparable_codes(v1, new)


def test_same_as_naming_a_code_the_old_version_lacks_is_an_error(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    not_v2s_predecessor = copy.deepcopy(v1)
    _sub(not_v2s_predecessor, "purpose_clarity")["items"][0]["code"] = "P77"

    with pytest.raises(ValueError, match="P01 is declared the same as 'P01'"):
        comparable_codes(not_v2s_predecessor, v2)


def test_comparable_codes_leaves_its_arguments_alone(
    v1: dict[str, Any], v2: dict[str, Any]
) -> None:
    before = (json.dumps(v1, sort_keys=True), json.dumps(v2, sort_keys=True))
    comparable_codes(v1, v2)
    assert (json.dumps(v1, sort_keys=True), json.dumps(v2, sort_keys=True)) == before


# The loader holds same_as and the performance section to the truth ------------------------


def _node(data: Any, path: str) -> Any:
    for part in path.split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    parent, _, key = path.rpartition("/")

    def edit(data: dict[str, Any]) -> None:
        node = _node(data, parent)
        node[int(key) if isinstance(node, list) else key] = value

    return edit


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    parent, _, key = path.rpartition("/")

    def edit(data: dict[str, Any]) -> None:
        node = _node(data, parent)
        del node[int(key) if isinstance(node, list) else key]

    return edit


def _both(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for one in edits:
            one(data)

    return edit


# domains/0/subdimensions/0 is purpose_clarity (P01 to P03, P03 reversed);
# domains/0/subdimensions/4 is purpose_impact (P19, P20, P21).
BROKEN_V2 = [
    pytest.param(
        _set("domains/0/subdimensions/2/items/0/same_as", "P99"),
        "domains/0/subdimensions/2/items/0/same_as: 'P99' is not an item of the previous version",
        id="same-as-unknown-item",
    ),
    pytest.param(
        _set("domains/0/subdimensions/2/same_as", "purpose_impact"),
        "domains/0/subdimensions/2/same_as: 'purpose_impact' is not a sub-dimension of the "
        "previous version",
        id="same-as-unknown-subdimension",
    ),
    pytest.param(
        _set("domains/0/subdimensions/0/items/1/same_as", "P01"),
        "domains/0/subdimensions/0/items/1/same_as: 'P01' is already claimed at "
        "domains/0/subdimensions/0/items/0/same_as",
        id="same-as-claimed-twice",
    ),
    pytest.param(
        _both(
            _set("domains/0/subdimensions/4/items/0/same_as", "P03"),
            _delete("domains/0/subdimensions/0/items/2/same_as"),
            _set("domains/0/subdimensions/0/items/2/code", "P90"),
            _delete("domains/0/subdimensions/0/same_as"),
        ),
        "domains/0/subdimensions/4/items/0/same_as: 'P03' is scored the other way round",
        id="same-as-flips-direction",
    ),
    pytest.param(
        _set("domains/0/subdimensions/2/same_as", "purpose_compelling"),
        "domains/0/subdimensions/2/same_as: its items ['P13', 'P15'] are not "
        "the same as 'purpose_compelling''s ['P07', 'P08', 'P09']",
        id="same-as-subdimension-with-other-items",
    ),
    pytest.param(
        _delete("domains/0/subdimensions/0/items/0/same_as"),
        "domains/0/subdimensions/0/items/0/code: 'P01' is a code of the previous version",
        id="kept-code-undeclared",
    ),
    pytest.param(
        _set("function_performance/items/1/code", "NOW_I_community"),
        "function_performance/items/1/code: duplicate code 'NOW_I_community'",
        id="performance-duplicate-code",
    ),
    pytest.param(
        _set("function_performance/items/1/code", "NOW_I_sorting"),
        "function_performance/items/1/code: 'NOW_I_sorting' should be 'NOW_I_filtering'",
        id="performance-code-not-its-importance-code",
    ),
    pytest.param(
        _set("function_performance/items/2/text", "Shouting louder"),
        "function_performance/items/2/text: differs from the importance item 'I_amplifying'",
        id="performance-worded-differently",
    ),
    pytest.param(
        _delete("function_performance/items/5"),
        "function_performance/items: no performance item for 'fn_convening'",
        id="performance-function-missing",
    ),
    pytest.param(
        _set("function_performance/items/5/function", "fn_community"),
        "function_performance/items/5/function: 'fn_community' is already asked",
        id="performance-function-twice",
    ),
    pytest.param(
        _set("function_performance/labels", ["Badly", "Well"]),
        "function_performance/labels: has 2 entries; needs at least 5",
        id="performance-scale-not-five-points",
    ),
    pytest.param(
        _set("function_performance/items/0/code", "NOW_I_community_building"),
        "function_performance/items/0/code: 'NOW_I_community_building' is too long",
        id="performance-code-longer-than-an-answer-key",
    ),
]


def _write(folder: Path, source: Path, edit: Callable[[Any], None] | None = None) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    if edit:
        edit(data)
    target = folder / source.name
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return target


@pytest.mark.parametrize(("edit", "expected"), BROKEN_V2)
def test_broken_v2_is_refused_with_the_field_path(
    tmp_path: Path, edit: Callable[[Any], None], expected: str
) -> None:
    shutil.copy(V1_FILE, tmp_path)
    broken = _write(tmp_path, V2_FILE, edit)
    with pytest.raises(InstrumentError) as refused:
        load_instrument_file(broken)
    assert str(refused.value).startswith(f"{V2_FILE.name}: {expected}")


def test_same_as_without_the_previous_version_beside_it_is_refused(tmp_path: Path) -> None:
    alone = _write(tmp_path, V2_FILE)
    with pytest.raises(InstrumentError, match="same_as needs the previous version, "):
        load_instrument_file(alone)


def test_the_previous_version_is_checked_too(tmp_path: Path) -> None:
    _write(tmp_path, V1_FILE, _delete("domains/0/subdimensions/0/items/0/text"))
    v2 = _write(tmp_path, V2_FILE)
    with pytest.raises(InstrumentError, match=r"^health-scorecard\.v1\.json: .*text"):
        load_instrument_file(v2)


def test_a_copy_of_v2_with_both_files_loads(tmp_path: Path) -> None:
    shutil.copy(V1_FILE, tmp_path)
    assert load_instrument_file(_write(tmp_path, V2_FILE))["version"] == 2


# Which version a round gets ----------------------------------------------------------------


def form_data(**overrides) -> dict:
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "title": "Autumn round",
        "instruments": ["scorecard", "matrix"],
        "opens_on": today.isoformat(),
        "meeting_on": "",
        "closes_on": today.replace(day=1).replace(year=today.year + 1).isoformat(),
        "anonymity_threshold": "5",
        "invitation_subject": "Your views",
        "invitation_message": "Hello {name}",
        "reminder_days": "7",
        **overrides,
    }


@pytest.mark.django_db
def test_a_new_round_gets_the_latest_scorecard(client, owner, network, instruments):
    client.force_login(owner)

    client.post(reverse("assessment_create", args=[network.pk]), form_data())

    assert Assessment.objects.get().health_scorecard.version == 2


@pytest.mark.django_db
def test_a_v1_round_keeps_v1_when_edited_after_v2_is_loaded(client, owner, network, v1_instruments):
    client.force_login(owner)
    round_ = AssessmentFactory(
        network=network,
        health_scorecard=v1_instruments["scorecard"],
        matrix=v1_instruments["matrix"],
    )
    url = reverse("assessment_edit", args=[network.pk, round_.pk])

    page = client.get(url).content.decode()
    client.post(url, form_data(title="Renamed"))

    round_.refresh_from_db()
    assert round_.title == "Renamed" and round_.health_scorecard.version == 1
    assert "(version 1, about 8 minutes)" in page and "version 2" not in page


@pytest.mark.django_db
def test_the_v2_question_list_shows_the_performance_ratings_and_v1s_does_not(
    client, owner, instruments, v1_instruments
):
    client.force_login(owner)

    def body(instrument) -> str:
        url = reverse("instrument_detail", args=[instrument.code, instrument.version])
        return client.get(url).content.decode()

    v2_page, v1_page = body(instruments["scorecard"]), body(v1_instruments["scorecard"])

    assert "How well does the network do each function now?" in v2_page
    assert "(NOW_I_convening)" in v2_page and "Extremely well" in v2_page
    assert "NOW_I_" not in v1_page
