"""Benchmark P7: the roster question's page in a network of 2,000 members opens, and
searches, with p95 under 150 ms at 10 clients, with no errors.

The network (2,000 members from `demo_people`, in their groups and organisations) and
its round asking the roster question are made once and found again by name; every
member is invited. The clients' choices from earlier runs are taken away first, so
each run starts with nobody chosen.

Starts gunicorn (4 workers, DEBUG=0) on a free loopback port and drives it with locust
(`bench.load`) as the web benchmark does: 10 clients with no think time, each opening
its own link once, then 5 s warm-up and 20 s measured. Each client opens the roster
page (no search), searches it (2 or 3 first letters of a word of someone's name, a
third of the time within one group) and now and then adds someone it was shown, saved
in the background as the page's script saves. The target holds for opening and for
searching, each on its own; adding must make no errors. Also counts the queries of one
roster page view, opened and searched, through Django's test client.

Prints a table and one JSON line, and exits non-zero when a target is missed (after
printing every figure).
"""

import json
import os
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.data import link_tokens, open_round
from bench.report import TABLE_HEADER, scenario_misses, scenario_rows
from bench.server import ServerMixin, free_port
from surveys.models import Invitation, Member, Response, StakeholderGroup, Tie

NETWORK = "Roster Test Network"
ROSTER_PAGE = "/survey/page/who-you-work-with/"
# label, clients, minimum req/s (none), p95 limit in ms; errors must be 0.
SCENARIO = ("roster page, 2,000 members", 10, None, 150.0)
TIMED = ("open the roster page", "search the roster")  # what the p95 target is for
TASKS = {"open": 2, "search": 6, "add": 1}
GROUP_SHARE = 1 / 3  # searches made within one group
ANALYZED = (Member, StakeholderGroup, Invitation, Response, Tie)  # the tables the page reads


