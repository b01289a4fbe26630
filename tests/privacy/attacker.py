"""A hostile reader's tools: turn every page and export into numbers with their labels,
then try to work out what one member answered.

Written from the promise and the pages, not from the code that makes them: nothing
here imports the product's scoring or anonymity code, and nothing reads the database.
Formats are parsed generically (any HTML table, any ``json_script`` block, any CSV
column, any spreadsheet sheet, numbers in running text that say whom they are about),
so a new page needs no new parser: it only has to be reachable from the pages the
reader starts from (``Reader.read`` in scenario.py).

Everything read becomes observations (moment, reader, source, labels, n, value); the
attacks run over those: cells under the threshold, one linear system per statistic
over everything ever read (differencing over time, combining breakdowns, subtracting
answers the attacker typed), lowest/highest differencing, and comment attribution.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

import numpy as np

# ---- HTML, read the way a scraper reads it ------------------------------------------


@dataclass
class Table:
    """Any table: from HTML, a CSV file or a spreadsheet sheet. ``context`` is what
    stood above it (caption, nearest heading, sheet name)."""

    context: tuple[str, ...]
    rows: list[list[str]]
    header_rows: frozenset[int] = frozenset({0})


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]]  # name -> values (checked radios/checkboxes, inputs)
    buttons: list[str] = field(default_factory=list)


@dataclass
class Page:
    """A parsed HTML page."""

    text: str
    tables: list[Table]
    json_blocks: dict[str, object]
    quotes: list[str]
    links: list[tuple[str, str]]
    forms: list[Form]
    headings: list[str]
    inputs: list[dict]  # every input/textarea/select with its state


_BLOCK = {
    "p",
    "div",
    "li",
    "tr",
    "td",
    "th",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "blockquote",
    "table",
    "caption",
    "figcaption",
    "summary",
    "ul",
    "ol",
    "dd",
    "dt",
}
_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "col", "area", "wbr"}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tables: list[Table] = []
        self.json_blocks: dict[str, object] = {}
        self.quotes: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.forms: list[Form] = []
        self.headings: list[str] = []
        self.inputs: list[dict] = []
        self._skip = 0  # inside <script> (not JSON) or <style>
        self._json: tuple[str, list[str]] | None = None
        self._table_stack: list[dict] = []
        self._cell: list[str] | None = None
        self._cell_span = 1
        self._quote: list[str] | None = None
        self._heading: list[str] | None = None
        self._last_heading = ""
        self._anchor: tuple[str, list[str]] | None = None
        self._form: Form | None = None
        self._textarea: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._button: list[str] | None = None

    # -- tags
    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "script":
            if a.get("type") == "application/json":
                self._json = (a.get("id", f"json-{len(self.json_blocks)}"), [])
            else:
                self._skip += 1
            return
        if tag == "style":
            self._skip += 1
            return
        if tag in _BLOCK:
            self.text.append("\n")
        if tag == "table":
            self._table_stack.append(
                {
                    "rows": [],
                    "row": None,
                    "caption": [],
                    "in_caption": False,
                    "heading": self._last_heading,
                    "thead": False,
                    "all_th": True,
                    "heads": set(),
                }
            )
        elif tag == "caption" and self._table_stack:
            self._table_stack[-1]["in_caption"] = True
        elif tag == "thead" and self._table_stack:
            self._table_stack[-1]["thead"] = True
        elif tag == "tr" and self._table_stack:
            self._table_stack[-1]["row"] = []
            self._table_stack[-1]["all_th"] = True
        elif tag in ("td", "th") and self._table_stack:
            self._cell = []
            if tag == "td":
                self._table_stack[-1]["all_th"] = False
            try:
                self._cell_span = max(1, min(20, int(a.get("colspan", "1") or 1)))
            except ValueError:
                self._cell_span = 1
        elif tag == "blockquote":
            self._quote = []
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag == "a":
            self._anchor = (a.get("href", ""), [])
        elif tag == "form":
            self._form = Form(a.get("action", ""), {})
            self.forms.append(self._form)
        elif tag == "input":
            entry = {"tag": "input", **a, "checked": "checked" in a}
            self.inputs.append(entry)
            if self._form is not None and a.get("name"):
                kind = a.get("type", "text")
                if kind not in ("radio", "checkbox") or "checked" in a:
                    self._form.fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", **a, "value": []}
        elif tag == "select":
            self._select = {"tag": "select", **a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
        elif tag == "button":
            self._button = []

    def handle_endtag(self, tag):
        if tag == "script":
            if self._json is not None:
                key, chunks = self._json
                try:
                    self.json_blocks[key] = json.loads("".join(chunks))
                except ValueError:
                    self.json_blocks[key] = "".join(chunks)
                self._json = None
            elif self._skip:
                self._skip -= 1
            return
        if tag == "style":
            self._skip = max(0, self._skip - 1)
            return
        if tag in _BLOCK:
            self.text.append("\n")
        if tag == "caption" and self._table_stack:
            self._table_stack[-1]["in_caption"] = False
        elif tag in ("td", "th") and self._cell is not None and self._table_stack:
            row = self._table_stack[-1]["row"]
            if row is None:
                row = self._table_stack[-1]["row"] = []
            row.extend([_squash("".join(self._cell))] * self._cell_span)
            self._cell = None
        elif tag == "thead" and self._table_stack:
            self._table_stack[-1]["thead"] = False
        elif tag == "tr" and self._table_stack:
            t = self._table_stack[-1]
            if t["row"]:
                if t["thead"] or (t["all_th"] and len(t["row"]) > 1):
                    t["heads"].add(len(t["rows"]))
                t["rows"].append(t["row"])
            t["row"] = None
        elif tag == "table" and self._table_stack:
            t = self._table_stack.pop()
            context = tuple(x for x in (_squash("".join(t["caption"])), t["heading"]) if x)
            self.tables.append(Table(context, t["rows"], frozenset(t["heads"])))
        elif tag == "blockquote" and self._quote is not None:
            self.quotes.append(_squash("".join(self._quote)))
            self._quote = None
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self._last_heading = _squash("".join(self._heading))
            self.headings.append(self._last_heading)
            self._heading = None
        elif tag == "a" and self._anchor is not None:
            self.links.append((self._anchor[0], _squash("".join(self._anchor[1]))))
            self._anchor = None
        elif tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            value = "".join(self._textarea["value"])
            self._textarea["value"] = value
            self.inputs.append(self._textarea)
            if self._form is not None and self._textarea.get("name"):
                self._form.fields.setdefault(self._textarea["name"], []).append(value)
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            self._option["text"] = _squash("".join(self._option["text"]))
            self._select["options"].append(self._option)
            self._option = None
        elif tag == "select" and self._select is not None:
            self.inputs.append(self._select)
            self._select = None
        elif tag == "button" and self._button is not None:
            if self._form is not None:
                self._form.buttons.append(_squash("".join(self._button)))
            self._button = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._json is not None:
            self._json[1].append(data)
            return
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._table_stack and self._table_stack[-1]["in_caption"]:
            self._table_stack[-1]["caption"].append(data)
        for sink in (self._quote, self._heading, self._anchor and self._anchor[1], self._button):
            if sink is not None and sink is not False:
                sink.append(data)
        if self._textarea is not None:
            self._textarea["value"].append(data)
        if self._option is not None:
            self._option["text"].append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_html(body: str | bytes) -> Page:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    parser = _Parser()
    parser.feed(body)
    parser.close()
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parser.text))
    text = re.sub(r"\s*\n\s*", "\n", text).strip()
    return Page(
        text=text,
        tables=parser.tables,
        json_blocks=parser.json_blocks,
        quotes=parser.quotes,
        links=parser.links,
        forms=parser.forms,
        headings=parser.headings,
        inputs=parser.inputs,
    )


# ---- CSV and spreadsheets -------------------------------------------------------------


def parse_csv(body: bytes | str) -> list[Table]:
    if isinstance(body, bytes):
        body = body.decode("utf-8-sig", "replace")
    try:
        dialect = csv.Sniffer().sniff(body[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(body), dialect) if any(c.strip() for c in row)]
    return [Table(("csv",), [[c.strip() for c in row] for row in rows])]


def parse_xlsx(body: bytes) -> list[Table]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    tables = []
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if any(c.strip() for c in cells):
                rows.append(cells)
        tables.append(Table((f"sheet {sheet.title}",), rows))
    book.close()
    return tables


def _cell_text(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


# ---- numbers with their labels --------------------------------------------------------


@dataclass(frozen=True)
class Obs:
    """One published number: where and when it was read, what labels it carries, and
    how many people it is about (``n``) when the page says so."""

    moment: int
    reader: str
    source: str
    labels: tuple[str, ...]  # row labels and table context
    column: str  # column header, or the words before the number in its cell
    value: float
    text: str
    n: float | None
    error: float  # how far the true figure may be from ``value`` (its rounding)
    percent: bool = False


NUMBER = re.compile(r"(?<![\w.])([-−+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*(%?)")
N_HEADER = re.compile(
    r"^(n|n\b.*|number( of)? (people|respondents|members|answers)|respondents|answered|"
    r"people|members answering|answering|count of respondents|respondents \(n\))$",
    re.IGNORECASE,
)


def parse_number(text: str) -> tuple[float, float, bool] | None:
    """The one number in a cell, its rounding error, and whether it is a percentage.
    None when the cell holds no number or more than one."""
    found = NUMBER.findall(text)
    if len(found) != 1:
        return None
    return _number(*found[0])


def _number(raw: str, percent: str) -> tuple[float, float, bool]:
    raw = raw.replace("−", "-").replace(",", "")
    value = float(raw)
    if "e" in raw.lower():
        error = abs(value) * 1e-12
    else:
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        error = 0.5 * 10 ** (-decimals)
        if decimals >= 6:  # a machine number, not a rounded one
            error = 1e-9
    return value, error, bool(percent)


def numbers_in(text: str) -> list[tuple[str, float, float, bool]]:
    """Every number in a text with the words just before it, e.g. 'lowest 1, highest
    3' gives [('lowest', 1, ...), ('highest', 3, ...)]."""
    out = []
    last = 0
    for match in NUMBER.finditer(text):
        words = re.findall(r"[A-Za-z][A-Za-z'’]*", text[last : match.start()])
        value, error, percent = _number(match.group(1), match.group(2))
        out.append((" ".join(words[-3:]).lower(), value, error, percent))
        last = match.end()
    return out


