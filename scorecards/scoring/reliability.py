"""Reliability of sub-dimension scores: Cronbach's alpha. Pure functions, no I/O.

Alpha is computed on complete cases only: respondents who answered every item
of the sub-dimension (reverse items flipped; "don't know" is missing). See
``scoring`` for the input frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecards.scoring.scores import AnswerMatrix, answer_matrix
from scorecards.scoring.words import gettext_noop

MIN_COMPLETE = 10
# Why alpha is missing, as a release keeps it (said again by ``words.phrase``).
ONE_ITEM = gettext_noop("only one item, so there is nothing to compare")
FEWER_COMPLETE = gettext_noop("fewer than %(min_n)s people answered every item (%(n)s)")
SAME_TOTAL = gettext_noop("everyone gave the same total, so consistency cannot be measured")


def _alpha_parts(frame) -> tuple[np.ndarray, int, int]:
    data = np.asarray(frame, dtype=float)
    data = data[~np.isnan(data).any(axis=1)]
    n, k = data.shape
    return data, n, k


def _alpha_problem(n: int, k: int, total_var: float, min_n: int) -> str | None:
    """Why alpha cannot be given, in plain words; None when it can."""
    if k < 2:
        return ONE_ITEM
    if n < min_n:
        return FEWER_COMPLETE % {"min_n": min_n, "n": n}
    if not total_var > 0:
        return SAME_TOTAL
    return None


def cronbach_alpha(frame: pd.DataFrame, min_n: int = MIN_COMPLETE) -> float | None:
    """Cronbach's alpha of a respondent x item frame, on complete cases.

    ``alpha = k / (k - 1) * (1 - sum(var_i) / var_total)`` where ``k`` is the
    number of items, ``var_i`` the variance of item ``i`` and ``var_total`` the
    variance of respondents' item totals (all with ddof=1). None when ``k < 2``,
    fewer than ``min_n`` complete respondents, or no variance in the totals;
    ``subdimension_reliability`` says which.
    """
    data, n, k = _alpha_parts(frame)
    total_var = float(data.sum(axis=1).var(ddof=1)) if n > 1 else 0.0
    if _alpha_problem(n, k, total_var, min_n):
        return None
    item_var = data.var(axis=0, ddof=1).sum()
    return float(k / (k - 1) * (1 - item_var / total_var))


def subdimension_reliability(
    answers: pd.DataFrame, items: pd.DataFrame, min_n: int = MIN_COMPLETE
) -> dict[str, dict]:
    """Per sub-dimension: ``{"alpha", "n_complete", "k", "note"}``.

    ``alpha`` from ``cronbach_alpha`` on the flipped answers; ``n_complete`` the
    respondents who answered all ``k`` items; ``note`` the reason when alpha is
    None, else None.
    """
    return reliability_from_matrix(answer_matrix(answers, items), min_n)


def reliability_from_matrix(grid: AnswerMatrix, min_n: int = MIN_COMPLETE) -> dict[str, dict]:
    """``subdimension_reliability`` from an ``AnswerMatrix`` already built."""
    codes = grid.items["subdimension"].to_numpy()
    out = {}
    for code in dict.fromkeys(codes):
        frame = grid.cells[:, codes == code]
        data, n, k = _alpha_parts(frame)
        total_var = float(data.sum(axis=1).var(ddof=1)) if n > 1 else 0.0
        out[code] = {
            "alpha": cronbach_alpha(frame, min_n),
            "n_complete": n,
            "k": k,
            "note": _alpha_problem(n, k, total_var, min_n),
        }
    return out
