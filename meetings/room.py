"""What the room thinks of one dimension during a maturity-matrix meeting: members'
own survey ratings, participants' live ratings, and the lowest-level rule that turns
them into a proposal (framework section 5: where views differ, record the lowest and
note the range). Reads only; `services.py` writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from surveys.models import Assessment

from .models import AgreedLevel, LiveRating, MatrixSession, MeetingTable
from .selectors import dimensions_of

LEVELS = (1, 2, 3, 4, 5)


# ---- views in the room and in the survey --------------------------------------------


@dataclass(frozen=True)
class Views:
    """How many people chose each level, and the lowest and highest chosen."""

    counts: dict[int, int]

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def low(self) -> int | None:
        return min((lv for lv, c in self.counts.items() if c), default=None)

    @property
    def high(self) -> int | None:
        return max((lv for lv, c in self.counts.items() if c), default=None)

    def as_list(self) -> list[int]:
        return [self.counts.get(level, 0) for level in LEVELS]


def _views(pairs) -> Views:
    counts = dict.fromkeys(LEVELS, 0)
    for level, n in pairs:
        counts[level] = counts.get(level, 0) + n
    return Views(counts)


@dataclass(frozen=True)
class SurveyViews:
    """Members' own survey ratings of one dimension. `views` is None when fewer than
    the anonymity threshold rated it (quality T1): then neither the counts nor the
    lowest level are shown, since with few people they point at someone."""

    n: int
    views: Views | None

    @property
    def released(self) -> bool:
        return self.views is not None


def survey_views(assessment: Assessment) -> dict[str, SurveyViews]:
    """Per dimension, members' own survey ratings as the round's results released them:
    the meeting never reads live answers, so what its screen shows cannot be compared
    from one moment to the next to point at whoever submitted in between
    (docs/privacy.md). Where the released counts come from is configuration
    (MEETINGS_RELEASED_RATINGS): the results side publishes them, and meetings does not
    import it."""
    released = import_string(settings.MEETINGS_RELEASED_RATINGS)(assessment)
    out = {}
    for dimension in [d["code"] for d in dimensions_of(assessment)]:
        counts = released.get(dimension)
        if counts is None:  # not released: too few, held back, or no release yet
            out[dimension] = SurveyViews(0, None)
            continue
        views = _views((int(level), n) for level, n in counts.items())
        out[dimension] = SurveyViews(views.n, views)
    return out


# The matrix dimensions about how the network is connected: the meeting shows the
# round's relationship figures beside them, when the round asked who works with whom.
RELATIONSHIP_DIMENSIONS = ("relationships_trust", "membership", "distributed_leadership")


def released_relationships(assessment: Assessment, dimension: str) -> dict | None:
    """The round's released relationship figures and group map, for a dimension about
    connections; None for other dimensions, or when none were released. Published by
    the results side (MEETINGS_RELEASED_RELATIONSHIPS), like the survey ratings."""
    if dimension not in RELATIONSHIP_DIMENSIONS:
        return None
    return import_string(settings.MEETINGS_RELEASED_RELATIONSHIPS)(assessment)


@dataclass(frozen=True)
class LiveViews:
    everyone: Views
    tables: dict[int, Views]  # table id -> that table's views

    def of_table(self, table_id: int) -> Views:
        return self.tables.get(table_id) or _views([])


def live_views(session: MatrixSession, dimension: str) -> LiveViews:
    """Participants' live ratings of one dimension, overall and per table."""
    rows = (
        LiveRating.objects.filter(session=session, dimension=dimension)
        .values_list("table_id", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_table: dict[int, list] = {}
    for table_id, level, n in rows:
        per_table.setdefault(table_id, []).append((level, n))
    tables = {table_id: _views(pairs) for table_id, pairs in per_table.items()}
    return LiveViews(_views([(lv, n) for _, lv, n in rows]), tables)


# ---- the lowest-level rule ---------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    level: int
    low: int
    high: int
    source: str  # "live" or "survey"
    n: int

    @property
    def description(self) -> str:
        words = {"n": self.n, "low": self.low, "high": self.high}
        if self.source == "live" and self.low != self.high:
            text = ngettext(
                "the lowest of %(n)s live rating at this table (levels %(low)s to %(high)s)",
                "the lowest of %(n)s live ratings at this table (levels %(low)s to %(high)s)",
                self.n,
            )
        elif self.source == "live":
            text = ngettext(
                "the lowest of %(n)s live rating at this table (all agree)",
                "the lowest of %(n)s live ratings at this table (all agree)",
                self.n,
            )
        elif self.low != self.high:
            text = gettext(
                "the lowest of %(n)s members’ survey ratings (levels %(low)s to %(high)s)"
            )
        else:
            text = gettext("the lowest of %(n)s members’ survey ratings (all agree)")
        return text % words


def propose(table_views: Views, survey: SurveyViews | None) -> Proposal | None:
    """A table's proposed level: the lowest of its live views; with none, the lowest
    level members chose in the survey (only when that is released); else none."""
    if table_views.n:
        return Proposal(table_views.low, table_views.low, table_views.high, "live", table_views.n)
    if survey is not None and survey.released and survey.views.n:
        views = survey.views
        return Proposal(views.low, views.low, views.high, "survey", views.n)
    return None


def table_proposal(session: MatrixSession, table: MeetingTable, dimension: str) -> Proposal | None:
    survey = survey_views(session.assessment).get(dimension)
    return propose(live_views(session, dimension).of_table(table.pk), survey)


def merge(levels: list[AgreedLevel]) -> dict | None:
    """The whole meeting's picture of one dimension from its tables' agreed levels:
    the lowest level (the same rule as within a table), the widest range, the lowest
    target (one every table signed up to), a priority if any table made it one."""
    if not levels:
        return None
    several = len(levels) > 1

    def joined(field: str) -> str:
        parts = [(str(a.table), getattr(a, field).strip()) for a in levels]
        return "\n".join(f"{name}: {text}" if several else text for name, text in parts if text)

    targets = [a.target for a in levels if a.target is not None]
    low, high = _merged_range(levels)
    return {
        "level": min(a.level for a in levels),
        "proposed_level": min(a.level for a in levels),
        "range_low": low,
        "range_high": high,
        "target": min(targets) if targets else None,
        "priority": any(a.priority for a in levels),
        "override_reason": joined("override_reason"),
        "notes": joined("notes"),
    }


def _merged_range(levels: list[AgreedLevel]) -> tuple[int | None, int | None]:
    """The spread of views across tables: their noted ranges and, with several
    tables, their agreed levels too (tables that differ are views that differ)."""
    ranged = [a for a in levels if a.range is not None]
    if not ranged and len(levels) < 2:
        return None, None
    lows = [a.range_low for a in ranged] + [a.level for a in levels]
    highs = [a.range_high for a in ranged] + [a.level for a in levels]
    return min(lows), max(highs)


# ---- one dimension on the facilitator's screen -------------------------------------


@dataclass
class TablePicture:
    table: MeetingTable
    views: Views
    proposal: Proposal | None
    saved: AgreedLevel | None


@dataclass
class DimensionPicture:
    dimension: dict
    number: int
    survey: SurveyViews
    live: LiveViews
    tables: list[TablePicture]
    merged: AgreedLevel | None


def dimension_picture(session: MatrixSession, code: str) -> DimensionPicture:
    """Everything the facilitator's page shows for one dimension, in five queries
    whatever the number of tables or ratings."""
    dims = dimensions_of(session.assessment)
    number = next((i for i, d in enumerate(dims) if d["code"] == code), 0)
    dimension = dims[number]
    survey = survey_views(session.assessment)[dimension["code"]]
    live = live_views(session, dimension["code"])
    saved = {
        a.table_id: a
        for a in AgreedLevel.objects.filter(session=session, dimension=dimension["code"])
    }
    tables = [
        TablePicture(t, live.of_table(t.pk), propose(live.of_table(t.pk), survey), saved.get(t.pk))
        for t in session.tables.all()
    ]
    return DimensionPicture(dimension, number + 1, survey, live, tables, saved.get(None))
