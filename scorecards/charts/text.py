"""Words and numbers for charts: escaping for Plotly, formats for tables and summaries.

Plotly draws tick labels, legend names, bar text, annotations and hover labels as a
small subset of HTML (``<b>``, ``<br>``, ``<a href>``...). Group names and titles are
typed by coordinators, so every such string is passed through ``escape`` before it
enters a figure (quality S8). A chart's title, summary and table cells stay plain
text: the template escapes them once, and escaping them here too would show "&lt;".

Every word of ours goes through ``scoring.words`` (in the worker's language when it
draws); numbers keep one format in every language (Welsh writes them the same way).
"""

from __future__ import annotations

import html
import math
import re
import textwrap

from scorecards.scoring.words import gettext as _
from scorecards.scoring.words import gettext_noop, listing, ngettext

MISSING = gettext_noop("not available")

# After escaping no tag can form, so a "javascript:" is inert; the colon is still
# encoded so that no link-like scheme survives into the figure JSON at all.
_SCRIPT_SCHEME = re.compile(r"(?i)((?:java|vb)script\s*):")

BAND_NAMES = {
    "strength": gettext_noop("strength"),
    "discuss": gettext_noop("worth discussing"),
    "concern": gettext_noop("concern"),
}


def escape(value: object) -> str:
    """``value`` as text Plotly shows literally.

    Quotes become numeric entities because Plotly decodes those but not ``&quot;``.
    """
    text = html.escape(str(value), quote=False)
    text = text.replace('"', "&#34;").replace("'", "&#39;")
    return _SCRIPT_SCHEME.sub(r"\1&#58;", text)


def wrapped(value: object, width: int = 24) -> str:
    """``value`` escaped and broken with ``<br>`` into lines of about ``width``
    characters, so long titles do not squeeze the plot on narrow screens."""
    lines = textwrap.wrap(str(value), width) or [""]
    return "<br>".join(escape(line) for line in lines)


def number(value: object) -> float | None:
    """A finite float or None, so no NaN or infinity reaches JSON or a summary."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def not_available(missing: str | None = None) -> str:
    """What a table shows for a figure it has not got: ``missing``, else "not
    available" in the reader's language."""
    return _(MISSING) if missing is None else missing


def fixed(value: object, places: int = 1, missing: str | None = None) -> str:
    """``3.8``: a figure as tables show it, or ``missing``. One decimal on the 1 to 5
    scale; ``places=0`` for the 0 to 100 scale, whose whole numbers are precise enough."""
    value = number(value)
    return not_available(missing) if value is None else f"{value:.{places}f}"


def signed(value: object, places: int = 0, missing: str | None = None) -> str:
    """``+6`` or ``-1``: a difference in points on 0 to 100, its direction always
    written."""
    value = number(value)
    if value is None:
        return not_available(missing)
    text = f"{value:+.{places}f}"
    return f"{0:.{places}f}" if float(text) == 0 else text


def level(value: object) -> str:
    """A matrix level as people say it: ``4``, ``2.5``, ``2.75``."""
    value = number(value)
    return _(MISSING) if value is None else f"{round(value, 2):g}"


def band_name(band: object) -> str:
    """The framework's words for a band ("worth discussing" rather than "discuss")."""
    return _(BAND_NAMES.get(str(band), MISSING)) if band else _(MISSING)


def band_phrase(band: object) -> str:
    """``is a strength``: a band as said of one score."""
    phrases = {
        "strength": _("is a strength"),
        "discuss": _("is worth discussing"),
        "concern": _("is a concern"),
    }
    return phrases.get(str(band), _("has no band"))


def _band_count(band: str, n: int) -> str:
    """``1 is a strength``, ``2 are worth discussing``."""
    if band == "strength":
        return ngettext("%(n)s is a strength", "%(n)s are strengths", n) % {"n": n}
    if band == "discuss":
        return ngettext("%(n)s is worth discussing", "%(n)s are worth discussing", n) % {"n": n}
    return ngettext("%(n)s is a concern", "%(n)s are concerns", n) % {"n": n}


def band_tally(bands: list[str]) -> str:
    """``all 3 are worth discussing`` or ``1 is a strength and 2 are worth discussing``."""
    known = ("strength", "discuss", "concern")
    counts = {band: bands.count(band) for band in known if band in bands}
    if len(counts) == 1 and len(bands) > 1:
        only, n = next(iter(counts)), len(bands)
        if only == "strength":
            return ngettext("all %(n)s are strengths", "all %(n)s are strengths", n) % {"n": n}
        if only == "discuss":
            words = ngettext("all %(n)s are worth discussing", "all %(n)s are worth discussing", n)
            return words % {"n": n}
        return ngettext("all %(n)s are concerns", "all %(n)s are concerns", n) % {"n": n}
    return listing([_band_count(band, n) for band, n in counts.items()])