def _is_header(row: Sequence[str]) -> bool:
    filled = [c for c in row if c.strip()]
    return bool(filled) and all(parse_number(c) is None for c in filled)


def table_observations(table: Table, *, moment: int, reader: str, source: str) -> list[Obs]:
    """Every number in a table, labelled by its row's words and its column's header; the
    row's n (a column headed n, answered, respondents, people...) goes with each number,
    else an n the table's caption states ('6 members rated this dimension')."""
    out: list[Obs] = []
    header: list[str] = []
    context_n = next((n for n in (_n_in(c) for c in table.context) if n is not None), None)
    for index, row in enumerate(table.rows):
        if index in table.header_rows or (not header and _is_header(row)):
            header = row
            continue
        n_value = None
        for i, cell in enumerate(row):
            head = header[i] if i < len(header) else ""
            if N_HEADER.match(head.strip()):
                parsed = parse_number(cell)
                if parsed:
                    n_value = parsed[0]
        if n_value is None:
            n_value = context_n
        words = tuple(c for c in row if c and parse_number(c) is None and len(c) < 200)
        first = (row[0],) if row and row[0] and row[0] not in words else ()
        for i, cell in enumerate(row):
            if not cell:
                continue
            head = header[i] if i < len(header) else f"column {i + 1}"
            found = numbers_in(cell)
            if not found:
                continue
            single = parse_number(cell)
            for before, value, error, percent in found:
                column = head if single else f"{head} / {before}".strip(" /")
                out.append(
                    Obs(
                        moment,
                        reader,
                        source,
                        (*table.context, *first, *words),
                        column,
                        value,
                        cell,
                        n_value,
                        error,
                        percent,
                    )
                )
    return out


