"""Who works with whom: the figures of the roster question. Pure, no Django, no I/O.

Members answer "Who in this network have you worked with in the last six months?",
choosing people from the member list and, for each, how closely (``CLOSENESS``).
``relationships`` turns those named ties into the network's figures, the sentences
that read them out (``relationship_words``, which also compares two rounds) and the
data of the named map; ``layout`` places the map's nodes. docs/relationships.md
explains every figure.

Working with someone is mutual by nature, so the figures read an undirected graph: i
and j are tied when either named the other, and a member who did not answer still
has the ties others reported with them (the usual way with roster data; what stays
biased by non-response is said with each figure). The graph's nodes are everyone who
could be named, answered or not; results never depend on the order of the rows.
"""

from __future__ import annotations

import hashlib
import math

import networkx as nx
import numpy as np
import pandas as pd

from scorecards.scoring.relationship_words import OTHER_GROUPS, sentences
from surveys import anonymity

CLOSENESS = {
    1: "Know of each other",
    2: "Share information",
    3: "Work together on something",
    4: "Work together closely",
}
DECIMALS = 3
OTHER_MEMBERS = "Other members"  # the aggregates too small to show, on the named map


def relationships(ties: pd.DataFrame, people: pd.DataFrame, *, threshold: int) -> dict:
    """The network's relationship figures, as plain JSON types (floats to 3 decimals).

    ``ties``: ``source`` (who named), ``target`` (who was named), ``closeness`` (1 to
    4). Ties to or from anyone not in ``people`` and self-ties are dropped; a tie
    named twice keeps its highest closeness; an undirected tie's closeness is the
    higher of the two reports. ``people``: indexed by member id, with ``group``,
    ``answered`` (answered the roster question) and ``consent`` (agreed to be shown
    by name on the map). Groups under ``threshold`` people (by
    ``anonymity.hidden_groups``) are merged before any figure by group, and only a
    count of brokers is given, never who they are.

    ``components`` counts the connected components among people with at least one
    tie (an isolate is not a component of its own); ``isolates`` counts the rest.
    """
    threshold = anonymity.check_threshold(threshold)
    people = people.sort_index()
    n = len(people)
    groups = people["group"].fillna(anonymity.NOT_STATED).astype(str).to_numpy()
    answered = people["answered"].fillna(False).astype(bool).to_numpy()
    consent = people["consent"].fillna(False).astype(bool).to_numpy()
    named = _named(ties, people.index)
    pairs = _undirected(named)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    degree = np.bincount(np.concatenate([a, b]), minlength=n)
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(zip(a.tolist(), b.tolist(), strict=True))
    table, merged = _group_ties(groups, a, b, threshold)
    for i, group in enumerate(table["groups"]):
        # What the release audit needs of each shown group: the member-list groups it
        # stands for and how many of its people answered (they are its cells).
        group["of"] = sorted({str(g) for g in groups[merged == i]})
        group["answered"] = int(answered[merged == i].sum())
    levels = pairs["closeness"].value_counts()
    out = {
        "n_people": n,
        "n_answered": int(answered.sum()),
        "answered_share": _r(answered.sum() / n) if n else None,
        "ties": len(pairs),
        "named": len(named),
        "closeness": {str(level): int(levels.get(level, 0)) for level in CLOSENESS},
        "with_tie": int((degree > 0).sum()),
        "density": _r(len(pairs) / (n * (n - 1) / 2)) if n > 1 else None,
        "mean_ties": _r(degree.mean()) if n else None,
        "reciprocity": _r(_reciprocity(named, answered)),
        "centralisation": _r(degree_centralisation(degree)),
        **_between_groups(merged, a, b, bool(table["groups"])),
        "group_ties": table,
        "core": _core(graph, n, len(pairs)),
        "brokers": _brokers(graph, merged, a, b),
        "brokers_sensitive": True,
        **_connectedness(graph, degree, n),
    }
    out["sentences"] = sentences(out)
    out["named_map"] = _named_map(people.index, groups, consent, pairs, threshold)
    return out


def named_figures(ties: pd.DataFrame, people: pd.DataFrame, *, threshold: int) -> dict:
    """``relationships``, with the named map's nodes carrying each person's ``name``
    from ``people`` (which holds names only of those who agreed to be named)."""
    out = relationships(ties, people[["group", "answered", "consent"]], threshold=threshold)
    names = people["name"].to_dict()
    for node in out["named_map"]["nodes"]:
        node["name"] = names.get(node["id"])
    out["people_key"] = people_key(people)
    return out


