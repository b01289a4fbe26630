"""Benchmarks P2 and P3 (and the dashboard half of P5): the site under closed-loop load.

Starts gunicorn (4 workers, DEBUG=0) on a free loopback port against this database and
drives it with locust in a separate process: clients with no think time, 5 s warm-up,
20 s measured. Scenarios: members opening survey pages and saving pages of answers (12
each) at 10 clients each, both mixed at 50 clients, and leaders reading the dashboard of
an assessment with 10,000 respondents at 20 clients, whose queries are counted against
a 10-respondent round's dashboard. Also measures the figure data a dashboard embeds and
checks that plotly.js is served fingerprinted, compressed and cached.

Prints a table and one JSON line, and exits non-zero when a quality target is missed
(after printing every figure).
"""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from bench.aggregation import Command as BenchAggregation
from bench.data import link_tokens, open_round
from bench.report import (
    DASHBOARD_RESPONDENTS,
    SCENARIOS,
    SMALL_RESPONDENTS,
    ReportMixin,
)
from bench.server import ServerMixin, free_port
from scorecards import drawing
from scorecards.models import Release
from scorecards.releases import release_make
from surveys import services as survey_services
from surveys.models import Invitation, NetworkRole, User
from surveys.survey_pages import survey_pages

LOAD_NETWORK = "Load Test Network"
SAVE_ANSWERS = 12  # answers in each page the save scenario posts
LEADER_EMAIL = "bench-leader@netassess.local"

# scenario: (label, clients, minimum req/s, p95 limit in ms); errors must be 0 everywhere.
JSON_SCRIPT = re.compile(
    r"<script\b[^>]*\btype=[\"']application/json[\"'][^>]*>(.*?)</script>", re.S | re.I
)