def figure_observations(key: str, figure, *, moment: int, reader: str, source: str) -> list[Obs]:
    """Numbers in a chart's JSON. Per point of each trace: its value, named by the words
    its hover template puts before it ('Mean %{x:.2f}'), labelled by the rendered hover
    text (which names the subject and often says 'from 6 people'); heat maps cell by
    cell. The figure's values are machine numbers: more exact than any table."""
    out: list[Obs] = []
    traces = figure.get("data") if isinstance(figure, Mapping) else None
    if not isinstance(traces, list):
        return out
    for trace in traces:
        if not isinstance(trace, Mapping) or trace.get("hoverinfo") == "skip":
            continue
        name = _plain(str(trace.get("name") or ""))
        if "z" in trace:
            points = [
                ((r, c), value, {"x": _at(trace.get("x") or [], c), "y": _at(trace.get("y"), r)})
                for r, row in enumerate(trace.get("z") or [])
                for c, value in enumerate(row or [])
            ]
            axis = "z"
        else:
            axis = "x" if trace.get("orientation") == "h" else "y"
            values = trace.get(axis)
            if not isinstance(values, list):
                continue
            other = "y" if axis == "x" else "x"
            points = [
                (i, value, {other: _at(trace.get(other) or [], i)})
                for i, value in enumerate(values)
            ]
        for index, value, coords in points:
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            template = (
                _at2(trace.get("hovertemplate"), index)
                if isinstance(trace.get("hovertemplate"), list)
                else trace.get("hovertemplate") or ""
            )
            hover = _render(str(template), trace, index, {axis: value, **coords})
            if not template:
                hover = _plain(_at2(trace.get("text") or [], index) or "")
            before = re.search(r"([A-Za-z][A-Za-z ()'’\-]{0,40}?)\s*%\{" + axis + r"\b", template)
            column = _plain(before.group(1)) if before else axis
            if axis == "z":
                column = f"z {hover}"
            labels = (key, name, hover)
            out.append(
                Obs(
                    moment,
                    reader,
                    source,
                    labels,
                    column,
                    float(value),
                    repr(value),
                    _n_in(hover),
                    _json_error(value),
                )
            )
    return out


def _render(template: str, trace: Mapping, index, values: Mapping) -> str:
    """A Plotly hover template with this point's values put in."""

    def one(match: re.Match) -> str:
        name, fmt = match.group(1), match.group(2) or ""
        if name in values:
            value = values[name]
        else:
            path = re.match(r"(\w+)(?:\[(\d+)\])?", name)
            if not path:
                return ""
            value = _at2(trace.get(path.group(1)) or [], index)
            if path.group(2) is not None:
                value = _at(value, int(path.group(2))) if isinstance(value, list) else ""
        if isinstance(value, float) and fmt:
            digits = re.search(r"\.(\d+)f", fmt)
            if digits:
                return f"{value:.{int(digits.group(1))}f}"
        return str(value)

    text = re.sub(r"<extra>.*?</extra>", "", template)
    return _plain(re.sub(r"%\{([\w\[\]]+)(:[^}]*)?\}", one, text))


def _json_error(value) -> float:
    if isinstance(value, int):
        return 0.0
    text = repr(value)
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 12
    return 0.5 * 10 ** (-decimals) if decimals < 6 else 1e-9


def _at(seq, i):
    if isinstance(seq, list) and isinstance(i, int) and 0 <= i < len(seq):
        return seq[i]
    return ""


def _at2(seq, index):
    if isinstance(index, tuple):
        row = _at(seq, index[0])
        return _at(row, index[1]) if isinstance(row, list) else ""
    return _at(seq, index)


N_IN_TEXT = re.compile(
    r"(?:\bn\s*=\s*(\d+))|(?:(\d+)\s+(?:people|members|respondents|answers)\b)",
    re.IGNORECASE,
)


def _n_in(text: str) -> float | None:
    match = N_IN_TEXT.search(text or "")
    if not match:
        return None
    return float(match.group(1) or match.group(2))


def _plain(text) -> str:
    text = re.sub(r"<br\s*/?>", " ", str(text))
    text = re.sub(r"<[^>]+>", "", text)
    return _squash(
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", '"')
    )


