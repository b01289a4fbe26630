"""Load and check the assessment instruments kept as JSON in surveys/instruments/.

No Django, so the same checks run in tests, commands and CI. First the JSON Schema
for the file's kind, then the cross-field rules a schema cannot express. Every
refusal names the file and the JSON path of the bad field, so it can be fixed at once.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .versions import same_as_problems

INSTRUMENTS_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = INSTRUMENTS_DIR / "schema"
SCHEMA_FILES = {"scorecard": "scorecard.schema.json", "matrix": "matrix.schema.json"}
FUNCTION_DOMAIN = "function"
# The framework's 30 to 45 statements (about eight minutes): version 1 has 42, version
# 2 was trimmed from 59 to 45 (docs/instruments.md, "Keeping to 45").
MIN_SCALE_ITEMS, MAX_SCALE_ITEMS = 30, 45
MATRIX_LEVELS = (1, 2, 3, 4, 5)
# A performance answer is stored under its importance item's code with this in front.
PERFORMANCE_PREFIX = "NOW_"

Definition = dict[str, Any]
Problem = tuple[str, str]  # (JSON path, what is wrong)


class InstrumentError(ValueError):
    """A definition that must not be loaded; the message says which file and field."""

    def __init__(self, filename: str, where: str, problem: str) -> None:
        self.filename = filename
        self.where = where or "(top level)"
        self.problem = problem
        super().__init__(f"{filename}: {self.where}: {problem}")


class _DuplicateKeyError(ValueError):
    pass


def load_instrument_file(path: str | Path) -> Definition:
    """Read, validate and return one definition, so callers may trust every field."""
    path = Path(path)
    data = check_definition(path.name, read_json(path))
    if data["kind"] == "scorecard":
        for where, problem in same_as_problems(_previous_version(path, data), data):
            raise InstrumentError(path.name, where, problem)
    return data


def check_definition(filename: str, data: Any) -> Definition:
    """The checks of one definition on its own (kind, schema, cross-field rules), without
    the previous version; also run on a translated definition, whose translated twins
    (performance items, level labels) must agree as the English ones do."""
    kind = _kind_of(filename, data)
    _check_schema(filename, data, kind)
    for where, problem in _semantic_problems(data, kind):
        raise InstrumentError(filename, where, problem)
    return data


def _previous_version(path: Path, data: Definition) -> Definition | None:
    """The version before this one, from the same folder and checked the same way; None
    for a first version or when the file is not there (same_as then cannot be checked,
    and is refused)."""
    previous = path.with_name(f"{data['code']}.v{data['version'] - 1}.json")
    return load_instrument_file(previous) if previous.is_file() else None


def instrument_files(directory: str | Path | None = None) -> list[Path]:
    """Definition files, sorted so loading order repeats; schema/ is not searched."""
    folder = Path(directory) if directory is not None else INSTRUMENTS_DIR
    return sorted(p for p in folder.glob("*.json") if p.is_file())


def definition_checksum(definition: Definition) -> str:
    """SHA-256 of canonical JSON: catches changed content under an old version number."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def scale_items(definition: Definition) -> list[dict[str, Any]]:
    """Scorecard agreement items in survey order, flat so callers need not walk the tree."""
    return [
        {
            "code": item["code"],
            "text": item["text"],
            "reverse": item["reverse"],
            "subdimension": sub["code"],
            "domain": domain["code"],
        }
        for domain in definition["domains"]
        for sub in domain["subdimensions"]
        for item in sub["items"]
    ]


def subdimension_items(definition: Definition) -> dict[str, list[str]]:
    """Item codes per sub-dimension code, in survey order (for sub-dimension scores)."""
    return {
        sub["code"]: [item["code"] for item in sub["items"]]
        for domain in definition["domains"]
        for sub in domain["subdimensions"]
    }


def function_subdimensions(definition: Definition) -> list[str]:
    """Codes of the function sub-dimensions, the ones rated for importance too."""
    return [
        sub["code"]
        for domain in definition["domains"]
        if domain["code"] == FUNCTION_DOMAIN
        for sub in domain["subdimensions"]
    ]


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would silently keep the last of two equal keys.
    result = dict(pairs)
    if len(result) < len(pairs):
        raise _DuplicateKeyError(next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1))
    return result


