"""The instrument report: the reviewer's questions before trusting a round's scores,
answered from the release like every other results page, for the round's coordinators
only, and through the same disclosure rule as every published number."""

import json

import numpy as np
import pandas as pd
import pingouin
import pytest
from django.urls import reverse

from scorecards.scoring import psychometrics
from scorecards.scoring.breakdowns import breakdown
from scorecards.scoring.publication import WITHHELD, EarlierRelease, publish
from scorecards.scoring.scores import answer_matrix
from scorecards.scoring.snapshot import assessment_scores
from tests.factories import MemberFactory
from tests.scorecards.helpers import released_round
from tests.surveys.survey_helpers import open_assessment

THRESHOLD = 5
ITEMS = pd.DataFrame(
    {
        "item": ["P1", "P2", "P3", "P4", "F1", "F2", "F3"],
        "subdimension": ["pa", "pa", "pb", "pb", "fa", "fa", "fa"],
        "domain": ["purpose"] * 4 + ["function"] * 3,
        "reverse": [False, False, False, True, False, False, False],
    }
)


def answers_of(n: int, seed: int = 11, dont_know: float = 0.08) -> pd.DataFrame:
    """Answers that hang together within each domain, some "don't know" (NaN)."""
    rng = np.random.default_rng(seed)
    rows = []
    for person in range(1, n + 1):
        leaning = {"purpose": rng.normal(3.2, 0.8), "function": rng.normal(3.6, 0.8)}
        for item, domain, flip in ITEMS[["item", "domain", "reverse"]].itertuples(index=False):
            value = float(np.clip(np.rint(rng.normal(leaning[domain], 0.7)), 1, 5))
            value = 6 - value if flip else value
            rows.append((person, item, np.nan if rng.random() < dont_know else value))
    return pd.DataFrame(rows, columns=["respondent", "item", "value"])


def wide(answers: pd.DataFrame) -> pd.DataFrame:
    """Respondent x item, "don't know" as NaN (each cell holds one answer)."""
    return answers.pivot_table(
        index="respondent", columns="item", values="value", aggfunc="first", dropna=False
    )


def profiles(groups: dict[str, int]) -> pd.DataFrame:
    names = [name for name, size in groups.items() for _ in range(size)]
    return pd.DataFrame({"respondent": range(1, len(names) + 1), "group": names})


