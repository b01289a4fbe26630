"""Instruments in other languages: a translation is a companion file, not a change to
the instrument (docs/instruments.md, "Welsh translations").

`translations/<instrument file stem>.<language>.json` holds, for one version, the words
members see in that language, keyed by the JSON Pointer (RFC 6901) of each English
text in the definition, with the English beside it for the reviewer:

    {"reviewed": false,
     "texts": {"/domains/0/subdimensions/1/items/0/text":
                   {"en": "I feel part of this network, ...", "cy": "Rwy'n teimlo ..."}}}

The definition, and so its checksum and version, never changes: a reviewed wording is
changed in this file alone. The loader refuses a file with a text missing, empty, for
a path the definition does not have, or for English that is not at that path.

Pure: no Django, so the loader, tests and CI run the same checks.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .validation import (
    INSTRUMENTS_DIR,
    Definition,
    InstrumentError,
    check_definition,
    definition_checksum,
    read_json,
)

log = logging.getLogger(__name__)

ENGLISH = "en"
# Languages a member may answer in, besides English; every loaded version must have a
# translation into each (the Welsh Language Standards).
LANGUAGE_NAMES = {"cy": "Welsh"}
REQUIRED_LANGUAGES = tuple(LANGUAGE_NAMES)
TRANSLATIONS_FOLDER = "translations"
TRANSLATIONS_DIR = INSTRUMENTS_DIR / TRANSLATIONS_FOLDER
# Member-facing strings: a field with one of these names, or an entry of a list with one
# of TEXT_LISTS' names. Every other string is a code (CODE_KEYS; a test holds each string
# of the shipped files to one of the two) and is never translated.
TEXT_KEYS = frozenset(
    "title description introduction text prompt label dont_know_label descriptor".split()
)
TEXT_LISTS = frozenset({"labels", "levels"})
CODE_KEYS = frozenset({"code", "kind", "function", "same_as", "value"})
FILE_KEYS = frozenset({"reviewed", "texts"})
NOTE = "note"  # optional, per text: a word from the translator to the reviewer

Translation = dict[str, Any]


def texts(definition: Definition) -> dict[str, str]:
    """JSON Pointer -> English, for every member-facing text, in the file's order."""
    return dict(_walk(definition, ""))


def definition_stem(definition: Definition) -> str:
    """The instrument file's name without .json: `<code>.v<version>`."""
    return f"{definition['code']}.v{definition['version']}"


def translations_dir(directory: str | Path | None = None) -> Path:
    """The translations beside a folder of instruments (the shipped one by default)."""
    return Path(directory) / TRANSLATIONS_FOLDER if directory is not None else TRANSLATIONS_DIR


def load_translation(stem: str, language: str, *, directory: str | Path | None = None) -> dict:
    """The parsed file `translations/<stem>.<language>.json` (not yet checked against its
    instrument: see `check`). InstrumentError if it is missing or is not valid JSON."""
    path = translations_dir(directory) / f"{stem}.{language}.json"
    if not path.is_file():
        raise InstrumentError(f"{TRANSLATIONS_FOLDER}/{path.name}", "", "no such file")
    return read_json(path)


def check(definition: Definition, translation: Any, filename: str) -> None:
    """Refuse (InstrumentError naming `filename` and the JSON Pointer) a translation that
    misses a text, leaves one empty, names a path with no text, quotes other English,
    or breaks a rule the English keeps (performance items worded as importance items,
    level labels as the matrix's levels, as many paragraphs as the English)."""
    language = _language_of(filename)
    entries = _checked_shape(translation, filename)
    english = texts(definition)
    for path, source in english.items():
        if path not in entries:
            name = LANGUAGE_NAMES.get(language, language)
            raise InstrumentError(filename, path, f"no {name} translation of {source!r}")
        _check_entry(filename, path, source, entries[path], language)
    for path in entries:
        if path not in english:
            where = definition_stem(definition) + ".json"
            raise InstrumentError(filename, path, f"{where} has no member-facing text here")
    try:
        check_definition(filename, _apply(definition, _words(entries, language)))
    except InstrumentError as error:
        where = "/" + error.where if not error.where.startswith("/") else error.where
        raise InstrumentError(filename, where, f"{error.problem} (in translation)") from error


