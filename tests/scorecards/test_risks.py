"""Risk flags v2: each reads the statements written for it, is raised only when the
interval is clearly past its line, fits the network's age, and shows its evidence."""

import json
from pathlib import Path

from scorecards.scoring import risks
from surveys import anonymity

INSTRUMENTS = Path(__file__).resolve().parents[2] / "surveys" / "instruments"


def item(mean, sd=0.6, n=20):
    return {"mean": mean, "sd": sd, "n": n}


def round_data(items=None, age=30, invited=40, **extra):
    return {
        "items": items or {},
        "invited": invited,
        "context": {"network_age_months": age, "response_rate": 60},
        **extra,
    }


def codes(flags):
    return [f["code"] for f in flags]


def test_a_statement_clearly_under_three_raises_its_flag_with_the_evidence():
    flags = risks.risk_flags(round_data({"P02": item(2.5)}), {"P02": "Members agree on it."})

    assert codes(flags) == ["unclear_purpose"]
    evidence = flags[0]["evidence"]
    assert (
        'P02 "Members agree on it.": 2.5 out of 5 (95% interval 2.3 to 2.7, 20 answered)'
        in evidence
    )
    assert flags[0]["severity"] == "medium"


def test_a_low_mean_whose_interval_reaches_three_raises_nothing():
    wide = item(2.7, sd=1.2, n=8)  # the interval runs to about 3.6

    assert risks.risk_flags(round_data({"P02": wide})) == []


def test_an_interval_wholly_under_two_and_a_half_is_high_severity():
    flags = risks.risk_flags(round_data({"P01": item(2.0)}))

    assert flags[0]["severity"] == "high"


def test_a_young_network_is_not_told_it_is_over_managed_or_institutionalised():
    low = {"M14": item(2.0), "M07": item(2.0), "M01": item(2.0)}

    young = risks.risk_flags(round_data(low, age=1))
    unknown_age = risks.risk_flags(round_data(low, age=None))
    mature = risks.risk_flags(round_data(low, age=30))

    assert young == [] and unknown_age == []
    assert codes(mature) == ["leadership_concentrated", "over_management", "diversity_managed_out"]


def test_a_flag_reads_only_its_own_statements():
    unrelated = {"F01": item(1.5), "M05": item(1.5)}  # low, but written for no flag

    assert risks.risk_flags(round_data(unrelated)) == []


def test_interests_put_first_reads_the_statement_on_interests_and_adds_group_gaps():
    def groups(gap):
        shown = {"hidden": False, "n": 8, "domains": {"purpose": {"mean_pct": 40, "vs_rest": gap}}}
        return {"group": {"patients": shown, "carers": dict(anonymity.HIDDEN)}}

    gap_only = risks.risk_flags(round_data({"P12": item(3.5)}, breakdowns=groups(-20)))
    both = risks.risk_flags(round_data({"P12": item(2.4)}, breakdowns=groups(-20)))

    assert gap_only == []  # a gap alone is not evidence that interests come first
    assert codes(both) == ["interests_first"]
    assert "patients score purpose 20 points below everyone else" in both[0]["evidence"]


def test_a_withheld_statement_is_never_read():
    withheld = {"P02": {"withheld": True, "mean": None, "n": None}}

    assert risks.risk_flags(round_data(withheld)) == []


def stage_with(impact_falling, impact_low=False):
    text = "impact went from 70 to 50 since the previous round (a change of -20)"
    return {
        "conditions": [
            {"key": "impact_falling", "text": text, "holds": impact_falling},
            {"key": "impact_low", "text": "impact 50", "holds": impact_low},
        ]
    }


def test_drift_is_flagged_exactly_when_the_stage_finds_impact_falling():
    clear = risks.risk_flags(round_data(stage=stage_with(True)))
    unsure = risks.risk_flags(round_data(stage=stage_with(None)))
    young = risks.risk_flags(round_data(age=6, stage=stage_with(True)))

    assert codes(clear) == ["drifting_into_dormancy"]
    assert clear[0]["evidence"].startswith("Impact went from 70 to 50")
    assert unsure == [] and young == []


def test_without_a_founding_date_earlier_rounds_make_a_network_mature():
    data = round_data({"M14": item(2.0)}, age=None)
    data["context"]["history"] = [{"months_ago": 48}]

    assert codes(risks.risk_flags(data)) == ["over_management"]


def test_a_response_rate_under_a_quarter_flags_low_engagement():
    data = round_data()
    data["context"]["response_rate"] = 20

    assert codes(risks.risk_flags(data)) == ["low_engagement"]


def test_every_flag_reads_statements_the_instruments_have():
    known = set()
    for path in INSTRUMENTS.glob("health-scorecard.v*.json"):
        definition = json.loads(path.read_text(encoding="utf-8"))
        known |= {
            i["code"] for d in definition["domains"] for s in d["subdimensions"] for i in s["items"]
        }
    for flag in risks.FLAGS:
        assert set(flag.items) <= known, flag.code
