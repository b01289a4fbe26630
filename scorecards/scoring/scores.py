"""Scores for the network health scorecard: pure functions on pandas frames.

No Django, no I/O, no settings: frames and plain values in, frames or dicts out.
Related modules: ``reliability`` (Cronbach's alpha), ``anonymity`` (group
breakdowns), ``bootstrap`` (change against the previous round), ``risks`` (risk
flags), ``stages`` (stage rules) and ``snapshot_data`` (everything in one dict).

Inputs
------
``answers``
    One row per answer to a scale item: ``respondent`` (int), ``item`` (str),
    ``value`` (float 1 to 5; NaN means the member chose "don't know"). A missing
    row means the item was left unanswered. "Don't know" is missing too: it is
    never a value, it only counts towards the share of "don't know". Rows for
    items that are not in ``items`` are ignored; two rows for the same
    respondent and item are an error.
``items``
    One row per scale item: ``item``, ``subdimension``, ``domain`` (``purpose``,
    ``function`` or ``form``) and ``reverse`` (bool; missing means False).
    The function sub-dimensions are those whose domain is ``function``.
``importance``
    ``respondent``, ``function`` (a function sub-dimension code), ``value``
    (1 to 5, NaN for "don't know").
``respondents``
    ``respondent``, ``group`` (stakeholder group), ``tenure``, ``network_role``
    (strings, any of which may be missing).
``matrix``
    ``respondent``, ``dimension``, ``current`` (1 to 5), ``target`` (1 to 5 or NaN).

Scales: scores are means on the 1 to 5 agreement scale; ``to_percent`` turns
them into 0 to 100. Output order is canonical (domains purpose, function, form,
then any other; sub-dimensions and items sorted by code within their domain) so
that the same data in any row order gives the same result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DOMAINS = ("purpose", "function", "form")
SCALE_MIN, SCALE_MAX = 1.0, 5.0
AGREE_AT = 4.0  # 4 = agree, 5 = strongly agree
BANDS = (("strength", 4.0), ("discuss", 3.0))  # below 3.0: concern


def to_percent(x):
    """Turn a 1 to 5 score into 0 to 100: ``(x - 1) * 25``.

    Works on numbers, arrays, Series and DataFrames; None stays None.
    """
    if x is None:
        return None
    return (x - 1) * 25


def band(mean: float | None) -> str | None:
    """Wilder band of a mean on 1 to 5, read from the mean as shown (2 decimals).

    ``strength`` at 4.00 and above, ``discuss`` from 3.00 to 3.99, ``concern``
    below 3.00 (the framework's "2.9 and below"; 2.90 to 2.99 are concerns too).
    None for a missing mean.
    """
    if mean is None or not np.isfinite(mean):
        return None
    shown = round(float(mean), 2)
    for name, lower in BANDS:
        if shown >= lower:
            return name
    return "concern"


def domain_order(domains) -> list[str]:
    """Domains in canonical order: purpose, function, form, then others sorted."""
    found = set(domains)
    known = [d for d in DOMAINS if d in found]
    return known + sorted(found - set(DOMAINS))


def item_table(items: pd.DataFrame) -> pd.DataFrame:
    """The item list in canonical order, indexed by item, with a clean bool ``reverse``."""
    cols = ["subdimension", "domain", "reverse"]
    if items is None or items.empty:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="item"))
    table = items.drop_duplicates("item").set_index("item")
    reverse = table.get("reverse", pd.Series(False, index=table.index))
    table = pd.DataFrame(
        {
            "subdimension": table["subdimension"].astype(str),
            "domain": table["domain"].astype(str),
            "reverse": [bool(v) if pd.notna(v) else False for v in reverse],
        },
        index=pd.Index(table.index.astype(str), name="item"),
    )
    rank = {d: i for i, d in enumerate(domain_order(table["domain"]))}
    key = table["domain"].map(rank)
    table = table.assign(_rank=key).reset_index()
    table = table.sort_values(["_rank", "subdimension", "item"], kind="stable")
    clash = set(table["subdimension"]) & set(table["domain"])
    if clash:
        raise ValueError(f"sub-dimension codes equal domain names: {sorted(clash)}")
    return table.drop(columns="_rank").set_index("item")


def subdimension_table(items: pd.DataFrame) -> pd.DataFrame:
    """One row per sub-dimension (canonical order): its ``domain`` and ``k`` items."""
    table = item_table(items)
    grouped = table.groupby("subdimension", sort=False)
    return pd.DataFrame({"domain": grouped["domain"].first(), "k": grouped.size()})


def function_codes(items: pd.DataFrame) -> list[str]:
    """The function sub-dimension codes (those of domain ``function``), sorted."""
    subs = subdimension_table(items)
    return sorted(subs.index[subs["domain"] == "function"])


@dataclass(frozen=True)
class AnswerMatrix:
    """Answers as a respondent x item grid, reverse items already flipped.

    ``cells`` holds 1 to 5 or NaN (unanswered or "don't know");
    ``dont_know`` is True where a row was present with no value.
    """

    respondents: pd.Index
    items: pd.DataFrame
    cells: np.ndarray
    dont_know: np.ndarray


def answer_matrix(answers: pd.DataFrame, items: pd.DataFrame) -> AnswerMatrix:
    """Build the respondent x item grid (respondents sorted) and flip reverse items (6 - value)."""
    table = item_table(items)
    if answers is None or answers.empty or table.empty:
        empty = np.empty((0, len(table)))
        return AnswerMatrix(pd.Index([], name="respondent"), table, empty, empty.astype(bool))
    known = answers[answers["item"].astype(str).isin(table.index)]
    respondents = pd.Index(np.sort(known["respondent"].unique()), name="respondent")
    n, k = len(respondents), len(table)
    cell = respondents.get_indexer(known["respondent"]) * k + table.index.get_indexer(
        known["item"].astype(str)
    )
    if n and np.bincount(cell, minlength=n * k).max() > 1:
        raise ValueError("answers hold two rows for the same respondent and item")
    raw = known["value"].to_numpy(dtype=float, na_value=np.nan)
    bad = np.isfinite(raw) & ((raw < SCALE_MIN) | (raw > SCALE_MAX))
    if bad.any():
        raise ValueError(f"answer values must be 1 to 5 or NaN, got {raw[bad][0]}")
    values = np.full(n * k, np.nan)
    values[cell] = raw
    present = np.zeros(n * k, dtype=bool)
    present[cell] = True
    values = values.reshape(n, k)
    flip = table["reverse"].to_numpy(dtype=bool)
    values[:, flip] = 6.0 - values[:, flip]
    return AnswerMatrix(respondents, table, values, present.reshape(n, k) & np.isnan(values))


def _row_mean(block: np.ndarray, min_count: float) -> np.ndarray:
    """Mean of each row over non-missing cells; NaN where fewer than ``min_count`` cells."""
    ok = ~np.isnan(block)
    count = ok.sum(axis=1)
    total = np.where(ok, block, 0.0).sum(axis=1)
    out = np.full(len(block), np.nan)
    enough = (count >= min_count) & (count > 0)
    np.divide(total, count, out=out, where=enough)
    return out


def scores_from_matrix(grid: AnswerMatrix) -> pd.DataFrame:
    """Sub-dimension and domain scores from an ``AnswerMatrix`` (see ``respondent_scores``)."""
    subs = grid.items.groupby("subdimension", sort=False)["domain"].first()
    columns: dict[str, np.ndarray] = {}
    for code in subs.index:
        cols = np.flatnonzero(grid.items["subdimension"].to_numpy() == code)
        columns[code] = _row_mean(grid.cells[:, cols], min_count=len(cols) / 2)
    for domain in domain_order(subs):
        # A domain needs at least half its sub-dimensions, as a sub-dimension needs
        # at least half its items: one item out of twelve is not a purpose score.
        members = [columns[c] for c in subs.index[subs == domain]]
        columns[domain] = _row_mean(np.column_stack(members), min_count=len(members) / 2)
    return pd.DataFrame(columns, index=grid.respondents, dtype=float)


def respondent_scores(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's score per sub-dimension and per domain, on 1 to 5.

    Reverse items are flipped first: ``6 - value``. A sub-dimension score is the
    mean of the items answered, kept only when at least half of the
    sub-dimension's items were answered (``answered >= k / 2``), else NaN.
    "Don't know" is not an answer. A domain score is the unweighted mean of the
    respondent's sub-dimension scores in that domain, kept only when at least half
    of the domain's sub-dimensions have a score, else NaN.
    Indexed by respondent (sorted); sub-dimension columns, then domain columns.
    """
    return scores_from_matrix(answer_matrix(answers, items))


def describe(values) -> dict:
    """n, mean, median, sd (ddof=1), agree_share, agreement and band of 1 to 5 values.

    ``agree_share``: share of values at 4.0 or more. ``agreement``: share of
    values within one point of the median (``|x - median| <= 1``), from 0 (views
    spread) to 1 (everyone within a point of the middle view). NaN is ignored.
    Percent versions: ``mean_pct``, ``median_pct`` (``to_percent``) and
    ``sd_pct`` (``sd * 25``).
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        mean = median = sd = agree = agreement = np.nan
    else:
        mean, median = float(x.mean()), float(np.median(x))
        sd = float(x.std(ddof=1)) if n > 1 else np.nan
        agree = float((x >= AGREE_AT).mean())
        agreement = float((np.abs(x - median) <= 1.0).mean())
    return {
        "n": n,
        "mean": mean,
        "median": median,
        "sd": sd,
        "mean_pct": to_percent(mean),
        "median_pct": to_percent(median),
        "sd_pct": sd * 25,
        "agree_share": agree,
        "agreement": agreement,
        "band": band(mean),
    }


def _describe_columns(frame: pd.DataFrame, columns) -> pd.DataFrame:
    rows = {c: describe(frame[c].to_numpy()) for c in columns}
    out = pd.DataFrame.from_dict(rows, orient="index")
    if out.empty:
        out = pd.DataFrame(columns=list(describe([]).keys()))
    out.index.name = "code"
    return out


def summarise_matrix(grid: AnswerMatrix, scores: pd.DataFrame) -> dict:
    """Descriptive statistics for every item, sub-dimension and domain.

    Returns ``{"items": frame, "subdimensions": frame, "domains": frame}``; each
    frame is indexed by code with the columns of ``describe``. Items are
    described after the reverse flip, so ``agree_share`` is the share of
    favourable answers (for a reverse item, 1 or 2 before flipping). Items also
    get ``n_dont_know`` and ``dont_know_share`` = don't know / (answered + don't
    know); unanswered items are in neither. Sub-dimension and domain rows
    describe the respondent scores in ``scores`` (from ``respondent_scores``),
    so ``n`` there is the number of respondents with that score.
    """
    item_frame = pd.DataFrame(grid.cells, columns=grid.items.index)
    out_items = _describe_columns(item_frame, grid.items.index)
    dont_know = grid.dont_know.sum(axis=0).astype(int)
    seen = out_items["n"].to_numpy(dtype=int) + dont_know
    out_items["n_dont_know"] = dont_know
    out_items["dont_know_share"] = np.divide(
        dont_know, seen, out=np.full(len(seen), np.nan), where=seen > 0
    )
    out_items = grid.items.join(out_items)
    subs = grid.items.groupby("subdimension", sort=False)["domain"].first()
    scores = scores if scores is not None else pd.DataFrame()
    present_subs = [c for c in subs.index if c in scores.columns]
    out_subs = _describe_columns(scores, present_subs)
    out_subs.insert(0, "domain", subs.loc[present_subs].to_numpy())
    domains = [d for d in domain_order(subs) if d in scores.columns]
    out_domains = _describe_columns(scores, domains)
    return {"items": out_items, "subdimensions": out_subs, "domains": out_domains}


def _ratings(frame: pd.DataFrame | None, functions: list[str]) -> tuple[pd.Series, pd.Series]:
    """Mean and count of a per-function rating (importance or performance) by function."""
    if frame is None or frame.empty:
        return pd.Series(dtype=float), pd.Series(dtype=int)
    rated = frame.assign(function=frame["function"].astype(str))
    grouped = rated[rated["function"].isin(functions)].groupby("function")["value"]
    return grouped.mean(), grouped.count()


def function_mix(
    scores: pd.DataFrame,
    importance: pd.DataFrame,
    items: pd.DataFrame,
    performance: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per function: how well the network does it now against how important it should be.

    ``performance`` = the mean of members' direct ratings of how well the network does
    the function now, where the instrument asks for them (version 2: on the same five
    steps as importance, so the two are on comparable terms); otherwise the mean of
    respondents' function sub-dimension scores (1 to 5); ``performance_from`` says
    which (``rating`` or ``statements``);
    ``importance`` = mean importance rating (1 to 5, "don't know" ignored);
    ``gap = importance - performance`` (positive: members want more than they get);
    percent versions ``*_pct`` (the gap in points is ``gap * 25``);
    ``n_performance`` and ``n_importance`` count the values behind each mean.
    """
    functions = function_codes(items)
    imp_mean, imp_n = _ratings(importance, functions)
    rated_mean, rated_n = _ratings(performance, functions)
    rated = performance is not None and not performance.empty
    rows = {}
    for code in functions:
        if rated:
            perf_mean, perf_n = float(rated_mean.get(code, np.nan)), int(rated_n.get(code, 0))
        else:
            has = scores is not None and code in scores.columns
            perf = scores[code] if has else pd.Series(dtype=float)
            perf_mean = float(perf.mean()) if perf.notna().any() else np.nan
            perf_n = int(perf.notna().sum())
        importance_mean = float(imp_mean.get(code, np.nan))
        gap = importance_mean - perf_mean
        performance = perf_mean
        rows[code] = {
            "performance_from": "rating" if rated else "statements",
            "performance": performance,
            "importance": importance_mean,
            "gap": gap,
            "performance_pct": to_percent(performance),
            "importance_pct": to_percent(importance_mean),
            "gap_pct": gap * 25,
            "n_performance": perf_n,
            "n_importance": int(imp_n.get(code, 0)),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "function"
    return out


def matrix_summary(matrix: pd.DataFrame, dimension_codes) -> pd.DataFrame:
    """Per maturity-matrix dimension, the spread of current and target levels.

    ``current_1`` .. ``current_5`` and ``target_1`` .. ``target_5``: how many
    respondents chose each level; ``n`` (current levels) and ``n_target``;
    ``median_current``; ``lowest`` and ``highest`` current level (the matrix
    practice records the lowest level where views differ); ``range = highest -
    lowest``; ``median_target``; ``gap = median_target - median_current``.
    Dimensions follow ``dimension_codes``; others in ``matrix`` are ignored.
    """
    codes = list(dict.fromkeys(str(c) for c in dimension_codes))
    if matrix is None or matrix.empty:
        matrix = pd.DataFrame(columns=["respondent", "dimension", "current", "target"])
    which = pd.Index(codes).get_indexer(matrix["dimension"].astype(str))
    current = matrix["current"].to_numpy(dtype=float, na_value=np.nan)
    target = matrix["target"].to_numpy(dtype=float, na_value=np.nan)
    rows = {}
    for j, code in enumerate(codes):
        mine = which == j
        cur, tgt = current[mine], target[mine]
        cur, tgt = cur[~np.isnan(cur)], tgt[~np.isnan(tgt)]
        row = {f"current_{lv}": int((cur == lv).sum()) for lv in range(1, 6)}
        row |= {f"target_{lv}": int((tgt == lv).sum()) for lv in range(1, 6)}
        med_c = float(np.median(cur)) if cur.size else np.nan
        med_t = float(np.median(tgt)) if tgt.size else np.nan
        low = float(cur.min()) if cur.size else np.nan
        high = float(cur.max()) if cur.size else np.nan
        row |= {
            "n": int(cur.size),
            "n_target": int(tgt.size),
            "median_current": med_c,
            "lowest": low,
            "highest": high,
            "range": high - low,
            "median_target": med_t,
            "gap": med_t - med_c,
        }
        rows[code] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "dimension"
    return out


def matrix_respondent_medians(matrix: pd.DataFrame) -> pd.Series:
    """Each respondent's median current level over the dimensions they rated."""
    if matrix is None or matrix.empty:
        return pd.Series(dtype=float, name="matrix_median")
    cur = matrix[["respondent", "current"]].dropna()
    medians = cur.groupby("respondent")["current"].median().astype(float)
    return medians.sort_index().rename("matrix_median")


def matrix_level(medians: pd.Series) -> float | None:
    """The network's matrix level: the median of respondents' median current levels."""
    values = medians.dropna()
    return float(values.median()) if len(values) else None
