"""The roster question's figures: small networks worked out by hand, python-igraph as an
independent oracle on random ones, and the named map's privacy. No database."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from scorecards.scoring import relationship_words as words
from scorecards.scoring import relationships as rel
from scorecards.scoring.relationship_words import trend
from scorecards.scoring.relationships import CLOSENESS, layout, relationships
from surveys import anonymity


def people(spec, *, answered=True, consent=False) -> pd.DataFrame:
    """Members 1..n: ``spec`` is a count (all clinicians) or ``{group: count}``;
    ``answered`` and ``consent`` are a flag for everyone or the set of ids it holds for."""
    spec = {"Clinician": spec} if isinstance(spec, int) else spec
    groups = [g for g, k in spec.items() for _ in range(k)]
    ids = range(1, len(groups) + 1)

    def flags(value):
        return [value if isinstance(value, bool) else i in value for i in ids]

    return pd.DataFrame(
        {"group": groups, "answered": flags(answered), "consent": flags(consent)},
        index=pd.Index(ids, name="member"),
    )


def ties(*rows, closeness: int = 3) -> pd.DataFrame:
    """Named ties from ``(source, target)`` or ``(source, target, closeness)`` rows."""
    full = [row if len(row) == 3 else (*row, closeness) for row in rows]
    return pd.DataFrame(full, columns=["source", "target", "closeness"])


def figures(named, members, threshold=3) -> dict:
    return relationships(named, members, threshold=threshold)


def star(leaves: int) -> pd.DataFrame:
    return ties(*[(1, leaf) for leaf in range(2, leaves + 2)])


def complete(n: int) -> pd.DataFrame:
    return ties(*itertools.combinations(range(1, n + 1), 2))


def test_relationship_figures_run_without_django():
    script = (
        "import sys; import scorecards.scoring.relationships; "
        "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", script], cwd=root, check=False).returncode == 0


# Small networks worked out by hand ----------------------------------------------


def test_star_network_has_degree_centralisation_one():
    out = figures(star(5), people(6))
    assert out["centralisation"] == 1.0
    assert out["density"] == pytest.approx(5 / 15, abs=1e-3)
    assert out["mean_ties"] == pytest.approx(10 / 6, abs=1e-3)
    assert out["brokers"] == 1  # the hub holds the star together
    assert "A few people hold most of the ties." in out["sentences"]


def test_complete_network_has_density_one_and_no_centralisation():
    out = figures(complete(5), people(5))
    assert out["density"] == 1.0
    assert out["centralisation"] == 0.0
    assert out["core"] == {"k": 4, "size": 5, "share": 1.0}
    assert (out["components"], out["isolates"], out["brokers"]) == (1, 0, 0)
    assert "Every possible working relationship exists." in out["sentences"]
    assert "Ties are spread fairly evenly across members." in out["sentences"]


def test_path_network_has_every_inner_member_as_broker():
    out = figures(ties((1, 2), (2, 3), (3, 4), (4, 5)), people(5))
    assert out["density"] == 0.4  # 4 of 10 pairs
    assert out["centralisation"] == pytest.approx(2 / 12, abs=1e-3)  # (1+0+0+0+1)/(4*3)
    assert out["mean_ties"] == 1.6
    assert out["brokers"] == 3  # members 2, 3 and 4 are articulation points
    assert out["core"] == {"k": 1, "size": 5, "share": 1.0}


def test_two_groups_have_the_hand_computed_ei_index():
    members = people({"Clinician": 5, "Patient": 5})
    named = ties((1, 2), (2, 3), (3, 4), (4, 5), (6, 7), (7, 8), (1, 6), (5, 10))
    out = figures(named, members)
    assert out["cross_group_share"] == 0.25  # 2 of 8 ties
    assert out["ei_index"] == -0.5  # (2 - 6) / 8
    assert out["group_ties"] == {
        "groups": [
            {"name": "Clinician", "size": 5, "internal": 4, "of": ["Clinician"], "answered": 5},
            {"name": "Patient", "size": 5, "internal": 2, "of": ["Patient"], "answered": 5},
        ],
        "between": [{"a": "Clinician", "b": "Patient", "ties": 2}],
        "merged": [],
    }
    assert "25% of ties link people in different groups." in out["sentences"]


def test_reciprocity_counts_pairs_where_both_answered():
    # 5 did not answer: the tie 2 -> 5 is one-sided only because 5 could not name back
    members = people(5, answered={1, 2, 3, 4})
    named = ties((1, 2), (2, 1), (1, 3), (3, 4), (4, 3), (2, 5))
    out = figures(named, members)
    assert out["reciprocity"] == pytest.approx(2 / 3, abs=1e-3)  # {1,2}, {3,4} of three
    assert out["named"] == 6 and out["ties"] == 4


def test_reciprocity_is_unknown_without_a_pair_who_both_answered():
    out = figures(ties((1, 2), (1, 3)), people(3, answered={1}))
    assert out["reciprocity"] is None


def test_bowtie_has_one_articulation_point():
    named = ties((1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (3, 5))
    out = figures(named, people(5))
    assert out["brokers"] == 1
    assert out["components"] == 1
    assert out["core"] == {"k": 2, "size": 5, "share": 1.0}


def test_member_who_alone_links_two_groups_is_counted_as_broker():
    members = people({"A": 5, "B": 5, "C": 5})
    inside = [
        pair for start in (1, 6, 11) for pair in itertools.combinations(range(start, start + 5), 2)
    ]
    across = [(2, 11), (3, 12), (7, 13), (8, 14), (1, 6), (1, 7)]  # A and B meet only at 1
    graph = nx.Graph(inside + across)
    assert not list(nx.articulation_points(graph))
    assert figures(ties(*inside, *across), members)["brokers"] == 1


def test_isolates_and_components_count_only_members_with_ties():
    out = figures(ties((1, 2), (3, 4)), people(6))
    assert (out["components"], out["isolates"], out["with_tie"]) == (2, 2, 4)
    assert out["largest_component_share"] == pytest.approx(2 / 6, abs=1e-3)
    assert any("2 members had no tie named" in s for s in out["sentences"])


def test_non_respondent_keeps_the_ties_others_report():
    out = figures(ties((1, 3), (2, 3)), people(4, answered={1, 2}))
    assert out["ties"] == 2 and out["with_tie"] == 3 and out["isolates"] == 1
    assert out["n_answered"] == 2 and out["answered_share"] == 0.5
    assert out["centralisation"] == pytest.approx((1 + 1 + 0 + 2) / 6, abs=1e-3)


def test_duplicate_self_and_unknown_ties_are_dropped():
    named = ties((1, 2, 1), (1, 2, 3), (2, 1, 2), (1, 1, 4), (3, 3, 1), (1, 99, 4), (98, 2, 4))
    out = figures(named, people(3))
    assert out["named"] == 2  # 1 -> 2 (closeness 3, the higher) and 2 -> 1
    assert out["ties"] == 1
    assert out["closeness"] == {"1": 0, "2": 0, "3": 1, "4": 0}  # max of the two reports


def test_undirected_tie_takes_the_higher_closeness_of_the_two_reports():
    out = figures(ties((1, 2, 1), (2, 1, 4), (2, 3, 2)), people(3))
    assert out["closeness"] == {"1": 0, "2": 1, "3": 0, "4": 1}
    assert set(out["closeness"]) == {str(level) for level in CLOSENESS}


def test_network_without_ties_has_zero_figures_and_says_so():
    empty = pd.DataFrame(columns=["source", "target", "closeness"])
    out = figures(empty, people(4))
    assert (out["ties"], out["named"], out["density"], out["centralisation"]) == (0, 0, 0.0, 0.0)
    assert out["reciprocity"] is None and out["cross_group_share"] is None
    assert out["ei_index"] is None
    assert out["core"] == {"k": 0, "size": 0, "share": 0.0}
    assert (out["components"], out["isolates"], out["brokers"]) == (0, 4, 0)
    assert out["sentences"] == [
        "4 of 4 members answered the roster question.",
        "No working relationships were named.",
    ]


def test_tiny_network_leaves_density_and_centralisation_unknown():
    assert figures(ties(), people(1))["density"] is None
    assert figures(ties((1, 2)), people(2))["centralisation"] is None
    nobody = figures(ties(), people(0))
    assert nobody["density"] is None and nobody["answered_share"] is None


def test_threshold_below_three_is_refused():
    with pytest.raises(ValueError):
        relationships(ties(), people(4), threshold=2)


def test_result_is_plain_json_and_independent_of_row_order():
    rng = np.random.default_rng(3)
    named, members = random_network(rng, 60, 0.08)
    out = relationships(named, members, threshold=5)
    assert json.loads(json.dumps(out)) == out
    shuffled = relationships(
        named.sample(frac=1, random_state=1), members.sample(frac=1, random_state=2), threshold=5
    )
    assert shuffled == out


def test_density_is_read_out_as_one_in_n():
    out = figures(ties((1, 2), (3, 4), (5, 6)), people(6))  # 3 of 15 pairs
    assert out["density"] == 0.2
    assert "About 1 in 5 possible working relationships exist." in out["sentences"]


@pytest.mark.parametrize(
    "density, said",
    [
        (0.6, "About 6 in 10 possible"),
        (0.4, "About 1 in 3 possible"),
        (0.042, "About 1 in 25 possible"),
        (0.0081, "About 1 in 120 possible"),
        (0.00049, "About 1 in 2,000 possible"),
    ],
)
def test_density_sentence_rounds_sensibly(density, said):
    assert words._density_sentence(density, 100).startswith(said)


def test_steering_group_reads_that_most_ties_stay_inside_one_group():
    members = people({"Clinician": 5, "Patient": 5})
    out = figures(ties(*itertools.combinations(range(1, 6), 2), (1, 6)), members)
    assert "Most ties stay inside the clinician group." in out["sentences"]


def test_sentences_name_no_group_that_was_merged():
    members = people({"Clinician": 6, "Manager": 6, "Patient": 2})
    out = figures(ties((13, 14), (13, 1), (14, 2)), members, threshold=5)
    assert all("Patient" not in s for s in out["sentences"])
    assert "Most ties stay among the smaller groups taken together." in out["sentences"]


# Against python-igraph on random networks -----------------------------------------


def random_network(rng, n: int, p: float, hubs: int = 0):
    """Directed named ties among n members (Erdős–Rényi with probability p, or with
    ``hubs`` members that most others name), a third not answering (their own names
    left out), some duplicates and self-ties thrown in."""
    answered = rng.random(n) < 2 / 3
    chance = np.full((n, n), p)
    if hubs:
        chance[:, :hubs] = 0.6
        chance[:hubs, :] = 0.6
    named = (rng.random((n, n)) < chance) & answered[:, None]
    s, t = np.nonzero(named)
    frame = pd.DataFrame({"source": s + 1, "target": t + 1})
    frame["closeness"] = rng.integers(1, 5, size=len(frame))
    noise = pd.DataFrame({"source": [1, 2], "target": [1, 2], "closeness": [4, 4]})
    frame = pd.concat([frame, frame.head(5), noise], ignore_index=True)
    members = pd.DataFrame(
        {
            "group": rng.choice(["Clinician", "Manager", "Patient"], size=n),
            "answered": answered,
            "consent": answered & (rng.random(n) < 0.5),
        },
        index=pd.Index(range(1, n + 1), name="member"),
    )
    return frame, members


def igraph_of(named: pd.DataFrame, n: int) -> ig.Graph:
    """The named ties as an igraph directed graph on vertices 0..n-1 (ids 1..n)."""
    pairs = list(zip(named["source"] - 1, named["target"] - 1, strict=True))
    return ig.Graph(n=n, edges=pairs, directed=True)


# Erdős–Rényi, dense and sparse (several components), and hub-and-spoke.
NETWORKS = (
    [(seed, 80, 0.05, 0) for seed in range(4)]
    + [(seed, 80, 0.012, 0) for seed in range(3)]
    + [(seed, 80, 0.01, 3) for seed in range(3)]
)


@pytest.mark.parametrize("seed, n, p, hubs", NETWORKS)
def test_figures_agree_with_igraph(seed, n, p, hubs):
    """Density, mean degree, components, articulation points, coreness and isolates from
    igraph's undirected simple graph. python-igraph 1.0 has no graph-level
    centralisation (R igraph's ``centr_degree`` has no Python counterpart), so Freeman's
    formula is applied to igraph's own degrees."""
    rng = np.random.default_rng(seed)
    named, members = random_network(rng, n, p, hubs)
    members["group"] = "Clinician"  # one group: brokers are articulation points only
    out = relationships(named, members, threshold=5)
    g = igraph_of(named, n).as_undirected(mode="collapse").simplify()
    degree = np.array(g.degree())
    assert out["ties"] == g.ecount()
    assert out["density"] == pytest.approx(g.density(loops=False), abs=5e-4)
    assert out["mean_ties"] == pytest.approx(degree.mean(), abs=5e-4)
    assert out["components"] == sum(len(c) > 1 for c in g.connected_components())
    assert out["isolates"] == int((degree == 0).sum())
    assert out["brokers"] == len(g.articulation_points())
    assert out["core"]["k"] == max(g.coreness())
    assert out["core"]["size"] == g.coreness().count(max(g.coreness()))
    freeman = (degree.max() - degree).sum() / ((n - 1) * (n - 2))
    assert out["centralisation"] == pytest.approx(freeman, abs=5e-4)


@pytest.mark.parametrize("seed, n, p, hubs", NETWORKS)
def test_reciprocity_matches_igraph_ratio_among_respondents(seed, n, p, hubs):
    """Ours is igraph's ``mode="ratio"`` (mutual pairs over pairs with any tie) on the
    named ties among respondents; igraph's ``mode="default"`` (the share of named ties
    named back) is then 2r / (1 + r)."""
    rng = np.random.default_rng(seed)
    named, members = random_network(rng, n, p, hubs)
    out = relationships(named, members, threshold=5)
    respondents = [i for i in range(n) if members["answered"].iloc[i]]
    g = igraph_of(named, n).simplify().induced_subgraph(respondents)
    ratio = g.reciprocity(ignore_loops=True, mode="ratio")
    default = g.reciprocity(ignore_loops=True, mode="default")
    assert out["reciprocity"] == pytest.approx(ratio, abs=5e-4)
    r = out["reciprocity"]
    assert 2 * r / (1 + r) == pytest.approx(default, abs=2e-3)


# Privacy of the group table and the named map ---------------------------------


def test_group_under_threshold_is_merged_into_other_groups():
    members = people({"Clinician": 6, "Manager": 6, "Patient": 2, "Carer": 1})
    out = figures(ties((13, 14), (14, 15), (1, 7)), members, threshold=5)
    table = out["group_ties"]
    names = [g["name"] for g in table["groups"]]
    # 3 people in the two small groups are under 5, so the smallest shown group joins them
    assert table["merged"] == sorted(
        anonymity.hidden_groups({"Clinician": 6, "Manager": 6, "Patient": 2, "Carer": 1}, 5)
    )
    assert "Other groups" in names and "Patient" not in names and "Carer" not in names
    assert all(g["size"] >= 5 for g in table["groups"])
    other = next(g for g in table["groups"] if g["name"] == "Other groups")
    assert other["internal"] >= 2


def test_group_table_is_empty_when_the_whole_network_is_under_threshold():
    out = figures(ties((1, 2), (3, 4)), people({"Clinician": 2, "Patient": 2}), threshold=5)
    assert out["group_ties"]["groups"] == [] and out["group_ties"]["between"] == []
    assert out["cross_group_share"] is None


def test_named_map_shows_no_tie_to_member_who_did_not_consent():
    members = people(8, consent={1, 2, 3})
    out = figures(complete(8), members)
    edges = out["named_map"]["edges"]
    assert {(e["a"], e["b"]) for e in edges} == {(1, 2), (1, 3), (2, 3)}
    assert {n["id"] for n in out["named_map"]["nodes"]} == {1, 2, 3}
    assert out["named_map"]["aggregates"] == [{"group": "Clinician", "size": 5}]
    # a named person's ties count only those to other named people: a count of ties
    # into a group would move when one of its members answered
    assert {n["id"]: n["ties"] for n in out["named_map"]["nodes"]} == {1: 2, 2: 2, 3: 2}
    assert "to_aggregates" not in out["named_map"]


def test_named_map_merges_small_aggregates_into_other_members():
    members = people({"Clinician": 8, "Patient": 3, "Carer": 3}, consent={1, 2})
    out = figures(ties((1, 9), (1, 12), (2, 3)), members, threshold=5)
    assert out["named_map"]["aggregates"] == [
        {"group": "Clinician", "size": 6},
        {"group": "Other members", "size": 6},
    ]
    assert {n["id"]: n["ties"] for n in out["named_map"]["nodes"]} == {1: 0, 2: 0}


def test_named_map_never_shows_an_aggregate_under_threshold():
    # the 3 who did not consent are too few even merged: dropped with their ties
    members = people({"Clinician": 6, "Patient": 3}, consent={1, 2, 3, 4, 5, 6})
    out = figures(ties((1, 2), (1, 7), (1, 8), (2, 9)), members, threshold=5)
    named_map = out["named_map"]
    assert named_map["aggregates"] == []
    # 1's ties on the map are those to named people only
    assert {n["id"]: n["ties"] for n in named_map["nodes"]}[1] == 1


@pytest.mark.parametrize("seed", range(6))
def test_named_map_keeps_its_promises_on_random_networks(seed):
    rng = np.random.default_rng(seed)
    named, members = random_network(rng, 70, 0.06)
    members["group"] = rng.choice(
        ["Clinician", "Manager", "Patient", "Carer"], size=70, p=[0.6, 0.3, 0.07, 0.03]
    )
    threshold = 5
    named_map = relationships(named, members, threshold=threshold)["named_map"]
    consented = set(members.index[members["consent"]])
    assert {n["id"] for n in named_map["nodes"]} == consented
    assert all(e["a"] in consented and e["b"] in consented for e in named_map["edges"])
    assert all(agg["size"] >= threshold for agg in named_map["aggregates"])
    for node in named_map["nodes"]:
        on_map = sum(node["id"] in (e["a"], e["b"]) for e in named_map["edges"])
        assert node["ties"] == on_map


def test_broker_ids_never_appear_in_the_output():
    members = people(7).set_axis(pd.Index(range(900001, 900008), name="member"))
    hub = 900001
    out = figures(ties(*[(hub, leaf) for leaf in range(900002, 900008)]), members)
    assert out["brokers"] == 1 and isinstance(out["brokers"], int)
    assert str(hub) not in json.dumps(out)


# Layout and trend -----------------------------------------------------------------


def test_layout_is_the_same_every_time_and_places_every_node():
    members = people(8, consent={1, 2, 3})
    named_map = figures(complete(8), members)["named_map"]
    placed = layout(named_map)
    assert placed == layout(named_map)
    assert set(placed) == {1, 2, 3, rel.aggregate_key("Clinician")}
    assert layout({"nodes": [], "aggregates": [], "edges": []}) == {}


def test_trend_says_how_each_figure_moved():
    now = {"density": 0.18, "cross_group_share": 0.3, "centralisation": 0.4}
    before = {"density": 0.12, "cross_group_share": 0.3, "centralisation": None}
    out = trend(now, before)
    assert out["density"] == {"current": 0.18, "previous": 0.12, "change": 0.06}
    assert out["centralisation"]["change"] is None
    assert out["sentences"] == [
        "Density rose from 0.12 to 0.18.",
        "The share of ties between groups stayed at 30%.",
    ]


def test_trend_without_previous_round_has_no_changes():
    out = trend({"density": 0.2, "cross_group_share": None, "centralisation": 0.1}, None)
    assert all(out[key]["change"] is None for key in words.TREND)
    assert out["sentences"] == []
