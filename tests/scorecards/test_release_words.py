"""A release's sentences in the reader's language (README: Languages): the worker writes
them in English and keeps them as words, and a Welsh reader gets every one of them in
Welsh with the same figures; a release written before its words were kept shows them as
written, never empty."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from scorecards.models import Release
from scorecards.scoring import words
from scorecards.selectors import labels_for
from scorecards.summary_words import in_language
from surveys.models import NetworkRole
from tests.factories import UserFactory, add_role
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"\d+(?:\.\d+)?")


def sentences_of(data: dict) -> list[str]:
    """Every sentence of a release that the worker writes in words."""
    stage = data["stage"]
    said = [stage["summary"], *stage["not_applied"], *stage["next_steps"]]
    said += [c["text"] for c in stage["conditions"]]
    said += [part for flag in data["risk_flags"] for part in (flag["title"], flag["evidence"])]
    return said + list((data.get("relationships") or {}).get("sentences") or [])


@pytest.fixture
def release_data(network, instruments):
    """A round with a borderline or dormant stage, risk flags and roster answers."""
    assessment = released_round(network, instruments, members=40, rate=0.2, ties="dense")
    return assessment, Release.objects.get(assessment=assessment).data


def test_welsh_reader_gets_every_sentence_in_welsh_with_the_same_figures(release_data):
    assessment, data = release_data
    with translation.override("cy"):
        welsh = in_language(data, labels_for(assessment, "cy"))
    with translation.override("en"):
        english = in_language(data, labels_for(assessment, "en"))

    english_said, welsh_said = sentences_of(english), sentences_of(welsh)
    assert len(english_said) == len(welsh_said) > 10
    assert data["risk_flags"] and data["relationships"]["sentences"]
    for en, cy in zip(english_said, welsh_said, strict=True):
        assert cy != en, f"left in English: {en}"
        assert sorted(NUMBER.findall(cy)) == sorted(NUMBER.findall(en)), (en, cy)


def test_english_reader_reads_what_the_worker_wrote(release_data):
    assessment, data = release_data
    with translation.override("en"):
        english = in_language(data, labels_for(assessment, "en"))
    assert sentences_of(english) == sentences_of(data)
    assert words.SAYS not in english["stage"] and words.SAYS in data["stage"]


def test_worker_writes_a_release_in_english_whatever_the_request_language(network, instruments):
    with translation.override("cy"):
        assessment = released_round(network, instruments, members=20, rate=0.5)
    data = Release.objects.get(assessment=assessment).data
    assert data["stage"]["summary"].startswith(("The network", "Only", "Too few"))
    with translation.override("en"):
        english = in_language(data, labels_for(assessment, "en"))
    assert sentences_of(data) == sentences_of(english)


def test_release_written_before_words_were_kept_shows_them_as_written(release_data):
    assessment, data = release_data
    old = {
        **data,
        "risk_flags": [{k: v for k, v in f.items() if k != "says"} for f in data["risk_flags"]],
    }
    old["stage"] = {k: v for k, v in data["stage"].items() if k != "says"}
    with translation.override("cy"):
        welsh = in_language(old, labels_for(assessment, "cy"))
    assert [f["evidence"] for f in welsh["risk_flags"]] == [
        f["evidence"] for f in data["risk_flags"]
    ]
    # The stage's sentence is worded again from its figures; the rest shows as written.
    assert welsh["stage"]["summary"] not in ("", data["stage"]["summary"])
    assert welsh["stage"]["next_steps"] == data["stage"]["next_steps"]


def test_welsh_leader_reads_the_stage_and_its_reasons_in_welsh_on_the_dashboard(
    release_data, network
):
    assessment, data = release_data
    leader = UserFactory(language="cy")
    add_role(network, leader, NetworkRole.LEADER)
    client = Client()
    client.force_login(leader)
    page = client.get(reverse("assessment_dashboard", args=[network.pk, assessment.pk]))
    html = page.content.decode()
    with translation.override("cy"):
        welsh = in_language(data, labels_for(assessment, "cy"))
    assert page.status_code == 200
    assert welsh["stage"]["summary"].replace("'", "&#x27;") in html
    assert data["stage"]["summary"].replace("'", "&#x27;") not in html
    for step in welsh["stage"]["next_steps"]:
        assert step.replace("'", "&#x27;").replace('"', "&quot;") in html


def test_group_names_a_release_gives_itself_read_in_welsh_and_typed_ones_as_typed():
    from scorecards.scoring.relationship_words import OTHER_GROUPS
    from scorecards.scoring.relationships import OTHER_MEMBERS
    from surveys.anonymity import NOT_STATED

    assert {OTHER_GROUPS, OTHER_MEMBERS, NOT_STATED} == set(words.GROUP_NAMES)
    with translation.override("cy"):
        assert words.group_name(OTHER_GROUPS) not in ("", OTHER_GROUPS)
        assert words.group_name(NOT_STATED) not in ("", NOT_STATED)
        assert words.group_name("Patient or carer") == "Patient or carer"


def test_a_stage_that_could_be_one_of_several_names_them_as_choices():
    from scorecards.scoring.stages import StageResult, summary
    from scorecards.scoring.words import say

    result = StageResult("pre-emergent", "borderline", ["pre-emergent", "emerging", "established"])
    evidence = type("Evidence", (), {"response_rate": 80})()
    with translation.override("en"):
        assert say(summary(result, evidence)) == (
            "The network looks pre-emergent, but it could be emerging or established: too "
            "close to call."
        )
    with translation.override("cy"):
        assert " neu " in say(summary(result, evidence))
