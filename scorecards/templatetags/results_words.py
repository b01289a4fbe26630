"""Words a release holds in English, shown in the reader's language on the results
pages: stage and certainty names, group breakdowns, risk severities and the instrument
report's readings and notes. The release keeps the English (the worker wrote it; the
audit and the exports read it); a word with no translation here shows as written."""

from django import template
from django.utils.translation import gettext_lazy, pgettext_lazy

from .. import summary_words
from ..scoring import words
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
}


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
    if value in words.GROUP_NAMES:
        return words.group_name(value)
    return words.phrase(value, summary_words.PHRASES)
