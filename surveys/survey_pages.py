"""How an assessment's instruments are laid out for a member: pages of questions.

Pure functions of the instrument definitions (and the assessment's own questions), so
the preview a coordinator sees is exactly the survey a member answers. Built in the
active language: the instruments' texts come already localised (languages.localised),
and the words of our own (page titles, options) are translated here.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from .instruments.validation import scale_items

DONT_KNOW = "dk"
MAX_ITEMS_PER_PAGE = 12
# Kinds answered on a 1 to 5 scale with "Don't know", stored as numbers (Answer rows).
SCALE_KINDS = ("agreement", "importance", "performance")
# "Did this action make a difference?": optional, stored as a number like the scales
# (1 made a difference, 2 not yet, no value for don't know).
FOLLOW_UP = "follow_up"
FOLLOW_UP_OPTIONS = (
    ("1", gettext_lazy("Made a difference")),
    ("2", gettext_lazy("Not yet")),
    (DONT_KNOW, gettext_lazy("Don't know")),
)
NUMBER_KINDS = (*SCALE_KINDS, FOLLOW_UP)


@dataclass(frozen=True)
class Question:
    code: str
    kind: str  # agreement | importance | performance | choice | text | matrix | follow_up
    text: str
    options: tuple[tuple[str, str], ...] = ()
    heading: str = ""  # shown above the first question of a sub-dimension
    hint: str = ""
    levels: tuple[dict, ...] = ()  # matrix: the five level descriptors


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    intro: str = ""
    questions: tuple[Question, ...] = field(default_factory=tuple)


def scale_options(labels: list[str], dont_know_label: str | None = None) -> tuple:
    dont_know = dont_know_label or _("Don't know")
    return (*((str(i + 1), label) for i, label in enumerate(labels)), (DONT_KNOW, dont_know))


def scorecard_pages(definition: dict) -> list[Page]:
    pages = [_profile_page(definition)]
    options = scale_options(definition["scale"]["labels"], definition["scale"]["dont_know_label"])
    items = scale_items(definition)
    for domain in definition["domains"]:
        chunks = _chunks(domain["subdimensions"])
        for number, chunk in enumerate(chunks, start=1):
            title = domain["title"]
            if len(chunks) > 1:
                title = _("%(title)s (part %(number)s of %(count)s)") % {
                    "title": title,
                    "number": number,
                    "count": len(chunks),
                }
            pages.append(
                Page(
                    key=f"{domain['code']}-{number}" if len(chunks) > 1 else domain["code"],
                    title=title,
                    intro=domain.get("description", ""),
                    questions=tuple(_agreement_questions(chunk, items, options)),
                )
            )
        if domain["code"] == "function":
            pages.append(_importance_page(definition))
            if "function_performance" in definition:
                pages.append(_performance_page(definition))
    pages.append(_comments_page(definition))
    return pages


def matrix_pages(definition: dict) -> list[Page]:
    labels = definition["levels"]
    return [
        Page(
            key=f"matrix-{dimension['code']}",
            title=dimension["title"],
            intro=dimension["description"],
            questions=(
                Question(
                    code=dimension["code"],
                    kind="matrix",
                    text=dimension["title"],
                    options=tuple((str(i + 1), label) for i, label in enumerate(labels)),
                    levels=tuple(dimension["levels"]),
                ),
            ),
        )
        for dimension in definition["dimensions"]
    ]


def custom_page(questions: list[dict]) -> list[Page]:
    """The assessment's own questions, on one page after the standard ones."""
    if not questions:
        return []
    agree = scale_options(
        [
            _("Strongly disagree"),
            _("Disagree"),
            _("Neither agree nor disagree"),
            _("Agree"),
            _("Strongly agree"),
        ]
    )
    return [
        Page(
            key="your-network",
            title=_("Questions from your network"),
            intro=_("Your coordinator added these questions for this round."),
            questions=tuple(
                Question(
                    code=q["code"],
                    kind="agreement" if q["kind"] == "agreement" else "text",
                    text=q["text"],
                    options=agree if q["kind"] == "agreement" else (),
                )
                for q in questions
            ),
        )
    ]


def follow_up_page(questions: list[dict]) -> list[Page]:
    """The actions the network agreed before this round, each asked about once: did it
    make a difference? A short optional page, last."""
    if not questions:
        return []
    options = tuple((value, str(label)) for value, label in FOLLOW_UP_OPTIONS)
    return [
        Page(
            key="since-last-time",
            title=_("Since the last round"),
            intro=_(
                "At its last meeting the network agreed these actions. Did each one make "
                "a difference? These questions are optional."
            ),
            questions=tuple(
                Question(code=q["code"], kind=FOLLOW_UP, text=q["text"], options=options)
                for q in questions
            ),
        )
    ]


ROSTER = "roster"
ROSTER_QUESTION = gettext_lazy("Who in this network have you worked with in the last six months?")