class Command(ServerMixin, BaseCommand):
    help = "Benchmark the roster question's page (quality P7) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2_000)
        parser.add_argument("--clients", type=int, default=SCENARIO[1])
        parser.add_argument("--warmup", type=float, default=5.0)
        parser.add_argument("--duration", type=float, default=20.0)
        parser.add_argument("--workers", type=int, default=4)

    def handle(self, *args, members, clients, warmup, duration, workers, **opts):
        database_url = os.environ.get("DATABASE_URL", "")
        if connection.vendor != "postgresql" or not database_url:
            raise CommandError("Run on PostgreSQL with DATABASE_URL set (make bench does).")
        if members <= clients:
            raise CommandError("--members must be more than --clients.")
        started = time.perf_counter()
        assessment, token_list = self._roster_round(members, clients)
        network = assessment.network
        names = list(network.members.on_roster().values_list("name", flat=True))
        groups = list(network.groups.values_list("pk", flat=True))
        queries = self._query_counts(token_list[clients], names[0], groups[0])
        static_root = self._collect_static()
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        load_before = os.getloadavg()
        with tempfile.TemporaryFile() as server_log:
            server = self._start_server(port, workers, database_url, static_root, server_log)
            try:
                self._wait_until_up(server, host, server_log)
                scenario = {
                    "key": "roster_10",
                    "kind": "roster",
                    "users": clients,
                    "tokens": token_list[:clients],
                    "names": names,
                    "groups": groups,
                    "group_share": GROUP_SHARE,
                    "tasks": TASKS,
                }
                plan = {
                    "host": host,
                    "warmup": warmup,
                    "duration": duration,
                    "pages": [],
                    "scenarios": [scenario],
                    "server_pid": server.pid,
                    "database": connection.settings_dict["NAME"],
                }
                run = self._run_load(plan)
            finally:
                self._stop_server(server)
        label, _clients, min_rps, p95_limit = SCENARIO
        missed = scenario_misses(run, label, clients, min_rps, p95_limit, TIMED)
        for name, count in queries.items():
            if count is None:
                missed.append(f"queries: the roster page ({name}) did not answer 200")
        result = {
            "benchmark": "P7 roster",
            "database": connection.vendor,
            "server": f"gunicorn, {workers} workers, DEBUG=0",
            "clients": "closed loop, no think time",
            "warmup_s": warmup,
            "measured_s": duration,
            "members_on_roster": len(names),
            "groups": len(groups),
            "tasks": TASKS,
            "scenario": {
                "label": label,
                "clients": clients,
                "target": {"p95_ms_below": p95_limit, "for": TIMED, "errors": 0},
                **run,
            },
            "queries": queries,
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in os.getloadavg()],
            "notes": [
                "Rate limiting is switched off for the load run only (RATELIMIT_ENABLE=0): "
                "every client comes from one address.",
                "Each run starts with nobody chosen: the clients' earlier choices are "
                "taken away first.",
                "The tables the page reads are analyzed first (autovacuum may be off on a "
                "benchmark machine; a deployment keeps their statistics).",
            ],
            "missed": missed,
            "cpus": os.cpu_count(),
            "total_s": round(time.perf_counter() - started, 1),
        }
        self._report(result)
        if missed:
            raise CommandError("Targets missed: " + "; ".join(missed))

    # --- data, made once and reused -------------------------------------------------

    def _roster_round(self, members: int, clients: int):
        """The round asking the roster question, every member invited; returns it and
        the members' link tokens. The clients' (and the counted member's) ties go."""
        assessment = open_round(NETWORK, members, seed=707, asks_roster=True)
        if not assessment.asks_roster:
            raise CommandError(f"The round of {NETWORK!r} does not ask the roster question.")
        assessment.invitations.exclude(status__in=Invitation.LIVE).update(status=Invitation.SENT)
        token_list = link_tokens(assessment)
        ours = assessment.invitations.order_by("pk").values_list("pk", flat=True)[: clients + 1]
        Tie.objects.filter(response__invitation__in=list(ours)).delete()
        # Fresh statistics, as autovacuum keeps them in a deployment (it may be off on a
        # benchmark machine): without them PostgreSQL plans for tables of one row.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(m._meta.db_table for m in ANALYZED)}")
        return assessment, token_list

    # --- queries per page, in this process ------------------------------------------

    def _query_counts(self, token: str, name: str, group: int) -> dict:
        """How many queries one roster page view costs, opened and searched (within a
        group), counted through Django's test client by a member who is not a client."""
        member = Client(SERVER_NAME="127.0.0.1")
        member.get(f"/s/{token}/")
        member.post("/survey/")
        member.get(ROSTER_PAGE)  # the response exists from here, as for every client
        counts = {}
        for key, query in (("open", {}), ("search", {"q": name[:3], "g": group})):
            with CaptureQueriesContext(connection) as ctx:
                status = member.get(ROSTER_PAGE, query).status_code
            counts[key] = len(ctx) if status == 200 else None
        return counts

    # --- the load ---------------------------------------------------------------------

    def _run_load(self, plan: dict) -> dict:
        self.stdout.write(
            f"Load: {plan['warmup']:g} s warm-up + {plan['duration']:g} s measured..."
        )
        done = subprocess.run(
            [sys.executable, "-m", "bench.load"],
            input=json.dumps(plan),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=plan["warmup"] + plan["duration"] + 135,
        )
        if done.returncode != 0:
            raise CommandError(f"The load generator failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)["scenarios"][0]

    # --- results ----------------------------------------------------------------------

    def _report(self, result: dict) -> None:
        w = self.stdout.write
        w(
            f"P7 roster: {result['members_on_roster']:,} members on the roster in "
            f"{result['groups']} groups, {result['server']}, {result['database']}, "
            f"{result['clients']}, {result['warmup_s']:g} s warm-up then "
            f"{result['measured_s']:g} s measured"
        )
        w(TABLE_HEADER)
        run = result["scenario"]
        label, _clients, min_rps, p95_limit = SCENARIO
        for line in scenario_rows(
            run, label, run["clients"], min_rps, p95_limit, result["cpus"], TIMED
        ):
            w(line)
        q = result["queries"]
        w(f"  queries: roster page opened {q['open']}, searched within a group {q['search']}")
        w(
            f"  load average (1, 5, 15 min): {result['load_average_before']} before the "
            f"load, {result['load_average_after']} after"
        )
        for note in result["notes"]:
            w(f"  note: {note}")
        for miss in result["missed"]:
            w(f"  MISSED: {miss}")
        w(json.dumps(result, default=str))
