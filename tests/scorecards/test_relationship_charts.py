"""The relationship charts: drawn from released figures, with a table and a summary
each, names only where the release holds them, typed text inert."""

import json

import pandas as pd

from scorecards.charts.relationships import group_map, named_map, relationship_trend
from scorecards.scoring.relationships import relationships


def released(rel: dict) -> dict:
    return {"released": True, "context": {"threshold": 5}, "relationships": rel}


def figures(groups: dict[str, int], consent=(), ties=((1, 2), (2, 3), (1, 7))) -> dict:
    ids, group_of = [], []
    for name, size in groups.items():
        for _ in range(size):
            ids.append(len(ids) + 1)
            group_of.append(name)
    people = pd.DataFrame(
        {"group": group_of, "answered": True, "consent": [i in consent for i in ids]},
        index=pd.Index(ids, name="member"),
    )
    frame = pd.DataFrame(ties, columns=["source", "target"]).assign(closeness=3)
    rel = relationships(frame, people, threshold=5)
    for node in rel["named_map"]["nodes"]:
        node["name"] = f"Person {node['id']}"
    return rel


def test_group_map_draws_a_node_per_shown_group_with_its_table():
    chart = group_map(released(figures({"Clinician": 6, "Manager": 6})))
    nodes = chart.figure["data"][-1]
    assert len(nodes["x"]) == 2
    assert chart.table.columns == ["Group", "With group", "Working ties"]
    assert ["Clinician", "Manager", "1"] in chart.table.rows
    assert "possible working relationships exist" in chart.summary


def test_a_hostile_group_name_is_inert_in_the_map():
    chart = group_map(released(figures({"<img src=x onerror=alert(1)>": 6, "Manager": 6})))
    assert "<img" not in json.dumps(chart.figure)


def test_named_map_names_only_those_who_agreed():
    chart = named_map(released(figures({"Clinician": 12}, consent={1, 2})))
    text = json.dumps(chart.figure)
    assert "Person 1" in text and "Person 2" in text
    assert "Person 3" not in text and "Person 7" not in text
    assert [row[0] for row in chart.table.rows] == ["Person 1", "Person 2"]


def test_named_map_is_empty_when_nobody_agreed():
    chart = named_map(released(figures({"Clinician": 12})))
    assert chart.figure is None and "Nobody agreed" in chart.empty_message


def test_trend_says_what_changed_and_leaves_a_withheld_round_as_a_gap():
    sparse = figures({"Clinician": 6, "Manager": 6}, ties=((1, 2),))
    dense = figures({"Clinician": 6, "Manager": 6}, ties=((1, 2), (2, 3), (3, 4), (1, 8)))
    history = [
        ("Spring", "2026-03-01", released(sparse)),
        ("Summer", "2026-06-01", released({"withheld": True})),
        ("Autumn", "2026-10-01", released(dense)),
    ]
    chart = relationship_trend(history)
    assert chart.summary.startswith("Since Spring: Density rose from")
    assert [row[0] for row in chart.table.rows] == ["Spring", "Autumn"]
    assert len(chart.figure["data"]) == 3


def test_trend_waits_for_two_rounds_that_asked():
    chart = relationship_trend([("Spring", "2026-03-01", released(figures({"Clinician": 6})))])
    assert chart.figure is None and "two rounds" in chart.empty_message
