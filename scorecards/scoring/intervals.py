"""Network figures with an honest 95% interval. Pure functions, no I/O.

The members who answered are a sample of the network's members, a finite population:
the interval is for the whole network, so it narrows as more of the network answers
(the finite population correction) and widens when few do."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Measure:
    """A network figure on 0 to 100 with its 95% interval; ``value`` None when it could
    not be computed (too few respondents with the score, or too little coverage)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def half_width(self) -> float:
        """Half the interval's width; 0 without one."""
        if self.low is None or self.high is None:
            return 0.0
        return (self.high - self.low) / 2

    @property
    def standard_error(self) -> float:
        """The standard error, read back from the 95% interval."""
        if self.n < 2:
            return self.half_width / 1.96
        return self.half_width / t95(self.n - 1)

    @classmethod
    def unknown(cls) -> Measure:
        return cls(None)


# Two-sided 95% quantiles of Student's t for small samples; the normal beyond.
_T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26,
        10: 2.23, 12: 2.18, 15: 2.13, 20: 2.09, 25: 2.06, 30: 2.04, 40: 2.02, 60: 2.00,
        120: 1.98}  # fmt: skip


def t95(df: int) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom (the nearest
    tabulated value at or below, which errs on the wide side)."""
    if df <= 0:
        return math.inf
    known = [d for d in _T95 if d <= df]
    return _T95[max(known)] if df <= 120 else 1.96


def mean_interval(values, population: int | None = None, threshold: int = 1) -> Measure:
    """The mean of respondents' scores with a 95% interval for the whole network.

    The network is a finite population: when ``population`` (the members invited) is
    known, the standard error shrinks by the finite population correction, so a round
    where most members answered has a narrow interval and one where few did a wide one.
    The mean is unknown (None) with fewer than ``threshold`` scores."""
    x = np.asarray([v for v in values if v is not None and not np.isnan(v)], dtype=float)
    n = len(x)
    if n < max(threshold, 1):
        return Measure(None, n=n)
    mean = float(x.mean())
    if n == 1:
        return Measure(mean, 0.0, 100.0, n)
    half = t95(n - 1) * standard_error(float(x.std(ddof=1)), n, population)
    return Measure(mean, max(0.0, mean - half), min(100.0, mean + half), n)


def standard_error(sd: float, n: int, population: int | None = None) -> float:
    """The standard error of a mean of ``n`` of ``population`` members. The finite
    population correction treats those who answered as a random sample of the members,
    which they may not be (the keenest answer first); more than ``population`` answers
    means the count invited is wrong, and then no correction is made."""
    se = sd / math.sqrt(n)
    if population and population > 1 and n <= population:
        se *= math.sqrt((population - n) / (population - 1))
    return se


def summary_interval(mean, sd, n, population: int | None = None, scale=(1.0, 5.0)) -> Measure:
    """The 95% interval of a published mean from its sd and n (as ``mean_interval``,
    on the figure's own scale), for rules that read published figures only."""
    if mean is None or not n:
        return Measure(None, n=int(n or 0))
    n = int(n)
    if n == 1 or sd is None or (isinstance(sd, float) and math.isnan(sd)):
        return Measure(float(mean), scale[0], scale[1], n)
    half = t95(n - 1) * standard_error(float(sd), n, population)
    return Measure(float(mean), max(scale[0], mean - half), min(scale[1], mean + half), n)
