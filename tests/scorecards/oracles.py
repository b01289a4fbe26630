"""Plain, one-at-a-time versions of what the scoring core computes in bulk: the tests
check the fast code against these."""

import numpy as np
import pandas as pd

from scorecards.scoring import bootstrap
from scorecards.scoring import scores as scores_module


def summarise(answers: pd.DataFrame, items: pd.DataFrame, scores: pd.DataFrame) -> dict:
    """The statistics the snapshot holds, from answers in long form."""
    return scores_module.summarise_matrix(scores_module.answer_matrix(answers, items), scores)


def changes_with_ci(
    current: pd.DataFrame,
    previous: dict,
    n_previous: int = 0,
    n_boot: int = bootstrap.N_BOOT,
    seed=bootstrap.DEFAULT_SEED,
) -> dict[str, dict]:
    """``change_with_ci`` for many scores at once.

    ``current`` holds this round's 1 to 5 scores, one row per respondent (NaN
    allowed), rows sorted by respondent and resampled together; ``previous``
    maps a code to last round's scores for it (any order), resampled as in
    ``changes_from_means``. Codes in only one of the two are left out.
    """
    codes = [c for c in current.columns if c in previous]
    if not codes:
        return {}
    now = current.sort_index()[codes].to_numpy(dtype=float)
    now_means = bootstrap.resampled_means(now, n_boot, seed)
    return bootstrap.changes_from_means(now, now_means, codes, previous, n_previous, seed)


def change_with_ci(
    current_scores: pd.Series,
    previous_scores: pd.Series,
    n_boot: int = bootstrap.N_BOOT,
    seed=bootstrap.DEFAULT_SEED,
) -> dict:
    """Change of a mean score since the previous round, in points, with a 95 % CI.

    Scores are respondents' 1 to 5 scores (NaN ignored). ``diff = (mean_now -
    mean_before) * 25`` points on the 0 to 100 scale. The interval resamples
    each round's respondents independently, with replacement, ``n_boot`` times
    and takes the 2.5th and 97.5th percentiles of the resampled differences
    (percentile method). Seeded, and the scores are sorted first, so the same
    values in any order give the same interval. Returns ``{"diff", "ci_low",
    "ci_high", "current", "previous", "n_current", "n_previous"}``; all but the
    counts are None when either round has no scores.
    """
    now = np.sort(pd.Series(current_scores, dtype=float).dropna().to_numpy())
    before = pd.Series(previous_scores, dtype=float).dropna().to_numpy()
    if now.size == 0 or before.size == 0:
        return bootstrap._change(now, before, np.array([]))
    frame = pd.DataFrame({"score": now})
    return changes_with_ci(frame, {"score": before}, 0, n_boot, seed)["score"]