def text_observations(text: str, *, moment: int, reader: str, source: str) -> list[Obs]:
    """Numbers in running text ('mean 3.4 of 5 from 6 members'): one per number, with
    the sentence as its label and any 'from N members' as its n."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        sentence = sentence.strip()
        if not sentence or len(sentence) > 400:
            continue
        n = _n_in(sentence)
        for before, value, error, percent in numbers_in(sentence):
            out.append(
                Obs(moment, reader, source, (sentence,), before, value, sentence, n, error, percent)
            )
    return out


# ---- everything a reader can fetch ------------------------------------------------------


@dataclass
class Fetched:
    """One page or file as a reader got it."""

    reader: str
    source: str
    status: int
    content_type: str
    body: bytes

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type

    @property
    def page(self) -> Page:
        if not hasattr(self, "_page"):
            self._page = parse_html(self.body)
        return self._page


def observations(fetched: Iterable[Fetched], moment: int) -> list[Obs]:
    out: list[Obs] = []
    for f in fetched:
        if f.status != 200:
            continue
        if f.source.endswith(".csv") or "text/csv" in f.content_type:
            for table in parse_csv(f.body):
                out += table_observations(table, moment=moment, reader=f.reader, source=f.source)
        elif "spreadsheet" in f.content_type or f.source.endswith(".xlsx"):
            for table in parse_xlsx(f.body):
                out += table_observations(table, moment=moment, reader=f.reader, source=f.source)
        elif f.is_html:
            page = f.page
            for table in page.tables:
                out += table_observations(table, moment=moment, reader=f.reader, source=f.source)
            for key, block in page.json_blocks.items():
                out += figure_observations(
                    key, block, moment=moment, reader=f.reader, source=f"{f.source}#{key}"
                )
            out += text_observations(
                _text_outside_tables(page),
                moment=moment,
                reader=f.reader,
                source=f"{f.source}#text",
            )
    return out


def _text_outside_tables(page: Page) -> str:
    cells = {c for t in page.tables for row in t.rows for c in row if c}
    return "\n".join(line for line in page.text.split("\n") if line.strip() not in cells)


# ---- what the numbers are about -----------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    kind: str  # item, subdimension, domain, dimension
    code: str

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"


SPECIFIC = {"item": 0, "dimension": 1, "subdimension": 1, "domain": 2}
MATRIX_WORDS = re.compile(r"matrix|level|survey rating|views on|rated", re.IGNORECASE)


class Vocabulary:
    """The instrument's words, public to anyone who can see the survey or its preview:
    item codes and texts, sub-dimension, domain and matrix dimension codes and titles,
    level names, the round's own questions."""

    def __init__(self, scorecard: dict | None, matrix: dict | None, custom: Sequence[dict] = ()):
        self.names: dict[str, set[Subject]] = defaultdict(set)
        self.items: dict[str, dict] = {}  # item code -> {reverse, subdimension, domain}
        self.importance: dict[str, str] = {}  # function (sub-dimension) -> importance item
        self.levels: list[str] = []
        for domain in (scorecard or {}).get("domains", []):
            d = Subject("domain", domain["code"])
            self._name(d, domain["code"], domain["title"])
            for sub in domain["subdimensions"]:
                s = Subject("subdimension", sub["code"])
                self._name(s, sub["code"], sub["title"])
                for item in sub["items"]:
                    self.items[item["code"]] = {
                        "reverse": bool(item.get("reverse")),
                        "subdimension": sub["code"],
                        "domain": domain["code"],
                    }
                    self._name(Subject("item", item["code"]), item["code"], item["text"])
        for item in ((scorecard or {}).get("function_importance") or {}).get("items", []):
            self.importance[item["function"]] = item["code"]
            self._name(Subject("item", item["code"]), item["code"], item["text"])
        for dim in (matrix or {}).get("dimensions", []):
            self._name(Subject("dimension", dim["code"]), dim["code"], dim["title"])
        self.levels = [str(level).lower() for level in (matrix or {}).get("levels", [])]
        for q in custom:
            self._name(Subject("item", q["code"]), q["code"], q["text"])
            if q.get("kind", "agreement") == "agreement":
                self.items[q["code"]] = {"reverse": False, "subdimension": None, "domain": None}
        self._long = sorted((n for n in self.names if len(n) >= 6), key=len, reverse=True)
        self._subjects: dict[tuple, Subject | None] = {}

    def _name(self, subject: Subject, *names: str) -> None:
        for name in names:
            self.names[name.strip().lower()].add(subject)

    def items_of(self, subject: Subject) -> list[str]:
        if subject.kind == "item":
            return [subject.code]
        key = "subdimension" if subject.kind == "subdimension" else "domain"
        return [code for code, item in self.items.items() if item[key] == subject.code]

    def subject(self, obs: Obs) -> Subject | None:
        key = (obs.labels, obs.column)
        if key not in self._subjects:
            self._subjects[key] = self._subject(obs)
        return self._subjects[key]

    def _subject(self, obs: Obs) -> Subject | None:
        labels = [label for label in obs.labels if label]
        found: set[Subject] = set()
        for label in labels:
            low = label.strip().lower()
            found |= self.names.get(low, set())
            for part in re.split(r"\s*:\s*", low):
                found |= self.names.get(part, set())
        if not found:
            for label in labels:
                low = label.lower()
                hits = [n for n in self._long if n in low]
                if hits:
                    longest = [n for n in hits if len(n) == len(hits[0])]
                    if len(longest) == 1:
                        found |= self.names[longest[0]]
                        break
        if not found:
            return None
        best = min(SPECIFIC[s.kind] for s in found)
        found = {s for s in found if SPECIFIC[s.kind] == best}
        if len(found) > 1:  # a sub-dimension and a matrix dimension share a title
            matrixy = any(MATRIX_WORDS.search(x) for x in (*labels, obs.column))
            found = {s for s in found if (s.kind == "dimension") == matrixy} or found
        return next(iter(found)) if len(found) == 1 else None

    def statistic(self, obs: Obs) -> str | None:
        """What kind of figure a number is, from its column header or the words before
        it: n, mean, score, sd, median, share agreeing, share don't know, importance,
        lowest, highest, or a count of people at matrix level k."""
        column = obs.column.strip().lower()
        if "live" in column or "rest" in column or "change" in column or "gap" in column:
            return None
        level = self._level(column)
        if level is None and re.search(r"\bsurvey\b|^z\b|count", column):
            for label in obs.labels:
                level = self._level(label.lower())
                if level is not None:
                    break
        if level is not None and (re.search(r"\bsurvey\b|^z\b", column) or column[:1].isdigit()):
            return f"level{level}"
        if N_HEADER.match(column):
            return "n"
        if "share" in column or "%" in column or "proportion" in column:
            if "know" in column:
                return "share_dk"
            if "agree" in column:
                return "share_agree"
            return None
        if "target" in column:
            return None
        for word, stat in (
            ("score", "score"),
            ("0-100", "score"),
            ("out of 100", "score"),
            ("importance", "importance"),
            ("median", "median"),
            ("lowest", "min"),
            ("highest", "max"),
            ("mean", "mean"),
            ("average", "mean"),
            ("performance", "mean"),
            ("(1-5)", "mean"),
        ):
            if word in column:
                return stat
        if re.search(r"\bsd\b|standard deviation", column):
            return "sd"
        return None

    def _level(self, text: str) -> int | None:
        match = re.search(r"\blevel (\d)\b", text) or re.match(r"^\s*(\d)[.\s]+([a-z]+)", text)
        if not match:
            return None
        number = int(match.group(1))
        if match.re.pattern.startswith("^") and self.levels:
            word = match.group(2)
            if number > len(self.levels) or not self.levels[number - 1].startswith(word):
                return None
        return number


# ---- what the attacker knows --------------------------------------------------------------


