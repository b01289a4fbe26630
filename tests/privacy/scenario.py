"""The people in the attacks and the pages they use, driven through the test client.

Members answer page by page through their personal links, as a browser does. The
coordinator (the attacker) works only through the site: the member list, the
invitation list, copy link, resend, close and reopen, share links, meetings. Time
passing is the periodic jobs running (what the beat schedule runs every few minutes),
so the pages show what they would show a few minutes after each step.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlparse

from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from netassess.celery import app as celery_app
from surveys.survey_pages import SCALE_KINDS
from tests.privacy import attacker
from tests.privacy.attacker import Fetched, Knowledge, Page, Vocabulary, parse_html
from tests.surveys.survey_helpers import open_assessment, pages_of

TENURES = ("lt_6m", "6_12m", "1_2y", "gt_2y")
ROLES = ("core", "active", "occasional")
FREQUENCIES = ("weekly", "monthly", "quarterly", "rarely")
DK = "dk"


# ---- members and what they answer ------------------------------------------------------


@dataclass
class Persona:
    """A member and the answers they give (known to the test, never to the attacker)."""

    key: str
    name: str
    email: str
    group: str
    tenure: str = "1_2y"
    role: str = "active"
    frequency: str = "monthly"
    answers: dict[str, str] = field(default_factory=dict)  # item -> "1".."5" or "dk"
    matrix: dict[str, tuple[str, str]] = field(default_factory=dict)  # dim -> (now, target)
    texts: dict[str, str] = field(default_factory=dict)  # comment question -> text
    # The roster question: whom they name (member name -> closeness 1 to 4), and
    # whether they agree to be shown by name.
    ties: dict[str, int] = field(default_factory=dict)
    named_on_map: bool = False

    def page_data(self, page) -> dict:
        data = {}
        for q in page.questions:
            if q.kind in SCALE_KINDS:
                data[q.code] = self.answers.get(q.code, "3")
            elif q.kind == "choice":
                value = {
                    "tenure": self.tenure,
                    "network_role": self.role,
                    "frequency": self.frequency,
                }.get(q.code)
                if value is None or value not in {v for v, _ in q.options}:
                    value = q.options[0][0]
                data[q.code] = value
            elif q.kind == "text":
                if q.code in self.texts:
                    data[q.code] = self.texts[q.code]
            elif q.kind == "matrix":
                now, target = self.matrix.get(q.code, ("3", "4"))
                data[f"{q.code}.current"] = now
                data[f"{q.code}.target"] = target
        return data


def people(
    count: int,
    *,
    seed: int,
    groups: list[str],
    pages,
    prefix: str = "Member",
    tenures: list[str] | None = None,
    roles: list[str] | None = None,
    dont_know: dict[str, int] | None = None,
) -> list[Persona]:
    """`count` members whose answers differ from each other's: each item drawn 1 to 5,
    each matrix level 1 to 5, a comment per question with a word of their own.
    ``dont_know`` maps an item to how many members (the last ones) answer it at all:
    everyone else says "don't know"."""
    rng = random.Random(seed)
    items = [q for p in pages for q in p.questions if q.kind in SCALE_KINDS]
    dims = [q.code for p in pages for q in p.questions if q.kind == "matrix"]
    comments = [q.code for p in pages for q in p.questions if q.kind == "text"]
    out = []
    for i in range(count):
        key = f"{prefix.lower()}{i + 1:02d}"
        persona = Persona(
            key=key,
            name=f"{prefix} {i + 1:02d} {WORDS[(seed + i) % len(WORDS)].title()}",
            email=f"{key}.{seed}@members.example.org",
            group=groups[i % len(groups)],
            tenure=(tenures or TENURES)[i % len(tenures or TENURES)],
            role=(roles or ROLES)[i % len(roles or ROLES)],
            frequency=FREQUENCIES[i % len(FREQUENCIES)],
        )
        for q in items:
            persona.answers[q.code] = str(rng.randint(1, 5))
        for code in dims:
            now = rng.randint(1, 5)
            persona.matrix[code] = (str(now), str(min(5, now + rng.randint(0, 1))))
        for n, code in enumerate(comments):
            # Alphabetical order of comments is not the order members answer in.
            persona.texts[code] = (
                f"{WORDS[(seed * 7 + i * 5 + n * 3) % len(WORDS)].title()} matters to "
                f"{key} on {code} ({rng.randint(100, 999)})"
            )
        out.append(persona)
    for item, answering in (dont_know or {}).items():
        for persona in out[: len(out) - answering]:
            persona.answers[item] = DK
    return out


WORDS = (
    "quartz willow ember harbour juniper lantern meadow nickel orchid pepper quill "
    "raven saffron tundra umber velvet walnut xenon yarrow zephyr amber birch cobalt "
    "dune"
).split()


# ---- the site, as its users reach it ---------------------------------------------------


def settle() -> None:
    """Let a few minutes pass: the periodic jobs of the beat schedule run (sweepers that
    catch up on scores, invitations and releases). Reminders are left out: they would
    email members in the middle of a scenario."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        name = entry["task"]
        if "reminder" in name:
            continue
        task = celery_app.tasks.get(name)
        if task is not None:
            task.apply()


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_of(response) -> Page:
    return parse_html(response.content)