def read_json(path: Path) -> Any:
    """A UTF-8 JSON file with no key given twice, or InstrumentError naming the place."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InstrumentError(path.name, f"byte {exc.start}", "not valid UTF-8") from exc
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InstrumentError(path.name, where, f"invalid JSON: {exc.msg}") from exc
    except _DuplicateKeyError as exc:
        problem = f"key {exc.args[0]!r} appears twice in one object"
        raise InstrumentError(path.name, "", problem) from exc


def _kind_of(filename: str, data: Any) -> str:
    if not isinstance(data, dict):
        raise InstrumentError(filename, "", f"expected a JSON object, found {type(data).__name__}")
    if "kind" not in data:
        raise InstrumentError(filename, "kind", "required field is missing")
    kind = data["kind"]
    if kind not in SCHEMA_FILES:
        known = ", ".join(repr(k) for k in sorted(SCHEMA_FILES))
        problem = f"unknown instrument kind {kind!r} (known: {known})"
        raise InstrumentError(filename, "kind", problem)
    return str(kind)


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _check_schema(filename: str, data: Definition, kind: str) -> None:
    error = best_match(_validator(kind).iter_errors(data))
    if error is not None:
        raise _schema_error(filename, error)


def _schema_error(filename: str, error: ValidationError) -> InstrumentError:
    """Turn a jsonschema error into a message that points at the field itself."""
    parts = [str(part) for part in error.absolute_path]
    problem = error.message
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        parts.append(missing[0])
        problem = "required field is missing"
    elif error.validator in ("minItems", "maxItems"):
        count = len(error.instance)
        limit = "needs at least" if error.validator == "minItems" else "allows at most"
        noun = "entry" if count == 1 else "entries"
        problem = f"has {count} {noun}; {limit} {error.validator_value}"
    return InstrumentError(filename, "/".join(parts), problem)


def _semantic_problems(data: Definition, kind: str) -> Iterator[Problem]:
    yield from _duplicate_codes(_coded_fields(data, kind))
    if kind == "scorecard":
        yield from _item_total_problems(data)
        yield from _importance_problems(data)
        yield from _performance_problems(data)
        yield from _profile_option_problems(data)
    else:
        yield from _level_problems(data)


def _coded_fields(data: Definition, kind: str) -> Iterator[tuple[str, str]]:
    """(path, code) for every code that must be unique within one instrument."""
    if kind == "matrix":
        for i, dimension in enumerate(data["dimensions"]):
            yield f"dimensions/{i}/code", dimension["code"]
        return
    for i, domain in enumerate(data["domains"]):
        yield f"domains/{i}/code", domain["code"]
        for j, sub in enumerate(domain["subdimensions"]):
            yield f"domains/{i}/subdimensions/{j}/code", sub["code"]
            for k, item in enumerate(sub["items"]):
                yield f"domains/{i}/subdimensions/{j}/items/{k}/code", item["code"]
    for section in ("function_importance", "function_performance"):
        for i, item in enumerate(data.get(section, {}).get("items", [])):
            yield f"{section}/items/{i}/code", item["code"]
    for section in ("profile", "comments"):
        for i, question in enumerate(data[section]):
            yield f"{section}/{i}/code", question["code"]


def _duplicate_codes(fields: Iterator[tuple[str, str]]) -> Iterator[Problem]:
    first_seen: dict[str, str] = {}
    for where, code in fields:
        if code in first_seen:
            yield where, f"duplicate code {code!r} (first used at {first_seen[code]})"
        else:
            first_seen[code] = where


def _item_total_problems(data: Definition) -> Iterator[Problem]:
    # Counts per sub-dimension are in the schema; the total is not expressible there.
    total = len(scale_items(data))
    if not MIN_SCALE_ITEMS <= total <= MAX_SCALE_ITEMS:
        needs = f"a scorecard needs {MIN_SCALE_ITEMS} to {MAX_SCALE_ITEMS}"
        yield "domains", f"{total} items in all; {needs}"


def _importance_problems(data: Definition) -> Iterator[Problem]:
    """Each function needs exactly one importance rating, or the function mix breaks."""
    functions = function_subdimensions(data)
    rated: dict[str, int] = {}
    for i, item in enumerate(data["function_importance"]["items"]):
        where, function = f"function_importance/items/{i}/function", item["function"]
        if function not in functions:
            yield where, f"{function!r} is not a function sub-dimension {functions}"
        elif function in rated:
            first = f"function_importance/items/{rated[function]}"
            yield where, f"{function!r} is already rated at {first}"
        else:
            rated[function] = i
    for function in functions:
        if function not in rated:
            yield "function_importance/items", f"no importance item for {function!r}"


def _performance_problems(data: Definition) -> Iterator[Problem]:
    """Performance repeats the importance items word for word, one per function, coded
    NOW_ and the importance code, so the two can be set side by side per respondent."""
    if "function_performance" not in data:
        return
    importance = {item["function"]: item for item in data["function_importance"]["items"]}
    asked: dict[str, int] = {}
    for i, item in enumerate(data["function_performance"]["items"]):
        where, function = f"function_performance/items/{i}", item["function"]
        if function not in importance:
            yield f"{where}/function", f"{function!r} has no importance item to match"
        elif function in asked:
            first = f"function_performance/items/{asked[function]}"
            yield f"{where}/function", f"{function!r} is already asked at {first}"
        else:
            asked[function] = i
            twin = importance[function]
            if item["code"] != PERFORMANCE_PREFIX + twin["code"]:
                expected = PERFORMANCE_PREFIX + twin["code"]
                yield f"{where}/code", f"{item['code']!r} should be {expected!r}"
            elif item["text"] != twin["text"]:
                yield f"{where}/text", f"differs from the importance item {twin['code']!r}"
    for function in importance:
        if function not in asked:
            yield "function_performance/items", f"no performance item for {function!r}"


def _profile_option_problems(data: Definition) -> Iterator[Problem]:
    for i, question in enumerate(data["profile"]):
        options = enumerate(question["options"])
        yield from _duplicate_codes(
            (f"profile/{i}/options/{j}/value", o["value"]) for j, o in options
        )


def _level_problems(data: Definition) -> Iterator[Problem]:
    """Levels 1 to 5 once each per dimension, labelled as in the top-level list."""
    for i, dimension in enumerate(data["dimensions"]):
        levels = [cell["level"] for cell in dimension["levels"]]
        missing = [n for n in MATRIX_LEVELS if n not in levels]
        repeated = sorted(n for n, count in Counter(levels).items() if count > 1)
        if missing or repeated:
            problem = f"levels must be 1 to 5 once each; missing {missing}, repeated {repeated}"
            yield f"dimensions/{i}/levels", problem
            continue
        for j, cell in enumerate(dimension["levels"]):
            expected = data["levels"][cell["level"] - 1]
            if cell["label"] != expected:
                problem = f"{cell['label']!r} does not match the level {cell['level']} label"
                yield f"dimensions/{i}/levels/{j}/label", f"{problem} {expected!r}"
