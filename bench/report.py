"""The benchmark's results: the JSON line and the table."""

import json
import os

from django.db import connection

DASHBOARD_RESPONDENTS = 10_000
SMALL_RESPONDENTS = 10  # P3: a dashboard's queries at 10,000 respondents against this round's

# scenario: (label, clients, minimum req/s, p95 limit in ms); errors must be 0 everywhere.
SCENARIOS = {
    "open_10": ("open a survey page", 10, 150.0, 100.0),
    "save_10": ("save a page of 12 answers", 10, 300.0, 60.0),
    "mixed_50": ("open and save, mixed", 50, None, 500.0),
    "dashboard_20": (f"dashboard, {DASHBOARD_RESPONDENTS:,} respondents", 20, None, 100.0),
}
FIGURE_JSON_LIMIT = 1_000_000  # bytes (P5)


def _dashboard_query_misses(queries: dict) -> list[str]:
    """P3: a dashboard view costs the same queries at 10 respondents as at 10,000."""
    small = queries.get(f"dashboard_{SMALL_RESPONDENTS}")
    large = queries.get(f"dashboard_{DASHBOARD_RESPONDENTS}")
    if small is None or large is None:
        return ["dashboard queries: not counted (a dashboard did not answer 200)"]
    if small != large:
        return [
            f"dashboard queries grow with respondents: {small} at {SMALL_RESPONDENTS}, "
            f"{large} at {DASHBOARD_RESPONDENTS:,}"
        ]
    return []


def _ms(value) -> str:
    return f"{value:>7.1f}" if value is not None else f"{'-':>7}"


TABLE_HEADER = (
    f"  {'scenario':<44} {'clients':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
    f"{'p99 ms':>7} {'errors':>6}  target"
)


def scenario_misses(run, label, clients, min_rps, p95_limit, timed=None) -> list[str]:
    """One scenario's missed targets: errors must be 0 for every kind of request; the
    req/s and p95 targets hold for each kind named in `timed` (every kind if None), or
    for all requests together when the scenario makes only one kind."""
    missed = []
    parts = {"all": run["all"]} if len(run["by_name"]) < 2 else run["by_name"]
    for name, figures in parts.items():
        what = label if name == "all" else f"{label}, {name}"
        errors = figures["errors"] + (run["warmup_errors"] if name == "all" else 0)
        if errors or figures["requests"] == 0:
            missed.append(f"{what}: {errors} errors, {figures['requests']} requests")
        if timed is not None and name != "all" and name not in timed:
            continue
        if min_rps is not None and figures["rps"] < min_rps:
            missed.append(f"{what}: {figures['rps']} req/s < {min_rps:g}")
        if figures["p95_ms"] is None or figures["p95_ms"] >= p95_limit:
            missed.append(f"{what}: p95 {figures['p95_ms']} ms >= {p95_limit:g} ms")
    if timed is not None and any(name not in run["by_name"] for name in timed):
        missed.append(f"{label}: no requests of some kind timed ({', '.join(timed)})")
    if run["users_ready"] < clients:
        missed.append(f"{label}: only {run['users_ready']} of {clients} clients started")
    if run["warmup_errors"] and len(parts) > 1:
        missed.append(f"{label}: {run['warmup_errors']} errors during warm-up")
    return missed


def scenario_rows(run, label, clients, min_rps, p95_limit, cpus, timed=None) -> list[str]:
    """One scenario's lines of the table: all requests, then each kind when there are
    several, and where the CPU went in the measured window."""
    target = (f">= {min_rps:g}/s, " if min_rps else "") + f"p95 < {p95_limit:g} ms, 0 err"
    rows = [(label, run["all"], target if timed is None else "0 err")]
    if len(run["by_name"]) > 1:
        rows += [
            (f"  {name}", f, target if timed is None or name in timed else "0 err")
            for name, f in run["by_name"].items()
        ]
    lines = []
    for row_label, f, row_target in rows:
        errors = f["errors"] + (run["warmup_errors"] if row_label == label else 0)
        lines.append(
            f"  {row_label:<44} {clients:>7} {f['rps']:>7.1f} {_ms(f['p50_ms'])} "
            f"{_ms(f['p95_ms'])} {_ms(f['p99_ms'])} {errors:>6}  {row_target}"
        )
    cpu = run["cpu"]
    lines.append(
        f"  {'':<6}CPU-s in the {run['measured_s']:g} s measured: web "
        f"{cpu['server_s']} ({cpu.get('server_ms_per_request')} ms/request), "
        f"PostgreSQL {cpu['database_s']} ({cpu.get('database_ms_per_request')} "
        f"ms/request), load generator {cpu['load_generator_s']}, other processes "
        f"{cpu.get('other_s')}; machine busy {cpu.get('machine_busy_s')} of "
        f"{cpus * run['measured_s']:.0f}"
    )
    return lines