def roster_page() -> Page:
    """The roster question: people chosen from the member list, each with how closely.
    Drawn and saved by its own view (the member list is searched, not listed)."""
    return Page(
        key="who-you-work-with",
        title=_("Who you work with"),
        intro=_(
            "Choose the people in this network you have worked with in the last six "
            "months, and say how closely. Nobody sees whom you chose: the network sees only "
            "counts, such as how many working relationships cross between groups."
        ),
        questions=(Question(code="ROSTER", kind=ROSTER, text=str(ROSTER_QUESTION)),),
    )


def survey_pages(
    scorecard: dict | None,
    matrix: dict | None,
    custom: list[dict] | None = None,
    follow_up: list[dict] | None = None,
    roster: bool = False,
) -> list[Page]:
    pages = scorecard_pages(scorecard) if scorecard else []
    if matrix:
        pages += matrix_pages(matrix)
    return survey_pages_after(pages, custom, follow_up, roster=roster)


def survey_pages_after(
    instrument_pages,
    custom: list[dict] | None = None,
    follow_up: list[dict] | None = None,
    roster: bool = False,
) -> list[Page]:
    """The instruments' pages followed by the round's own: the roster question, its
    questions and the follow-up of earlier actions."""
    pages = list(instrument_pages)
    if roster:
        pages.append(roster_page())
    return pages + custom_page(custom or []) + follow_up_page(follow_up or [])


def _chunks(subdimensions: list[dict]) -> list[list[dict]]:
    """Split a domain's sub-dimensions into pages of at most MAX_ITEMS_PER_PAGE items,
    as evenly as whole sub-dimensions allow, so no page is much longer than another."""
    total = sum(len(s["items"]) for s in subdimensions)
    pages_needed = -(-total // MAX_ITEMS_PER_PAGE)
    target = total / pages_needed
    chunks: list[list[dict]] = [[]]
    count = 0
    for sub in subdimensions:
        if chunks[-1] and count + len(sub["items"]) > target + 1:
            chunks.append([])
            count = 0
        chunks[-1].append(sub)
        count += len(sub["items"])
    return chunks


def _agreement_questions(subdimensions: list[dict], items: list[dict], options: tuple):
    codes = {s["code"] for s in subdimensions}
    titles = {s["code"]: s["title"] for s in subdimensions}
    previous = None
    for item in items:
        if item["subdimension"] not in codes:
            continue
        heading = titles[item["subdimension"]] if item["subdimension"] != previous else ""
        previous = item["subdimension"]
        yield Question(
            code=item["code"], kind="agreement", text=item["text"], options=options, heading=heading
        )


def _profile_page(definition: dict) -> Page:
    return Page(
        key="about-you",
        title=_("About you"),
        intro=_(
            "These answers let results be compared between groups. Groups too small to "
            "keep people anonymous are never shown."
        ),
        questions=tuple(
            Question(
                code=q["code"],
                kind="choice",
                text=q["text"],
                options=tuple((o["value"], o["label"]) for o in q["options"]),
            )
            for q in definition["profile"]
        ),
    )


def _importance_page(definition: dict) -> Page:
    importance = definition["function_importance"]
    options = scale_options(importance["labels"], definition["scale"]["dont_know_label"])
    return Page(
        key="importance",
        title=_("What the network should do"),
        intro=importance["prompt"],
        questions=tuple(
            Question(code=q["code"], kind="importance", text=q["text"], options=options)
            for q in importance["items"]
        ),
    )


def _performance_page(definition: dict) -> Page:
    """How well the network does each function now, right after how important each
    should be: the same six statements on a scale of comparable terms."""
    performance = definition["function_performance"]
    options = scale_options(performance["labels"], performance["dont_know_label"])
    return Page(
        key="performance",
        title=_("What the network does now"),
        intro=performance["prompt"],
        questions=tuple(
            Question(code=q["code"], kind="performance", text=q["text"], options=options)
            for q in performance["items"]
        ),
    )


def _comments_page(definition: dict) -> Page:
    return Page(
        key="comments",
        title=_("In your own words"),
        intro=_("These questions are optional. Please do not name other people."),
        questions=tuple(
            Question(code=c["code"], kind="text", text=c["text"]) for c in definition["comments"]
        ),
    )


def answer_label(question: Question, value) -> str:
    """A saved answer in the words the member chose it by, for "Check your answers"
    ("" when there is none): "Agree", "Don't know", a profile option, the text of a
    comment, or a matrix dimension's level now and the target."""
    if value in (None, "", {}):
        return ""
    if question.kind == ROSTER:
        if not value.get("answered") and not value.get("chosen"):
            return ""
        chosen = value.get("chosen", 0)
        if not chosen:
            return _("Nobody chosen")
        return ngettext("%(count)s person chosen", "%(count)s people chosen", chosen) % {
            "count": chosen
        }
    words = dict(question.options)
    if question.kind == "matrix":
        current = value.get("current", "")
        if not current:
            return ""
        target = value.get("target", "")
        said = pgettext("matrix answer", "Now: %(label)s (level %(level)s)") % {
            "label": words.get(current, current),
            "level": current,
        }
        if not target:
            return said
        return pgettext("matrix answer", "%(now)s; target: %(label)s (level %(level)s)") % {
            "now": said,
            "label": words.get(target, target),
            "level": target,
        }
    return words.get(str(value), str(value)) if words else str(value)
