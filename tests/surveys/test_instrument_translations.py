"""Members answer in Welsh: every shipped instrument has a complete Welsh companion file,
checked by the loader; the Welsh survey has the same pages, codes and values as the
English one (docs/instruments.md, "Welsh translations")."""

from __future__ import annotations

import copy
import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from surveys import services
from surveys.instruments import translations as tr
from surveys.instruments.translations import (
    CODE_KEYS,
    TEXT_KEYS,
    TEXT_LISTS,
    TRANSLATIONS_DIR,
    check,
    check_translations,
    definition_stem,
    load_translation,
    localised,
    review_status,
    skeleton,
    texts,
)
from surveys.instruments.validation import (
    INSTRUMENTS_DIR,
    InstrumentError,
    definition_checksum,
    instrument_files,
    load_instrument_file,
)
from surveys.models import Instrument
from surveys.survey_pages import survey_pages

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [path.stem for path in instrument_files()]
V2, MATRIX = "health-scorecard.v2", "maturity-matrix.v1"
WELSH_NUMBERS = {8: "wyth", 9: "naw"}
# The glossary (docs/instruments.md): where the English says the term, the Welsh uses
# its word, in one of its mutated forms.
GLOSSARY = {
    r"\bnetworks?\b": ("rhwydwaith", "rhwydweithiau", "rwydwaith"),
    r"\bmembers?\b": ("aelod",),
    r"\bpatients?\b": ("cleifion", "gleifion", "claf"),
    r"\bcarers?\b": ("gofalwyr",),
    r"\bsteering group\b": ("grŵp llywio",),
    r"\bcore (group|team)\b": ("grŵp craidd", "tîm craidd", "dîm craidd"),
    r"\bcoordinat": ("cydlyn", "gydlyn", "chydlyn"),
    r"\bfunding\b": ("cyllid", "gyllid"),
    r"\btrust": ("ymddiried",),
    r"\bdecisions?\b": ("penderfyniad", "benderfyniad", "phenderfyniad"),
    r"\bcare\b": ("gofal", "ofal"),
    r"\bpurpose\b": ("diben", "ddiben"),
    r"\borganisations?\b": ("sefydliad",),
    r"\blevels?\b": ("lefel",),
    r"\bDon't know\b": ("Ddim yn gwybod",),
}


def definition(stem: str) -> dict:
    return load_instrument_file(INSTRUMENTS_DIR / f"{stem}.json")


def welsh(stem: str) -> dict:
    return load_translation(stem, "cy")


def strings(node, key=None):
    """(key, string) for every string in a definition, with the field it sits under."""
    if isinstance(node, dict):
        for k, value in node.items():
            yield from strings(value, k)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, key)
    elif isinstance(node, str):
        yield key, node


def at(document, pointer: str):
    for token in pointer.split("/")[1:]:
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


@pytest.fixture(autouse=True)
def fresh_cache():
    tr.clear_cache()
    yield
    tr.clear_cache()


# ---- the shipped files -----------------------------------------------------------


@pytest.mark.parametrize("stem", SHIPPED)
def test_every_string_in_an_instrument_is_a_text_or_a_code(stem):
    kinds = {key for key, _ in strings(definition(stem))}
    assert kinds <= TEXT_KEYS | TEXT_LISTS | CODE_KEYS, "classify the new field in translations.py"


@pytest.mark.parametrize("stem", SHIPPED)
def test_every_member_facing_text_has_a_non_empty_welsh_translation(stem):
    source, translation = definition(stem), welsh(stem)

    check(source, translation, f"{stem}.cy.json")

    assert translation["texts"].keys() == texts(source).keys()
    for path, english in texts(source).items():
        entry = translation["texts"][path]
        assert entry["en"] == english and entry["cy"].strip(), path


def test_the_shipped_folder_has_one_welsh_file_per_version_and_no_other():
    statuses = check_translations([definition(stem) for stem in SHIPPED])

    assert sorted(statuses) == sorted(f"{stem}.cy.json" for stem in SHIPPED)
    assert statuses == review_status()


def test_texts_are_what_members_read_and_never_codes():
    scorecard, matrix = texts(definition(V2)), texts(definition(MATRIX))

    for path in (
        "/title",
        "/introduction",
        "/scale/labels/2",
        "/scale/dont_know_label",
        "/domains/2/subdimensions/1/description",
        "/function_importance/prompt",
        "/function_performance/labels/4",
        "/profile/2/options/0/label",
        "/comments/0/text",
    ):
        assert path in scorecard
    assert sum(path.endswith("/text") and "/items/" in path for path in scorecard) == 45 + 12
    assert {"/levels/4", "/dimensions/7/levels/4/descriptor", "/dimensions/0/levels/0/label"} < set(
        matrix
    )
    assert len([p for p in matrix if p.endswith("/descriptor")]) == 40
    for path in [*scorecard, *matrix]:
        assert path.rsplit("/", 1)[-1] not in CODE_KEYS


