"""Closed-loop load on a running server with locust, used as a library (quality P2, P3,
P7).

Run as its own process (`python -m bench.load`), because locust patches
the standard library for gevent as soon as it is imported; the Django command that
starts the server stays unpatched. Reads a JSON plan on stdin and writes one JSON
document of results on stdout.

Each scenario: `users` clients with no think time (`constant(0)`), all spawned at once,
`warmup` seconds, then `duration` seconds measured. Response times are recorded per
request (not locust's rounded buckets), so p50, p95 and p99 are exact.
"""

import itertools
import json
import os
import random
import re
import resource
import statistics
import sys
import time
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment
from locust.exception import StopUser


class Recorder:
    """Every request's time and outcome, split into warm-up and measured."""

    def __init__(self):
        self.measuring = False
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.warmup_errors = 0
        self.samples: list[str] = []

    def __call__(self, request_type, name, response_time, exception=None, **kwargs):
        if exception is not None and len(self.samples) < 5:
            self.samples.append(f"{request_type} {name}: {exception!r}"[:300])
        if not self.measuring or name.startswith("setup:"):
            self.warmup_errors += exception is not None
            return
        self.times.setdefault(name, []).append(response_time)
        if exception is not None:
            self.errors[name] = self.errors.get(name, 0) + 1


def _cookie(client, name: str) -> str:
    return next((c.value for c in client.cookiejar if c.name == name), "")


def _allow_secure_cookies_over_http(client) -> None:
    # With DEBUG=0 the session and CSRF cookies are marked Secure; the benchmark talks
    # plain HTTP on loopback (no TLS proxy in front), so the client must send them back.
    from http.cookiejar import DefaultCookiePolicy

    client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))


def _expect(response, status: int, check=None) -> None:
    with response as r:
        if r.status_code != status:
            r.failure(f"status {r.status_code}, expected {status}")
        elif check is not None and not check(r):
            r.failure("unexpected content")
        else:
            r.success()


def _open_link(client, token: str) -> str:
    """A member's first visit: the personal link moves the token into the session and
    redirects to the welcome page (which sets the CSRF cookie), then the survey is
    started. Returns the CSRF token; stops the client if the link did not open."""
    _allow_secure_cookies_over_http(client)
    opened = client.get(f"/s/{token}/", name="setup: open link")
    csrf = _cookie(client, "csrftoken")
    if opened.status_code != 200 or not csrf:
        raise StopUser()
    client.post("/survey/", data={"csrfmiddlewaretoken": csrf}, name="setup: start survey")
    return _cookie(client, "csrftoken") or csrf


def member_user(plan: dict, scenario: dict, ready: list) -> type:
    tokens = itertools.cycle(scenario["tokens"])
    pages = scenario.get("pages") or plan["pages"]
    weights = scenario["tasks"]

    class Member(FastHttpUser):
        wait_time = constant(0)

        def on_start(self):
            self.csrf = _open_link(self.client, next(tokens))
            ready.append(self)

        @task(weights.get("open", 0))
        def open_page(self):
            page = random.choice(pages)
            _expect(
                self.client.get(
                    f"/survey/page/{page['key']}/",
                    name="open a survey page",
                    allow_redirects=False,
                    catch_response=True,
                ),
                200,
            )

        @task(weights.get("save", 0))
        def save_page(self):
            page = random.choice(pages)
            _expect(
                self.client.post(
                    f"/survey/page/{page['key']}/",
                    data={**page["data"], "csrfmiddlewaretoken": self.csrf},
                    headers={"X-Background-Save": "1", "X-CSRFToken": self.csrf},
                    name="save a page of answers",
                    allow_redirects=False,
                    catch_response=True,
                ),
                200,
                lambda r: b'"saved": true' in r.content,
            )

    return Member


ROSTER_PAGE = "/survey/page/who-you-work-with/"
ADD_BUTTON = re.compile(rb'name="add" value="(\d+)"')


def roster_user(plan: dict, scenario: dict, ready: list) -> type:
    """A member on the roster question: opens it, searches it (2 or 3 first letters of
    a word of someone's name, sometimes within a group) and now and then adds someone
    listed, saved in the background as the page's script does."""
    tokens = itertools.cycle(scenario["tokens"])
    names = [name.split() for name in scenario["names"]]
    groups = scenario["groups"]
    weights = scenario["tasks"]

    class RosterMember(FastHttpUser):
        wait_time = constant(0)

        def on_start(self):
            self.csrf = _open_link(self.client, next(tokens))
            self.query: dict = {}
            self.offered: list[bytes] = []
            ready.append(self)

        def _roster(self, query: dict, name: str) -> None:
            path = ROSTER_PAGE + ("?" + urlencode(query) if query else "")

            def listed(r) -> bool:
                self.query, self.offered = query, ADD_BUTTON.findall(r.content)
                return b'id="roster-results"' in r.content

            _expect(
                self.client.get(path, name=name, allow_redirects=False, catch_response=True),
                200,
                listed,
            )

        @task(weights.get("open", 0))
        def open_roster(self):
            self._roster({}, "open the roster page")

        @task(weights.get("search", 0))
        def search(self):
            word = random.choice(random.choice(names))
            query = {"q": word[: random.choice((2, 3))].lower()}
            if random.random() < scenario["group_share"]:
                query["g"] = random.choice(groups)
            self._roster(query, "search the roster")

        @task(weights.get("add", 0))
        def add(self):
            if not self.offered:
                return  # everyone listed is chosen already: nothing to add here
            person = self.offered.pop(random.randrange(len(self.offered))).decode()
            _expect(
                self.client.post(
                    ROSTER_PAGE,
                    data={**self.query, "add": person, "csrfmiddlewaretoken": self.csrf},
                    headers={"X-Background-Save": "1", "X-CSRFToken": self.csrf},
                    name="add someone (background save)",
                    allow_redirects=False,
                    catch_response=True,
                ),
                200,
                lambda r: b'"saved": true' in r.content,
            )

    return RosterMember


