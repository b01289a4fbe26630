"""What a snapshot holds: the typed shape of ``Snapshot.data``.

``snapshot.snapshot_build`` is the only writer; charts, exports, findings, risk flags
and templates read it. The shape is plain JSON (numbers rounded, None for anything
missing), described here as TypedDicts so every reader can see what it may rely on.
``FORMAT`` changes whenever the shape or its meaning does: it is part of every
snapshot's key, so a new format is computed afresh rather than read as the old one.

Below the anonymity threshold a snapshot holds only counts: ``released`` is False,
the score sections are empty (``{}``, ``[]`` or None) and so are the comments.
"""

from __future__ import annotations

from typing import TypedDict

FORMAT = 4


class PastRoundData(TypedDict):
    response_rate: float | None
    participation: float | None
    impact: float | None
    stage: str | None
    months_ago: float | None


class Context(TypedDict):
    """The round's circumstances, as the stage rules used them."""

    threshold: int
    response_rate: float | None  # percent
    response_rate_history: list[float]  # oldest first, this round last
    participation_index: float | None  # 0 to 100
    network_age_months: float | None
    history: list[PastRoundData]  # the earlier rounds, oldest first, this one not included
    instrument_version: int | None  # of the scorecard this round used
    compared_across_versions: bool  # the previous round used another version


class Score(TypedDict, total=False):
    """A domain's, sub-dimension's or statement's figures (docs/scoring.md)."""

    n: int
    mean: float | None  # 1 to 5
    median: float | None
    sd: float | None
    mean_pct: float | None  # 0 to 100
    median_pct: float | None
    sd_pct: float | None
    agree_share: float | None
    agreement: float | None
    band: str | None  # strength, discuss or concern
    domain: str  # sub-dimensions and statements
    subdimension: str  # statements only, and the three below
    reverse: bool
    n_dont_know: int
    dont_know_share: float | None


class Reliability(TypedDict):
    alpha: float | None
    n_complete: int
    k: int
    note: str | None  # why alpha is missing


class FunctionMix(TypedDict):
    performance_from: str  # "rating" (asked directly, v2) or "statements" (sub-dimension)
    performance: float | None
    importance: float | None
    gap: float | None  # importance minus performance, 1 to 5 scale
    performance_pct: float | None
    importance_pct: float | None
    gap_pct: float | None
    n_performance: int
    n_importance: int


class MatrixDimension(TypedDict):
    current: dict[str, int]  # level "1" to "5" -> how many chose it
    target: dict[str, int]
    n: int
    n_target: int
    median_current: float | None
    lowest: float | None
    highest: float | None
    range: float | None
    median_target: float | None
    gap: float | None


class Matrix(TypedDict, total=False):
    """Empty when the round is not released."""

    dimensions: dict[str, MatrixDimension]
    median_level: float | None  # the level the stage rules use
    n: int


class GroupDomain(TypedDict):
    mean: float | None
    mean_pct: float | None
    vs_rest: float | None  # points against everyone else


class Group(TypedDict, total=False):
    """A shown group has ``n`` and ``domains``; a hidden one only ``reason``."""

    hidden: bool
    reason: str
    n: int
    domains: dict[str, GroupDomain]


class Change(TypedDict, total=False):
    diff: float | None  # points, 0 to 100 scale
    ci_low: float | None  # 95 % bootstrap interval
    ci_high: float | None
    current: float | None
    previous: float | None
    n_current: int
    n_previous: int


class Changes(TypedDict):
    domains: dict[str, Change]
    subdimensions: dict[str, Change]


class Condition(TypedDict):
    key: str  # a condition of the decision table (stages.conditions)
    text: str  # the observed fact, in words
    holds: bool | None  # None: the interval straddles the line, or an input is unknown
    value: float | None
    low: float | None  # the 95% interval, where the value is an estimate
    high: float | None
    line: float | None  # from stages.LINES
    says: dict  # {"text": the fact as words to say in a reader's language} (scoring.words)


class Stage(TypedDict):
    stage: str  # pre-emergent, emerging, established, dormant or "not enough evidence"
    certainty: str  # clear, borderline or "not enough evidence"
    alternatives: list[str]  # the stages the evidence allows, the likeliest first
    conditions: list[Condition]
    uncertain_because: list[str]  # condition keys the outcome turns on
    not_applied: list[str]  # rules that lacked an input, in words
    summary: str
    next_steps: list[str]
    scores: dict[str, float | None]  # purpose, function, form, impact, matrix (0 to 100)
    says: dict  # summary, not_applied and next_steps as words to say again (scoring.words)