def localised(definition: Definition, language: str) -> Definition:
    """A deep copy of `definition` with every member-facing text in `language` ("cy" or
    "cy-GB" for Welsh); the definition itself, copied, for English. Codes, values and
    structure are untouched, so answers, scores and page keys do not depend on language.

    A text with no usable translation (file missing, text missing or empty) is shown in
    English, never as "" or a key, and logged as a warning; the loader and the tests
    refuse such files, so this happens only if one slipped past them. Translated
    definitions are cached per (checksum, language): a changed translation file is read
    when the process restarts."""
    language = _primary(language)
    if language == ENGLISH:
        return copy.deepcopy(definition)
    key = (definition_checksum(definition), language)
    with _lock:
        cached = _cache.get(key)
    if cached is None:
        cached = _apply(definition, _runtime_words(definition, language))
        with _lock:
            _cache[key] = cached
    return copy.deepcopy(cached)


def clear_cache() -> None:
    """Forget translated definitions (tests; a process that reloads translations)."""
    with _lock:
        _cache.clear()


def check_translations(
    definitions: list[Definition], directory: str | Path | None = None
) -> dict[str, bool]:
    """The loader's check of a folder of translations against the definitions loaded
    from the folder beside it: each definition has a file for every required language,
    each file translates one of them and passes `check`. Returns file name -> reviewed.
    Raises InstrumentError naming the file and the path."""
    by_stem = {definition_stem(d): d for d in definitions}
    folder = translations_dir(directory)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    names = {path.name for path in files}
    for stem in by_stem:
        for language in REQUIRED_LANGUAGES:
            if f"{stem}.{language}.json" not in names:
                problem = f"no {LANGUAGE_NAMES[language]} translation: add "
                problem += f"{TRANSLATIONS_FOLDER}/{stem}.{language}.json"
                raise InstrumentError(f"{stem}.json", "", problem)
    reviewed = {}
    for path in files:
        filename = f"{TRANSLATIONS_FOLDER}/{path.name}"
        stem, _, language = path.name.removesuffix(".json").rpartition(".")
        if language not in LANGUAGE_NAMES:
            known = ", ".join(sorted(LANGUAGE_NAMES))
            problem = f"name must be <instrument>.<language>.json, language one of {known}"
            raise InstrumentError(filename, "", problem)
        if stem not in by_stem:
            raise InstrumentError(filename, "", f"translates {stem}.json, which is not loaded")
        translation = load_translation(stem, language, directory=directory)
        check(by_stem[stem], translation, filename)
        reviewed[path.name] = translation["reviewed"]
    return reviewed


def review_status(directory: str | Path | None = None) -> dict[str, bool]:
    """File name -> whether a reviewer has approved it (its `reviewed` field), for the
    files the loader has checked; docs/instruments.md lists the same."""
    folder = translations_dir(directory)
    return {
        path.name: read_json(path).get("reviewed") is True
        for path in (sorted(folder.glob("*.json")) if folder.is_dir() else [])
    }


def skeleton(definition: Definition, language: str, earlier: Mapping | None = None) -> dict:
    """A new translation file's content for `definition`: every text with its English,
    the translation carried over from `earlier` (e.g. the previous version's file) where
    the English is word for word the same, "" elsewhere for the translator to fill in.
    The loader refuses it until no text is left empty."""
    known = {
        entry["en"]: entry[language]
        for entry in (earlier or {}).get("texts", {}).values()
        if isinstance(entry, dict) and entry.get(language)
    }
    return {
        "reviewed": False,
        "texts": {
            path: {ENGLISH: source, language: known.get(source, "")}
            for path, source in texts(definition).items()
        },
    }