def leader_user(plan: dict, scenario: dict, ready: list) -> type:
    login = scenario["login"]

    class Leader(FastHttpUser):
        wait_time = constant(0)

        def on_start(self):
            _allow_secure_cookies_over_http(self.client)
            self.client.get("/accounts/login/", name="setup: login form")
            csrf = _cookie(self.client, "csrftoken")
            signed_in = self.client.post(
                "/accounts/login/",
                data={
                    "login": login["email"],
                    "password": login["password"],
                    "csrfmiddlewaretoken": csrf,
                },
                name="setup: log in",
                allow_redirects=False,
            )
            if signed_in.status_code != 302:
                raise StopUser()
            ready.append(self)

        @task
        def dashboard(self):
            _expect(
                self.client.get(
                    scenario["path"],
                    name="open the dashboard",
                    allow_redirects=False,
                    catch_response=True,
                ),
                200,
            )

    return Leader


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine_busy_s() -> float | None:
    """CPU seconds the whole machine spent busy so far (every process, every core)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / TICK


def _process_cpu(server_pid: int | None, database: str) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the web server's processes and of the PostgreSQL backends
    serving the benchmark database, per process id (Linux /proc; empty elsewhere)."""
    found: dict[str, dict[int, float]] = {"server": {}, "database": {}}
    if not server_pid or not os.path.isdir("/proc"):
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                line = stat.read()
            comm = line[line.index("(") + 1 : line.rindex(")")]
            rest = line[line.rindex(")") + 2 :].split()
            ppid, seconds = int(rest[1]), (int(rest[11]) + int(rest[12])) / TICK
            if int(entry) == server_pid or ppid == server_pid:
                found["server"][int(entry)] = seconds
            elif comm == "postgres":
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if f" {database} ".encode() in cmdline.read():
                        found["database"][int(entry)] = seconds
        except (OSError, ValueError, IndexError):
            continue
    return found


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    return round(sum(after[pid] - before.get(pid, 0.0) for pid in after), 2)


def _summary(times: list[float], errors: int, seconds: float) -> dict:
    if len(times) >= 2:
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
    else:
        p50 = p95 = p99 = times[0] if times else None
    return {
        "requests": len(times),
        "errors": errors,
        "rps": round(len(times) / seconds, 1),
        "p50_ms": None if p50 is None else round(p50, 1),
        "p95_ms": None if p95 is None else round(p95, 1),
        "p99_ms": None if p99 is None else round(p99, 1),
    }


def run_scenario(plan: dict, scenario: dict) -> dict:
    make = {"member": member_user, "roster": roster_user, "leader": leader_user}[scenario["kind"]]
    recorder = Recorder()
    ready: list = []
    env = Environment(user_classes=[make(plan, scenario, ready)], host=plan["host"])
    env.events.request.add_listener(recorder)
    runner = env.create_local_runner()
    users = scenario["users"]
    spawned = time.perf_counter()
    runner.start(users, spawn_rate=users)
    # Every client first opens its link (or logs in); the warm-up starts once all have.
    deadline = spawned + plan.get("setup_timeout", 60)
    while len(ready) < users and time.perf_counter() < deadline:
        gevent.sleep(0.1)
    setup_s = time.perf_counter() - spawned
    gevent.sleep(plan["warmup"])
    machine_before = _machine_busy_s()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    processes_before = _process_cpu(plan.get("server_pid"), plan.get("database", ""))
    recorder.measuring = True
    started = time.perf_counter()
    gevent.sleep(plan["duration"])
    recorder.measuring = False
    seconds = time.perf_counter() - started
    machine_after = _machine_busy_s()
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    processes_after = _process_cpu(plan.get("server_pid"), plan.get("database", ""))
    running = runner.user_count
    runner.quit()
    everything = [t for times in recorder.times.values() for t in times]
    loader = (usage_after.ru_utime + usage_after.ru_stime) - (
        usage_before.ru_utime + usage_before.ru_stime
    )
    cpu = {
        "server_s": _spent(processes_before["server"], processes_after["server"]),
        "database_s": _spent(processes_before["database"], processes_after["database"]),
        "load_generator_s": round(loader, 2),
    }
    if machine_before is not None and machine_after is not None:
        cpu["machine_busy_s"] = round(machine_after - machine_before, 2)
        cpu["other_s"] = round(
            cpu["machine_busy_s"] - cpu["server_s"] - cpu["database_s"] - loader, 2
        )
    if everything:
        cpu["server_ms_per_request"] = round(1000 * cpu["server_s"] / len(everything), 2)
        cpu["database_ms_per_request"] = round(1000 * cpu["database_s"] / len(everything), 2)
    return {
        "scenario": scenario["key"],
        "users": users,
        "users_ready": len(ready),
        "setup_s": round(setup_s, 1),
        "users_running_at_end": running,
        "measured_s": round(seconds, 2),
        "by_name": {
            name: _summary(times, recorder.errors.get(name, 0), seconds)
            for name, times in sorted(recorder.times.items())
        },
        "all": _summary(everything, sum(recorder.errors.values()), seconds),
        "warmup_errors": recorder.warmup_errors,
        "error_samples": recorder.samples,
        "cpu": cpu,
    }


def main() -> None:
    plan = json.load(sys.stdin)
    results = []
    for scenario in plan["scenarios"]:
        results.append(run_scenario(plan, scenario))
        gevent.sleep(plan.get("pause", 1))
    json.dump({"scenarios": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