@pytest.mark.parametrize("stem", SHIPPED)
def test_welsh_uses_the_glossary_terms(stem):
    for path, entry in welsh(stem)["texts"].items():
        for english, forms in GLOSSARY.items():
            if re.search(english, entry["en"], re.IGNORECASE):
                assert any(form.lower() in entry["cy"].lower() for form in forms), (path, english)


@pytest.mark.parametrize("stem", [s for s in SHIPPED if s.startswith("health-scorecard")])
def test_welsh_introduction_gives_the_same_minutes(stem):
    minutes = definition(stem)["minutes"]
    assert f"tua {WELSH_NUMBERS[minutes]} munud" in welsh(stem)["texts"]["/introduction"]["cy"]


def test_docs_list_each_file_with_its_review_status_and_count():
    docs = (ROOT / "docs" / "instruments.md").read_text()
    for name, reviewed in review_status().items():
        row = next(line for line in docs.splitlines() if f"`translations/{name}`" in line)
        count = len(texts(definition(name.removesuffix(".cy.json"))))
        assert f"| {count} |" in row
        assert ("| reviewed" in row) if reviewed else ("awaiting review" in row)


# ---- localised ---------------------------------------------------------------------


@pytest.mark.parametrize("stem", SHIPPED)
def test_welsh_replaces_every_text_and_nothing_else(stem):
    source = definition(stem)
    checksum = definition_checksum(source)

    result = localised(source, "cy")

    words = welsh(stem)["texts"]
    for path, english in texts(source).items():
        assert at(result, path) == words[path]["cy"] != english
    assert texts(result).keys() == texts(source).keys()
    blank = dict.fromkeys(texts(source), "")  # with every text blanked, nothing differs
    assert tr._apply(result, blank) == tr._apply(source, blank)
    assert definition_checksum(source) == checksum  # the definition itself is untouched


@pytest.mark.parametrize("language", ["en", "en-GB", "EN"])
def test_english_is_the_definition_unchanged(language):
    source = definition(V2)
    result = localised(source, language)
    assert result == source and result is not source


def test_a_region_or_case_in_the_language_does_not_matter():
    source = definition(MATRIX)
    assert localised(source, "cy-GB") == localised(source, "CY") == localised(source, "cy")


def test_each_call_gets_its_own_copy():
    source = definition(V2)
    localised(source, "cy")["domains"][0]["title"] = "changed"
    assert localised(source, "cy")["domains"][0]["title"] == "Diben"


def test_welsh_survey_has_the_same_pages_codes_and_values_in_welsh_words():
    scorecard, matrix = definition(V2), definition(MATRIX)
    english = survey_pages(scorecard, matrix)
    cymraeg = survey_pages(localised(scorecard, "cy"), localised(matrix, "cy"))
    own_words = set(texts(scorecard).values()) | set(texts(matrix).values())

    assert [p.key for p in cymraeg] == [p.key for p in english]
    for en_page, cy_page in zip(english, cymraeg, strict=True):
        # Titles and intros from the instruments are Welsh; the pages' own headings are
        # survey_pages' words, translated with the site's other strings (locale/).
        for en_words, cy_words in ((en_page.title, cy_page.title), (en_page.intro, cy_page.intro)):
            from_instrument = en_words.split(" (part ")[0] in own_words
            assert (cy_words != en_words) if from_instrument else (cy_words == en_words)
        assert len(cy_page.questions) == len(en_page.questions)
        for en_q, cy_q in zip(en_page.questions, cy_page.questions, strict=True):
            assert (cy_q.code, cy_q.kind) == (en_q.code, en_q.kind)
            assert [v for v, _ in cy_q.options] == [v for v, _ in en_q.options]
            assert cy_q.text != en_q.text and bool(cy_q.heading) == bool(en_q.heading)
            for (_, en_label), (_, cy_label) in zip(en_q.options, cy_q.options, strict=True):
                assert cy_label != en_label and cy_label.strip()
            for en_cell, cy_cell in zip(en_q.levels, cy_q.levels, strict=True):
                assert cy_cell["level"] == en_cell["level"]
                assert cy_cell["descriptor"] != en_cell["descriptor"]


