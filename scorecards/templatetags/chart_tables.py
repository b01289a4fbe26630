"""A stored chart's figure and data table as HTML.

Built with plain string joins rather than template loops and Django's ``format_html``
or ``json_script``: a dashboard has several hundred table cells and some 40 KB of
figure JSON, and those were most of the time a dashboard took to render. The output
is the same: every cell, heading and id is HTML-escaped (``html.escape``, which
Django's ``escape`` wraps), and the figure JSON has ``<``, ``>`` and ``&`` escaped as
``json_script`` does, so no text in it can end the script element."""

import json
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# What json_script escapes; str.replace is many times faster than its str.translate.
JSON_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


@register.simple_tag
def chart_table(chart: dict) -> SafeString:
    """The table of a stored chart (``scorecards.charts.StoredChart``): a header row,
    then one row per entry with its first cell as the row's heading."""
    table = chart["table"]
    columns = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in table["columns"])
    rows = "".join(f"<tr>{_cells(row)}</tr>" for row in table["rows"])
    return mark_safe(  # every piece above is escaped
        f'<table class="table table-sm"><caption class="visually-hidden">'
        f"{escape(str(chart['title']))}</caption><thead><tr>{columns}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _cells(row: list[str]) -> str:
    first, *rest = row
    return f'<th scope="row">{escape(str(first))}</th>' + "".join(
        f"<td>{escape(str(cell))}</td>" for cell in rest
    )


@register.simple_tag
def figure_script(chart: dict) -> SafeString:
    """The figure as a JSON script element for static/js/charts.js to draw, with the
    id ``figure-<key>`` that its plot and download buttons name."""
    text = json.dumps(chart["figure"], allow_nan=False)
    for character, escaped in JSON_SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    element_id = escape(f"figure-{chart['key']}")
    return mark_safe(  # the id is escaped; the JSON cannot close the element
        f'<script id="{element_id}" type="application/json">{text}</script>'
    )
