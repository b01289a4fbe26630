"""How each group of members differs from everyone else, without ever showing a group
under the anonymity threshold (quality T1): hidden groups are named in the table as
"too few to show" and carry no number anywhere."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import plotly.graph_objects as go

from scorecards.charts.chart import (
    INK,
    WHITE,
    Chart,
    Table,
    axis,
    axis_title,
    category_axis,
    empty,
    figure,
    ordered,
    series,
    title_of,
    withheld,
)
from scorecards.charts.text import escape, number, signed, wrapped
from scorecards.scoring.breakdowns import BREAKDOWNS
from scorecards.scoring.scores import DOMAINS
from scorecards.scoring.shape import SnapshotData
from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop, ngettext

HIDDEN = gettext_noop("too few to show")


def group_gaps(snapshot: SnapshotData, labels: Mapping[str, str], by: str = "group") -> Chart:
    """Each shown group against the rest, per domain, in points (0 to 100 scale); the
    chart's ``variant`` is ``by``, since a page shows one breakdown at a time.

    ``labels`` may also map group values (``lt_6m``) to words; group names without
    a label are shown as typed.
    """
    return replace(_group_gaps(snapshot, labels, by), variant=by)


def _group_gaps(snapshot: SnapshotData, labels: Mapping[str, str], by: str) -> Chart:
    key = f"gaps-{by}".replace("_", "-")
    title = _title(by)
    if message := withheld(snapshot):
        return empty(key, title, message)
    groups = _by_name((snapshot.get("breakdowns") or {}).get(by) or {})
    if not groups:
        return empty(key, title, _("There are no groups to compare in this round."))
    domains = ordered((snapshot.get("domains") or {}) or DOMAINS, labels)
    shown = [name for name, entry in groups.items() if not entry.get("hidden")]
    table = _table(groups, domains, labels)
    summary = _summary(groups, shown, domains, labels)
    if not shown:
        return Chart(key, title, summary, None, table, empty_message=summary)
    return Chart(key, title, summary, _figure(groups, shown, domains, labels), table)


def _title(by: str) -> str:
    """The chart's title, a whole sentence for each breakdown."""
    titles = {
        "group": _("Groups compared with everyone else, by stakeholder group"),
        "tenure": _("Groups compared with everyone else, by time in the network"),
        "network_role": _("Groups compared with everyone else, by part in the network"),
    }
    if by in titles:
        return titles[by]
    breakdown = BREAKDOWNS.get(by, by.replace("_", " "))
    return _("Groups compared with everyone else, by %(breakdown)s") % {"breakdown": breakdown}


def _by_name(groups: Mapping) -> dict:
    """Groups by name, as the snapshot lists them: a stored snapshot may come back from
    the database with its keys in another order, and the same snapshot must always
    give the same chart."""
    return {name: groups[name] for name in sorted(groups, key=str)}


def _gap(entry: Mapping, domain: str) -> float | None:
    return number(((entry.get("domains") or {}).get(domain) or {}).get("vs_rest"))


def _table(groups: Mapping, domains: list[str], labels: Mapping[str, str]) -> Table:
    columns = [
        _("Group"),
        _("People"),
        *(_("%(domain)s vs rest (points)") % {"domain": title_of(d, labels)} for d in domains),
    ]
    rows = []
    for name, entry in groups.items():
        if entry.get("hidden"):
            rows.append([title_of(name, labels), *[_(HIDDEN)] * (len(domains) + 1)])
            continue
        gaps = [signed(_gap(entry, d), missing=_("not enough answers")) for d in domains]
        rows.append([title_of(name, labels), str(entry.get("n") or 0), *gaps])
    return Table(columns, rows)


def _figure(groups, shown, domains, labels) -> dict:
    """Diverging bars from zero, one per domain within each group; domains differ by
    pattern and legend as well as colour."""
    ys = [escape(name) for name in shown]
    traces = [_domain_trace(i, d, groups, shown, ys, labels) for i, d in enumerate(domains)]
    gaps = [abs(g) for name in shown for d in domains if (g := _gap(groups[name], d)) is not None]
    reach = max([5.0, *gaps]) * 1.35
    ticks = category_axis(ys, [wrapped(title_of(name, labels), 18) for name in shown])
    return figure(
        traces,
        height=110 + 26 * len(shown) * max(len(domains), 1),
        barmode="group",
        showlegend=True,
        xaxis=axis(
            range=[-reach, reach],
            zeroline=True,
            zerolinecolor=INK,
            zerolinewidth=2,
            title=axis_title(_("Points above or below<br>everyone else")),
        ),
        yaxis={**ticks, "autorange": "reversed"},
    )


def _domain_trace(index, domain, groups, shown, ys, labels) -> go.Bar:
    style = series(index)
    domain_title = escape(title_of(domain, labels))
    gaps = [_gap(groups[name], domain) for name in shown]
    return go.Bar(
        x=gaps,
        y=ys,
        orientation="h",
        name=domain_title,
        marker={
            "color": style["colour"],
            "pattern": {
                "shape": style["pattern"],
                "fillmode": "overlay",
                "fgcolor": WHITE,
                "solidity": 0.3,
            },
        },
        text=[signed(gap, missing="") for gap in gaps],
        textposition="outside",
        textfont={"color": INK},
        cliponaxis=False,
        customdata=[[y, domain_title, signed(gap)] for y, gap in zip(ys, gaps, strict=True)],
        # Plotly fills %{customdata[0]} (the group), [1] (the domain) and [2] (the gap).
        hovertemplate=_(
            "<b>%{customdata[0]}</b><br>%{customdata[1]}: %{customdata[2]} points compared "
            "with everyone else"
        )
        + "<extra></extra>",
    )


def _summary(groups, shown, domains, labels) -> str:
    hidden = len(groups) - len(shown)
    if not shown:
        return _("All %(n)s groups are hidden because each has too few people to show.") % {
            "n": len(groups)
        }
    found = [
        (gap, title_of(name, labels), title_of(domain, labels).lower())
        for name in shown
        for domain in domains
        if (gap := _gap(groups[name], domain)) is not None
    ]
    above = max(found, default=None, key=lambda item: item[0])
    below = min(found, default=None, key=lambda item: item[0])
    gaps = [_gap_text(*above)] if above and above[0] > 0 else []
    gaps += [_gap_text(*below)] if below and below[0] < 0 else []
    hidden_words = _hidden_phrase(hidden, len(groups))
    if len(gaps) == 2:
        return _(
            "Compared with everyone else, the widest gaps are %(above)s and %(below)s; %(hidden)s."
        ) % {"above": gaps[0], "below": gaps[1], "hidden": hidden_words}
    if gaps:
        return _("Compared with everyone else, the widest gap is %(gap)s; %(hidden)s.") % {
            "gap": gaps[0],
            "hidden": hidden_words,
        }
    return _("No shown group differs from everyone else; %(hidden)s.") % {"hidden": hidden_words}


def _gap_text(gap: float, group: str, domain: str) -> str:
    return _("%(group)s on %(domain)s (%(gap)s points)") % {
        "group": group,
        "domain": domain,
        "gap": signed(gap),
    }


def _hidden_phrase(hidden: int, total: int) -> str:
    if not hidden:
        return _("no group is hidden")
    return ngettext(
        "%(hidden)s of %(total)s groups is hidden because it has too few people",
        "%(hidden)s of %(total)s groups are hidden because they have too few people",
        hidden,
    ) % {"hidden": hidden, "total": total}
