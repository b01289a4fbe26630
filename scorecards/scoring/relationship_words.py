"""The relationship figures in words: a plain sentence per headline figure for a
steering group, and what changed since the round before. Pure, no Django."""

from __future__ import annotations

OTHER_GROUPS = "Other groups"  # the groups too small to show, in the group table
# Centralisation bands (ours, not published): how the spread of ties is read out.
EVEN_BELOW = 0.2  # under this, ties are spread fairly evenly
FEW_FROM = 0.5  # from this on, a few people hold most of the ties


def _r(x: float) -> float:
    return round(float(x), 3) + 0.0


TREND = {  # figure: (how a sentence names it, shown as a percentage)
    "density": ("Density", False),
    "cross_group_share": ("The share of ties between groups", True),
    "centralisation": ("Centralisation", False),
}


def trend(current: dict, previous: dict | None) -> dict:
    """Change since the previous round in density, the share of ties between groups
    and centralisation: ``{figure: {"current", "previous", "change"}}`` (change None
    where either round lacks the figure) and a sentence per change."""
    out: dict = {}
    sentences = []
    for key, (label, percent) in TREND.items():
        now, before = current.get(key), (previous or {}).get(key)
        change = _r(now - before) if now is not None and before is not None else None
        out[key] = {"current": now, "previous": before, "change": change}
        if change is None:
            continue
        shown = [f"{round(100 * v)}%" if percent else f"{v:.2f}" for v in (before, now)]
        if shown[0] == shown[1]:
            sentences.append(f"{label} stayed at {shown[1]}.")
        else:
            moved = "rose" if now > before else "fell"
            sentences.append(f"{label} {moved} from {shown[0]} to {shown[1]}.")
    out["sentences"] = sentences
    return out


def sentences(out: dict) -> list[str]:
    """One plain sentence per headline figure, for a steering group; a figure of the
    group table that is withheld (None) says nothing."""
    said = [f"{out['n_answered']} of {_members(out['n_people'])} answered the roster question."]
    said.append(_density_sentence(out["density"], out["n_people"]))
    if out["ties"]:
        close = (out["closeness"]["3"] + out["closeness"]["4"]) / out["ties"]
        said.append(f"{_pct(close)} of ties are people who work together, on something or closely.")
        said.append(_spread_sentence(out["centralisation"]))
        said += _group_sentences(out)
        if out["reciprocity"] is not None:
            said.append(
                f"Where both people answered, {_pct(out['reciprocity'])} of working "
                "relationships were named by both."
            )
        said.append(_connected_sentence(out))
        core = out["core"]
        said.append(
            f"A core of {_members(core['size'])} ({_pct(core['share'])}) each work with "
            f"at least {core['k']} others in that core."
        )
        said.append(_broker_sentence(out["brokers"]))
    return [s for s in said if s]


def _density_sentence(density: float | None, n: int) -> str:
    if density is None:
        return "Too few members to say how connected the network is."
    if density == 0:
        return "No working relationships were named."
    if density >= 1:
        return "Every possible working relationship exists."
    if density >= 0.5:
        return (
            f"About {min(9, int(density * 10 + 0.5))} in 10 possible working relationships exist."
        )
    one_in = 1 / density
    if one_in < 10:
        rounded = int(one_in + 0.5)
    elif one_in < 100:
        rounded = 5 * int(one_in / 5 + 0.5)
    else:
        rounded = int(float(f"{one_in:.2g}"))
    return f"About 1 in {rounded:,} possible working relationships exist."


def _spread_sentence(centralisation: float | None) -> str | None:
    if centralisation is None:
        return None
    if centralisation < EVEN_BELOW:
        return "Ties are spread fairly evenly across members."
    if centralisation < FEW_FROM:
        return "Some members hold noticeably more ties than others."
    return "A few people hold most of the ties."


def _group_sentences(out: dict) -> list[str]:
    if out["cross_group_share"] is None:
        return []
    said = [f"{_pct(out['cross_group_share'])} of ties link people in different groups."]
    for group in out["group_ties"]["groups"]:
        if group["internal"] is not None and group["internal"] > out["ties"] / 2:
            said.append(f"Most ties stay {_inside(group['name'])}.")
    return said


def _inside(name: str) -> str:
    """Where ties stay, in words: "inside the clinician group" (an initialism such as
    "GP" keeps its capitals)."""
    if name == OTHER_GROUPS:
        return "among the smaller groups taken together"
    return f"inside the {name if name[:2].isupper() else name[:1].lower() + name[1:]} group"


def _connected_sentence(out: dict) -> str:
    if out["components"] == 1:
        said = "Everyone with a tie can reach everyone else with one, directly or through others."
    else:
        said = (
            f"Members with ties form {out['components']} separate clusters; the largest holds "
            f"{_pct(out['largest_component_share'])} of all members."
        )
    if out["isolates"]:
        who = _members(out["isolates"])
        said += f" {who} had no tie named, by them or by anyone else."
    return said


def _broker_sentence(brokers: int) -> str:
    if not brokers:
        return "No single member is the only link between parts of the network or between groups."
    verb = "is" if brokers == 1 else "are"
    return (
        f"{_members(brokers)} {verb} the only link between parts of the network "
        "or between two groups (this figure depends on who answered)."
    )


def _members(n: int) -> str:
    return f"{n:,} member" + ("" if n == 1 else "s")


def _pct(share: float | None) -> str:
    return f"{round(100 * share)}%"
