"""What a reviewer asks of an instrument before trusting its scores: McDonald's omega
beside Cronbach's alpha, corrected item-total correlations, "don't know" rates by
group (to spot items a group cannot answer), and agreement within the network on each
matrix dimension (r_wg) before its median is read. Pure functions, no I/O.

All statistics are on complete cases of a respondent x item frame (reverse items
already flipped; "don't know" is NaN), like ``reliability.cronbach_alpha``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from scorecards.scoring import reliability
from scorecards.scoring.breakdowns import group_labels
from scorecards.scoring.scores import AnswerMatrix
from scorecards.scoring.words import gettext_noop
from surveys import anonymity

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
    if not np.isfinite(corr).all():
        return None
    try:
        with np.errstate(divide="ignore"):  # a nearly singular matrix is handled below
            communality = 1 - 1 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        communality = np.full(k, 0.5)
    if not np.isfinite(communality).all():  # a nearly singular matrix: start neutral
        communality = np.full(k, 0.5)
    for _ in range(MAX_ITERATIONS):
        reduced = corr.copy()
        np.fill_diagonal(reduced, communality)
        try:
            values, vectors = np.linalg.eigh(reduced)
        except np.linalg.LinAlgError:  # no fit: omega is left out, scoring carries on
            return None
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
    values = np.asarray(levels, dtype=float)  # None becomes NaN
    values = values[~np.isnan(values)]
    if len(values) < 2:
        return None
    expected = (options**2 - 1) / 12
    return float(max(0.0, 1 - values.var(ddof=1) / expected))


# ---- the instrument report of one round ----------------------------------------------

AGREEMENT_AT = 0.7  # r_wg from which a dimension's median is read as the network's view
READINGS = {
    "agree": gettext_noop("members agree enough to read the median"),
    "disagree": gettext_noop("members disagree: talk about the spread before using the median"),
    "unknown": gettext_noop("too few ratings to judge agreement"),
}
FEWER_COMPLETE = gettext_noop("fewer than %(n)s people answered every item")
NO_OMEGA_ITEMS = gettext_noop("omega needs at least three items")
NO_OMEGA_FIT = gettext_noop(
    "omega could not be fitted: an item on which everyone gave the same answer"
)


def rwg_reading(value: float | None) -> str:
    """The plain reading of an r_wg beside a matrix dimension's median."""
    if value is None:
        return READINGS["unknown"]
    return READINGS["agree"] if value >= AGREEMENT_AT else READINGS["disagree"]


def _domain_note(entry: dict, omega: float | None) -> str | None:
    """Why alpha or omega is missing, in words; never with the count of people, which
    may be under the anonymity threshold."""
    if entry["k"] >= 2 and entry["n_complete"] < MIN_COMPLETE:
        return FEWER_COMPLETE % {"n": MIN_COMPLETE}
    if entry["note"] or omega is not None:
        return entry["note"]
    if entry["k"] < 3:
        return NO_OMEGA_ITEMS
    return NO_OMEGA_FIT


def _domain_reliability(grid: AnswerMatrix) -> dict[str, dict]:
    """Alpha (``reliability``) and omega per domain, on the people who answered every
    item of the domain."""
    by_domain = replace(grid, items=grid.items.assign(subdimension=grid.items["domain"]))
    out = {}
    for domain, entry in reliability.reliability_from_matrix(by_domain).items():
        omega = mcdonald_omega(grid.cells[:, grid.items["domain"].to_numpy() == domain])
        out[domain] = {**entry, "omega": omega, "note": _domain_note(entry, omega)}
    return out


def _items(grid: AnswerMatrix) -> dict[str, dict]:
    """Per item: its corrected correlation with the rest of its domain, how many saw it
    (answered or said "don't know") and the share who said "don't know"."""
    codes = grid.items.index.astype(str)
    domains = grid.items["domain"].to_numpy()
    corrected: dict[str, float | None] = {}
    for domain in dict.fromkeys(domains):
        mask = domains == domain
        frame = pd.DataFrame(grid.cells[:, mask], columns=codes[mask])
        corrected |= item_total_correlations(frame)
    unknown = grid.dont_know.sum(axis=0)
    seen = (~np.isnan(grid.cells)).sum(axis=0) + unknown
    return {
        code: {
            "domain": str(grid.items.iloc[j]["domain"]),
            "subdimension": str(grid.items.iloc[j]["subdimension"]),
            "item_total": corrected[code],
            "n": int(seen[j]),
            "dont_know_rate": float(unknown[j] / seen[j]) if seen[j] else None,
        }
        for j, code in enumerate(codes)
    }


