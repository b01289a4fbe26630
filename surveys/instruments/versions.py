"""What can be compared between two versions of the scorecard.

A later version may declare, on an item or a sub-dimension, `"same_as": "<code>"`: the
code in the version before it that asks the same thing in the same words (an item) or
is made of the same items (a sub-dimension). Only those, and entries left exactly as
they were, are comparable: a reworded or split statement starts a new series.

Pure: definitions in, codes out. No Django, so the loader can use it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Definition = dict[str, Any]
Problem = tuple[str, str]  # (JSON path, what is wrong)


def comparable_codes(old_definition: Definition, new_definition: Definition) -> dict[str, str]:
    """New code -> old code for every item whose answers, and every sub-dimension whose
    scores, can be set side by side across the two versions: those the new version
    declares `same_as` an old code, and those left unchanged (an item with the same code,
    wording and direction; a sub-dimension with the same code whose items all map onto
    the old one's). Importance and performance ratings are compared by function, not here.

    `same_as` names a code of the version just before; comparing versions further apart
    means chaining the maps. Raises ValueError when a declared code is not in the old
    definition (the two are not consecutive, or the new file was not validated)."""
    old_items, new_items = _items(old_definition), _items(new_definition)
    mapping: dict[str, str] = {}
    for code, item in new_items.items():
        target = item.get("same_as")
        if target is None and _unchanged_item(old_items.get(code), item):
            target = code
        if target is not None:
            _require(target, old_items, code)
            mapping[code] = target
    old_subs, new_subs = _subdimensions(old_definition), _subdimensions(new_definition)
    for code, sub in new_subs.items():
        target = sub.get("same_as")
        if target is None and code in old_subs and _same_items(old_subs[code], sub, mapping):
            target = code
        if target is not None:
            _require(target, old_subs, code)
            mapping[code] = target
    return mapping


def same_as_problems(previous: Definition | None, definition: Definition) -> Iterator[Problem]:
    """Every `same_as` must name an entry of the previous version of the same kind, be
    claimed once, and be true: an item keeps its direction (reverse or not), and a
    sub-dimension holds exactly the items of the one it names. An item that keeps a
    code of the previous version must say so, because a code always means one thing.
    Items are checked before sub-dimensions, so the first problem named is the cause."""
    declared = list(_declarations(definition))
    if previous is None:
        for where, _kind, _target, _entry in declared[:1]:
            name = f"{definition['code']}.v{definition['version'] - 1}.json"
            yield where, f"same_as needs the previous version, {name}, beside this file"
        return
    old = {"item": _items(previous), "subdimension": _subdimensions(previous)}
    claimed: dict[str, str] = {}
    yield from _declared_problems([d for d in declared if d[1] == "item"], old, claimed)
    yield from _kept_codes_undeclared(old["item"], definition)
    yield from _declared_problems([d for d in declared if d[1] != "item"], old, claimed)


def _declared_problems(declared: list, old: dict[str, dict], claimed: dict) -> Iterator[Problem]:
    for where, kind, target, entry in declared:
        if target not in old[kind]:
            phrase = "an item" if kind == "item" else "a sub-dimension"
            yield where, f"{target!r} is not {phrase} of the previous version"
        elif target in claimed:
            yield where, f"{target!r} is already claimed at {claimed[target]}"
        else:
            claimed[target] = where
            yield from _untrue(where, kind, old[kind][target], entry)


def _untrue(where: str, kind: str, old: dict, entry: dict) -> Iterator[Problem]:
    if kind == "item":
        if entry["reverse"] != old["reverse"]:
            yield where, f"{old['code']!r} is scored the other way round, so it cannot be the same"
        return
    mapped = sorted(item.get("same_as") or item["code"] for item in entry["items"])
    declared = all("same_as" in item for item in entry["items"])
    old_codes = sorted(item["code"] for item in old["items"])
    if not declared or mapped != old_codes:
        mine = sorted(item["code"] for item in entry["items"])
        yield where, f"its items {mine} are not the same as {old['code']!r}'s {old_codes}"


def _kept_codes_undeclared(old_items: dict, definition: Definition) -> Iterator[Problem]:
    for where, item in _item_paths(definition):
        if item["code"] in old_items and item.get("same_as") != item["code"]:
            code = item["code"]
            yield (
                f"{where}/code",
                f'{code!r} is a code of the previous version: declare "same_as": '
                f"{code!r} if it asks the same thing, or give it a new code",
            )


def _declarations(definition: Definition) -> Iterator[tuple[str, str, str, dict]]:
    """(path, "item" or "subdimension", the code named, the entry) for each same_as."""
    for i, domain in enumerate(definition["domains"]):
        for j, sub in enumerate(domain["subdimensions"]):
            where = f"domains/{i}/subdimensions/{j}"
            if "same_as" in sub:
                yield f"{where}/same_as", "subdimension", sub["same_as"], sub
            for k, item in enumerate(sub["items"]):
                if "same_as" in item:
                    yield f"{where}/items/{k}/same_as", "item", item["same_as"], item


def _item_paths(definition: Definition) -> Iterator[tuple[str, dict]]:
    for i, domain in enumerate(definition["domains"]):
        for j, sub in enumerate(domain["subdimensions"]):
            for k, item in enumerate(sub["items"]):
                yield f"domains/{i}/subdimensions/{j}/items/{k}", item


def _items(definition: Definition) -> dict[str, dict]:
    return {item["code"]: item for _, item in _item_paths(definition)}


def _subdimensions(definition: Definition) -> dict[str, dict]:
    return {sub["code"]: sub for domain in definition["domains"] for sub in domain["subdimensions"]}


def _unchanged_item(old: dict | None, new: dict) -> bool:
    return old is not None and (old["text"], old["reverse"]) == (new["text"], new["reverse"])


def _same_items(old_sub: dict, new_sub: dict, mapping: dict[str, str]) -> bool:
    mapped = [mapping.get(item["code"]) for item in new_sub["items"]]
    old_codes = sorted(item["code"] for item in old_sub["items"])
    return None not in mapped and sorted(mapped) == old_codes  # type: ignore[type-var]


def _require(target: str, old: dict, code: str) -> None:
    if target not in old:
        raise ValueError(
            f"{code} is declared the same as {target!r}, which the old definition does not "
            "have: compare a version with the one just before it"
        )