class ReportMixin:
    def _result(self, workers, warmup, duration, load, page_check, queries, notes, dashboard):
        missed = []
        scenarios = {}
        for key, (label, clients, min_rps, p95_limit) in SCENARIOS.items():
            run = load.get(key)
            if run is None:
                scenarios[key] = {"label": label, "clients": clients, "measured": False}
                missed.append(f"{label}: not measurable (no dashboard page)")
                continue
            missed += scenario_misses(run, label, clients, min_rps, p95_limit)
            scenarios[key] = {
                "label": label,
                "clients": clients,
                "target": {"min_rps": min_rps, "p95_ms_below": p95_limit, "errors": 0},
                **run,
            }
        missed += _dashboard_query_misses(queries)
        if page_check is None:
            missed.append("figure JSON on the dashboard: not measurable (no dashboard page)")
        elif "error" in page_check:
            missed.append(f"figure JSON on the dashboard: {page_check['error']}")
        else:
            if page_check["figure_json_bytes"] >= FIGURE_JSON_LIMIT:
                missed.append(
                    f"figure JSON {page_check['figure_json_bytes']} bytes >= {FIGURE_JSON_LIMIT}"
                )
            plotly = page_check.get("plotly")
            if not plotly:
                missed.append("plotly.js: not found on the dashboard")
            elif not (
                plotly["fingerprinted"]
                and plotly["content_encoding"] in ("br", "gzip")
                and plotly["cache_max_age_s"] >= 365 * 24 * 3600
            ):
                missed.append(f"plotly.js not fingerprinted, compressed and cached: {plotly}")
        return {
            "benchmark": "P2 P3 P5 web",
            "database": connection.vendor,
            "server": f"gunicorn, {workers} workers, DEBUG=0",
            "clients": "closed loop, no think time",
            "warmup_s": warmup,
            "measured_s": duration,
            "scenarios": scenarios,
            "dashboard_page": page_check,
            "dashboard_respondents": dashboard["assessment"]
            .responses.filter(submitted_at__isnull=False)
            .count()
            if dashboard
            else None,
            "queries": queries,
            "notes": notes,
            "missed": missed,
            "cpus": os.cpu_count(),
        }

    def _report(self, result: dict) -> None:
        w = self.stdout.write
        w(
            f"P2/P3 web: {result['server']}, {result['database']}, {result['clients']}, "
            f"{result['warmup_s']:g} s warm-up then {result['measured_s']:g} s measured"
        )
        w(TABLE_HEADER)
        for key, (label, clients, min_rps, p95_limit) in SCENARIOS.items():
            run = result["scenarios"][key]
            if "all" not in run:
                w(f"  {label:<44} {clients:>7}  NOT MEASURED")
                continue
            for line in scenario_rows(run, label, clients, min_rps, p95_limit, result["cpus"]):
                w(line)
        page = result["dashboard_page"]
        if page and "error" not in page:
            w(
                f"  figure JSON on the dashboard: {page['figure_json_bytes']:,} bytes in "
                f"{page['figure_json_blocks']} blocks (page {page['html_bytes']:,} bytes), "
                f"target < {FIGURE_JSON_LIMIT:,}"
            )
            plotly = page.get("plotly")
            if plotly:
                w(
                    f"  plotly.js: fingerprinted={plotly['fingerprinted']}, "
                    f"encoding={plotly['content_encoding'] or 'none'}, "
                    f"{plotly['bytes_sent']:,} bytes sent, max-age={plotly['cache_max_age_s']} s"
                )
        q = result["queries"]
        if q:
            w(
                f"  queries: member page open <= {q.get('survey_page_open_max')}, save <= "
                f"{q.get('survey_page_save_max')} (over {q.get('survey_pages')} pages); "
                f"dashboard {q.get(f'dashboard_{SMALL_RESPONDENTS}')} at {SMALL_RESPONDENTS} "
                "respondents, "
                f"{q.get(f'dashboard_{DASHBOARD_RESPONDENTS}')} at {DASHBOARD_RESPONDENTS:,}"
            )
        for note in result["notes"]:
            w(f"  note: {note}")
        for miss in result["missed"]:
            w(f"  MISSED: {miss}")
        w(json.dumps(result, default=str))