class Coordinator:
    """The coordinator's browser on one network and one round."""

    def __init__(self, user, network_id: int):
        self.client = client_for(user)
        self.network_id = network_id
        self.assessment_id: int | None = None
        self.base = f"/networks/{network_id}"

    # -- pages
    def get(self, path: str, **params):
        return self.client.get(path, params or None)

    def post(self, path: str, data: dict):
        response = self.client.post(path, data)
        settle()
        return response

    @property
    def round(self) -> str:
        return f"{self.base}/assessments/{self.assessment_id}"

    # -- groups and members
    def add_group(self, name: str) -> None:
        self.post(f"{self.base}/groups/", {"name": name})

    def group_ids(self) -> dict[str, str]:
        page = page_of(self.get(f"{self.base}/members/add/"))
        select = next(i for i in page.inputs if i["tag"] == "select" and i.get("name") == "group")
        return {o["text"]: o["value"] for o in select["options"] if o["value"]}

    def add_member(self, persona: Persona, organisation: str = "City Hospital"):
        groups = self.group_ids()
        response = self.post(
            f"{self.base}/members/add/",
            {
                "name": persona.name,
                "email": persona.email,
                "group": groups[persona.group],
                "organisation": organisation,
            },
        )
        assert response.status_code == 302, response.content[:3000]

    def member_id(self, name: str) -> str:
        page = page_of(self.get(f"{self.base}/members/", q=name))
        for href, text in page.links:
            match = re.search(r"/members/(\d+)/edit/", href)
            if match and name in text:
                return match.group(1)
        raise AssertionError(f"{name} is not on the member list")

    def edit_member_email(self, name: str, email: str) -> None:
        member = self.member_id(name)
        form_page = page_of(self.get(f"{self.base}/members/{member}/edit/"))
        data = {}
        for entry in form_page.inputs:
            if entry.get("name") in ("name", "email", "organisation"):
                data[entry["name"]] = entry.get("value", "")
            if entry["tag"] == "select" and entry.get("name") == "group":
                data["group"] = next((o["value"] for o in entry["options"] if o["selected"]), "")
        data["email"] = email
        response = self.post(f"{self.base}/members/{member}/edit/", data)
        assert response.status_code in (200, 302), response.status_code

    # -- the round
    def invite_everyone(self) -> None:
        response = self.post(f"{self.round}/invite/", {"who": "everyone"})
        assert response.status_code == 302, response.content[:3000]

    def invitations(self) -> list[dict]:
        """The invitation list as the coordinator sees it: name, group, status, dates and
        the addresses of the row's buttons (told apart by the member's name each button
        carries for screen readers)."""
        rows = []
        page_number = 1
        while True:
            page = page_of(self.get(f"{self.round}/invitations/", page=page_number))
            table = next((t for t in page.tables if t.rows and "Member" in t.rows[0]), None)
            if table is None:
                break
            header = table.rows[0]
            here = []
            for row in table.rows[1:]:
                entry = dict(zip(header, row, strict=False))
                entry["name"] = re.sub(r"\s*Removed$", "", entry.get("Member", ""))
                entry["actions"] = {}
                here.append(entry)
            for form in page.forms:
                if "/invitations/" not in form.action:
                    continue
                label = " ".join(form.buttons)
                for entry in here:
                    if (
                        entry["name"]
                        and label.endswith(entry["name"])
                        or (f"{entry['name']}'s" in label)
                    ):
                        kind = form.action.rstrip("/").rsplit("/", 1)[1]
                        entry["actions"][kind] = form.action
            rows += here
            if not any(f"page={page_number + 1}" in href for href, _ in page.links):
                break
            page_number += 1
        return rows

    def invitation(self, name: str) -> dict:
        return next(r for r in self.invitations() if r["name"] == name)

    def completed(self) -> list[str]:
        """Who has completed, earliest first (as far as the list's minutes tell)."""
        done = [r for r in self.invitations() if "Completed" in r.get("Status", "")]
        return [r["name"] for r in sorted(done, key=lambda r: _completed_at(r.get("Dates", "")))]

    def invitation_action(self, name: str, kind: str) -> str:
        """The address of a row's button, or the address it would have (an attacker
        posts to it whether or not the button is shown)."""
        row = self.invitation(name)
        if kind in row.get("actions", {}):
            return row["actions"][kind]
        known = next(iter(row.get("actions", {}).values()), None)
        assert known, f"no button at all for {name}: cannot find the invitation's address"
        return known.rstrip("/").rsplit("/", 1)[0] + f"/{kind}/"

    def copy_link(self, name: str) -> str | None:
        """Press "Copy link": the personal link shown, as a path, or None if refused."""
        response = self.client.post(self.invitation_action(name, "link"), {"back": ""})
        settle()
        found = re.search(rb"/s/([\w-]+)/", response.content)
        return f"/s/{found.group(1).decode()}/" if found else None

    def resend(self, name: str) -> None:
        self.post(self.invitation_action(name, "resend"), {"back": ""})

    def close(self) -> None:
        self.post(f"{self.round}/close/", {"confirm": "1"})

    def reopen(self, days: int = 7) -> None:
        closes = timezone.localdate() + timedelta(days=days)
        response = self.post(f"{self.round}/extend/", {"closes_on": closes.isoformat()})
        assert response.status_code in (200, 302)

    def share_link(self) -> str:
        response = self.post(f"{self.base}/results/share/", {"label": "Steering group", "days": 14})
        found = re.search(rb"/shared/([\w-]+)/", response.content)
        assert found, "no share link shown"
        return f"/shared/{found.group(1).decode()}/"

    def plan_meeting(self) -> None:
        page = page_of(self.get(f"{self.base}/meetings/new/", assessment=self.assessment_id))
        response = self.post(
            f"{self.base}/meetings/new/",
            {
                "assessment": str(self.assessment_id),
                "title": "Matrix meeting",
                "held_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
                "tables": "Table A",
                "facilitator_notes": "",
            },
        )
        assert response.status_code == 302, (response.content[:2000], page.text[:500])
        meeting = re.search(r"/meetings/(\d+)/", response["Location"]).group(1)
        self.post(f"{self.base}/meetings/{meeting}/start/", {})


