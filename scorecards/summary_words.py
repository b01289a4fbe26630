"""A release's words in the reader's language (README: Languages).

The worker writes a release's sentences in English and keeps each as words to say
again (``scoring.words``): the dashboard, the pack, the meeting and the members'
summary say them in the active language with ``in_language``, the instruments' titles
from their companion files, the same figures in every language. A release written
before its sentences were kept shows them as written, but for the stage's sentence,
which is worded again from its figures; a sentence with no translation stays in
English."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from surveys.languages import current

from .scoring import (
    psychometrics,
    publication,
    relationship_cells,
    relationship_words,
    reliability,
    stages,
    words,
)

# The rules a stage could not apply, as the worker words them (scoring/stages.py), for
# translation; one naming the earlier round's difference is shown as written.
NOT_APPLIED = [
    gettext_noop(
        "Purpose could not be measured, so whether the strategy is clear could not be judged."
    ),
    gettext_noop(
        "Form could not be measured, so whether the form is in place could not be judged."
    ),
    gettext_noop(
        "Function could not be measured, so whether the functions work could not be judged."
    ),
    gettext_noop(
        "Impact could not be measured, so whether the network has failed its purpose could "
        "not be judged."
    ),
    gettext_noop(
        "The network's age is not known, so the rules for pre-emergent (a young network) "
        "and for a long-lived dormant network could not be applied."
    ),
    gettext_noop(
        "The network's age is not known exactly, so the rule for a long-lived dormant "
        "network could not be applied."
    ),
    gettext_noop(
        "There is no earlier response rate to compare with, so falling engagement "
        "could not be judged."
    ),
]
RESPONSE_RATE = re.compile(r"Only (\d+)% of members answered")
TOO_FEW = re.compile(r"Only (\d+) members answered; at least (\d+) are needed")


def stage_word(stage: str) -> str:
    return stages.stage_word(stage)


def certainty_word(certainty: str) -> str:
    words = {
        "clear": pgettext("certainty", "clear"),
        "borderline": pgettext("certainty", "borderline"),
    }
    return words.get(certainty, certainty)


def stage_sentence(stage: dict, language: str) -> str:
    """The release's one-sentence summary of the stage, in the language."""
    written = stage.get("summary", "")
    if language == "en":
        return written
    certainty, name = stage.get("certainty"), stage.get("stage", "")
    if certainty == "clear":
        if stage.get("not_applied"):
            text = _(
                "The network is %(stage)s on the evidence there is; some rules could not be "
                "applied (below)."
            )
        else:
            text = _("The network is %(stage)s, and the answers leave little doubt.")
        return text % {"stage": stage_word(name)}
    if certainty == "borderline":
        others = [stage_word(s) for s in stage.get("alternatives", []) if s != name]
        text = _("The network looks %(stage)s, but it could be %(others)s: too close to call.") % {
            "stage": stage_word(name),
            "others": words.alternatives(others),
        }
        rate = RESPONSE_RATE.search(written)
        if rate:
            text += " " + _("Only %(rate)s%% of members answered, which widens the margins.") % {
                "rate": rate.group(1)
            }
        return text
    too_few = TOO_FEW.search(written)
    if too_few:
        return _("Only %(n)s members answered; at least %(threshold)s are needed.") % {
            "n": too_few.group(1),
            "threshold": too_few.group(2),
        }
    if written.startswith("Too few answers"):
        return _(
            'Too few answers cover purpose, function and form (most were "don\'t know" or '
            "skipped), so no stage can be given."
        )
    return written


def not_applied(notes: list[str]) -> list[str]:
    return [_(note) if note in NOT_APPLIED else note for note in notes]


WORDED = ("stage", "risk_flags")
# The short notes a release keeps as written (scoring.words.phrase; the results pages'
# `data_word` filter says them in the reader's language).
PHRASES = (
    *psychometrics.READINGS.values(),
    psychometrics.FEWER_COMPLETE,
    psychometrics.NO_OMEGA_ITEMS,
    psychometrics.NO_OMEGA_FIT,
    reliability.ONE_ITEM,
    reliability.FEWER_COMPLETE,
    reliability.SAME_TOTAL,
    publication.WITHHELD,
    relationship_cells.CHANGED_ENTRY["reason"],
)


def in_language(data: dict, labels: dict) -> dict:
    """A copy of the release data with its sentences said in the active language:
    everything kept as words (the stage, its reasons and next steps, the risk flags),
    and the relationship sentences, worded again from the released figures as the
    release itself words them."""
    out = dict(data)
    for key in WORDED:
        if data.get(key):
            out[key] = words.reworded(data[key], labels)
    stage = data.get("stage")
    if stage and words.SAYS not in stage:  # written before sentences were kept
        out["stage"] = {
            **out["stage"],
            "summary": stage_sentence(stage, current()),
            "not_applied": not_applied(stage.get("not_applied") or []),
        }
    relationships = data.get("relationships")
    if relationships and relationships.get("sentences"):
        said = relationship_words.sentences(relationships)
        out["relationships"] = {**relationships, "sentences": said}
    return out