@dataclass
class Knowledge:
    """What a coordinator knows besides the results: who completed, in which order (read
    off the invitation list after every step), each member's stakeholder group (the
    member list) and whatever else they know of people (how long they have been in the
    network, their part in it), and the answers they typed themselves through links they
    held ("own")."""

    threshold: int
    order: list[str] = field(default_factory=list)
    completed: dict[int, list[str]] = field(default_factory=dict)  # moment -> completers
    attributes: dict[str, set[str]] = field(default_factory=dict)  # member -> group words
    own: dict[str, object] = field(default_factory=dict)  # member -> their persona
    doors: set[str] = field(default_factory=set)
    _label_words: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def saw_completed(self, moment: int, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.order:
                self.order.append(name)
        self.completed[moment] = [n for n in self.order if n in set(names)]

    def groups(self, obs: Obs) -> frozenset[str]:
        """The group words a cell is restricted to (a stakeholder group, a length of
        time in the network, a part in it): labels that name them exactly."""
        words: set[str] = set()
        known = {w for ws in self.attributes.values() for w in ws}
        for label in obs.labels:
            if label not in self._label_words:
                low = label.strip().lower()
                self._label_words[label] = {low, *re.split(r"\s*:\s*", low)}
            words |= self._label_words[label] & known
        return frozenset(words)

    def members_with(self, words: frozenset[str]) -> set[str]:
        return {m for m, ws in self.attributes.items() if words <= ws}


# ---- the attacks -----------------------------------------------------------------------------

LINEAR = {"mean", "score", "importance", "n", "share_agree", "share_dk", "sumsq0", "sumsq1"}
BOUNDS = {
    "mean": (0, 5),
    "importance": (0, 5),
    "score": (0, 100),
    "n": (0, 1),
    "share_agree": (0, 1),
    "share_dk": (0, 1),
    "sumsq0": (0, 25),
    "sumsq1": (0, 25),
}
PARTICIPATION = re.compile(
    r"invit|response rate|complet|responded|not yet|opened|started|sent|queued|revoked|"
    r"status|live|phones",
    re.IGNORECASE,
)


@dataclass
class Cell:
    moment: int
    reader: str
    source: str
    subject: Subject
    stat: str
    groups: frozenset[str]
    value: float
    error: float
    n: float | None
    percent: bool
    obs: Obs


def cells(obs: Iterable[Obs], vocab: Vocabulary, knowledge: Knowledge) -> list[Cell]:
    """Observations the attacker can read as figures about a subject."""
    out = []
    obs = _sharpen(list(obs))
    for o in obs:
        subject = vocab.subject(o)
        if subject is None:
            continue
        stat = vocab.statistic(o)
        if stat is None:
            continue
        if o.source.endswith("#text") and o.n is None:
            continue  # running text: only figures that say whom they are about
        groups = knowledge.groups(o)
        out.append(
            Cell(
                o.moment,
                o.reader,
                o.source,
                subject,
                stat,
                groups,
                o.value,
                o.error,
                o.n,
                o.percent,
                o,
            )
        )
    return out


def _sharpen(obs: list[Obs]) -> list[Obs]:
    """A column printed with three decimals where it can ('0.4' next to '0.302') is
    rounded to three decimals throughout: the attacker reads the precision off the
    column, not off one cell."""
    finest: dict[tuple, float] = {}
    for o in obs:
        key = (o.moment, o.reader, o.source, o.column)
        if o.error >= 1e-6:  # printed figures only; machine numbers keep their own
            finest[key] = min(finest.get(key, o.error), o.error)
    out = []
    for o in obs:
        key = (o.moment, o.reader, o.source, o.column)
        if key in finest and o.error > finest[key] and o.error < 0.5:
            o = Obs(
                o.moment,
                o.reader,
                o.source,
                o.labels,
                o.column,
                o.value,
                o.text,
                o.n,
                finest[key],
                o.percent,
            )
        out.append(o)
    return out


def under_threshold(obs: Iterable[Obs], vocab: Vocabulary, threshold: int) -> list[Obs]:
    """Published figures about answers that say they come from fewer than `threshold`
    people (n counts those who answered, "don't know" excluded), and published counts
    of people answering something that are under the threshold."""
    out = []
    for o in obs:
        if PARTICIPATION.search(o.column) or any(PARTICIPATION.search(x) for x in o.labels[:1]):
            continue
        subject, stat = vocab.subject(o), vocab.statistic(o)
        if subject is None or stat is None:
            continue
        n = o.value if stat == "n" else o.n
        if n is not None and 0 < n < threshold:
            out.append(o)
    return out


@dataclass
class Recovery:
    member: str
    subject: Subject
    stat: str
    estimate: float
    truth: float
    bound: float
    evidence: list[tuple[int, str, str, float | None]]  # (moment, reader, source, n)

    def __str__(self) -> str:
        return (
            f"{self.member}: {self.subject} {self.stat} = {self.estimate:.3f} "
            f"(true {self.truth:.3f}, +/-{self.bound:.3f})"
        )


TOLERANCE = {  # how exactly a figure must be pinned down to count as recovered
    ("item", "mean"): 0.5,
    ("item", "importance"): 0.5,
    ("item", "score"): 12.5,
    ("item", "sumsq0"): 1.5,
    ("item", "sumsq1"): 1.5,
    "score": 2.5,
    "mean": 0.1,
    "importance": 0.5,
    "sumsq0": 0.5,
    "sumsq1": 0.5,
}


def tolerance(subject: Subject, stat: str) -> float:
    if stat in ("n", "share_agree", "share_dk") or stat.startswith("level"):
        return 0.5
    return TOLERANCE.get((subject.kind, stat), TOLERANCE.get(stat, 0.1))


def truths(persona, subject: Subject, stat: str, vocab: Vocabulary) -> dict[str, float]:
    """A member's own contribution to a figure under each reasonable way of scoring it
    ("raw", or "flipped" with reversed items turned round); {} if it is not about them.
    The test knows this; the attacker never uses it except to check a guess."""
    if subject.kind == "dimension":
        now = getattr(persona, "matrix", {}).get(subject.code)
        if now is None:
            return {}
        level = int(now[0])
        if stat.startswith("level"):
            return {"raw": float(level == int(stat[5:]))}
        if stat == "n":
            return {"raw": 1.0}
        if stat in ("mean", "min", "max", "median"):
            return {"raw": float(level)}
        return {}
    answers = getattr(persona, "answers", {})
    if stat == "importance":
        item = vocab.importance.get(subject.code)
        value = answers.get(item) if item else None
        return {"raw": 0.0 if value in (None, "dk") else float(value)}
    codes = vocab.items_of(subject)
    if not codes:
        return {}
    given = [(c, answers.get(c)) for c in codes if answers.get(c) not in (None, "dk")]
    if stat == "share_dk":
        return {"raw": float(answers.get(codes[0]) == "dk")} if len(codes) == 1 else {}
    if stat == "n":
        return {"raw": float(bool(given))}
    if not given:
        zero = stat in ("mean", "score", "share_agree", "sumsq0", "sumsq1")
        return {"raw": 0.0, "flipped": 0.0} if zero else {}
    raw = [float(v) for _, v in given]
    flipped = [
        6 - float(v) if vocab.items.get(c, {}).get("reverse") else float(v) for c, v in given
    ]
    means = {"raw": sum(raw) / len(raw), "flipped": sum(flipped) / len(flipped)}
    if stat in ("mean", "min", "max", "median"):
        return means
    if stat == "score":
        return {k: (m - 1) * 25 for k, m in means.items()}
    if stat in ("sumsq0", "sumsq1"):
        return {k: m * m for k, m in means.items()}
    if stat == "share_agree":
        return {k: float(m >= 4) for k, m in means.items()}
    return {}


def telling(subject: Subject, stat: str, value: float) -> bool:
    """Whether pinning this value tells something of what a member answered. A 0/1
    figure tells when it is the member's own choice: their matrix level, that they
    agreed, that they said "don't know". Pinning that someone did not say "don't know"
    (everyone answered) or was not at some level (nobody was) is what a zero or a full
    count says of everyone and is not counted."""
    if stat.startswith("level") or stat == "share_agree":
        return value == 1
    if stat == "n":
        return value == 0
    if stat == "share_dk":
        return value == 1
    return True


def release_sizes(all_cells: list[Cell]) -> dict[tuple[int, str], int]:
    """How many respondents each reader's results spoke of at each moment: the largest
    count of people on any overall figure."""
    sizes: dict[tuple[int, str], int] = {}
    for c in all_cells:
        if c.stat == "n" and not c.groups and "#text" not in c.source:
            key = (c.moment, c.reader)
            sizes[key] = max(sizes.get(key, 0), int(c.value))
    return sizes


def covered(knowledge: Knowledge, moment: int, reader: str, sizes) -> set[str]:
    """Whom a reader's results at a moment are about: the first n completers, n being
    what the results say (everyone who completed, if they say nothing)."""
    done = knowledge.completed.get(moment, [])
    n = sizes.get((moment, reader))
    return set(done[:n] if n is not None and n <= len(done) else done)


@dataclass
class Equation:
    members: frozenset[str]
    rhs: float
    error: float
    cell: Cell | None


def equations(
    all_cells: list[Cell], knowledge: Knowledge, hypothesis: str
) -> dict[tuple[Subject, str], list[Equation]]:
    """Every cell as a linear equation over the members it covers: the sum of the
    members' own values equals n times the mean (or the count, or n times the share)."""
    by_page: dict[tuple, float] = {}
    for c in all_cells:
        if c.stat == "n" and not c.groups:
            key = (c.moment, c.reader, c.source.split("#")[0])
            by_page[key] = max(by_page.get(key, 0), c.value)
    # sums of squares from an sd and the mean beside it
    means = {
        (c.moment, c.reader, c.source, c.subject, c.groups, c.obs.labels): c
        for c in all_cells
        if c.stat == "mean"
    }
    extra = []
    for c in all_cells:
        if c.stat != "sd" or c.n is None:
            continue
        m = means.get((c.moment, c.reader, c.source, c.subject, c.groups, c.obs.labels))
        if m is None:
            continue
        for ddof in (0, 1):
            value = (c.n - ddof) * c.value**2 + c.n * m.value**2
            error = 2 * (c.n - ddof) * abs(c.value) * c.error + 2 * c.n * abs(m.value) * m.error
            extra.append(
                Cell(
                    c.moment,
                    c.reader,
                    c.source,
                    c.subject,
                    f"sumsq{ddof}",
                    c.groups,
                    value,
                    error,
                    c.n,
                    False,
                    c.obs,
                )
            )
    out: dict[tuple[Subject, str], list[Equation]] = defaultdict(list)
    for c in [*all_cells, *extra]:
        if c.stat not in LINEAR and not c.stat.startswith("level"):
            continue
        # How many respondents the figure's page speaks of: its largest overall n, else
        # the figure's own n, else the largest n read anywhere at that moment.
        page = by_page.get((c.moment, c.reader, c.source.split("#")[0]))
        if page is None and c.n is not None and not c.groups:
            page = c.n
        if page is None:
            page = max((v for k, v in by_page.items() if k[0] == c.moment), default=None)
        if page is None:
            continue
        base = _base(knowledge, c.moment, int(page), hypothesis)
        if base is None:
            continue
        members = frozenset(base & knowledge.members_with(c.groups) if c.groups else base)
        if not members:
            continue
        value = (
            c.value / 100
            if (c.percent or (c.stat.startswith("share") and c.value > 1))
            else c.value
        )
        error = c.error / 100 if c.percent else c.error
        if c.stat in ("n",) or c.stat.startswith("level"):
            rhs, err = value, max(error, 1e-6) if error < 0.5 or value != int(value) else 1e-6
        elif c.stat.startswith("sumsq"):
            rhs, err = value, max(error, 1e-6)
        elif c.stat == "share_dk":
            rhs, err = len(members) * value, len(members) * error
        else:
            n = c.n if c.n is not None else len(members)
            rhs, err = n * value, n * error
        out[(c.subject, c.stat)].append(Equation(members, rhs, max(err, 1e-6), c))
    return out


def _base(knowledge: Knowledge, moment: int, n: int, hypothesis: str) -> set[str] | None:
    """Who a published figure of `n` respondents at `moment` is about, as the attacker
    guesses it: the first n to complete ("order"), or the first n of those who did not
    come through the attacker's own doors ("honest")."""
    done = knowledge.completed.get(moment, [])
    if hypothesis == "honest":
        done = [m for m in done if m not in knowledge.doors]
    if len(done) < n:
        return None
    return set(done[:n])


@dataclass
class Determined:
    """A set of members whose total the published figures pin down."""

    members: frozenset[str]
    estimate: float
    bound: float
    used: list[int]  # the equations that carry it


def solve(eqs: list[Equation], known: Mapping[str, float]) -> list[Determined]:
    """Split the members into classes that every figure treats alike (always in the same
    cells), and find each class whose total the figures determine: its column is in the
    row space (leverage 1). A class of one is a person's value. Rows are weighted by
    their rounding, and the bound is what the rounding allows."""
    rows: list[tuple[frozenset[str], float, float, int]] = []
    seen = set()
    for number, e in enumerate(eqs):
        key = (e.members, round(e.rhs, 9))
        if key not in seen:
            seen.add(key)
            rows.append((e.members, e.rhs, e.error, number))
    for member, value in known.items():
        rows.append((frozenset([member]), value, 1e-6, -1))
    signatures: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for member in {m for members, *_ in rows for m in members}:
        signatures[tuple(i for i, row in enumerate(rows) if member in row[0])].add(member)
    classes = [frozenset(v) for _, v in sorted(signatures.items(), key=lambda kv: sorted(kv[1]))]
    if not classes:
        return []
    a = np.zeros((len(rows), len(classes)))
    for j, cls in enumerate(classes):
        member = next(iter(cls))
        for i, row in enumerate(rows):
            if member in row[0]:
                a[i, j] = 1.0
    b = np.array([row[1] for row in rows])
    e = np.maximum(np.array([row[2] for row in rows]), 1e-6)
    weighted = a / e[:, None]
    pinv = np.linalg.pinv(weighted, rcond=1e-10)
    x = pinv @ (b / e)
    _, s, vt = np.linalg.svd(weighted, full_matrices=False)
    vectors = vt[s > s.max() * 1e-10] if s.size else vt[:0]
    leverage = (vectors**2).sum(axis=0)
    out = []
    for j, cls in enumerate(classes):
        if leverage[j] < 1 - 1e-6 or set(cls) <= set(known):
            continue
        weights = pinv[j]
        big = np.abs(weights) > 1e-3 * np.abs(weights).max()
        used = [rows[i][3] for i in np.nonzero(big)[0] if rows[i][3] >= 0]
        out.append(Determined(cls, float(x[j]), float(np.abs(weights).sum()), used))
    return out


@dataclass
class SmallGroup:
    """The total of fewer than `threshold` people, worked out."""

    members: frozenset[str]
    subject: Subject
    stat: str
    estimate: float
    truth: float
    bound: float

    def __str__(self) -> str:
        return (
            f"{len(self.members)} people ({', '.join(sorted(self.members))}): {self.subject} "
            f"{self.stat} total {self.estimate:.3f} (true {self.truth:.3f})"
        )


def recover(
    all_cells: list[Cell],
    knowledge: Knowledge,
    vocab: Vocabulary,
    truth: Mapping[str, object],
) -> tuple[list[Recovery], list[SmallGroup]]:
    """Every member's figure the published cells pin down and that matches what they
    really answered (so a lucky guess from a wrong model never counts): a class of one
    determined, or a class whose determined total is at the end of the range (five people
    whose sum is 25 all answered 5). Also totals of fewer than `threshold` people."""
    found: dict[tuple, Recovery] = {}
    small: dict[tuple, SmallGroup] = {}
    for hypothesis in ("order", "honest") if knowledge.doors else ("order",):
        families = equations(all_cells, knowledge, hypothesis)
        for (subject, stat), eqs in families.items():
            known = {}
            for member, persona in knowledge.own.items():
                values = set(truths(persona, subject, stat, vocab).values())
                if len(values) == 1:
                    known[member] = values.pop()
            low, high = BOUNDS.get(stat, (0, 1))
            tol = tolerance(subject, stat)
            for d in solve(eqs, known):
                if d.bound >= tol:
                    continue
                people = sorted(m for m in d.members if m in truth and m not in knowledge.own)
                evidence = sorted(
                    {
                        (
                            eqs[j].cell.moment,
                            eqs[j].cell.reader,
                            eqs[j].cell.source.split("#")[0],
                            eqs[j].cell.n,
                        )
                        for j in d.used
                        if eqs[j].cell is not None
                    },
                    key=str,
                )
                size = len(d.members)
                each = None
                if size == 1:
                    each = d.estimate
                elif stat == "share_agree":
                    pass  # "all of them agreed" does not say what any one answered
                elif abs(d.estimate - size * high) <= d.bound:
                    each = high
                elif abs(d.estimate - size * low) <= d.bound:
                    each = low
                if each is not None:
                    for member in people:
                        for value in truths(truth[member], subject, stat, vocab).values():
                            if abs(value - each) <= d.bound + 1e-6 and telling(
                                subject, stat, value
                            ):
                                found.setdefault(
                                    (member, subject, stat),
                                    Recovery(member, subject, stat, each, value, d.bound, evidence),
                                )
                                break
                elif size < knowledge.threshold and people and stat in SMALL_STATS:
                    conventions = [truths(truth[m], subject, stat, vocab) for m in people]
                    for convention in conventions[0]:
                        total = sum(c.get(convention, 0.0) for c in conventions)
                        if abs(total - d.estimate) <= d.bound + 1e-6:
                            key = (d.members, subject, stat)
                            small.setdefault(
                                key,
                                SmallGroup(d.members, subject, stat, d.estimate, total, d.bound),
                            )
                            break
    return list(found.values()), list(small.values())


SMALL_STATS = {"mean", "score", "importance"}


def extremes_differencing(
    all_cells: list[Cell], knowledge: Knowledge, truth: Mapping[str, object], vocab: Vocabulary
) -> list[Recovery]:
    """Lowest and highest across two looks: when one person joins a figure and the
    lowest drops (or the highest rises), the newcomer gave that value."""
    out = []
    series: dict[tuple, dict[int, Cell]] = defaultdict(dict)
    for c in all_cells:
        if c.stat in ("min", "max") and not c.groups and c.n is not None:
            key = (c.reader, c.source.split("?")[0].split("#")[0], c.subject, c.stat)
            series[key][c.moment] = c
    for (_, _, subject, stat), by_moment in series.items():
        moments = sorted(by_moment)
        for before, after in itertools.pairwise(moments):
            c1, c2 = by_moment[before], by_moment[after]
            base1 = _base(knowledge, before, int(c1.n), "order")
            base2 = _base(knowledge, after, int(c2.n), "order")
            if base1 is None or base2 is None or c1.value == c2.value:
                continue
            new = base2 - base1
            moved = c2.value < c1.value if stat == "min" else c2.value > c1.value
            if len(new) != 1 or not moved or not base1 <= base2:
                continue
            member = next(iter(new))
            if member not in truth or member in knowledge.own:
                continue
            values = list(truths(truth[member], subject, stat, vocab).values())
            if subject.kind == "dimension" and values and abs(values[0] - c2.value) < 1e-6:
                out.append(
                    Recovery(
                        member,
                        subject,
                        stat,
                        c2.value,
                        values[0],
                        0.0,
                        [(before, c1.reader, c1.source, c1.n), (after, c2.reader, c2.source, c2.n)],
                    )
                )
    return out


@dataclass
class Quote:
    moment: int
    reader: str
    source: str
    text: str


def quotes_of(fetched: Iterable[Fetched], moment: int) -> list[Quote]:
    out = []
    for f in fetched:
        if f.status == 200 and f.is_html:
            out += [Quote(moment, f.reader, f.source, q) for q in f.page.quotes]
    return out


def comment_attribution(
    quotes: list[Quote], knowledge: Knowledge, authors: Mapping[str, str], sizes
) -> list[tuple[str, str, int, list[str]]]:
    """A comment that first appears in a reader's results when fewer than `threshold`
    people joined them since the last comments were shown is one of theirs; narrower
    still if it carries a group's name. Returns (comment, author, moment, candidates)
    for each comment narrowed to fewer than `threshold` people, one of whom wrote it."""
    out = []
    by_reader: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        by_reader[q.reader].append(q)
    known = {w for ws in knowledge.attributes.values() for w in ws}
    for reader, mine in by_reader.items():
        first_seen: dict[str, int] = {}
        for q in sorted(mine, key=lambda q: q.moment):
            first_seen.setdefault(q.text, q.moment)
        shown_at = sorted({q.moment for q in mine})
        for text, moment in first_seen.items():
            earlier = [m for m in shown_at if m < moment]
            before = covered(knowledge, earlier[-1], reader, sizes) if earlier else set()
            candidates = covered(knowledge, moment, reader, sizes) - before - set(knowledge.own)
            low = text.lower()
            words = {w for w in known if re.search(rf"(^|\W){re.escape(w)}(\W|$)", low)}
            if words:
                candidates &= knowledge.members_with(frozenset(words))
            author = _author(text, authors)
            if author is None or author not in candidates or author in knowledge.own:
                continue
            if len(candidates) < knowledge.threshold:
                out.append((text, author, moment, sorted(candidates)))
    return out


def _author(text: str, authors: Mapping[str, str]) -> str | None:
    """Who really wrote a comment (the test knows; the attacker does not)."""
    return next((member for written, member in authors.items() if written in text), None)


def comment_order(quotes: list[Quote], knowledge: Knowledge, authors: Mapping[str, str]):
    """Are comments listed in the order their writers completed (or the reverse)? Then
    the k-th comment is the k-th completer's. Counts lists of 3 or more where that is so,
    and lists where it is not."""
    lists: dict[tuple, list[str]] = defaultdict(list)
    for q in quotes:
        lists[(q.moment, q.reader, q.source)].append(q.text)
    agree = disagree = 0
    for (moment, _, _), texts in lists.items():
        writers = [_author(x, authors) for x in texts]
        if len(texts) < 3 or None in writers or len(set(writers)) != len(writers):
            continue
        order = [m for m in knowledge.completed.get(moment, []) if m in writers]
        if writers == order or writers == order[::-1]:
            agree += 1
        else:
            disagree += 1
    return agree, disagree


def mentions(text: str, words: str, number: int) -> bool:
    """Does some sentence of the page put `number` next to these words ('4 links
    copied', 'members added: 4')?"""
    spelled = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}.get(number, "")
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        low = sentence.lower()
        if re.search(words, low) and (
            re.search(rf"(?<![\d.]){number}(?![\d.])", low)
            or (spelled and re.search(rf"\b{spelled}\b", low))
        ):
            return True
    return False