# ---- refusals ------------------------------------------------------------------------

PERFORMANCE_TEXT = "/function_performance/items/0/text"


def broken(change) -> dict:
    translation = copy.deepcopy(welsh(V2))
    change(translation["texts"])
    return translation


@pytest.mark.parametrize(
    "change, path, problem",
    [
        (lambda t: t.pop("/domains/0/subdimensions/1/items/0/text"), "items/0/text", "no Welsh"),
        (lambda t: t["/scale/labels/0"].update(cy=""), "/scale/labels/0", "empty"),
        (lambda t: t["/comments/2/text"].update(cy="  "), "/comments/2/text", "empty"),
        (
            lambda t: t.update({"/domains/0/subdimensions/9/title": {"en": "x", "cy": "y"}}),
            "/domains/0/subdimensions/9/title",
            "no member-facing text here",
        ),
        (lambda t: t.update({"/code": {"en": "x", "cy": "y"}}), "/code", "no member-facing"),
        (lambda t: t["/title"].update(en="Old title"), "/title", "translates 'Old title'"),
        (lambda t: t["/title"].update(cy=None), "/title", "empty"),
        (lambda t: t["/title"].update(welsh="x"), "/title", "unknown field"),
        (lambda t: t.update({"/title": "Cerdyn"}), "/title", "expected"),
        (lambda t: t[PERFORMANCE_TEXT].update(cy="Rhywbeth arall"), PERFORMANCE_TEXT, "differs"),
        (lambda t: t["/introduction"].update(cy="Un paragraff."), "/introduction", "paragraphs"),
    ],
)
def test_a_bad_translation_is_refused_naming_the_file_and_path(change, path, problem):
    with pytest.raises(InstrumentError) as error:
        check(definition(V2), broken(change), "translations/health-scorecard.v2.cy.json")

    message = str(error.value)
    assert message.startswith("translations/health-scorecard.v2.cy.json: ")
    assert path in message and problem in message


def test_a_level_label_must_match_the_translated_level_names():
    translation = copy.deepcopy(welsh(MATRIX))
    translation["texts"]["/dimensions/3/levels/1/label"]["cy"] = "Tyfu"

    with pytest.raises(InstrumentError, match=r"/dimensions/3/levels/1/label: 'Tyfu'"):
        check(definition(MATRIX), translation, "maturity-matrix.v1.cy.json")


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda t: t.update(reviewed="no"), "reviewed"),
        (lambda t: t.pop("reviewed"), "reviewed"),
        (lambda t: t.update(language="cy"), "language"),
        (lambda t: t.update(texts=[]), "texts"),
    ],
)
def test_a_badly_shaped_file_is_refused(change, where):
    translation = copy.deepcopy(welsh(MATRIX))
    change(translation)
    with pytest.raises(InstrumentError, match=f"maturity-matrix.v1.cy.json: {where}: "):
        check(definition(MATRIX), translation, "maturity-matrix.v1.cy.json")


@pytest.fixture
def folder(tmp_path):
    for path in INSTRUMENTS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    shutil.copytree(TRANSLATIONS_DIR, tmp_path / "translations")
    return tmp_path


def definitions_in(folder) -> list[dict]:
    return [load_instrument_file(path) for path in instrument_files(folder)]


@pytest.mark.parametrize(
    "name, write, problem",
    [
        ("maturity-matrix.v1.cy.json", None, "maturity-matrix.v1.json: (top level): no Welsh"),
        ("maturity-matrix.v2.cy.json", "{}", "translates maturity-matrix.v2.json, which is not"),
        ("maturity-matrix.v1.fr.json", "{}", "language one of cy"),
        ("maturity-matrix.v1.cy.json", '{"reviewed": false,', "invalid JSON"),
    ],
)
def test_the_folder_check_refuses_a_missing_stray_or_broken_file(folder, name, write, problem):
    path = folder / "translations" / name
    path.unlink(missing_ok=True) if write is None else path.write_text(write)

    with pytest.raises(InstrumentError, match=re.escape(problem)):
        check_translations(definitions_in(folder), folder)


# ---- the loader ----------------------------------------------------------------------


