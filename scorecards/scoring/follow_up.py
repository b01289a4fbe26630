"""Did the actions agreed last time make a difference? Members' answers to the round's
follow-up questions, counted. Pure: no Django, no I/O.

Answers are numbers like the scale statements: 1 "made a difference", 2 "not yet", no
value for "don't know". A question's counts are shown only when at least the threshold
number of members gave one of the two answers (the disclosure rule; the release audit
then checks the cell with everything else, as for the round's own questions)."""

from __future__ import annotations

import pandas as pd

from scorecards.scoring.shape import FollowUpResult
from surveys.anonymity import too_few

MADE_A_DIFFERENCE = 1
NOT_YET = 2


def follow_up_results(
    questions: list[dict], answers: pd.DataFrame, *, threshold: int, released: bool
) -> list[FollowUpResult]:
    """One entry per question ({"code", "text"}), in the round's order; ``answers`` has
    the columns respondent, item, value."""
    out: list[FollowUpResult] = []
    for question in questions:
        values = answers.loc[answers["item"] == question["code"], "value"]
        answered = values.dropna()
        entry = FollowUpResult(
            code=question["code"],
            text=question["text"],
            n=int(len(answered)),
            shown=bool(released and not too_few(len(answered), threshold)),
        )
        if entry["shown"]:
            entry["made_a_difference"] = int((answered == MADE_A_DIFFERENCE).sum())
            entry["not_yet"] = int((answered == NOT_YET).sum())
            entry["dont_know"] = int(values.isna().sum())
        out.append(entry)
    return out