def people_key(people: pd.DataFrame) -> str:
    """Who could be named and in which group, as one hash: tie figures depend on it as
    much as on the answers, so a release compares it with earlier ones
    (``relationship_cells.people_changed``). Reveals nothing itself."""
    rows = sorted(f"{pk}\t{group}" for pk, group in people["group"].astype(str).items())
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def degree_centralisation(degree) -> float | None:
    """Freeman's degree centralisation of an undirected graph without loops:
    sum(max_deg - deg_i) / ((n - 1)(n - 2)), 1 for a star, 0 when every degree is
    the same; None under three people."""
    degree = np.asarray(degree, dtype=float)
    n = len(degree)
    if n < 3:
        return None
    return float((degree.max() - degree).sum() / ((n - 1) * (n - 2)))


def _named(ties: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    """Directed named ties as positions in ``ids``: ``s``, ``t``, ``closeness``."""
    frame = pd.DataFrame(
        {
            "s": ids.get_indexer(ties["source"]),
            "t": ids.get_indexer(ties["target"]),
            "closeness": pd.to_numeric(ties["closeness"]).to_numpy(),
        }
    )
    frame = frame[(frame["s"] >= 0) & (frame["t"] >= 0) & (frame["s"] != frame["t"])]
    named = frame.groupby(["s", "t"], as_index=False, sort=True)["closeness"].max()
    return named.astype({"closeness": int})


def _undirected(named: pd.DataFrame) -> pd.DataFrame:
    """One row per tied pair, ``a`` < ``b``, with the higher closeness of the two."""
    s, t = named["s"].to_numpy(), named["t"].to_numpy()
    pairs = pd.DataFrame(
        {"a": np.minimum(s, t), "b": np.maximum(s, t), "closeness": named["closeness"]}
    )
    return pairs.groupby(["a", "b"], as_index=False, sort=True)["closeness"].max()


def _reciprocity(named: pd.DataFrame, answered: np.ndarray) -> float | None:
    """Of the pairs where both answered and at least one named the other, the share
    where each named the other (igraph's ``reciprocity(mode="ratio")``)."""
    s, t = named["s"].to_numpy(), named["t"].to_numpy()
    both = answered[s] & answered[t]
    per_pair = pd.Series(1, index=[np.minimum(s, t)[both], np.maximum(s, t)[both]])
    counts = per_pair.groupby(level=[0, 1]).size()
    return float((counts == 2).mean()) if len(counts) else None


def _merge(sizes: dict[str, int], threshold: int, other: str) -> dict[str, str | None]:
    """Each group's shown name: itself, or ``other`` for the groups that
    ``anonymity.hidden_groups`` hides, or None when even those together are too few."""
    hidden = anonymity.hidden_groups(sizes, threshold)
    together = other if sum(sizes[g] for g in hidden) >= threshold else None
    return {g: together if g in hidden else g for g in sizes}


def _names(shown: set[str], last: str) -> list[str]:
    return sorted(shown - {last}) + ([last] if last in shown else [])


def _group_ties(groups, a, b, threshold) -> tuple[dict, np.ndarray]:
    """The group-by-group table of undirected ties after merging small groups, and
    each person's merged group as a position in the table (-1 when nothing is shown)."""
    sizes = pd.Series(groups).value_counts().to_dict()
    shown_as = _merge(sizes, threshold, OTHER_GROUPS)
    if None in shown_as.values():
        # hidden_groups keeps the merged groups at or over the threshold whenever any
        # group is shown; this guard only matters should that rule change.
        shown = {g for g, s in shown_as.items() if s is not None}
        smallest = min(shown, key=lambda g: (sizes[g], g), default=None)
        shown_as = {g: smallest if s is None else s for g, s in shown_as.items()}
    names = _names({s for s in shown_as.values() if s is not None}, OTHER_GROUPS)
    position = {name: i for i, name in enumerate(names)}
    merged = np.array([position.get(shown_as[g], -1) for g in groups], dtype=int)
    if not names:
        merged[:] = -1
    k = len(names)
    counts = np.zeros((k, k), dtype=int)
    if k and len(a):
        lo, hi = np.minimum(merged[a], merged[b]), np.maximum(merged[a], merged[b])
        np.add.at(counts, (lo, hi), 1)
    table = {
        "groups": [
            {"name": name, "size": int((merged == i).sum()), "internal": int(counts[i, i])}
            for i, name in enumerate(names)
        ],
        "between": [
            {"a": names[i], "b": names[j], "ties": int(counts[i, j])}
            for i in range(k)
            for j in range(i + 1, k)
        ],
        "merged": sorted(g for g, s in shown_as.items() if s != g),
    }
    return table, merged


def _between_groups(merged, a, b, shown: bool) -> dict:
    """Share of ties between (merged) groups and Krackhardt and Stern's E-I index
    (E - I) / (E + I); None without ties or without any group shown."""
    if not len(a) or not shown:
        return {"cross_group_share": None, "ei_index": None}
    external = int((merged[a] != merged[b]).sum())
    internal = len(a) - external
    return {
        "cross_group_share": _r(external / len(a)),
        "ei_index": _r((external - internal) / len(a)),
    }


def _core(graph: nx.Graph, n: int, n_ties: int) -> dict:
    """The main k-core: its k and how many people are in it (none without ties)."""
    if not n_ties:
        return {"k": 0, "size": 0, "share": 0.0 if n else None}
    cores = np.fromiter(nx.core_number(graph).values(), dtype=int, count=n)
    k = int(cores.max())
    size = int((cores == k).sum())
    return {"k": k, "size": size, "share": _r(size / n)}


def _brokers(graph: nx.Graph, merged, a, b) -> int:
    """How many people hold the network together: articulation points (taking them
    out splits a component) and people through whom every tie between two (merged)
    groups runs. A count only: who they are is never returned."""
    found = set(nx.articulation_points(graph))
    cross = (merged[a] != merged[b]) & (merged[a] >= 0)
    if cross.any():
        ends = pd.DataFrame(
            {
                "node": np.concatenate([a[cross], b[cross]]),
                "own": np.concatenate([merged[a][cross], merged[b][cross]]),
                "other": np.concatenate([merged[b][cross], merged[a][cross]]),
            }
        )
        linkers = ends.groupby(["own", "other"])["node"].agg(["nunique", "first"])
        found |= set(linkers.loc[linkers["nunique"] == 1, "first"].tolist())
    return len(found)


def _connectedness(graph: nx.Graph, degree: np.ndarray, n: int) -> dict:
    sizes = [len(c) for c in nx.connected_components(graph) if len(c) > 1]
    return {
        "components": len(sizes),
        "largest_component_share": _r(max(sizes, default=0) / n) if n else None,
        "isolates": int((degree == 0).sum()),
    }


def _named_map(ids: pd.Index, groups, consent, pairs: pd.DataFrame, threshold: int) -> dict:
    """Who may be drawn by name, and everyone else by group.

    Nodes are the people who consented; an edge joins two of them (both consented,
    by construction), and a node's ``ties`` counts those edges only. Everyone else is
    one aggregate node per group, drawn with its size and no edges: a count of a
    named person's ties into a group would move when one member of that group
    answered, and so tell their answer, which they did not agree to show. Aggregates
    that ``anonymity.hidden_groups`` hides are merged into "Other members", dropped
    when even that is under the threshold.
    """
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    others = pd.Series(groups[~consent]).value_counts().to_dict()
    shown_as = _merge(others, threshold, OTHER_MEMBERS)
    aggregate = np.array([None if c else shown_as[g] for g, c in zip(groups, consent, strict=True)])
    both = consent[a] & consent[b]
    edges = [
        {"a": _plain(ids[i]), "b": _plain(ids[j]), "closeness": int(c)}
        for i, j, c in zip(a[both], b[both], pairs["closeness"].to_numpy()[both], strict=True)
    ]
    on_map = np.bincount(np.concatenate([a[both], b[both]]), minlength=len(ids))
    names = _names({s for s in shown_as.values() if s is not None}, OTHER_MEMBERS)
    return {
        "nodes": [
            {"id": _plain(ids[i]), "group": groups[i], "ties": int(on_map[i])}
            for i in np.flatnonzero(consent)
        ],
        "aggregates": [{"group": g, "size": int((aggregate == g).sum())} for g in names],
        "edges": edges,
    }


def aggregate_key(group: str) -> str:
    """The key of an aggregate node in ``layout``'s result."""
    return f"aggregate:{group}"


def layout(named_map: dict, seed: int = 1) -> dict:
    """Positions for the named map's nodes, ``{id: (x, y)}`` (aggregates under
    ``aggregate_key(group)``): networkx's spring layout with a fixed seed, so the same
    map is always drawn the same way. Group nodes have no edges, so they settle at the
    edge of the picture."""
    graph = nx.Graph()
    graph.add_nodes_from(node["id"] for node in named_map["nodes"])
    graph.add_nodes_from(aggregate_key(g["group"]) for g in named_map["aggregates"])
    graph.add_edges_from((e["a"], e["b"]) for e in named_map["edges"])
    if not graph:
        return {}
    placed = nx.spring_layout(graph, seed=seed)
    return {node: (_r(x), _r(y)) for node, (x, y) in placed.items()}


def _plain(value):
    """A member id as a plain Python value (numpy scalars unwrapped)."""
    return value.item() if isinstance(value, np.generic) else value


def _r(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return round(x, DECIMALS) + 0.0 if math.isfinite(x) else None
