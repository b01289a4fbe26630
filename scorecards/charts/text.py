"""Words and numbers for charts: escaping for Plotly, formats for tables and summaries.

Plotly draws tick labels, legend names, bar text, annotations and hover labels as a
small subset of HTML (``<b>``, ``<br>``, ``<a href>``...). Group names and titles are
typed by coordinators, so every such string is passed through ``escape`` before it
enters a figure (quality S8). A chart's title, summary and table cells stay plain
text: the template escapes them once, and escaping them here too would show "&lt;".
"""

from __future__ import annotations

import html
import math
import re
import textwrap

MISSING = "not available"

# After escaping no tag can form, so a "javascript:" is inert; the colon is still
# encoded so that no link-like scheme survives into the figure JSON at all.
_SCRIPT_SCHEME = re.compile(r"(?i)((?:java|vb)script\s*):")

BAND_NAMES = {"strength": "strength", "discuss": "worth discussing", "concern": "concern"}


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


def fixed(value: object, places: int = 1, missing: str = MISSING) -> str:
    """``3.8``: a figure as tables show it, or ``missing``. One decimal on the 1 to 5
    scale; ``places=0`` for the 0 to 100 scale, whose whole numbers are precise enough."""
    value = number(value)
    return missing if value is None else f"{value:.{places}f}"


def signed(value: object, places: int = 0, missing: str = MISSING) -> str:
    """``+6`` or ``-1``: a difference in points on 0 to 100, its direction always
    written."""
    value = number(value)
    if value is None:
        return missing
    text = f"{value:+.{places}f}"
    return f"{0:.{places}f}" if float(text) == 0 else text


def level(value: object) -> str:
    """A matrix level as people say it: ``4``, ``2.5``, ``2.75``."""
    value = number(value)
    return MISSING if value is None else f"{round(value, 2):g}"


def plural(count: int, one: str, many: str) -> str:
    """``1 group`` or ``4 groups``."""
    return f"{count} {one if count == 1 else many}"


def band_name(band: object) -> str:
    """The framework's words for a band ("worth discussing" rather than "discuss")."""
    return BAND_NAMES.get(str(band), MISSING) if band else MISSING


def listing(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


_BAND_PHRASES = {
    "strength": ("is a strength", "are strengths"),
    "discuss": ("is worth discussing", "are worth discussing"),
    "concern": ("is a concern", "are concerns"),
}


def band_phrase(band: object) -> str:
    """``is a strength``: a band as said of one score."""
    return _BAND_PHRASES[str(band)][0] if str(band) in _BAND_PHRASES else "has no band"


def band_tally(bands: list[str]) -> str:
    """``all 3 are worth discussing`` or ``1 is a strength and 2 are worth discussing``."""
    counts = {band: bands.count(band) for band in _BAND_PHRASES if band in bands}
    if len(counts) == 1 and len(bands) > 1:
        return f"all {len(bands)} {_BAND_PHRASES[next(iter(counts))][1]}"
    return listing([f"{n} {_BAND_PHRASES[band][0 if n == 1 else 1]}" for band, n in counts.items()])
