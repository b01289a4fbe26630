"""Rounds with results, made the way the product makes them: answered, closed, released."""

from django.test import TestCase
from django.utils import timezone

from scorecards.demo import demo_round_answers
from scorecards.models import Release
from scorecards.releases import release_make
from tests.surveys.survey_helpers import open_assessment


def release(assessment, kind: str = Release.FINAL) -> Release | None:
    """Close the round (for a release at closing) and release it, as the task at
    closing does."""
    if kind == Release.FINAL and assessment.closed_at is None:
        assessment.closed_at = timezone.now()
        assessment.save(update_fields=["closed_at"])
    # What commits with the release (its charts' task) runs, as it would after a real
    # commit; tests run inside a transaction that never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return release_make(assessment_id=assessment.pk, kind=kind)


def released_round(network, instruments, *, members=30, rate=1.0, seed=3, ties=None, **overrides):
    """A round whose members answered (demo answers), closed and released; with
    ``ties`` (a demo structure) it asks the roster question too."""
    if ties:
        overrides["asks_roster"] = True
    assessment = open_assessment(network, instruments, members=members, **overrides)
    demo_round_answers(assessment, (62, 58, 55), 3.0, rate, "monthly", seed=seed, ties=ties)
    release(assessment)
    return assessment