def _groups(grid: AnswerMatrix, labels: pd.Series, threshold: int) -> dict[str, dict]:
    """Rates of "don't know" per item in each stakeholder group the one disclosure rule
    shows (``anonymity.hidden_groups``, as for breakdowns); a group's rate on an item
    only when at least ``threshold`` of its people saw the item."""
    sizes = labels.value_counts()
    hidden = anonymity.hidden_groups(sizes.to_dict(), threshold)
    codes = list(grid.items.index.astype(str))
    # 1 answered, 0 "don't know", NaN not seen: what ``dont_know_rates`` reads.
    seen = np.where(grid.dont_know, 0.0, np.where(np.isnan(grid.cells), np.nan, 1.0))
    frame = pd.DataFrame(seen, index=grid.respondents, columns=codes)
    rates = dont_know_rates(frame, labels.reindex(grid.respondents))
    out = {}
    for name in sorted(set(sizes.index) - hidden, key=str):
        found = name in rates.index
        n = rates["n"].loc[name].to_numpy(dtype=int) if found else np.zeros(len(codes), int)
        rate = rates["rate"].loc[name].to_numpy(dtype=float) if found else n * np.nan
        cells = {code: _group_cell(int(n[j]), rate[j], threshold) for j, code in enumerate(codes)}
        out[str(name)] = {"n": int(sizes[name]), "items": cells}
    return out


def _group_cell(n: int, rate: float, threshold: int) -> dict:
    return {"n": n, "rate": None if anonymity.too_few(n, threshold) else float(rate)}


def _agreement(matrix: pd.DataFrame | None, codes: list[str] | None, options: int) -> dict:
    if matrix is None or matrix.empty:
        return {code: {"rwg": None, "n": 0, "reading": rwg_reading(None)} for code in codes or []}
    levels = matrix["current"].dropna().groupby(matrix["dimension"].astype(str))
    by_dimension = {code: group.to_numpy(dtype=float) for code, group in levels}
    codes = sorted(by_dimension) if codes is None else codes
    out = {}
    for code in codes:
        found = by_dimension.get(code, np.empty(0))
        value = rwg(found, options)
        out[code] = {"rwg": value, "n": int(len(found)), "reading": rwg_reading(value)}
    return out


def instrument_report(
    grid: AnswerMatrix,
    respondents: pd.DataFrame | None,
    matrix: pd.DataFrame | None,
    threshold: int,
    *,
    everyone: pd.Index | None = None,
    dimension_codes: list[str] | None = None,
    options: int = 5,
) -> dict:
    """What a reviewer asks before trusting a round's scores, as plain JSON types:

    - ``domains``: per domain Cronbach's alpha and McDonald's omega on the ``n_complete``
      people who answered all ``k`` items (None, with the ``note`` why, when they cannot
      be given);
    - ``items``: per item its corrected item-total correlation within its domain, the
      ``n`` who saw it and the share of them who said "don't know";
    - ``groups``: per stakeholder group shown (groups too small to show are absent) its
      ``n`` and, per item, the "don't know" rate and the ``n`` who saw it (the rate None
      when that ``n`` is under the threshold);
    - ``matrix``: per maturity-matrix dimension r_wg on the current level, its ``n`` and
      a plain reading (``AGREEMENT_AT`` or more: read the median).

    ``grid`` is the round's ``AnswerMatrix``; ``everyone`` all respondents of the round
    (default: those in ``grid``), whose stakeholder groups decide which groups show.
    """
    threshold = anonymity.check_threshold(threshold)
    everyone = grid.respondents if everyone is None else everyone
    labels = group_labels(pd.Index(everyone, name="respondent"), respondents, "group")
    return {
        "domains": _domain_reliability(grid),
        "items": _items(grid),
        "groups": _groups(grid, labels, threshold),
        "matrix": _agreement(matrix, dimension_codes, options),
        "agreement_at": AGREEMENT_AT,
    }
