"""The stage model on networks written from the framework's definitions
(docs/stage-vignettes.yaml): each gets the stage a careful reader would give."""

from pathlib import Path

import pytest
import yaml

from scorecards.scoring.stages import Evidence, Measure, PastRound, stage_classify

VIGNETTES = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "stage-vignettes.yaml").read_text()
)


def measure(pair, n: int) -> Measure | None:
    if pair is None:
        return None
    value, half_width = pair
    return Measure(value, max(0, value - half_width), min(100, value + half_width), n)


def evidence(v: dict) -> Evidence:
    n = v["respondents"]
    unknown = Measure.unknown()
    return Evidence(
        n_respondents=n,
        threshold=5,
        purpose=measure(v["purpose"], n) or unknown,
        function=measure(v["function"], n) or unknown,
        form=measure(v["form"], n) or unknown,
        impact=measure(v.get("impact"), n),
        matrix=measure(v.get("matrix"), n),
        age_months=v["age"],
        response_rate=v.get("response_rate"),
        history=tuple(PastRound(**past) for past in v.get("history", [])),
    )


def test_there_are_at_least_twelve_vignettes_covering_every_stage():
    assert len(VIGNETTES) >= 12
    expected = {v["expect"] for v in VIGNETTES}
    assert {"pre-emergent", "emerging", "established", "dormant"} <= expected


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["name"] for v in VIGNETTES])
def test_the_model_gives_each_vignette_its_stage(vignette):
    result = stage_classify(evidence(vignette))

    assert result.stage == vignette["expect"], vignette["why"]
    assert result.certainty == vignette["certainty"]
    if "between" in vignette:
        assert vignette["between"] in result.alternatives