def matrix_of(levels: dict[str, list[int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (person, dim, level, np.nan)
            for dim, row in levels.items()
            for person, level in enumerate(row, 1)
        ],
        columns=["respondent", "dimension", "current", "target"],
    )


# ---- the pure report --------------------------------------------------------------------


def report_of(answers, groups, matrix=None, **kwargs):
    grid = answer_matrix(answers, ITEMS)
    return psychometrics.instrument_report(grid, profiles(groups), matrix, THRESHOLD, **kwargs)


def test_alpha_per_domain_matches_pingouin_on_the_same_complete_cases():
    answers = answers_of(60)
    flipped = answers.assign(
        value=np.where(answers["item"] == "P4", 6 - answers["value"], answers["value"])
    )
    table = wide(flipped)

    domains = report_of(answers, {"Clinician": 60})["domains"]

    for domain, codes in (("purpose", ["P1", "P2", "P3", "P4"]), ("function", ["F1", "F2", "F3"])):
        complete = table[codes].dropna()
        expected, _ = pingouin.cronbach_alpha(complete, nan_policy="listwise")
        assert domains[domain]["alpha"] == pytest.approx(expected)
        assert domains[domain]["n_complete"] == len(complete)
        assert domains[domain]["k"] == len(codes)


def test_omega_matches_the_hand_calculation_when_every_pair_correlates_alike():
    # Each answer pattern appears in its three rotations, so the three items have the
    # same variance and every pair the same correlation r. The one-factor model then has
    # every loading sqrt(r), and omega = (3 sqrt r)^2 / ((3 sqrt r)^2 + 3 (1 - r))
    # = 3r / (1 + 2r), which is also alpha (equal variances, equal covariances).
    patterns = [(5, 4, 4), (2, 1, 2), (3, 3, 4), (4, 5, 5), (1, 2, 1)]
    rows = [p[i:] + p[:i] for p in patterns for i in range(3)]
    answers = pd.DataFrame(
        [
            (person, item, float(value))
            for person, row in enumerate(rows, 1)
            for item, value in zip(("F1", "F2", "F3"), row, strict=True)
        ],
        columns=["respondent", "item", "value"],
    )
    data = np.array(rows, dtype=float)
    r = np.corrcoef(data, rowvar=False)
    assert r[0, 1] == pytest.approx(r[0, 2]) == pytest.approx(r[1, 2])

    function = report_of(answers, {"Clinician": 15})["domains"]["function"]

    expected = 3 * r[0, 1] / (1 + 2 * r[0, 1])
    assert function["omega"] == pytest.approx(expected, abs=1e-4)
    assert function["alpha"] == pytest.approx(expected)
    assert function["note"] is None


def test_item_total_correlation_is_against_the_rest_of_the_items_domain():
    answers = answers_of(80, seed=4)
    table = wide(answers)
    table["P4"] = 6 - table["P4"]
    complete = table[["P1", "P2", "P3", "P4"]].dropna()

    items = report_of(answers, {"Clinician": 80})["items"]

    rest = complete[["P1", "P2", "P4"]].sum(axis=1)
    assert items["P3"]["item_total"] == pytest.approx(complete["P3"].corr(rest))
    assert items["P3"]["domain"] == "purpose"


def test_dont_know_rate_is_dont_know_over_everyone_who_saw_the_item():
    answers = answers_of(40, seed=5, dont_know=0.2)
    answers = answers[~((answers["item"] == "F1") & (answers["respondent"] <= 3))]  # skipped

    item = report_of(answers, {"Clinician": 40})["items"]["F1"]

    seen = answers[answers["item"] == "F1"]
    assert item["n"] == len(seen) == 37
    assert item["dont_know_rate"] == pytest.approx(seen["value"].isna().mean())


def test_groups_under_the_threshold_are_absent_by_the_same_rule_as_breakdowns():
    groups = {"Clinician": 20, "Manager": 7, "Patient or carer": 9, "Commissioner": 3}
    answers = answers_of(39, seed=6)

    shown = report_of(answers, groups)["groups"]

    # Commissioner (3) is under the threshold; hidden alone, 3 people could be worked out
    # by subtraction, so the smallest group shown beside it (Manager, 7) goes too.
    assert set(shown) == {"Clinician", "Patient or carer"}
    scores = pd.DataFrame(index=pd.Index(range(1, 40), name="respondent"), columns=["purpose"])
    by_group = breakdown(scores.astype(float), profiles(groups), "group", THRESHOLD)
    assert set(shown) == {g for g, entry in by_group.items() if not entry["hidden"]}


def test_a_groups_dont_know_rate_is_its_own_members_share():
    groups = {"Clinician": 25, "Patient or carer": 15}
    answers = answers_of(40, seed=7)
    patients = answers["respondent"] > 25
    answers.loc[patients & (answers["item"] == "F2"), "value"] = np.nan  # they cannot say

    report = report_of(answers, groups)

    patient_f2 = report["groups"]["Patient or carer"]["items"]["F2"]
    assert patient_f2 == {"n": 15, "rate": 1.0}
    clinician_f2 = answers[~patients & (answers["item"] == "F2")]["value"]
    assert report["groups"]["Clinician"]["items"]["F2"]["rate"] == pytest.approx(
        clinician_f2.isna().mean()
    )
    assert report["groups"]["Clinician"]["n"] == 25


def test_a_groups_rate_on_an_item_few_of_them_saw_is_not_given():
    answers = answers_of(20, seed=8)
    answers = answers[~((answers["item"] == "P1") & (answers["respondent"] > 13))]  # 3 saw it

    cell = report_of(answers, {"Clinician": 10, "Manager": 10})["groups"]["Manager"]["items"]["P1"]

    assert cell == {"n": 3, "rate": None}


def test_rwg_per_dimension_with_its_plain_reading():
    matrix = matrix_of({"purpose": [3, 3, 3, 4, 3, 3], "trust": [1, 5, 1, 5, 2, 4]})

    agreement = report_of(answers_of(6), {"Clinician": 6}, matrix)["matrix"]

    expected = 1 - np.var([3, 3, 3, 4, 3, 3], ddof=1) / 2  # (5^2 - 1) / 12 = 2
    assert agreement["purpose"]["rwg"] == pytest.approx(expected)
    assert agreement["purpose"]["reading"] == "members agree enough to read the median"
    assert agreement["trust"]["rwg"] == 0.0
    assert agreement["trust"]["reading"].startswith("members disagree")
    assert agreement["purpose"]["n"] == 6


def test_too_few_complete_cases_give_no_alpha_and_say_why_without_a_count():
    domains = report_of(answers_of(8), {"Clinician": 8})["domains"]

    assert domains["purpose"]["alpha"] is None and domains["purpose"]["omega"] is None
    assert domains["purpose"]["note"] == "fewer than 10 people answered every item"


def test_the_report_is_plain_json():
    report = report_of(answers_of(30), {"Clinician": 30}, matrix_of({"purpose": [3] * 30}))

    assert json.loads(json.dumps(report, allow_nan=False)) == report


# ---- through the release's disclosure rule ------------------------------------------


def snapshot_of(answers, groups, matrix=None):
    return assessment_scores(
        answers=answers,
        items=ITEMS,
        respondents=profiles(groups),
        matrix=matrix,
        threshold=THRESHOLD,
        n_boot=50,
    )


def test_the_snapshot_holds_the_report_and_the_release_keeps_a_shown_groups_rates():
    groups = {"Clinician": 10, "Manager": 10}
    data = snapshot_of(answers_of(20), groups)

    published = publish(
        data, {}, profiles(groups), number=1, earlier=[], known=set(), threshold=THRESHOLD
    )

    assert set(data["instrument"]["groups"]) == {"Clinician", "Manager"}
    assert published.data["instrument"]["groups"] == data["instrument"]["groups"]
    assert ["group", "Manager"] in published.shown["items:F1"]


def test_a_groups_dont_know_rate_that_would_single_out_a_late_responder_is_held_back():
    # Release 1: five clinicians and five managers. Release 2: one clinician and four
    # managers more. Each group still has at least five people, so the report shows
    # both; but release 2's clinician count minus release 1's is one person's "don't
    # know", and the managers' difference is four people's: the audit holds them back.
    answers = answers_of(15, seed=9, dont_know=0.3)
    first = {"Clinician": 5, "Manager": 5}
    people = profiles({"Clinician": 5, "Manager": 5})
    one = publish(
        snapshot_of(answers[answers["respondent"] <= 10], first),
        {},
        people,
        number=1,
        earlier=[],
        known=set(),
        threshold=THRESHOLD,
    )
    newcomers = {"respondent": range(11, 16), "group": ["Clinician"] + ["Manager"] * 4}
    later = pd.concat([people, pd.DataFrame(newcomers)])
    data = assessment_scores(
        answers=answers, items=ITEMS, respondents=later, threshold=THRESHOLD, n_boot=50
    )
    assert set(data["instrument"]["groups"]) == {"Clinician", "Manager"}

    two = publish(
        data,
        {},
        later,
        number=2,
        earlier=[EarlierRelease(1, frozenset(range(1, 11)), one.shown)],
        known=set(),
        threshold=THRESHOLD,
    )

    assert set(one.data["instrument"]["groups"]) == {"Clinician", "Manager"}
    assert two.data["instrument"]["groups"] == {}
    assert ["group", "Clinician"] not in two.shown["items:P1"]
    assert two.data["instrument"]["items"]["P1"]["dont_know_rate"] is not None  # overall stays


def test_the_reports_figures_go_with_the_withheld_cells_they_describe():
    matrix = matrix_of({"purpose": [3, 3, 4, 3, 3, 3], "trust": [2, 3]})
    answers = answers_of(6, seed=10, dont_know=0.0)
    answers = answers[~((answers["item"] == "F1") & (answers["respondent"] > 2))]
    groups = {"Clinician": 6}

    published = publish(
        snapshot_of(answers, groups, matrix),
        {},
        profiles(groups),
        number=1,
        earlier=[],
        known=set(),
        threshold=THRESHOLD,
    ).data["instrument"]

    assert published["items"]["F1"]["withheld"] and published["items"]["F1"]["n"] is None
    assert published["items"]["F1"]["dont_know_rate"] is None
    assert published["matrix"]["trust"] == {
        "rwg": None,
        "n": None,
        "reading": WITHHELD,
        "withheld": True,
    }
    assert published["matrix"]["purpose"]["rwg"] is not None


# ---- the coordinator's page -------------------------------------------------------------


def report_url(assessment):
    return reverse("instrument_report", args=[assessment.network_id, assessment.pk])


@pytest.fixture
def assessment(network, instruments):
    patients = network.groups.get(name__iexact="patient or carer")
    for _ in range(12):
        MemberFactory(network=network, group=patients)
    # Two groups under the threshold, together five: hidden, and nobody else with them.
    for name, size in (("Commissioner only", 2), ("Funders only", 3)):
        small = network.groups.create(name=name, position=99)
        for _ in range(size):
            MemberFactory(network=network, group=small)
    return released_round(network, instruments, members=30)


@pytest.mark.django_db
def test_coordinator_reads_the_released_alpha_omega_and_agreement(client, owner, assessment):
    client.force_login(owner)

    body = client.get(report_url(assessment)).content.decode()

    report = assessment.releases.get().data["instrument"]
    purpose = report["domains"]["purpose"]
    assert purpose["alpha"] is not None and purpose["omega"] is not None
    assert f"{purpose['alpha']:.2f}" in body and f"{purpose['omega']:.2f}" in body
    p01 = report["items"]["P01"]
    assert f"{p01['item_total']:.2f}" in body
    dimension, agreement = next(iter(report["matrix"].items()))
    assert f"{agreement['rwg']:.2f}" in body
    assert "Patient or carer" in body
    assert "Commissioner only" not in body and "Funders only" not in body
    assert "<caption>" in body and 'scope="row"' in body


@pytest.mark.django_db
def test_coordinator_reads_the_report_in_the_instruments_order(client, owner, assessment):
    client.force_login(owner)

    body = client.get(report_url(assessment)).content.decode()

    rows = [body.index(f'<th scope="row">{t}</th>') for t in ("Purpose", "Function", "Form")]
    assert rows == sorted(rows)
    statements = [body.index(f">{code}</span>") for code in ("P01", "P02", "F04", "M03")]
    assert statements == sorted(statements)
    assert body.index(">Clinician</th>") < body.index(">Patient or carer</th>")


@pytest.mark.django_db
def test_dont_know_rates_are_whole_percentages(client, owner, assessment):
    client.force_login(owner)

    body = client.get(report_url(assessment)).content.decode()

    rate = assessment.releases.get().data["instrument"]["groups"]["Patient or carer"]["items"]
    shown = [cell["rate"] for cell in rate.values() if cell["rate"] is not None]
    assert shown
    assert f"<td>{round(shown[0] * 100)}%</td>" in body


@pytest.mark.django_db
def test_coordinator_finds_the_report_from_the_rounds_dashboard(client, owner, leader, assessment):
    dashboard = reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk])

    client.force_login(owner)
    assert report_url(assessment) in client.get(dashboard).content.decode()
    client.force_login(leader)
    assert report_url(assessment) not in client.get(dashboard).content.decode()