# ---- reporting ------------------------------------------------------------------------------


def source_name(url: str) -> str:
    """A short name for a page: dashboard, dashboard?by=tenure, pack, comments, CSV..."""
    path, _, query = url.split("#")[0].partition("?")
    parts = [p for p in path.split("/") if p]
    if "meetings" in parts:
        name = "meeting facilitator page" if "run" in parts else "meeting pages"
    elif parts and parts[-1].startswith("results."):
        name = parts[-1].replace("results.", "").upper()
    elif "results" in parts:
        tail = parts[parts.index("results") + 1 :]
        name = {0: "results overview", 1: "dashboard"}.get(len(tail), tail[-1])
        if query.startswith("by="):
            name += f" by {query[3:]}"
    else:
        name = parts[-1] if parts else url
    return name


def tally(rs: list[Recovery], vocab: Vocabulary) -> dict[str, set[str]]:
    """What of one member was recovered: item answers (or don't knows), matrix levels,
    sub-dimension and domain scores."""
    items = {
        r.subject.code
        for r in rs
        if r.subject.kind == "item" and r.stat in ("mean", "score", "sumsq0", "sumsq1")
    }
    items |= {vocab.importance.get(r.subject.code) for r in rs if r.stat == "importance"}
    items.discard(None)
    return {
        "items": items,
        "dk": {
            r.subject.code
            for r in rs
            if r.stat in ("share_dk", "n") and r.truth == (r.stat == "share_dk")
        },
        "levels": {r.subject.code for r in rs if r.subject.kind == "dimension"},
        "scores": {r.subject.code for r in rs if r.subject.kind in ("subdimension", "domain")},
    }


