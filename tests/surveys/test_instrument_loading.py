import json
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from django.urls import reverse

from surveys import services
from surveys.instruments.translations import TRANSLATIONS_DIR
from surveys.instruments.validation import INSTRUMENTS_DIR, InstrumentError
from surveys.models import Instrument
from surveys.survey_pages import SCALE_KINDS, survey_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path):
    for path in INSTRUMENTS_DIR.glob("*.json"):
        shutil.copy(path, tmp_path)
    shutil.copytree(TRANSLATIONS_DIR, tmp_path / TRANSLATIONS_DIR.name)
    return tmp_path


def edit(folder, name, change):
    path = folder / name
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_loading_twice_adds_each_version_once(capsys):
    call_command("load_instruments")
    call_command("load_instruments")

    assert sorted(Instrument.objects.values_list("code", "version")) == [
        ("health-scorecard", 1),
        ("health-scorecard", 2),
        ("maturity-matrix", 1),
    ]
    assert "unchanged" in capsys.readouterr().out


def test_changed_file_under_a_loaded_version_is_refused(folder):
    services.instruments_load(directory=folder)
    edit(folder, "health-scorecard.v1.json", lambda d: d.update(title="Quietly changed"))

    with pytest.raises(InstrumentError, match="already loaded with different content"):
        services.instruments_load(directory=folder)
    assert Instrument.objects.get(code="health-scorecard", version=1).title != "Quietly changed"


def test_new_version_is_added_beside_the_old_one(folder):
    services.instruments_load(directory=folder)
    shutil.copy(folder / "maturity-matrix.v1.json", folder / "maturity-matrix.v2.json")
    edit(folder, "maturity-matrix.v2.json", lambda d: d.update(version=2))
    translations = folder / TRANSLATIONS_DIR.name
    shutil.copy(
        translations / "maturity-matrix.v1.cy.json", translations / "maturity-matrix.v2.cy.json"
    )

    services.instruments_load(directory=folder)

    assert list(
        Instrument.objects.filter(code="maturity-matrix").values_list("version", flat=True)
    ) == [2, 1]


def test_broken_file_stops_the_load_before_anything_is_written(folder):
    edit(folder, "maturity-matrix.v1.json", lambda d: d["dimensions"][2].pop("title"))

    with pytest.raises(InstrumentError) as error:
        services.instruments_load(directory=folder)

    assert "maturity-matrix.v1.json" in str(error.value)
    assert "dimensions/2" in str(error.value) and "title" in str(error.value)
    assert not Instrument.objects.exists()


def test_command_reports_a_refused_file_clearly(folder, settings, monkeypatch):
    edit(folder, "health-scorecard.v1.json", lambda d: d.update(kind="quiz"))
    monkeypatch.setattr(
        "surveys.services.instruments.instrument_files",
        lambda directory=None: sorted(folder.glob("*.json")),
    )

    with pytest.raises(CommandError, match="Instrument refused, nothing loaded: health-scorecard"):
        call_command("load_instruments")


# ---- what members see -------------------------------------------------------------


def test_survey_has_every_scorecard_question_exactly_once(instruments):
    scorecard = instruments["scorecard"].definition
    pages = survey_pages(scorecard, instruments["matrix"].definition)
    codes = [q.code for page in pages for q in page.questions]

    expected = (
        [p["code"] for p in scorecard["profile"]]
        + [i["code"] for d in scorecard["domains"] for s in d["subdimensions"] for i in s["items"]]
        + [i["code"] for i in scorecard["function_importance"]["items"]]
        + [i["code"] for i in scorecard.get("function_performance", {}).get("items", [])]
        + [c["code"] for c in scorecard["comments"]]
        + [d["code"] for d in instruments["matrix"].definition["dimensions"]]
    )
    assert sorted(codes) == sorted(expected)
    assert len(codes) == len(set(codes))


def test_no_survey_page_is_longer_than_twelve_questions(instruments):
    pages = survey_pages(instruments["scorecard"].definition, instruments["matrix"].definition)

    assert max(len(p.questions) for p in pages) <= 12
    assert len({p.key for p in pages}) == len(pages)


def test_every_agreement_question_offers_dont_know(instruments):
    pages = survey_pages(instruments["scorecard"].definition, None)
    for question in (q for p in pages for q in p.questions if q.kind in SCALE_KINDS):
        assert [value for value, _ in question.options] == ["1", "2", "3", "4", "5", "dk"]


def test_coordinator_previews_every_page_as_members_see_it(client, owner, instruments):
    client.force_login(owner)
    scorecard = instruments["scorecard"]

    welcome = client.get(reverse("instrument_preview", args=[scorecard.code, scorecard.version]))
    assert f"about {scorecard.minutes} minutes" in welcome.content.decode()
    for page in survey_pages(scorecard.definition, None):
        url = reverse("instrument_preview_page", args=[scorecard.code, scorecard.version, page.key])
        body = client.get(url).content.decode()
        assert "Preview." in body
        for question in page.questions:
            assert f'id="q-{question.code}"' in body


def test_unknown_preview_page_is_404(client, owner, instruments):
    client.force_login(owner)
    matrix = instruments["matrix"]

    url = reverse("instrument_preview_page", args=[matrix.code, matrix.version, "nope"])
    assert client.get(url).status_code == 404


def test_matrix_reads_as_a_one_page_grid_with_forty_descriptors(client, owner, instruments):
    client.force_login(owner)
    matrix = instruments["matrix"]

    body = client.get(
        reverse("instrument_detail", args=[matrix.code, matrix.version])
    ).content.decode()

    for dimension in matrix.definition["dimensions"]:
        for level in dimension["levels"]:
            assert level["descriptor"].replace("'", "&#x27;") in body
    assert "css/print-grid" in body
    assert "@page { size: A4 landscape" in Path(finders.find("css/print-grid.css")).read_text()


def test_scorecard_reads_as_a_list_with_reverse_items_marked(client, owner, instruments):
    client.force_login(owner)
    scorecard = instruments["scorecard"]

    body = client.get(
        reverse("instrument_detail", args=[scorecard.code, scorecard.version])
    ).content.decode()

    assert body.count("<td><em>reverse</em></td>") == sum(
        i["reverse"]
        for d in scorecard.definition["domains"]
        for s in d["subdimensions"]
        for i in s["items"]
    )


def test_instrument_pages_need_sign_in(client, instruments):
    assert client.get(reverse("instrument_list")).status_code == 302