@pytest.mark.django_db
def test_outsider_gets_404_on_instrument_report(client, outsider, assessment):
    client.force_login(outsider)

    assert client.get(report_url(assessment)).status_code == 404


@pytest.mark.django_db
def test_leader_is_refused_the_coordinators_instrument_report(client, leader, assessment):
    client.force_login(leader)

    assert client.get(report_url(assessment)).status_code == 403


@pytest.mark.django_db
def test_instrument_report_before_any_release_explains_itself(client, owner, network, instruments):
    assessment = open_assessment(network, instruments)
    client.force_login(owner)

    body = client.get(report_url(assessment)).content.decode()

    assert "No results released yet" in body
    assert "<table" not in body


@pytest.mark.django_db
def test_instrument_report_under_the_threshold_shows_no_figures(
    client, owner, network, instruments
):
    assessment = released_round(network, instruments, members=4)
    client.force_login(owner)

    body = client.get(report_url(assessment)).content.decode()

    assert "Not enough answers for a report" in body
    assert "Cronbach" not in body


@pytest.mark.django_db
def test_instrument_report_with_too_few_complete_answers_says_so(
    client, owner, network, instruments
):
    assessment = released_round(network, instruments, members=8)
    client.force_login(owner)

    body = client.get(report_url(assessment)).content.decode()

    assert "Too few complete answers" in body
    assert "fewer than 10 people answered every item" in body
    for domain in assessment.releases.get().data["instrument"]["domains"].values():
        assert domain["alpha"] is None and domain["omega"] is None
        if domain["n_complete"] < 5:  # a count under the threshold is never printed
            assert "<td>fewer than 5</td>" in body
            assert f"<td>{domain['n_complete']}</td>" not in body


INSTRUMENT_REPORT_QUERIES = 4


@pytest.mark.django_db
def test_instrument_report_costs_a_fixed_number_of_queries(
    client, owner, assessment, django_assert_num_queries
):
    client.force_login(owner)

    with django_assert_num_queries(INSTRUMENT_REPORT_QUERIES):
        assert client.get(report_url(assessment)).status_code == 200
