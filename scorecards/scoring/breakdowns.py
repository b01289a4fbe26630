"""Scores by group (stakeholder group, time in the network, part in the network), with
groups too small to show hidden by the one disclosure rule in ``surveys.anonymity``.
Pure functions, no I/O."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecards.scoring.scores import DOMAINS, to_percent
from surveys.anonymity import HIDDEN, NOT_STATED, check_threshold, hidden_groups

# How a round's respondents can be grouped: profile column -> what readers call it.
BREAKDOWNS = {
    "group": "stakeholder group",
    "tenure": "time in the network",
    "network_role": "part in the network",
}


def group_labels(respondent_ids: pd.Index, respondents: pd.DataFrame, by: str) -> pd.Series:
    """Each respondent's value of column ``by`` as text; missing or blank is "not stated"."""
    if respondents is None or respondents.empty or by not in respondents.columns:
        return pd.Series(NOT_STATED, index=respondent_ids, dtype=object)
    lookup = respondents.drop_duplicates("respondent").set_index("respondent")[by]
    raw = lookup.reindex(respondent_ids)
    text = raw.astype("string").str.strip().fillna("")
    return text.where(text != "", NOT_STATED).astype(object)


def breakdown(
    scores: pd.DataFrame,
    respondents: pd.DataFrame,
    by: str,
    threshold: int,
    columns=None,
) -> dict[str, dict]:
    """Scores by the groups of column ``by`` (``group``, ``tenure``, ``network_role``).

    Every respondent in ``scores`` (rows may be all NaN) belongs to one group;
    missing values form the group "not stated". For a shown group:
    ``{"hidden": False, "n": n, "domains": {code: {"mean", "mean_pct", "vs_rest"}}}``
    where ``mean`` is the group's mean score (1 to 5) and ``vs_rest`` the group
    mean minus the mean of everyone else, in points (0 to 100 scale). A mean
    or a comparison resting on fewer than ``threshold`` scores is None. Hidden
    groups (see ``hidden_groups``) are ``{"hidden": True, "reason": ...}``.
    ``columns`` defaults to the domain columns found in ``scores``.
    """
    threshold = check_threshold(threshold)
    if scores is None or scores.empty:
        return {}
    columns = [c for c in DOMAINS if c in scores.columns] if columns is None else list(columns)
    labels = group_labels(scores.index, respondents, by)
    values = scores[columns].to_numpy(dtype=float) if columns else np.empty((len(scores), 0))
    ok = ~np.isnan(values)
    frame = pd.DataFrame(np.where(ok, values, 0.0), columns=columns)
    counts = pd.DataFrame(ok.astype(int), columns=columns)
    key = labels.to_numpy()
    sums = frame.groupby(key).sum()
    nums = counts.groupby(key).sum()
    sizes = labels.value_counts().to_dict()
    hidden = hidden_groups(sizes, threshold)
    total_sum, total_n = frame.sum(), counts.sum()
    out = {}
    for name in sorted(sizes, key=str):
        if name in hidden:
            out[name] = dict(HIDDEN)
            continue
        domains = {}
        for c in columns:
            s, n = sums.loc[name, c], nums.loc[name, c]
            rest_s, rest_n = total_sum[c] - s, total_n[c] - n
            mean = s / n if n >= threshold else np.nan
            rest = rest_s / rest_n if rest_n >= threshold else np.nan
            domains[c] = {
                "mean": mean,
                "mean_pct": to_percent(mean),
                "vs_rest": (mean - rest) * 25,
            }
        out[name] = {"hidden": False, "n": int(sizes[name]), "domains": domains}
    return out
