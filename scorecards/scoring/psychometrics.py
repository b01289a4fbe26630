"""What a reviewer asks of an instrument before trusting its scores: McDonald's omega
beside Cronbach's alpha, corrected item-total correlations, "don't know" rates by
group (to spot items a group cannot answer), and agreement within the network on each
matrix dimension (r_wg) before its median is read. Pure functions, no I/O.

All statistics are on complete cases of a respondent x item frame (reverse items
already flipped; "don't know" is NaN), like ``reliability.cronbach_alpha``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_COMPLETE = 10
MAX_ITERATIONS = 500


def _complete(frame) -> np.ndarray:
    data = np.asarray(frame, dtype=float)
    return data[~np.isnan(data).any(axis=1)]


def one_factor_loadings(frame) -> np.ndarray | None:
    """Standardised loadings of a one-factor model, fitted by minimum residual
    (iterated principal axes): start from squared multiple correlations, then repeat
    "take the first eigenvector of the correlation matrix with communalities on the
    diagonal" until the communalities settle. None when it cannot be fitted (fewer
    than 3 items, fewer than ``MIN_COMPLETE`` complete cases, or an item with no
    variance)."""
    data = _complete(frame)
    n, k = data.shape
    if k < 3 or n < MIN_COMPLETE or (data.std(axis=0) == 0).any():
        return None
    corr = np.corrcoef(data, rowvar=False)
    try:
        communality = 1 - 1 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        communality = np.full(k, 0.5)
    for _ in range(MAX_ITERATIONS):
        reduced = corr.copy()
        np.fill_diagonal(reduced, communality)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        updated = np.clip(loadings**2, 0.0, 0.999)
        if np.abs(updated - communality).max() < 1e-6:
            break
        communality = updated
    # An eigenvector's sign is arbitrary: make most loadings positive.
    return loadings if loadings.sum() >= 0 else -loadings


def omega_from_loadings(loadings) -> float:
    """McDonald's omega (total) on the correlation scale: the share of the total
    score's variance due to the common factor, ``(sum l)^2 / ((sum l)^2 + sum(1 - l^2))``."""
    loadings = np.asarray(loadings, dtype=float)
    common = loadings.sum() ** 2
    return float(common / (common + (1 - loadings**2).sum()))


def mcdonald_omega(frame) -> float | None:
    loadings = one_factor_loadings(frame)
    return None if loadings is None else omega_from_loadings(loadings)


def item_total_correlations(frame: pd.DataFrame) -> dict[str, float | None]:
    """Each item's correlation with the total of the other items (corrected), on
    complete cases: low values point at an item that does not measure what its
    neighbours do. None with too few complete cases or no variance."""
    data = _complete(frame)
    out: dict[str, float | None] = {}
    for j, code in enumerate(frame.columns):
        rest = np.delete(data, j, axis=1).sum(axis=1)
        item = data[:, j]
        ok = len(item) >= MIN_COMPLETE and item.std() > 0 and rest.std() > 0
        out[str(code)] = float(np.corrcoef(item, rest)[0, 1]) if ok else None
    return out


def dont_know_rates(seen: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of "don't know" per item (columns) and group (rows): ``seen`` is a
    respondent x item frame of True (answered), False ("don't know") and NaN (not
    asked or skipped); ``groups`` each respondent's group. Also the number who saw
    each item in each group, so the caller can hold back small cells."""
    asked = seen.notna()
    unknown = asked & (seen == False)  # noqa: E712 - a frame of objects, not a bool
    key = groups.reindex(seen.index).fillna("not stated")
    n = asked.groupby(key).sum()
    rate = unknown.groupby(key).sum() / n.where(n > 0)
    return pd.concat({"rate": rate, "n": n}, axis=1)


def rwg(levels, options: int = 5) -> float | None:
    """Within-group agreement on one rating (James, Demaree and Wolf): one minus the
    observed variance over the variance expected if people chose at random among
    ``options`` levels, ``(options^2 - 1) / 12``. 1 is full agreement; 0 or less (shown
    as 0) no more agreement than chance. None with fewer than two ratings."""
    values = np.asarray([v for v in levels if v is not None and not np.isnan(v)], dtype=float)
    if len(values) < 2:
        return None
    expected = (options**2 - 1) / 12
    return float(max(0.0, 1 - values.var(ddof=1) / expected))