_cache: dict[tuple[str, str], Definition] = {}
_lock = threading.Lock()


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from _walk(child, f"{pointer}/{i}")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        path = f"{pointer}/{_escape(key)}"
        if isinstance(value, str):
            if key in TEXT_KEYS:
                yield path, value
        elif isinstance(value, list) and key in TEXT_LISTS:
            for i, child in enumerate(value):
                if isinstance(child, str):
                    yield f"{path}/{i}", child
                else:
                    yield from _walk(child, f"{path}/{i}")
        else:
            yield from _walk(value, path)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _apply(definition: Definition, words: Mapping[str, str]) -> Definition:
    """A deep copy of `definition` with the text at each pointer replaced."""
    result = copy.deepcopy(definition)
    for pointer, text in words.items():
        *parents, last = [_unescape(token) for token in pointer.split("/")[1:]]
        node: Any = result
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        node[int(last) if isinstance(node, list) else last] = text
    return result


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def _language_of(filename: str) -> str:
    return Path(filename).name.removesuffix(".json").rpartition(".")[2]


def _checked_shape(translation: Any, filename: str) -> dict:
    if not isinstance(translation, dict):
        raise InstrumentError(filename, "", "expected a JSON object")
    for key in FILE_KEYS:
        if key not in translation:
            raise InstrumentError(filename, key, "required field is missing")
    for key in translation:
        if key not in FILE_KEYS:
            raise InstrumentError(filename, key, f"unknown field (expected {sorted(FILE_KEYS)})")
    if not isinstance(translation["reviewed"], bool):
        raise InstrumentError(filename, "reviewed", "must be true or false")
    if not isinstance(translation["texts"], dict):
        raise InstrumentError(filename, "texts", "expected an object of JSON Pointer -> text")
    return translation["texts"]


def _check_entry(filename: str, path: str, source: str, entry: Any, language: str) -> None:
    expected = {ENGLISH, language}
    if not isinstance(entry, dict) or not expected <= entry.keys():
        raise InstrumentError(filename, path, f"expected {{'en': ..., {language!r}: ...}}")
    extra = sorted(set(entry) - expected - {NOTE})
    if extra:
        raise InstrumentError(filename, path, f"unknown field {extra[0]!r}")
    words = entry[language]
    if not isinstance(words, str) or not words.strip():
        raise InstrumentError(filename, path, f"empty translation of {source!r}")
    if entry[ENGLISH] != source:
        problem = f"translates {entry[ENGLISH]!r}, but the text here is {source!r}"
        raise InstrumentError(filename, path, problem)
    if _paragraphs(words) != _paragraphs(source):
        problem = f"{_paragraphs(words)} paragraphs; the English has {_paragraphs(source)}"
        raise InstrumentError(filename, path, problem)


def _paragraphs(text: str) -> int:
    return len([p for p in text.split("\n\n") if p.strip()])


def _words(entries: Mapping[str, dict], language: str) -> dict[str, str]:
    return {path: entry[language] for path, entry in entries.items()}


def _runtime_words(definition: Definition, language: str) -> dict[str, str]:
    """What can be shown in `language`; every other text stays English, with a warning."""
    stem = definition_stem(definition)
    filename = f"{TRANSLATIONS_FOLDER}/{stem}.{language}.json"
    try:
        entries = load_translation(stem, language).get("texts", {})
    except (InstrumentError, OSError, AttributeError) as error:
        log.warning("%s: cannot be read (%s); %s is shown in English", filename, error, stem)
        return {}
    words, missing = {}, []
    for path, source in texts(definition).items():
        entry = entries.get(path) if isinstance(entries, dict) else None
        text = entry.get(language) if isinstance(entry, dict) else None
        if isinstance(text, str) and text.strip() and entry.get(ENGLISH) == source:
            words[path] = text
        else:
            missing.append(path)
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        log.warning("%s: %d texts shown in English: %s", filename, len(missing), shown)
    return words