@pytest.mark.django_db
def test_loader_refuses_a_bad_translation_and_leaves_the_checksums_alone(folder):
    services.instruments_load(directory=folder)
    before = dict(Instrument.objects.values_list("code", "checksum").filter(version=1))
    path = folder / "translations" / "maturity-matrix.v1.cy.json"
    data = json.loads(path.read_text())
    data["texts"]["/dimensions/2/levels/4/descriptor"]["cy"] = ""
    path.write_text(json.dumps(data, ensure_ascii=False))

    with pytest.raises(InstrumentError) as error:
        services.instruments_load(directory=folder)

    assert "translations/maturity-matrix.v1.cy.json: /dimensions/2/levels/4/descriptor" in str(
        error.value
    )
    assert dict(Instrument.objects.values_list("code", "checksum").filter(version=1)) == before


@pytest.mark.django_db
def test_a_bad_translation_on_a_first_load_writes_nothing(folder):
    (folder / "translations" / "health-scorecard.v1.cy.json").unlink()

    with pytest.raises(InstrumentError, match="no Welsh translation"):
        services.instruments_load(directory=folder)
    assert not Instrument.objects.exists()


@pytest.mark.django_db
def test_a_reviewed_wording_changes_without_a_new_version(folder):
    services.instruments_load(directory=folder)
    checksum = Instrument.objects.get(code="health-scorecard", version=2).checksum
    path = folder / "translations" / "health-scorecard.v2.cy.json"
    data = json.loads(path.read_text())
    data["reviewed"] = True
    data["texts"]["/domains/0/subdimensions/0/title"]["cy"] = "Eglurder y diben"
    path.write_text(json.dumps(data, ensure_ascii=False))

    results = services.instruments_load(directory=folder)

    assert {status for _, status in results} == {"unchanged"}
    assert Instrument.objects.get(code="health-scorecard", version=2).checksum == checksum
    assert review_status(folder)["health-scorecard.v2.cy.json"] is True


@pytest.mark.django_db
def test_load_command_reports_each_translations_review_status(capsys):
    call_command("load_instruments")
    out = capsys.readouterr().out
    for name in review_status():
        assert f"translations/{name}: first translation, awaiting review" in out


# ---- at run time -----------------------------------------------------------------------


@pytest.fixture
def runtime_folder(tmp_path, monkeypatch):
    shutil.copytree(TRANSLATIONS_DIR, tmp_path / "translations")
    monkeypatch.setattr(tr, "TRANSLATIONS_DIR", tmp_path / "translations")
    return tmp_path / "translations"


def test_a_missing_translation_at_run_time_falls_back_to_english(runtime_folder, caplog):
    path = runtime_folder / "health-scorecard.v2.cy.json"
    data = json.loads(path.read_text())
    del data["texts"]["/domains/1/subdimensions/2/items/0/text"]
    data["texts"]["/scale/labels/3"]["cy"] = ""
    path.write_text(json.dumps(data, ensure_ascii=False))
    source = definition(V2)

    with caplog.at_level(logging.WARNING, logger=tr.__name__):
        result = localised(source, "cy")

    assert at(result, "/domains/1/subdimensions/2/items/0/text") == at(
        source, "/domains/1/subdimensions/2/items/0/text"
    )
    assert result["scale"]["labels"][3] == "Agree"
    assert result["scale"]["labels"][4] == "Cytuno'n gryf"
    assert all(text.strip() for text in texts(result).values())
    assert "2 texts shown in English" in caplog.text and "/scale/labels/3" in caplog.text


def test_no_file_at_run_time_shows_english_with_a_warning(runtime_folder, caplog):
    (runtime_folder / "maturity-matrix.v1.cy.json").unlink()
    source = definition(MATRIX)

    with caplog.at_level(logging.WARNING, logger=tr.__name__):
        assert localised(source, "cy") == source
    assert "maturity-matrix.v1.cy.json" in caplog.text


def test_a_translation_is_read_once_per_version_and_language(monkeypatch):
    calls = []
    real = tr.load_translation
    monkeypatch.setattr(tr, "load_translation", lambda *a, **k: calls.append(a) or real(*a, **k))
    source = definition(V2)

    for _ in range(3):
        localised(source, "cy")

    assert calls == [(definition_stem(source), "cy")]


def test_skeleton_carries_over_identical_english_from_an_earlier_version():
    draft = skeleton(definition(V2), "cy", earlier=welsh("health-scorecard.v1"))

    assert draft["reviewed"] is False and draft["texts"].keys() == texts(definition(V2)).keys()
    assert draft["texts"]["/scale/labels/0"]["cy"] == "Anghytuno'n gryf"
    assert draft["texts"]["/domains/0/subdimensions/2/items/0/text"]["cy"] == ""  # P13, new
