"""The relationship figures in words: a plain sentence per headline figure for a
steering group, and what changed since the round before. Pure, no Django."""

from __future__ import annotations

from scorecards.scoring.words import _, gettext_noop, ngettext

OTHER_GROUPS = "Other groups"  # the groups too small to show, in the group table (data)
# Centralisation bands (ours, not published): how the spread of ties is read out.
EVEN_BELOW = 0.2  # under this, ties are spread fairly evenly
FEW_FROM = 0.5  # from this on, a few people hold most of the ties


def _r(x: float) -> float:
    return round(float(x), 3) + 0.0


TREND = {  # figure: (how a sentence names it, shown as a percentage)
    "density": (gettext_noop("Density"), False),
    "cross_group_share": (gettext_noop("The share of ties between groups"), True),
    "centralisation": (gettext_noop("Centralisation"), False),
}


def trend(current: dict, previous: dict | None) -> dict:
    """Change since the previous round in density, the share of ties between groups
    and centralisation: ``{figure: {"current", "previous", "change"}}`` (change None
    where either round lacks the figure) and a sentence per change."""
    out: dict = {}
    said = []
    for key, (label, percent) in TREND.items():
        now, before = current.get(key), (previous or {}).get(key)
        change = _r(now - before) if now is not None and before is not None else None
        out[key] = {"current": now, "previous": before, "change": change}
        if change is None:
            continue
        shown = [_pct(v) if percent else f"{v:.2f}" for v in (before, now)]
        figures = {"figure": _(label), "before": shown[0], "now": shown[1]}
        if shown[0] == shown[1]:
            said.append(_("%(figure)s stayed at %(now)s.") % figures)
        elif now > before:
            said.append(_("%(figure)s rose from %(before)s to %(now)s.") % figures)
        else:
            said.append(_("%(figure)s fell from %(before)s to %(now)s.") % figures)
    out["sentences"] = said
    return out


def sentences(out: dict) -> list[str]:
    """One plain sentence per headline figure, for a steering group, in the active
    language (a page says them again in its reader's); a figure of the group table
    that is withheld (None) says nothing."""
    said = [
        ngettext(
            "%(n)s of %(total)s member answered the roster question.",
            "%(n)s of %(total)s members answered the roster question.",
            out["n_people"],
        )
        % {"n": out["n_answered"], "total": f"{out['n_people']:,}"}
    ]
    said.append(_density_sentence(out["density"], out["n_people"]))
    if out["ties"]:
        close = (out["closeness"]["3"] + out["closeness"]["4"]) / out["ties"]
        said.append(
            _("%(share)s of ties are people who work together, on something or closely.")
            % {"share": _pct(close)}
        )
        said.append(_spread_sentence(out["centralisation"]))
        said += _group_sentences(out)
        if out["reciprocity"] is not None:
            said.append(
                _(
                    "Where both people answered, %(share)s of working relationships were "
                    "named by both."
                )
                % {"share": _pct(out["reciprocity"])}
            )
        said.append(_connected_sentence(out))
        core = out["core"]
        said.append(
            ngettext(
                "A core of %(n)s member (%(share)s) each work with at least %(k)s others in "
                "that core.",
                "A core of %(n)s members (%(share)s) each work with at least %(k)s others in "
                "that core.",
                core["size"],
            )
            % {"n": f"{core['size']:,}", "share": _pct(core["share"]), "k": core["k"]}
        )
        said.append(_broker_sentence(out["brokers"]))
    return [s for s in said if s]


def _density_sentence(density: float | None, n: int) -> str:
    if density is None:
        return _("Too few members to say how connected the network is.")
    if density == 0:
        return _("No working relationships were named.")
    if density >= 1:
        return _("Every possible working relationship exists.")
    if density >= 0.5:
        return _("About %(n)s in 10 possible working relationships exist.") % {
            "n": min(9, int(density * 10 + 0.5))
        }
    one_in = 1 / density
    if one_in < 10:
        rounded = int(one_in + 0.5)
    elif one_in < 100:
        rounded = 5 * int(one_in / 5 + 0.5)
    else:
        rounded = int(float(f"{one_in:.2g}"))
    return _("About 1 in %(n)s possible working relationships exist.") % {"n": f"{rounded:,}"}


def _spread_sentence(centralisation: float | None) -> str | None:
    if centralisation is None:
        return None
    if centralisation < EVEN_BELOW:
        return _("Ties are spread fairly evenly across members.")
    if centralisation < FEW_FROM:
        return _("Some members hold noticeably more ties than others.")
    return _("A few people hold most of the ties.")


def _group_sentences(out: dict) -> list[str]:
    if out["cross_group_share"] is None:
        return []
    said = [
        _("%(share)s of ties link people in different groups.")
        % {"share": _pct(out["cross_group_share"])}
    ]
    for group in out["group_ties"]["groups"]:
        if group["internal"] is not None and group["internal"] > out["ties"] / 2:
            said.append(_inside(group["name"]))
    return said


def _inside(name: str) -> str:
    """Where ties stay, in words: "inside the clinician group" (an initialism such as
    "GP" keeps its capitals)."""
    if name == OTHER_GROUPS:
        return _("Most ties stay among the smaller groups taken together.")
    shown = name if name[:2].isupper() else name[:1].lower() + name[1:]
    return _("Most ties stay inside the %(group)s group.") % {"group": shown}


def _connected_sentence(out: dict) -> str:
    if out["components"] == 1:
        said = _(
            "Everyone with a tie can reach everyone else with one, directly or through others."
        )
    else:
        said = _(
            "Members with ties form %(n)s separate clusters; the largest holds %(share)s of all "
            "members."
        ) % {"n": out["components"], "share": _pct(out["largest_component_share"])}
    if out["isolates"]:
        said += " " + ngettext(
            "%(n)s member had no tie named, by them or by anyone else.",
            "%(n)s members had no tie named, by them or by anyone else.",
            out["isolates"],
        ) % {"n": f"{out['isolates']:,}"}
    return said


def _broker_sentence(brokers: int) -> str:
    if not brokers:
        return _(
            "No single member is the only link between parts of the network or between groups."
        )
    return ngettext(
        "%(n)s member is the only link between parts of the network or between two groups "
        "(this figure depends on who answered).",
        "%(n)s members are the only link between parts of the network or between two groups "
        "(this figure depends on who answered).",
        brokers,
    ) % {"n": f"{brokers:,}"}


def _pct(share: float | None) -> str:
    return f"{round(100 * share)}%"
