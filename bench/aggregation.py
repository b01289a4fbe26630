"""Benchmark P1: aggregation of 10,000 respondents x 45 items (plus the matrix).

Prints a table and one JSON line, and exits non-zero when a quality target is missed:
whole task under 3 s, the pandas part under 0.5 s, and at least 20 times faster than a
plain per-answer ORM loop computing the same domain means, measured in the same run.
"""

import json
import platform
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from scorecards import selectors, services
from scorecards.demo import demo_round_answers
from scorecards.models import Snapshot
from scorecards.scoring.scores import respondent_scores
from scorecards.scoring.snapshot import assessment_scores
from surveys import services as survey_services
from surveys.demo import demo_people
from surveys.instruments.validation import scale_items
from surveys.member_import import MemberRow
from surveys.models import Answer, Assessment, Instrument, Network, User

TARGETS = {"task_s": 3.0, "pandas_s": 0.5, "speedup": 20.0}


class Command(BaseCommand):
    help = "Benchmark aggregation (quality P1) on the configured database."

    def add_arguments(self, parser):
        parser.add_argument("--respondents", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args, respondents: int, runs: int, **options):
        assessment = self._assessment(respondents)
        frames = selectors.assessment_data(assessment)
        n_items = frames.answers["item"].nunique()
        load = self._median(runs, lambda: selectors.assessment_data(assessment))
        pandas = self._median(runs, lambda: self._score(frames))
        task = self._median(runs, lambda: self._task(assessment))
        means = self._median(runs, lambda: self._means(assessment))
        loop, loop_means = self._timed(lambda: self._orm_loop(assessment))
        self._check_same_means(frames, loop_means)
        result = {
            "benchmark": "P1 aggregation",
            "database": connection.vendor,
            "respondents": int(frames.answers["respondent"].nunique()),
            "items": int(n_items),
            "answers": len(frames.answers) + len(frames.importance),
            "load_s": round(load, 3),
            "pandas_s": round(pandas, 3),
            "task_s": round(task, 3),
            "means_s": round(means, 3),
            "orm_loop_s": round(loop, 3),
            "speedup": round(loop / means, 1),
            "speedup_whole_task": round(loop / task, 1),
            "runs": runs,
            "machine": f"{platform.machine()}, {platform.python_version()}",
        }
        self._report(result)
        missed = [
            name
            for name, limit in TARGETS.items()
            if (result[name] < limit if name == "speedup" else result[name] > limit)
        ]
        if missed:
            raise CommandError(f"P1 targets missed: {', '.join(missed)}")

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

    def _means(self, assessment: Assessment):
        """What the ORM loop computes, done our way: load, then vectorised means."""
        frames = selectors.assessment_data(assessment)
        return respondent_scores(frames.answers, frames.items).mean()

    def _task(self, assessment: Assessment) -> None:
        Snapshot.objects.filter(assessment=assessment).delete()
        services.snapshot_compute(assessment_id=assessment.pk)

    def _orm_loop(self, assessment: Assessment) -> dict:
        """The plain way: one model instance per answer, sums in dictionaries."""
        meta = {i["code"]: i for i in scale_items(assessment.health_scorecard.definition)}
        sums: dict = {}
        answers = Answer.objects.filter(
            response__assessment=assessment, response__submitted_at__isnull=False
        )
        for answer in answers:
            item = meta.get(answer.item)
            if item is None or answer.value is None:
                continue
            value = 6 - answer.value if item["reverse"] else answer.value
            key = (answer.response_id, item["subdimension"])
            total, count = sums.get(key, (0, 0))
            sums[key] = (total + value, count + 1)
        per_sub = {}
        for (_respondent, sub), (total, count) in sums.items():
            per_sub.setdefault(sub, []).append(total / count)
        return {sub: statistics.fmean(values) for sub, values in per_sub.items()}

    def _check_same_means(self, frames, loop_means: dict) -> None:
        # Not identical by construction (the pandas side needs half of a sub-dimension's
        # items answered), so the two must agree closely, not exactly.
        scores = self._score(frames)["subdimensions"]
        for sub, mean in loop_means.items():
            if abs(scores[sub]["mean"] - mean) > 0.05:
                raise CommandError(f"ORM loop and pandas disagree on {sub}")

    def _median(self, runs: int, fn) -> float:
        return statistics.median(self._timed(fn)[0] for _ in range(runs))

    def _timed(self, fn):
        started = time.perf_counter()
        value = fn()
        return time.perf_counter() - started, value

    def _report(self, result: dict) -> None:
        rows = [
            ("load answers from the database", result["load_s"], ""),
            ("pandas: score, bootstrap, stage", result["pandas_s"], f"< {TARGETS['pandas_s']}"),
            ("whole task (load, score, save)", result["task_s"], f"< {TARGETS['task_s']}"),
            ("the same means: load + pandas", result["means_s"], ""),
            ("per-answer ORM loop, means only", result["orm_loop_s"], ""),
        ]
        self.stdout.write(
            f"P1 aggregation: {result['respondents']} respondents x {result['items']} items "
            f"({result['answers']} answers) on {result['database']}, median of {result['runs']}"
        )
        for label, seconds, target in rows:
            self.stdout.write(f"  {label:<36} {seconds:>8.3f} s  {target}")
        self.stdout.write(f"  {'speed-up, same means':<36} {result['speedup']:>8.1f} x  >= 20")
        whole = result["speedup_whole_task"]
        self.stdout.write(f"  {'speed-up, whole task':<36} {whole:>8.1f} x")
        self.stdout.write(json.dumps(result))
