"""Benchmarks P1 and P6: aggregation of a whole round, as the quality bar states it,
and the disclosure audit of its release.

The whole task (answers loaded from PostgreSQL, scored, bootstrapped, audited and
saved) for 10,000 respondents must take under 1 s and within 3 times the time
PostgreSQL alone takes to hand over the same answers (`COPY` to nothing, measured in
the same run: the floor no implementation can beat). For 100,000 respondents (a
national programme) it must take under 10 s and under 2 GB of memory, measured in a
fresh process so the figure is the task's own.

Prints a table and one JSON line, and exits non-zero when a target is missed.
"""

import io
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from scorecards import answers, drawing, services
from scorecards.demo import demo_round_answers
from scorecards.models import Release, Snapshot
from scorecards.releases import release_make
from scorecards.scoring.publication import publish
from scorecards.scoring.snapshot import assessment_scores
from surveys import services as survey_services
from surveys.demo import demo_people
from surveys.member_import import MemberRow
from surveys.models import Answer, Assessment, Instrument, MatrixRating, Network, TextAnswer, User

TARGETS = {"task_s": 1.0, "task_over_copy": 3.0, "audit_s": 1.0}
LARGE_TARGETS = {"task_s": 10.0, "peak_mb": 2048}


class NullSink(io.RawIOBase):
    """Where COPY writes when only PostgreSQL's own time is measured."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return len(data)


class Command(BaseCommand):
    help = "Benchmark aggregation (quality P1) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--respondents", type=int, default=10_000)
        parser.add_argument("--large", type=int, default=100_000, help="0 skips the large run")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument(
            "--task-once", action="store_true", help="run the task once and print its time"
        )

    def handle(self, *args, respondents: int, large: int, runs: int, task_once=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError("P1 is measured on PostgreSQL: set DATABASE_URL.")
        assessment = self._assessment(respondents)
        if task_once:  # the child process of the large run
            self.stdout.write(json.dumps({"task_s": round(self._timed(self._task, assessment), 3)}))
            return
        frames = answers.assessment_data(assessment)
        copy = self._median(runs, lambda: self._copy_floor(assessment))
        load = self._median(runs, lambda: answers.assessment_data(assessment))
        pandas = self._median(runs, lambda: self._score(frames))
        task = self._median(runs, lambda: self._task(assessment))
        charts = self._median(runs, lambda: self._charts(assessment))
        audits = [self._audit(assessment) for _ in range(runs)]
        result = {
            "benchmark": "P1 aggregation",
            "respondents": int(frames.answers["respondent"].nunique()),
            "items": int(frames.answers["item"].nunique()),
            "answers": len(frames.answers) + len(frames.importance) + len(frames.matrix),
            "copy_s": round(copy, 3),
            "load_s": round(load, 3),
            "pandas_s": round(pandas, 3),
            "task_s": round(task, 3),
            "task_over_copy": round(task / copy, 1),
            "audit_s": round(statistics.median(a for a, _ in audits), 3),
            "charts_s": round(charts, 3),
            "audit_cells": audits[0][1],
            "runs": runs,
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
        }
        missed = [name for name, limit in TARGETS.items() if result[name] > limit]
        if large:
            result["large"] = self._large(large)
            missed += [
                f"large {name}"
                for name, limit in LARGE_TARGETS.items()
                if result["large"][name] > limit
            ]
        self._report(result)
        if missed:
            raise CommandError(f"P1 targets missed: {', '.join(missed)}")

    def _large(self, respondents: int) -> dict:
        """The task once on a large round, in a fresh process: its time, and the peak
        resident memory of that process."""
        self._assessment(respondents)  # made once, outside the measured process
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run(
            [sys.executable, "-m", "bench", "aggregation", "--respondents", str(respondents),
             "--task-once"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        task = json.loads(done.stdout.strip().splitlines()[-1])["task_s"]
        return {
            "respondents": respondents,
            "task_s": task,
            "peak_mb": round(max(peak_kb, before) / 1024),
        }

    def _assessment(self, respondents: int) -> Assessment:
        """A closed round with `respondents` submitted responses, made once and reused."""
        name = f"Benchmark Network ({respondents} respondents)"
        network = Network.objects.filter(name=name).first()
        if network is None:
            owner, _ = User.objects.get_or_create(email="bench@netassess.local")
            network = survey_services.network_create(
                user=owner, name=name, founded_on=timezone.localdate() - timedelta(days=900)
            )
            rows = [
                MemberRow(line=i, **person)
                for i, person in enumerate(demo_people(respondents, seed=99))
            ]
            survey_services.members_import(network=network, rows=rows)
        assessment = network.assessments.first()
        if assessment is None:
            self.stdout.write(f"Creating {respondents} responses (once)...")
            survey_services.instruments_load()
            today = timezone.localdate()
            assessment = survey_services.assessment_save(
                network=network,
                user=None,
                **{
                    **survey_services.assessment_defaults(network),
                    "health_scorecard": Instrument.objects.filter(kind="scorecard").latest(
                        "version"
                    ),
                    "matrix": Instrument.objects.filter(kind="matrix").latest("version"),
                    "opens_on": today - timedelta(days=30),
                    "closes_on": today - timedelta(days=2),
                },
            )
            demo_round_answers(assessment, (62, 58, 55), 3.0, 1.0, "monthly", seed=7)
        return assessment

    def _score(self, frames):
        return assessment_scores(
            answers=frames.answers,
            items=frames.items,
            importance=frames.importance,
            respondents=frames.respondents[["respondent", "group", "tenure", "network_role"]],
            matrix=frames.matrix,
            dimension_codes=frames.dimension_codes,
            threshold=5,
            response_rate=80,
        )

    def _task(self, assessment: Assessment) -> None:
        """The round's release from scratch: answers loaded, scored, bootstrapped,
        audited and saved. Its charts are drawn by a task of their own (timed apart):
        without a broker here that task would run inline, so it is held back."""
        Release.objects.filter(assessment=assessment).delete()
        Snapshot.objects.filter(assessment=assessment).delete()
        with mock.patch("scorecards.drawing.charts_redraw_schedule"):
            release_make(assessment_id=assessment.pk, kind=Release.FINAL)

    def _charts(self, assessment: Assessment) -> None:
        drawing.release_charts_redraw(assessment_id=assessment.pk, force=True)

    def _audit(self, assessment: Assessment) -> tuple[float, int]:
        """P6: the release audit alone, over every cell the round publishes."""
        snapshot = services.snapshot_compute(assessment_id=assessment.pk)
        respondents = answers.respondent_profiles(answers.submitted(assessment))
        started = time.perf_counter()
        publication = publish(
            snapshot.data, snapshot.comments, respondents,
            number=1, earlier=[], known=set(), threshold=assessment.anonymity_threshold,
        )  # fmt: skip
        return time.perf_counter() - started, publication.cells

    def _copy_floor(self, assessment: Assessment) -> None:
        """PostgreSQL hands over every answer the task reads, to nowhere."""
        responses = answers.submitted(assessment)
        querysets = [
            Answer.objects.filter(response__in=responses).values_list(
                "response_id", "item", "value"
            ),
            MatrixRating.objects.filter(response__in=responses).values_list(
                "response_id", "dimension", "current", "target"
            ),
            TextAnswer.objects.filter(response__in=responses).values_list("question", "text"),
        ]
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for queryset in querysets:
                sql, params = queryset.query.sql_with_params()
                query = raw.mogrify(sql, params).decode()
                raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", NullSink())

    def _median(self, runs: int, fn) -> float:
        return statistics.median(self._timed(fn) for _ in range(runs))

    def _timed(self, fn, *args) -> float:
        started = time.perf_counter()
        fn(*args)
        return time.perf_counter() - started

    def _report(self, result: dict) -> None:
        rows = [
            ("PostgreSQL alone: COPY to nothing", result["copy_s"], ""),
            ("load answers into pandas", result["load_s"], ""),
            ("pandas: score, bootstrap, stage", result["pandas_s"], ""),
            ("whole task (load, score, audit, save)", result["task_s"], f"< {TARGETS['task_s']}"),
            (
                f"P6 audit ({result['audit_cells']} cells)",
                result["audit_s"],
                f"< {TARGETS['audit_s']}",
            ),
        ]
        self.stdout.write(
            f"P1 aggregation: {result['respondents']} respondents x {result['items']} items "
            f"({result['answers']} answers), median of {result['runs']}"
        )
        for label, seconds, target in rows:
            self.stdout.write(f"  {label:<36} {seconds:>8.3f} s  {target}")
        ratio = result["task_over_copy"]
        self.stdout.write(
            f"  {'whole task / COPY':<36} {ratio:>8.1f} x  <= {TARGETS['task_over_copy']}"
        )
        if "large" in result:
            large = result["large"]
            self.stdout.write(
                f"  {large['respondents']} respondents: whole task {large['task_s']:.2f} s "
                f"(< {LARGE_TARGETS['task_s']:g}), peak memory {large['peak_mb']} MB "
                f"(< {LARGE_TARGETS['peak_mb']})"
            )
        self.stdout.write(json.dumps(result))
