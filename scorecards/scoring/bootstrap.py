"""Bootstrap resampling of respondents, seeded so the same data gives the same numbers.

Pure numpy, no I/O. A bootstrap resample draws ``n`` respondents with
replacement from the ``n`` who answered. The draws are an ``(n_boot x n)``
matrix of respondent positions; the resampled means come from counting how
often each respondent was drawn (``counts @ values / counts @ answered``),
which equals fancy indexing and averaging but reads memory once. Respondents
are put in a canonical order first (by id, or by value), so row order never
changes a result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecards.scoring.scores import to_percent

DEFAULT_SEED = 20140601
N_BOOT = 1000
_CHUNK_CELLS = 500_000  # draws handled at a time: small blocks stay in cache


def _draw_counts(n: int, n_boot: int, rng: np.random.Generator):
    """Yield ``(rows, counts)``: for a block of resamples, times each respondent was drawn.

    The block's ``(size x n)`` matrix of drawn positions is turned into counts
    with one ``bincount`` (each resample offset by ``n``).
    """
    block = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        idx = rng.integers(0, n, size=(size, n), dtype=np.int64)
        idx += (np.arange(size, dtype=np.int64) * n)[:, None]
        counts = np.bincount(idx.ravel(), minlength=size * n).reshape(size, n)
        yield slice(start, start + size), counts.astype(np.float64)


def resampled_totals(columns: np.ndarray, n_boot: int = N_BOOT, seed=DEFAULT_SEED) -> np.ndarray:
    """Column totals over ``n_boot`` resamples of the rows: ``(n_boot x m)``.

    ``columns`` is ``(n x m)`` without NaN. Row ``b`` of the result is
    ``sum_i counts[b, i] * columns[i]`` where ``counts[b, i]`` is how often
    row ``i`` was drawn in resample ``b``. ``seed`` is an int or a
    ``numpy.random.SeedSequence``.
    """
    if n_boot < 1:
        raise ValueError("n_boot must be at least 1")
    columns = np.asarray(columns, dtype=float)
    n, m = columns.shape
    out = np.zeros((n_boot, m))
    if n == 0 or m == 0:
        return out
    rng = np.random.default_rng(seed)
    for rows, counts in _draw_counts(n, n_boot, rng):
        out[rows] = counts @ columns
    return out


def resampled_means(values: np.ndarray, n_boot: int = N_BOOT, seed=DEFAULT_SEED) -> np.ndarray:
    """Means of each column over ``n_boot`` resamples of the rows: an ``(n_boot x m)`` array.

    ``values`` is ``(n x m)`` with NaN for missing; a resampled mean ignores
    missing cells and is NaN when a resample holds no value for the column.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    m = values.shape[1]
    ok = ~np.isnan(values)
    totals = resampled_totals(np.hstack([np.where(ok, values, 0.0), ok]), n_boot, seed)
    out = np.full((n_boot, m), np.nan)
    np.divide(totals[:, :m], totals[:, m:], out=out, where=totals[:, m:] > 0)
    return out


def _padded(samples: dict[str, np.ndarray], n_rows: int) -> np.ndarray:
    """Samples side by side, each sorted and padded with NaN to ``n_rows`` rows."""
    n_rows = max([n_rows, *(len(v) for v in samples.values())])
    out = np.full((n_rows, len(samples)), np.nan)
    for j, values in enumerate(samples.values()):
        out[: len(values), j] = np.sort(values)
    return out


def _change(now: np.ndarray, before: np.ndarray, diffs: np.ndarray) -> dict:
    result = {
        "diff": None,
        "ci_low": None,
        "ci_high": None,
        "current": None,
        "previous": None,
        "n_current": int(now.size),
        "n_previous": int(before.size),
    }
    diffs = diffs[~np.isnan(diffs)]
    if now.size == 0 or before.size == 0 or diffs.size == 0:
        return result
    low, high = np.percentile(diffs, [2.5, 97.5])
    return result | {
        "diff": float((now.mean() - before.mean()) * 25),
        "ci_low": float(low),
        "ci_high": float(high),
        "current": float(to_percent(now.mean())),
        "previous": float(to_percent(before.mean())),
    }


def changes_from_means(
    now: np.ndarray,
    now_means: np.ndarray,
    codes: list[str],
    previous: dict,
    n_previous: int = 0,
    seed=DEFAULT_SEED,
) -> dict[str, dict]:
    """Changes with CIs, given this round's resampled means (``n_boot x m``).

    ``now`` is this round's ``(n x m)`` scores (NaN allowed) for ``codes``;
    last round's respondents are rebuilt as ``n_previous`` rows (at least the
    longest sample), each code's scores sorted and the rest missing, and
    resampled together with a seed derived from ``seed``.
    """
    before = {c: pd.Series(previous[c], dtype=float).dropna().to_numpy() for c in codes}
    prev_seed = np.random.SeedSequence(seed).spawn(1)[0]
    prev_means = resampled_means(_padded(before, n_previous), len(now_means), prev_seed)
    diffs = (now_means - prev_means) * 25
    return {
        c: _change(now[~np.isnan(now[:, j]), j], before[c], diffs[:, j])
        for j, c in enumerate(codes)
    }


def distribution(scores: pd.Series, decimals: int = 3) -> list[list[float]]:
    """Scores as ``[[value, count], ...]`` (sorted), enough to resample them next round."""
    values = np.round(pd.Series(scores, dtype=float).dropna().to_numpy(), decimals)
    distinct, freq = np.unique(values, return_counts=True)
    return [[float(v), int(c)] for v, c in zip(distinct, freq, strict=True)]


def from_distribution(pairs) -> np.ndarray:
    """Inverse of ``distribution``: the values, each repeated by its count."""
    if not pairs:
        return np.array([], dtype=float)
    values, counts = zip(*pairs, strict=True)
    return np.repeat(np.asarray(values, dtype=float), np.asarray(counts, dtype=int))