class Command(ServerMixin, ReportMixin, BaseCommand):
    help = "Benchmark the web pages under load (quality P2, P3, P5) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=300)
        parser.add_argument("--warmup", type=float, default=5.0)
        parser.add_argument("--duration", type=float, default=20.0)
        parser.add_argument("--workers", type=int, default=4)

    def handle(self, *args, members: int, warmup: float, duration: float, workers: int, **opts):
        database_url = os.environ.get("DATABASE_URL", "")
        if connection.vendor != "postgresql" or not database_url:
            raise CommandError("Run on PostgreSQL with DATABASE_URL set (make bench does).")
        if members < 71:
            raise CommandError("--members must be at least 71 (70 clients and one more).")
        started = time.perf_counter()
        assessment, token_list, pages = self._load_test_round(members)
        dashboard = self._dashboard_round()
        queries = self._query_counts(assessment, token_list[-1], pages, dashboard)
        static_root = self._collect_static()
        notes = [
            "Rate limiting is switched off for the load run only (RATELIMIT_ENABLE=0): "
            "every client comes from one address.",
            "No REDIS_URL: tasks would run in-process, so a submit would aggregate in the "
            "request; these scenarios open and save pages and never submit, so none runs.",
        ]
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryFile() as server_log:
            server = self._start_server(port, workers, database_url, static_root, server_log)
            try:
                self._wait_until_up(server, host, server_log)
                page_check = self._dashboard_page(host, dashboard) if dashboard else None
                plan = self._plan(host, warmup, duration, token_list, pages, dashboard)
                plan["server_pid"] = server.pid
                plan["database"] = connection.settings_dict["NAME"]
                load = self._run_load(plan)
            finally:
                self._stop_server(server)
        result = self._result(
            workers, warmup, duration, load, page_check, queries, notes, dashboard
        )
        result["total_s"] = round(time.perf_counter() - started, 1)
        self._report(result)
        if result["missed"]:
            raise CommandError("Targets missed: " + "; ".join(result["missed"]))

    # --- data, made once and reused -------------------------------------------------

    def _load_test_round(self, members: int):
        """An open round of the scorecard and the matrix for `members` members, each
        invited; returns it, the members' link tokens and the pages with valid answers."""
        assessment = open_round(LOAD_NETWORK, members, seed=300)
        assessment.invitations.exclude(status__in=Invitation.LIVE).update(status=Invitation.SENT)
        token_list = link_tokens(assessment)[:members]
        custom = list(assessment.custom_questions.values("code", "kind", "text"))
        pages = survey_pages(
            assessment.health_scorecard.definition, assessment.matrix.definition, custom
        )
        forms = []
        for page in pages:
            data = _full_answers(page)
            _values, errors = survey_services.parse_page(page, data)
            if errors:
                raise CommandError(f"The benchmark's answers for page {page.key} are invalid.")
            forms.append({"key": page.key, "data": data, "answers": len(page.questions)})
        return assessment, token_list, forms

    def _dashboard_round(self) -> dict | None:
        """The 10,000-respondent round of P1, released with its charts, and a leader; and a
        10-respondent round the same leader reads, to compare query counts."""
        try:
            reverse("assessment_dashboard", args=[1, 1])
        except NoReverseMatch:
            return None
        bench = BenchAggregation(stdout=self.stdout, stderr=self.stderr)
        assessment = bench._assessment(DASHBOARD_RESPONDENTS)
        small = bench._assessment(SMALL_RESPONDENTS)
        leader, _ = User.objects.get_or_create(email=LEADER_EMAIL)
        password = secrets.token_urlsafe(18)
        leader.set_password(password)
        leader.is_active = True
        leader.save()
        survey_services.user_address_confirm(user=leader)
        for each in (assessment, small):
            release_make(assessment_id=each.pk, kind=Release.FINAL)  # None if released
            drawing.release_charts_redraw(assessment_id=each.pk)
            NetworkRole.objects.update_or_create(
                network=each.network,
                email=LEADER_EMAIL,
                defaults={"user": leader, "role": NetworkRole.LEADER},
            )
        return {
            "assessment": assessment,
            "path": _dashboard_path(assessment),
            "small_path": _dashboard_path(small),
            "email": LEADER_EMAIL,
            "password": password,
        }

    # --- queries per page, in this process ------------------------------------------

    def _query_counts(self, assessment, token: str, pages: list[dict], dashboard) -> dict:
        """How many queries a member's page view and save cost (most over every page),
        and a leader's dashboard view, counted through Django's test client."""
        counts: dict = {}
        member = Client(SERVER_NAME="127.0.0.1")
        member.get(f"/s/{token}/")
        member.post("/survey/")
        opened, saved = [], []
        for page in pages:
            url = f"/survey/page/{page['key']}/"
            with CaptureQueriesContext(connection) as ctx:
                status = member.get(url).status_code
            opened.append(len(ctx) if status == 200 else None)
            with CaptureQueriesContext(connection) as ctx:
                status = member.post(url, page["data"], HTTP_X_BACKGROUND_SAVE="1").status_code
            saved.append(len(ctx) if status == 200 else None)
        if None not in opened + saved:
            counts["survey_page_open_max"] = max(opened)
            counts["survey_page_save_max"] = max(saved)
            counts["survey_pages"] = len(pages)
        if dashboard:
            leader = Client(SERVER_NAME="127.0.0.1")
            leader.force_login(User.objects.get(email=LEADER_EMAIL))
            leader.get(dashboard["small_path"])  # the session, as on any page
            for respondents, path in (
                (SMALL_RESPONDENTS, dashboard["small_path"]),
                (DASHBOARD_RESPONDENTS, dashboard["path"]),
            ):
                with CaptureQueriesContext(connection) as ctx:
                    status = leader.get(path).status_code
                counts[f"dashboard_{respondents}"] = len(ctx) if status == 200 else None
        return counts

    # --- the server -------------------------------------------------------------------

    def _dashboard_page(self, host: str, dashboard: dict) -> dict:
        jar = CookieJar(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        browser.open(host + "/accounts/login/", timeout=30).read()
        csrf = next((c.value for c in jar if c.name == "csrftoken"), "")
        form = urllib.parse.urlencode(
            {
                "login": dashboard["email"],
                "password": dashboard["password"],
                "csrfmiddlewaretoken": csrf,
            }
        ).encode()
        browser.open(host + "/accounts/login/", data=form, timeout=30).read()
        with browser.open(host + dashboard["path"], timeout=60) as answer:
            html = answer.read()
            final_url = answer.geturl()
        if not final_url.endswith(dashboard["path"]):
            return {"error": f"the dashboard redirected to {final_url}"}
        text = html.decode()
        blocks = [block.encode() for block in JSON_SCRIPT.findall(text)]
        check = {
            "html_bytes": len(html),
            "figure_json_blocks": len(blocks),
            "figure_json_bytes": sum(len(b) for b in blocks),
            "largest_figure_json_bytes": max((len(b) for b in blocks), default=0),
        }
        plotly = re.search(r"""src=["'](/static/[^"']*plotly[^"']*\.js)["']""", text)
        if plotly:
            request = urllib.request.Request(
                host + plotly.group(1), headers={"Accept-Encoding": "br, gzip"}
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read()
                headers = answer.headers
            max_age = re.search(r"max-age=(\d+)", headers.get("Cache-Control", ""))
            check["plotly"] = {
                "path": plotly.group(1),
                "fingerprinted": bool(re.search(r"\.[0-9a-f]{12}\.js$", plotly.group(1))),
                "content_encoding": headers.get("Content-Encoding", ""),
                "bytes_sent": len(body),
                "cache_max_age_s": int(max_age.group(1)) if max_age else 0,
            }
        return check

    # --- the load ---------------------------------------------------------------------

    def _plan(self, host, warmup, duration, token_list, pages, dashboard) -> dict:
        scenarios = [
            {"key": "open_10", "kind": "member", "tasks": {"open": 1}, "tokens": token_list[:10]},
            {
                "key": "save_10",
                "kind": "member",
                "tasks": {"save": 1},
                "tokens": token_list[10:20],
                # The longest pages (twelve statements each): what P2's save target is for.
                "pages": [form for form in pages if form["answers"] == SAVE_ANSWERS],
            },
            {
                "key": "mixed_50",
                "kind": "member",
                "tasks": {"open": 1, "save": 1},
                "tokens": token_list[20:70],
            },
        ]
        if dashboard:
            scenarios.append(
                {
                    "key": "dashboard_20",
                    "kind": "leader",
                    "path": dashboard["path"],
                    "login": {"email": dashboard["email"], "password": dashboard["password"]},
                }
            )
        for scenario in scenarios:
            scenario["users"] = SCENARIOS[scenario["key"]][1]
        return {
            "host": host,
            "warmup": warmup,
            "duration": duration,
            "pages": pages,
            "scenarios": scenarios,
        }

    def _run_load(self, plan: dict) -> dict:
        rounds = len(plan["scenarios"])
        self.stdout.write(
            f"Load: {rounds} scenarios x ({plan['warmup']:g} s warm-up + "
            f"{plan['duration']:g} s measured)..."
        )
        done = subprocess.run(
            [sys.executable, "-m", "bench.load"],
            input=json.dumps(plan),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=rounds * (plan["warmup"] + plan["duration"] + 75) + 60,
        )
        if done.returncode != 0:
            raise CommandError(f"The load generator failed:\n{done.stderr[-3000:]}")
        return {s["scenario"]: s for s in json.loads(done.stdout)["scenarios"]}

    # --- results ----------------------------------------------------------------------


def _dashboard_path(assessment) -> str:
    return reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk])


def _full_answers(page) -> dict:
    """A complete, valid answer for every question on a page."""
    data = {}
    for question in page.questions:
        if question.kind in ("agreement", "importance"):
            data[question.code] = "4"
        elif question.kind == "choice":
            data[question.code] = question.options[0][0]
        elif question.kind == "text":
            data[question.code] = f"Comment for {question.code}"
        elif question.kind == "matrix":
            data[f"{question.code}.current"] = "3"
            data[f"{question.code}.target"] = "4"
    return data