class RiskFlag(TypedDict):
    code: str
    title: str
    evidence: str  # the numbers behind the flag
    severity: str  # medium or high
    says: dict  # title and evidence as words to say in a reader's language


class CommentPreview(TypedDict):
    """The first few comments on one question; every one is kept apart."""

    question: str
    total: int
    answers: list[str]


class CommentSet(TypedDict):
    """Every released comment on one question, sorted (``Snapshot.comments``)."""

    question: str
    answers: list[str]


class CustomResult(TypedDict, total=False):
    """A round's own question, reported apart from the standard scores."""

    code: str
    kind: str  # agreement or text
    text: str
    shown: bool
    n: int  # agreement questions: the counts below only when shown
    mean: float
    counts: dict[str, int]
    dont_know: int
    answers: list[str]  # text questions, once the round is released


class FollowUpResult(TypedDict, total=False):
    """Did an action agreed before the round make a difference, in members' words."""

    code: str  # F<action id>
    text: str  # the action, as it read when the round opened
    shown: bool
    n: int  # who said "made a difference" or "not yet"; the counts only when shown
    made_a_difference: int
    not_yet: int
    dont_know: int


class GroupResponse(TypedDict):
    """Who answered in one stakeholder group (not secret: the invitation list names
    them)."""

    group: str
    invited: int
    completed: int
    rate: int | None


class InstrumentDomain(TypedDict, total=False):
    """A domain's reliability on the people who answered all its items."""

    alpha: float | None  # Cronbach's alpha
    omega: float | None  # McDonald's omega (total), one-factor model
    n_complete: int | None
    k: int
    note: str | None  # why alpha or omega is missing
    withheld: bool  # in a release, when the domain's score is withheld


class InstrumentItem(TypedDict, total=False):
    domain: str
    subdimension: str
    item_total: float | None  # corrected item-total correlation within the domain
    n: int | None  # who saw it: answered or said "don't know"
    dont_know_rate: float | None  # 0 to 1
    withheld: bool  # in a release, when the statement's figures are withheld


class GroupDontKnow(TypedDict):
    n: int  # who in the group saw the item
    rate: float | None  # 0 to 1; None under the threshold


class InstrumentGroup(TypedDict):
    """A stakeholder group the disclosure rule shows (others are absent)."""

    n: int
    items: dict[str, GroupDontKnow]


class Agreement(TypedDict, total=False):
    rwg: float | None  # within-group agreement on the current level, 0 to 1
    n: int | None
    reading: str  # in words: can the median be read as the network's view
    withheld: bool  # in a release, when the dimension's figures are withheld


class Instrument(TypedDict, total=False):
    """The instrument report (docs/scoring.md); empty when the round is not released."""

    domains: dict[str, InstrumentDomain]
    items: dict[str, InstrumentItem]
    groups: dict[str, InstrumentGroup]  # stakeholder group -> "don't know" by item
    matrix: dict[str, Agreement]  # matrix dimension -> r_wg
    agreement_at: float  # r_wg from which the median is read


class SnapshotData(TypedDict):
    format: int
    n_respondents: int
    released: bool
    comments_released: bool
    context: Context
    domains: dict[str, Score]
    subdimensions: dict[str, Score]
    items: dict[str, Score]
    reliability: dict[str, Reliability]
    function_mix: dict[str, FunctionMix]
    matrix: Matrix
    breakdowns: dict[str, dict[str, Group]]  # group, tenure, network_role -> groups
    changes: Changes | None  # None without an earlier round
    stage: Stage | None
    risk_flags: list[RiskFlag]
    distributions: dict[str, dict[str, list[list[float]]]]  # for the next round's changes
    comments: dict[str, CommentPreview]
    custom: list[CustomResult]
    follow_up: list[FollowUpResult]
    invited: int
    response_by_group: list[GroupResponse]
    instrument: Instrument
    # How the network is connected (scoring.relationships), when the round asked the
    # roster question; None when it did not.
    relationships: dict | None
