"""A leader who reads results in Welsh sees charts drawn in Welsh: every title, summary,
table header, axis title, legend and hover word of ours is Welsh, the numbers are the
very same as in English, and a release drawn before charts came in two languages is
still shown (in English) until the worker draws it again."""

import html
import importlib
import re

import pytest
from django.apps import apps

from scorecards import drawing, selectors
from scorecards.models import Release
from surveys.models import Member, StakeholderGroup
from tests.scorecards.helpers import released_round
from tests.scorecards.test_dashboard_views import dashboard_url

pytestmark = pytest.mark.django_db

WORD = re.compile(r"[A-Za-z]{3,}")
PLOTLY = re.compile(r"%\{[^}]*\}|<[^>]*>")  # Plotly's placeholders and markup: no words
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
# Words Welsh writes as English does ("does dim": there is no).
SHARED = {"Band", "does"}


@pytest.fixture
def assessment(network, instruments):
    return released_round(network, instruments, ties="dense", seed=6)


def drawn(assessment) -> dict[str, list]:
    return Release.objects.get(pk=selectors.latest_release(assessment).pk).charts


def data_of(assessment) -> list[str]:
    """Names typed by people, which stay as typed in every language."""
    network = assessment.network
    return [
        assessment.title,
        *Member.objects.filter(network=network).values_list("name", flat=True),
        *StakeholderGroup.objects.filter(network=network).values_list("name", flat=True),
        # A sentence names a group in lower case: "inside the clinician group".
        *(name.lower() for name in StakeholderGroup.objects.values_list("name", flat=True)),
    ]


def words_of(chart: dict) -> list[str]:
    """Every text of ours a reader sees in a chart, figure included."""
    texts = [chart["title"], *chart["table"]["columns"]]
    texts += [chart["summary"], chart["empty_message"] or ""]
    texts += [cell for row in chart["table"]["rows"] for cell in row]
    figure = chart["figure"] or {"data": [], "layout": {}}
    for trace in figure["data"]:
        texts += [trace.get("name") or "", trace.get("hovertemplate") or ""]
        for field in ("text", "hovertext"):
            value = trace.get(field) or []
            texts += [value] if isinstance(value, str) else [str(v) for v in value]
    layout = figure["layout"]
    for axis in ("xaxis", "yaxis"):
        texts.append(((layout.get(axis) or {}).get("title") or {}).get("text") or "")
        texts += [str(t) for t in (layout.get(axis) or {}).get("ticktext") or []]
    texts += [note.get("text") or "" for note in layout.get("annotations") or []]
    return [html.unescape(text) for text in texts if text]


def english_words(texts: list[str], data: list[str]) -> set[str]:
    found = set()
    for text in texts:
        text = PLOTLY.sub(" ", text)
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, " ")
        found |= set(WORD.findall(text))
    return found


def test_welsh_charts_are_the_english_ones_in_welsh_words(assessment, instruments):
    charts = drawn(assessment)
    english, welsh = charts["en"], charts["cy"]
    data = data_of(assessment)
    # The instrument's English titles are ours too, and have their Welsh in the
    # companion files.
    ours = english_words([w for chart in english for w in words_of(chart)], data) - SHARED

    assert [c["key"] for c in welsh] == [c["key"] for c in english]
    assert {c["key"] for c in english} >= {"domains", "matrix", "relationships-named"}
    for en, cy in zip(english, welsh, strict=True):
        assert cy["title"] != en["title"]
        assert cy["summary"] != en["summary"], en["key"]
        if en["table"]["columns"]:
            assert cy["table"]["columns"] != en["table"]["columns"], en["key"]
        left = english_words(words_of(cy), data) & ours
        assert left == set(), (en["key"], left)


def test_welsh_and_english_charts_show_the_same_numbers(assessment):
    charts = drawn(assessment)

    for en, cy in zip(charts["en"], charts["cy"], strict=True):
        figures = (en["figure"] or {"data": []}, cy["figure"] or {"data": []})
        for one, other in zip(figures[0]["data"], figures[1]["data"], strict=True):
            for field in ("x", "y", "z"):
                assert one.get(field) == other.get(field), (en["key"], field)
        for one, other in zip(en["table"]["rows"], cy["table"]["rows"], strict=True):
            assert [NUMBER.findall(c) for c in one] == [NUMBER.findall(c) for c in other]


def test_axis_titles_and_hover_words_are_welsh(assessment):
    welsh = {chart["key"]: chart for chart in drawn(assessment)["cy"]}
    domains = welsh["domains"]["figure"]

    assert domains["layout"]["xaxis"]["title"]["text"].startswith("Sgôr, 0 i 100")
    assert "allan o 100" in domains["data"][0]["hovertemplate"]
    assert welsh["domains"]["table"]["columns"][0] == "Parth"
    assert welsh["matrix"]["title"] == "Matrics aeddfedrwydd"


def test_a_release_drawn_before_welsh_charts_is_read_as_english(assessment):
    release = selectors.latest_release(assessment)
    english = selectors.charts_in(release, "en")
    Release.objects.filter(pk=release.pk).update(charts=english)  # as stored before
    release.refresh_from_db()

    assert selectors.charts_in(release, "cy") == english
    assert selectors.charts_in(release, "en") == english
    assert selectors.charts_in(Release(charts={}), "cy") == []


def test_old_releases_become_english_and_the_sweeper_draws_them_in_welsh(assessment):
    release = selectors.latest_release(assessment)
    english = selectors.charts_in(release, "en")
    # As stored before: in English, keyed without the languages.
    Release.objects.filter(pk=release.pk).update(charts=english, charts_key="english-only")
    migration = importlib.import_module("scorecards.migrations.0005_charts_by_language")

    migration.charts_by_language(apps, None)

    release.refresh_from_db()
    assert release.charts == {"en": english} and release.charts_drawn_at is None
    assert assessment.pk in selectors.charts_behind()
    assert drawing.release_charts_redraw(assessment_id=assessment.pk) is True
    release.refresh_from_db()
    assert set(release.charts) == {"en", "cy"} and release.charts["en"] == english


def test_welsh_leader_reads_welsh_chart_titles_on_the_dashboard(client, leader, assessment):
    leader.language = "cy"
    leader.save(update_fields=["language"])
    client.force_login(leader)

    body = html.unescape(client.get(dashboard_url(assessment)).content.decode())

    assert 'id="chart-domains-title">Diben, swyddogaeth a ffurf</h3>' in body
    assert 'id="chart-matrix-title">Matrics aeddfedrwydd</h3>' in body
    assert "Perfformiad: pa mor dda mae" in body  # a legend, in the figure data
    assert "Purpose, function and form</h3>" not in body


def test_welsh_leader_sees_english_charts_rather_than_none(client, leader, assessment):
    release = selectors.latest_release(assessment)
    english = selectors.charts_in(release, "en")
    Release.objects.filter(pk=release.pk).update(charts={"en": english})
    leader.language = "cy"
    leader.save(update_fields=["language"])
    client.force_login(leader)

    body = html.unescape(client.get(dashboard_url(assessment)).content.decode())

    assert 'id="chart-domains-title">Purpose, function and form</h3>' in body
