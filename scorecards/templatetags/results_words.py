"""Words a release holds in English, shown in the reader's language on the results
pages: stage and certainty names, group breakdowns, risk severities and the instrument
report's readings and notes. The release keeps the English (the worker wrote it; the
audit and the exports read it); a word with no translation here shows as written."""

import re

from django import template
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from .. import summary_words
from ..scoring.psychometrics import READINGS
from ..scoring.publication import WITHHELD

register = template.Library()

# The English the worker writes, as stored in a release, and its wording on a page.
DATA_WORDS = {
    WITHHELD: gettext_lazy("too few to show"),
    "stakeholder group": gettext_lazy("stakeholder group"),
    "time in the network": gettext_lazy("time in the network"),
    "part in the network": gettext_lazy("part in the network"),
    "high": pgettext_lazy("risk", "high"),
    "medium": pgettext_lazy("risk", "medium"),
    READINGS["agree"]: gettext_lazy("members agree enough to read the median"),
    READINGS["disagree"]: gettext_lazy(
        "members disagree: talk about the spread before using the median"
    ),
    READINGS["unknown"]: gettext_lazy("too few ratings to judge agreement"),
    "the member list changed since an earlier release of this round": gettext_lazy(
        "the member list changed since an earlier release of this round"
    ),
    "only one item, so there is nothing to compare": gettext_lazy(
        "only one item, so there is nothing to compare"
    ),
    "everyone gave the same total, so consistency cannot be measured": gettext_lazy(
        "everyone gave the same total, so consistency cannot be measured"
    ),
    "omega needs at least three items": gettext_lazy("omega needs at least three items"),
    "omega could not be fitted: an item on which everyone gave the same answer": gettext_lazy(
        "omega could not be fitted: an item on which everyone gave the same answer"
    ),
}
# "fewer than 10 people answered every item", with or without a count after it.
FEWER = re.compile(r"^fewer than (\d+) people answered every item(?: \((\d+)\))?$")


@register.filter
def stage_word(stage: str) -> str:
    """pre-emergent, emerging, established, dormant, not enough evidence."""
    return summary_words.stage_word(stage)


@register.filter
def certainty_word(certainty: str) -> str:
    return summary_words.certainty_word(certainty)


@register.filter
def data_word(value):
    """A word or note the worker stored in English, in the reader's language."""
    if not isinstance(value, str):
        return value
    if value in DATA_WORDS:
        return str(DATA_WORDS[value])
    fewer = FEWER.match(value)
    if fewer:
        words = gettext("fewer than %(n)s people answered every item") % {"n": fewer.group(1)}
        return f"{words} ({fewer.group(2)})" if fewer.group(2) else words
    return value
