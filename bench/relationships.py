"""Benchmark P6 (relationships): the roster question's figures for 2,000 members and
20,000 named ties in under 5 s.

A seeded random network: 2,000 people in 6 groups of unequal size, about 70% of them
answered the roster question and half of those agreed to be named; 20,000 distinct
named ties from respondents, two in three inside the namer's own group. Only the
pure function is timed (``relationships``, which builds the named map too); the
spring layout of that map is timed apart, for the chart that will draw it. No
database is used.

Prints a table and one JSON line, and exits non-zero when the target is missed.
"""

import json
import platform
import statistics
import time

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from scorecards.scoring.relationships import layout, relationships

TARGET_S = 5.0
GROUPS = ("Clinician", "Manager", "Patient or carer", "Nurse", "Commissioner", "Researcher")
SHARES = (0.3, 0.2, 0.2, 0.15, 0.1, 0.05)


def network(people: int, ties: int, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``people`` members in six groups and ``ties`` distinct named ties, seeded."""
    rng = np.random.default_rng(seed)
    group = rng.choice(len(GROUPS), size=people, p=SHARES)
    answered = rng.random(people) < 0.7
    frame = pd.DataFrame(
        {
            "group": np.asarray(GROUPS, dtype=object)[group],
            "answered": answered,
            "consent": answered & (rng.random(people) < 0.5),
        },
        index=pd.RangeIndex(1, people + 1, name="member"),
    )
    namers = np.flatnonzero(answered)
    by_group = [np.flatnonzero(group == g) for g in range(len(GROUPS))]
    chosen = pd.DataFrame(columns=["source", "target"])
    while len(chosen) < ties:
        k = 2 * ties
        source = rng.choice(namers, size=k)
        inside = rng.random(k) < 2 / 3
        target = rng.integers(0, people, size=k)
        for g, members in enumerate(by_group):
            mine = inside & (group[source] == g)
            target[mine] = rng.choice(members, size=int(mine.sum()))
        more = pd.DataFrame({"source": source, "target": target})
        chosen = pd.concat([chosen, more[more["source"] != more["target"]]])
        chosen = chosen.drop_duplicates(ignore_index=True)
    chosen = chosen.iloc[:ties].astype(int) + 1  # member ids start at 1
    chosen["closeness"] = rng.integers(1, 5, size=ties)
    return chosen, frame


class Command(BaseCommand):
    help = "Benchmark the relationship figures (quality P6): 2,000 members, 20,000 ties."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2_000)
        parser.add_argument("--ties", type=int, default=20_000)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, people: int, ties: int, runs: int, **options):
        named, members = network(people, ties)
        times, out = [], None
        for _ in range(runs):
            started = time.perf_counter()
            out = relationships(named, members, threshold=5)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        layout(out["named_map"])
        layout_s = time.perf_counter() - started
        result = {
            "benchmark": "P6 relationships",
            "people": out["n_people"],
            "named_ties": out["named"],
            "ties": out["ties"],
            "named_on_map": len(out["named_map"]["nodes"]),
            "relationships_s": round(statistics.median(times), 3),
            "slowest_s": round(max(times), 3),
            "layout_s": round(layout_s, 3),
            "runs": runs,
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
        }
        self._report(result)
        if result["relationships_s"] > TARGET_S:
            raise CommandError(f"P6 relationships target missed: {result['relationships_s']} s")

    def _report(self, result: dict) -> None:
        self.stdout.write(
            f"P6 relationships: {result['people']:,} people, {result['named_ties']:,} named "
            f"ties ({result['ties']:,} undirected), median of {result['runs']}"
        )
        rows = [
            ("figures, sentences and named map", result["relationships_s"], f"< {TARGET_S}"),
            ("slowest run", result["slowest_s"], ""),
            ("spring layout of the named map, once", result["layout_s"], ""),
        ]
        for label, seconds, target in rows:
            self.stdout.write(f"  {label:<36} {seconds:>8.3f} s  {target}")
        self.stdout.write(json.dumps(result))