def summary(recoveries: list[Recovery], vocab: Vocabulary) -> str:
    """One line per member: how many of their item answers, matrix levels and scores
    were recovered, and from which moments (with the respondents counted at each)."""
    by_member: dict[str, list[Recovery]] = defaultdict(list)
    for r in recoveries:
        by_member[r.member].append(r)
    lines = []
    n_items = len(vocab.items) + len(vocab.importance)
    for member, rs in sorted(by_member.items()):
        t = tally(rs, vocab)
        sizes: dict[int, set[int]] = defaultdict(set)
        broad = [r for r in rs if r.subject.kind != "item"] or rs  # item n's vary with dk
        for r in broad:
            for moment, _, _, n in r.evidence:
                if n is not None:
                    sizes[moment].add(int(n))
        moments = ", ".join(
            f"moment {m} (n={'/'.join(str(n) for n in sorted(ns, reverse=True))})"
            for m, ns in sorted(sizes.items())
        )
        lines.append(
            f"{member}: {len(t['items'])} of {n_items} item answers, {len(t['dk'])} don't "
            f"knows, {len(t['levels'])} matrix levels, {len(t['scores'])} sub-dimension/"
            f"domain scores, from {moments}"
        )
    return "\n".join(lines)


def by_source(
    all_cells: list[Cell], knowledge: Knowledge, vocab: Vocabulary, truth: Mapping[str, object]
) -> str:
    """Which pages alone give the answers away: the attack rerun on one kind of page at a
    time (a figure on several pages is counted once in the combined attack)."""
    kinds: dict[str, list[Cell]] = defaultdict(list)
    for c in all_cells:
        name = source_name(c.source)
        kind = "dashboard" if name.startswith("dashboard") else name
        if c.source.split("#")[-1].startswith("figure"):
            kind += " chart data"
        kinds[kind].append(c)
    lines = []
    for kind, mine in sorted(kinds.items()):
        recovered, _ = recover(mine, knowledge, vocab, truth)
        recovered += extremes_differencing(mine, knowledge, truth, vocab)
        per_member: dict[str, list[Recovery]] = defaultdict(list)
        for r in recovered:
            per_member[r.member].append(r)
        parts = []
        for member, rs in sorted(per_member.items()):
            t = tally(rs, vocab)
            counts = [
                f"{len(t[key])} {label}{'' if len(t[key]) == 1 else 's'}"
                for key, label in (
                    ("items", "item"),
                    ("dk", "don't know"),
                    ("levels", "level"),
                    ("scores", "score"),
                )
                if t[key]
            ]
            parts.append(f"{member} ({', '.join(counts)})")
        if parts:
            lines.append(f"{kind} alone: " + "; ".join(parts))
    return "\n".join(lines)


def examples(recoveries: list[Recovery], count: int = 4) -> str:
    rank = {"item": 0, "dimension": 1, "subdimension": 2, "domain": 3}
    chosen = sorted(recoveries, key=lambda r: (rank[r.subject.kind], r.member, str(r.subject)))
    return "; ".join(str(r) for r in chosen[:count])
