"""Next steps for a stage: the smallest changes that would move a network on.

Plain sentences with numbers, built from the conditions ``stages.stage_classify``
checked. Pure functions, no I/O.
"""

from __future__ import annotations


def fmt(x: float) -> str:
    """A number as shown in texts: at most two decimals, no trailing zeros."""
    text = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _points(x: float) -> str:
    return f"{fmt(x)} point" + ("" if fmt(x) == "1" else "s")


def _rise(label: str, cond: dict, stage: str, unit: str = "points") -> str:
    t = cond["threshold"]
    if cond["value"] is None:
        return f"{label} is not known yet; it needs to be at least {fmt(t)} to be {stage}."
    v = cond["value"]
    amount = _points(t - v) if unit == "points" else f"{fmt(t - v)} {unit}"
    return f"{label} needs to rise {amount}, from {fmt(v)} to {fmt(t)}, to be {stage}."


def _to_established(c: dict) -> list[str]:
    labels = {
        "established.purpose": "Purpose",
        "established.function": "Function",
        "established.form": "Form",
        "established.matrix": "The median matrix level",
    }
    steps = [
        _rise(label, c[rule], "established", "levels" if rule.endswith("matrix") else "points")
        for rule, label in labels.items()
        if rule in c and not c[rule]["met"]
    ]
    if len(steps) == 2:
        steps.append("Both changes are needed.")
    elif len(steps) > 2:
        steps.append(f"All {len(steps)} changes are needed.")
    return steps


def _to_emerging(c: dict) -> list[str]:
    steps = []
    age = c["pre_emergent.age"]
    if age["met"]:
        steps.append(
            f"The network needs to be {fmt(age['threshold'])} months old "
            f"(it is {fmt(age['value'])}) to be emerging."
        )
    purpose, form = c["pre_emergent.purpose"], c["pre_emergent.form"]
    if purpose["met"] and form["met"]:
        options = sorted(
            [
                (purpose["threshold"] - purpose["value"], "purpose", purpose),
                (form["threshold"] - form["value"], "form", form),
            ],
            key=lambda o: o[0],
        )
        (d1, n1, c1), (d2, n2, c2) = options
        steps.append(
            f"{n1.capitalize()} needs to rise {_points(d1)}, from {fmt(c1['value'])} to "
            f"{fmt(c1['threshold'])}, or {n2} {_points(d2)}, from {fmt(c2['value'])} to "
            f"{fmt(c2['threshold'])}, to be emerging."
        )
    return steps


def _revive(c: dict) -> list[str]:
    steps = []
    parts = []
    for rule, label, unit in (
        ("dormant.participation", "the participation index", ""),
        ("dormant.response_rate", "the response rate", "%"),
    ):
        cond = c[rule]
        if cond["met"]:
            parts.append(
                f"{label} {_points(cond['threshold'] - cond['value'])}, from "
                f"{fmt(cond['value'])}{unit} to {fmt(cond['threshold'])}{unit}"
            )
    if parts:
        steps.append("To revive it, raise engagement: " + " and ".join(parts) + ".")
    level, drop = c["dormant.function"], c["dormant.function_drop"]
    if level["value"] is not None:
        f = level["value"]
        if drop["met"]:
            previous = f + drop["value"]
            bound = previous - drop["threshold"]
        if drop["met"] and bound >= level["threshold"]:
            steps.append(
                f"Or strengthen function: it needs to rise more than {_points(bound - f)}, "
                f"from {fmt(f)} to above {fmt(bound)}, to be within "
                f"{_points(drop['threshold'])} of the previous round's {fmt(previous)}."
            )
        else:
            steps.append(
                f"Or strengthen function: it needs to rise {_points(level['threshold'] - f)}, "
                f"from {fmt(f)} to {fmt(level['threshold'])}."
            )
    return steps


def _now(cond: dict, unit: str = "") -> str:
    return "not known" if cond["value"] is None else f"now {fmt(cond['value'])}{unit}"


def _keep_established(c: dict) -> list[str]:
    rules = [
        r
        for r in ("purpose", "function", "form", "matrix")
        if c[f"established.{r}"]["value"] is not None
    ]
    names = {"matrix": "the median matrix level"}
    keep = [
        f"{names.get(r, r)} at {fmt(c[f'established.{r}']['threshold'])} or more "
        f"({_now(c[f'established.{r}'])})"
        for r in rules
    ]
    steps = ["To stay established, keep " + ", ".join(keep) + "."]
    margins = [
        (c[f"established.{r}"]["value"] - c[f"established.{r}"]["threshold"], r)
        for r in rules
        if r != "matrix"
    ]
    if margins:
        margin, name = min(margins)
        steps.append(
            f"The closest is {name}: a fall of more than {_points(margin)} "
            "would make the network emerging."
        )
    age = c["dormant.age"]
    if age["value"] is not None and not age["met"]:
        steps.append(
            f"It cannot become dormant before it is {fmt(age['threshold'])} months old "
            f"(it is {fmt(age['value'])})."
        )
    else:
        steps.append(
            "It would become dormant if engagement fell (participation index under "
            f"{fmt(c['dormant.participation']['threshold'])}, {_now(c['dormant.participation'])}; "
            f"or response rate under {fmt(c['dormant.response_rate']['threshold'])}%, "
            f"{_now(c['dormant.response_rate'], '%')}) and function weakened (under "
            f"{fmt(c['dormant.function']['threshold'])}, {_now(c['dormant.function'])}; or down "
            f"{fmt(c['dormant.function_drop']['threshold'])} points or more on the previous round)."
        )
    return steps


def next_steps(stage: str, conditions: dict) -> list[str]:
    """Plain-words steps for ``stage`` from the checked ``conditions`` (keyed by rule)."""
    if stage == "dormant":
        return _revive(conditions)
    if stage == "established":
        return _keep_established(conditions)
    if stage == "pre-emergent":
        return _to_emerging(conditions)
    return _to_established(conditions)
