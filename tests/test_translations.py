"""The translation catalogs (README: Languages): every string marked for translation in
the product is in the Welsh catalog, every entry is translated and none is fuzzy, and
compiling needs only Python. A string with no translation shows in English."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

from surveys.management.commands.compile_translations import compile_catalog
from tests.conftest import need

ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted((ROOT / "locale").rglob("*.po"))
# What the product is made of: makemessages looks at these and nothing else (the
# Makefile's `messages` target leaves out the same tests, benchmarks and vendored files).
SOURCES = ("manage.py", "netassess", "surveys", "meetings", "scorecards", "templates", "static")
IGNORE = ["--ignore=static/vendor"]


def entries(path: Path) -> dict:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(path)) if not e.obsolete}


def test_there_is_a_welsh_catalog_for_pages_and_for_scripts():
    names = {p.relative_to(ROOT).as_posix() for p in CATALOGS}
    assert {"locale/cy/LC_MESSAGES/django.po", "locale/cy/LC_MESSAGES/djangojs.po"} <= names


@pytest.mark.parametrize("path", CATALOGS, ids=[p.relative_to(ROOT).as_posix() for p in CATALOGS])
def test_every_string_in_a_catalog_is_translated_and_none_is_fuzzy(path):
    catalog = polib.pofile(str(path))
    untranslated = [e.msgid for e in catalog.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in catalog.fuzzy_entries()]
    empty_plurals = [
        e.msgid for e in catalog if e.msgid_plural and not all(e.msgstr_plural.values())
    ]
    assert (untranslated, fuzzy, empty_plurals) == ([], [], [])
    assert not catalog.metadata_is_fuzzy


@pytest.mark.parametrize("path", CATALOGS, ids=[p.relative_to(ROOT).as_posix() for p in CATALOGS])
def test_a_translation_keeps_every_placeholder_of_its_english(path):
    import re

    placeholder = re.compile(r"%\([a-z_]+\)s|%s|\{[a-z_]+\}")
    wrong = []
    for entry in polib.pofile(str(path)):
        english = sorted(placeholder.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wrong += [entry.msgid for t in translations if sorted(placeholder.findall(t)) != english]
    assert wrong == []


def test_every_marked_string_is_in_the_welsh_catalog(tmp_path):
    """makemessages, run on a copy of the product, finds exactly the strings the
    committed catalogs hold: none marked and left out, none left over."""
    need(shutil.which("xgettext") is not None, "gettext's tools: apt-get install gettext")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "netassess.settings"}
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, "-l", "cy", *IGNORE],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh = entries(tmp_path / "locale/cy/LC_MESSAGES" / f"{domain}.po")
        committed = entries(ROOT / "locale/cy/LC_MESSAGES" / f"{domain}.po")
        assert {
            "missing from the catalog": fresh - committed,
            "no longer used": committed - fresh,
        } == {
            "missing from the catalog": set(),
            "no longer used": set(),
        }, f"run `make messages`, then translate what is new in locale/cy/LC_MESSAGES/{domain}.po"


def test_compiling_needs_only_python_and_leaves_untranslated_and_fuzzy_strings_in_english(
    tmp_path,
):
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "cy"}
    catalog.append(polib.POEntry(msgid="Start", msgstr="Dechrau"))
    catalog.append(polib.POEntry(msgid="Save and continue", msgstr=""))
    catalog.append(polib.POEntry(msgid="Back", msgstr="Nôl", flags=["fuzzy"]))
    po_path = tmp_path / "django.po"
    catalog.save(str(po_path))

    with open(compile_catalog(po_path), "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    assert translations.gettext("Start") == "Dechrau"
    assert translations.gettext("Save and continue") == "Save and continue"  # never empty
    assert translations.gettext("Back") == "Back"  # a fuzzy guess is not shown


def test_compile_translations_writes_a_mo_file_beside_each_catalog():
    call_command("compile_translations", verbosity=0)
    assert all(path.with_suffix(".mo").exists() for path in CATALOGS)