def _completed_at(dates: str) -> tuple:
    """When the list says a member completed ("Completed 30 Nov, 11:08"), to sort by."""
    found = re.search(r"Completed (\d{1,2}) (\w{3}), (\d{1,2}):(\d{2})", dates)
    if not found:
        return (99,)
    day, month, hour, minute = found.groups()
    months = "jan feb mar apr may jun jul aug sep oct nov dec".split()
    return (months.index(month.lower()[:3]), int(day), int(hour), int(minute))


def emailed_link(address: str) -> str:
    """The link in the latest email to an address."""
    for message in reversed(mail.outbox):
        if address in message.to:
            found = re.search(r"/s/[\w-]+/", message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no email with a link to {address}")


# ---- the member's browser --------------------------------------------------------------


class MemberBrowser:
    """A member's browser (or the coordinator's, pretending): open a link, answer, submit,
    and see what the survey shows as already saved."""

    def __init__(self, assessment):
        self.client = Client()
        self.pages = pages_of(assessment)

    def works(self, link: str) -> bool:
        """Open a link: a working one swaps into the session and redirects."""
        return self.client.get(link).status_code == 302

    def start(self):
        return self.client.post("/survey/")

    def answer(self, persona: Persona, *, pages=None, people: dict | None = None) -> bool:
        """Answer page by page; False as soon as a page is refused. On the roster page,
        add each person the persona names (``people``: name -> member id, as the
        roster's search finds them) and say how closely."""
        for page in self.pages if pages is None else pages:
            data = persona.page_data(page)
            if any(q.kind == "roster" for q in page.questions):
                data = self._roster(page, persona, people or {})
            response = self.client.post(f"/survey/page/{page.key}/", {**data, "nav": "next"})
            moved_on = response.status_code == 302 and (
                "/survey/page/" in response["Location"] or "/survey/review/" in response["Location"]
            )
            if not moved_on:
                return False
        return True

    def _roster(self, page, persona: Persona, people: dict) -> dict:
        ids = {name: people[name] for name in persona.ties}
        if ids:
            self.client.post(f"/survey/page/{page.key}/", {"add": list(ids.values())})
        data = {f"c-{ids[name]}": str(level) for name, level in persona.ties.items()}
        if persona.named_on_map:
            data["named_on_map"] = "yes"
        return data

    def submit(self) -> bool:
        response = self.client.post("/survey/submit/")
        settle()
        return response.status_code == 302 and "thanks" in response.get("Location", "")

    def saved_answers(self) -> dict[str, str]:
        """Whatever the survey pages show as already chosen or written."""
        seen: dict[str, str] = {}
        for page in self.pages:
            response = self.client.get(f"/survey/page/{page.key}/")
            if response.status_code != 200:
                continue
            for entry in page_of(response).inputs:
                name = entry.get("name")
                if not name:
                    continue
                if entry["tag"] == "input" and entry.get("type") == "radio" and entry["checked"]:
                    seen[name] = entry.get("value", "")
                elif entry["tag"] == "textarea" and entry.get("value"):
                    seen[name] = entry["value"]
        return seen


def respond(
    assessment, link: str, persona: Persona, *, submit: bool = True, people=None, pages=None
) -> bool:
    browser = MemberBrowser(assessment)
    if not browser.works(link):
        return False
    browser.start()
    if not browser.answer(persona, people=people, pages=pages):
        return False
    return browser.submit() if submit else True


# ---- what each reader can fetch ------------------------------------------------------------

SKIP = re.compile(
    r"/(edit|new|remove|revoke|resend|link|close|extend|start|record|add|status|logout|"
    r"import|confirm|invite|questions|share|preview|team|groups|members|grid|actions)(/|$)"
)


def crawl(client: Client, reader: str, starts: list[str], follow: list[str], limit: int = 60):
    """Every page a reader reaches by following links from ``starts`` to addresses
    matching ``follow`` (GET only; query strings kept: breakdowns, questions, pages of
    comments, matrix dimensions; every option of a GET form's select is tried)."""
    seen: set[str] = set()
    queue = list(starts)
    out: list[Fetched] = []
    patterns = [re.compile(f) for f in follow]
    while queue and len(out) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        fetched = Fetched(reader, url, response.status_code, content_type, response.content)
        out.append(fetched)
        if response.status_code != 200 or not fetched.is_html:
            continue
        page = fetched.page
        hrefs = [href for href, _ in page.links]
        for entry in page.inputs:
            if entry["tag"] == "select" and entry.get("name") in ("by", "question", "d"):
                for option in entry["options"]:
                    if option["value"]:
                        hrefs.append(f"{urlparse(url).path}?{entry['name']}={option['value']}")
        for href in hrefs:
            target = _absolute(url, href)
            if target is None or target in seen:
                continue
            path = urlparse(target).path
            if SKIP.search(path) or not any(p.match(path) for p in patterns):
                continue
            queue.append(target)
    return out


def _absolute(base: str, href: str) -> str | None:
    if not href or href.startswith(("mailto:", "javascript:", "#")):
        return None
    href = href.split("#", 1)[0]
    if not href:
        return None
    parsed = urlparse(href)
    if parsed.netloc and parsed.netloc not in ("testserver", urlparse(settings.SITE_URL).netloc):
        return None
    if href.startswith("?"):
        path = urlparse(base).path
        query = href[1:]
    else:
        path = parsed.path if parsed.path.startswith("/") else None
        if path is None:
            return None
        query = parsed.query
    query = urlencode(sorted(parse_qsl(query)))
    return f"{path}?{query}" if query else path


@dataclass
class Reader:
    name: str
    client: Client
    network_id: int
    assessment_id: int

    def read(self) -> list[Fetched]:
        """The results (overview, dashboard with every comparison, comments, pack, CSV,
        spreadsheet), the round's progress and invitation list, and the facilitator's
        screen of every meeting on every dimension: whatever of it this reader may open."""
        base = f"/networks/{self.network_id}"
        results = f"{base}/results/"
        round_pages = f"{base}/assessments/{self.assessment_id}/"
        one = f"{results}{self.assessment_id}/"
        starts = [
            results,
            one,
            f"{one}comments/",
            f"{one}pack/",
            f"{one}results.csv",
            f"{one}results.xlsx",
            f"{round_pages}progress/",
            f"{round_pages}invitations/",
            f"{base}/meetings/",
        ]
        follow = [re.escape(one), rf"{re.escape(base)}/meetings/\d+/(run/)?$"]
        return crawl(self.client, self.name, starts, follow)


# ---- the attacker's notebook -----------------------------------------------------------------


def attributes(personas, scorecard: dict | None) -> dict[str, set[str]]:
    """What the coordinator knows of each member besides their answers: the stakeholder
    group on the member list, and how long they have been in the network and their part
    in it (a coordinator who has run the network for years knows their members)."""
    labels: dict[str, str] = {}
    for question in (scorecard or {}).get("profile", []):
        for option in question["options"]:
            labels[option["value"]] = option["label"].lower()
    out = {}
    for p in personas:
        words = {p.group.lower()}
        for value in (p.tenure, p.role):
            words |= {value.lower(), labels.get(value, value).lower()}
        out[p.name] = words
    return out


class Campaign:
    """After each step: everything each reader can fetch, parsed, and who had completed
    by then (from the invitation list)."""

    def __init__(self, coordinator: Coordinator, readers: list[Reader], knowledge, vocab):
        self.coordinator = coordinator
        self.readers = readers
        self.knowledge = knowledge
        self.vocab = vocab
        self.moment = 0
        self.obs = []
        self.quotes = []
        self.pages: dict[tuple[int, str], list[Fetched]] = {}
        self.notes: dict[int, str] = {}

    def look(self, note: str = "") -> int:
        self.moment += 1
        self.notes[self.moment] = note
        self.knowledge.saw_completed(self.moment, self.coordinator.completed())
        for reader in self.readers:
            got = reader.read()
            self.pages[(self.moment, reader.name)] = got
            self.obs += attacker.observations(got, self.moment)
            self.quotes += attacker.quotes_of(got, self.moment)
        return self.moment

    def text(self, moment: int, reader: str, path_part: str) -> str:
        return "\n".join(
            f.page.text
            for f in self.pages.get((moment, reader), [])
            if f.status == 200 and f.is_html and path_part in f.source
        )

    def attack(self, personas, *, readers: list[str] | None = None):
        """Everything the attacker can work out from what `readers` read."""
        obs = [o for o in self.obs if readers is None or o.reader in readers]
        quotes = [q for q in self.quotes if readers is None or q.reader in readers]
        truth = {p.name: p for p in personas}
        cells = attacker.cells(obs, self.vocab, self.knowledge)
        recovered, groups = attacker.recover(cells, self.knowledge, self.vocab, truth)
        recovered += attacker.extremes_differencing(cells, self.knowledge, truth, self.vocab)
        authors = {t: p.name for p in personas for t in p.texts.values()}
        sizes = attacker.release_sizes(cells)
        comments = attacker.comment_attribution(quotes, self.knowledge, authors, sizes)
        sources = attacker.by_source(cells, self.knowledge, self.vocab, truth) if recovered else ""
        return Findings(
            recovered=recovered,
            sources=sources,
            groups=groups,
            small=attacker.under_threshold(obs, self.vocab, self.knowledge.threshold),
            comments=comments,
            order=attacker.comment_order(quotes, self.knowledge, authors),
            vocab=self.vocab,
        )


@dataclass
class Findings:
    recovered: list
    sources: str
    groups: list
    small: list
    comments: list
    order: tuple[int, int]
    vocab: object

    @property
    def ordered(self) -> bool:
        """Comments listed in the order their writers completed, every time."""
        agree, disagree = self.order
        return agree >= 2 and disagree == 0

    @property
    def clean(self) -> bool:
        return not (self.recovered or self.groups or self.small or self.comments or self.ordered)

    def report(self) -> str:
        parts = []
        if self.recovered:
            parts.append("answers recovered:\n" + attacker.summary(self.recovered, self.vocab))
            parts.append("for example: " + attacker.examples(self.recovered))
            if self.sources:
                parts.append(self.sources)
        if self.groups:
            parts.append(
                f"{len(self.groups)} totals of fewer than the threshold worked out, e.g. "
                + "; ".join(str(g) for g in self.groups[:3])
            )
        if self.small:
            shown = sorted(
                {
                    f"{attacker.source_name(o.source)} at moment {o.moment}: "
                    f"{self.vocab.subject(o)} {o.column} = {o.text} (n={o.n or o.value:g})"
                    for o in self.small
                }
            )
            parts.append(
                f"{len(self.small)} figures from fewer than the threshold, e.g. "
                + "; ".join(shown[:6])
            )
        if self.comments:
            who = sorted({(a, m, len(c)) for _, a, m, c in self.comments}, key=str)
            parts.append(
                f"{len(self.comments)} comments narrowed to fewer than the threshold "
                f"(author, moment, candidates): {who[:10]}"
            )
        if self.ordered:
            parts.append(
                f"comments are listed in the order their writers completed ({self.order[0]} "
                "lists of 3 or more): the k-th comment is the k-th completer's"
            )
        return "\n".join(parts) or "nothing recovered"


# ---- a round ready to attack --------------------------------------------------------------


@dataclass
class Round:
    coordinator: Coordinator
    assessment: object
    personas: list[Persona]
    vocab: object
    scorecard: dict | None

    @property
    def pages(self):
        return pages_of(self.assessment)

    def knowledge(self, threshold: int = 5, personas=None) -> Knowledge:
        return Knowledge(
            threshold=threshold, attributes=attributes(personas or self.personas, self.scorecard)
        )

    def respond(
        self, persona: Persona, link: str | None = None, *, submit=True, people=None, pages=None
    ) -> bool:
        return respond(
            self.assessment,
            link or emailed_link(persona.email),
            persona,
            submit=submit,
            people=people,
            pages=pages,
        )

    def readers(self, *, coordinator=True, leader=None, share=False) -> list[Reader]:
        """The coordinator, a leader (a read-only account) and the holder of a share
        link, each in a browser of their own."""
        network_id, assessment_id = self.coordinator.network_id, self.assessment.pk
        out = []
        if coordinator:
            out.append(Reader("coordinator", self.coordinator.client, network_id, assessment_id))
        if leader is not None:
            out.append(Reader("leader", client_for(leader), network_id, assessment_id))
        if share:
            holder = Client()
            assert holder.get(self.coordinator.share_link()).status_code == 302
            out.append(Reader("share link", holder, network_id, assessment_id))
        return out

    def campaign(self, readers: list[Reader], threshold: int = 5) -> Campaign:
        return Campaign(self.coordinator, readers, self.knowledge(threshold), self.vocab)


def ready_round(
    network,
    owner,
    instruments,
    *,
    count: int,
    seed: int,
    groups: list[str],
    custom: bool = False,
    meeting: bool = False,
    invite: bool = True,
    roster: bool = False,
    **people_options,
) -> Round:
    """A round open today with the scorecard and the matrix (and, if asked, a question of
    the network's own), `count` members added through the member pages, a matrix
    meeting planned and started, and everyone invited by email."""
    coordinator = Coordinator(owner, network.pk)
    assessment = open_assessment(network, instruments, members=0, asks_roster=roster)
    coordinator.assessment_id = assessment.pk
    if custom:
        for kind, text in (
            ("agreement", "Our network's meetings lead to action."),
            ("text", "What one thing should the network start doing?"),
        ):
            coordinator.post(f"{coordinator.round}/questions/", {"kind": kind, "text": text})
    pages = pages_of(assessment)
    personas = people(count, seed=seed, groups=groups, pages=pages, **people_options)
    existing = set(coordinator.group_ids())
    for name in sorted({p.group for p in personas} - existing):
        coordinator.add_group(name)
    for persona in personas:
        coordinator.add_member(persona)
    if meeting:
        coordinator.plan_meeting()
    if invite:
        coordinator.invite_everyone()
    scorecard = assessment.health_scorecard.definition if assessment.health_scorecard else None
    matrix = assessment.matrix.definition if assessment.matrix else None
    own_questions = [
        {"code": q.code, "kind": q.kind, "text": q.text} for q in assessment.custom_questions.all()
    ]
    vocab = Vocabulary(scorecard, matrix, own_questions)
    return Round(coordinator, assessment, personas, vocab, scorecard)
