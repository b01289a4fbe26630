"""The dashboard's story: a leader who reads only the first screen knows where the
network sits, its strongest and weakest areas, what changed and what to talk about."""

from scorecards.scoring.findings import story


def test_the_story_names_the_strongest_and_weakest_areas_and_a_risk_to_talk_about():
    data = {
        "stage": {"summary": "The network is emerging, and the answers leave little doubt."},
        "subdimensions": {
            "purpose_clarity": {"mean_pct": 78.4},
            "form_governance": {"mean_pct": 41.2},
            "form_learning": {"mean_pct": None, "withheld": True},
        },
        "changes": {"domains": {"purpose": {"diff": 6.4, "ci_low": 1.2, "ci_high": 11.0}}},
        "risk_flags": [{"title": "Low engagement", "evidence": "Only 20% answered."}],
    }
    labels = {"purpose_clarity": "Clarity of purpose", "form_governance": "Governance",
              "purpose": "Purpose"}  # fmt: skip

    told = {point.title: point.detail for point in story(data, labels)}

    assert told["Where the network sits"].startswith("The network is emerging")
    assert told["Strongest"] == "Clarity of purpose, 78 out of 100."
    assert told["Weakest"] == "Governance, 41 out of 100."
    assert told["Since last time"] == "Purpose rose 6 points (95% interval 1 to 11)."
    assert told["To talk about"] == "Low engagement: Only 20% answered."


def test_a_first_round_without_a_stage_says_so_plainly():
    told = {point.title: point.detail for point in story({"stage": None}, {})}

    assert told["Where the network sits"].startswith("No stage is given for this round")
    assert told["Since last time"] == "This is the first round with results to compare."
    assert "Strongest" not in told
