"""Releases: what coordinators, leaders, share-link holders and the meeting see of a
round, and the only thing they see (docs/privacy.md).

A round is released when it closes; an interim release, the coordinator's choice,
needs at least the threshold number of new responses since the last release that
showed figures. Every release is audited against every earlier one before it is
saved, and never changes afterwards, except that its charts are drawn again when
what they show beside it changes."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveys.models import Assessment, Event, User
from surveys.services import event_record

from . import answers, drawing, selectors, services
from .integrity import round_integrity
from .models import Release
from .scoring.publication import EarlierRelease, publish
from .services import written_in_english

log = logging.getLogger(__name__)


def release_refusal(assessment: Assessment, kind: str) -> str | None:
    """Why a release of this kind cannot be made now, in words a coordinator can act
    on; None when it can."""
    if assessment.raw_deleted_at is not None:
        return _(
            "The raw answers of this round were deleted under the network's retention "
            "period: its last release stands."
        )
    if kind == Release.INTERIM and assessment.status == "closed":
        return _("The round has closed: its results are released at closing.")
    if kind == Release.FINAL and assessment.status != "closed":
        return _("The round is still open: results are released when it closes.")
    needed = new_responses_needed(assessment)
    if needed <= 0:
        return None
    threshold = {"threshold": assessment.anonymity_threshold}
    if kind == Release.FINAL:
        return (
            _(
                "No new results: fewer than %(threshold)s responses came in since the last "
                "release, so showing them would point at the people who sent them. The last "
                "release stands."
            )
            % threshold
        )
    return ngettext(
        "%(n)s more response is needed before results can be released: at least "
        "%(threshold)s new responses since the last release, so that nobody's answers can "
        "be worked out by comparing the two.",
        "%(n)s more responses are needed before results can be released: at least "
        "%(threshold)s new responses since the last release, so that nobody's answers can "
        "be worked out by comparing the two.",
        needed,
    ) % {"n": needed, **threshold}


def new_responses_needed(assessment: Assessment) -> int:
    """How many more submitted responses an interim release (or a second release at
    closing) needs; 0 or less when it can be made. A first release at closing needs
    none: with too few answers it shows counts only."""
    submitted = answers.submitted(assessment).count()
    last = _last_release_with_figures(assessment)
    if last is None:  # nothing with figures yet: nothing to compare a release with
        return 0 if assessment.status == "closed" else assessment.anonymity_threshold - submitted
    return last.n_respondents + assessment.anonymity_threshold - submitted


def _last_release_with_figures(assessment: Assessment) -> Release | None:
    return assessment.releases.filter(data__released=True).order_by("-number").first()


def release_make(*, assessment_id: int, kind: str, made_by: User | None = None) -> Release | None:
    """The round's next release, audited against every earlier one; None when the
    rule does not allow one now (``release_refusal`` says why). Safe to run twice or at
    once with another run: the rule is checked under a lock on the round, and a
    release's number is unique."""
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment_id)
        if release_refusal(assessment, kind) is not None:
            return None
        snapshot = services.snapshot_compute(assessment_id=assessment_id)
        if snapshot is None or assessment.releases.filter(snapshot_key=snapshot.data_key).exists():
            return None  # these very answers are released already
        try:
            with transaction.atomic():
                release = _release_from(assessment, snapshot, kind, made_by)
        except IntegrityError:  # another run saved this number first
            return None
        event_record(
            Event.RELEASE_MADE,
            assessment=assessment,
            actor=made_by,
            detail=f"Release {release.number} ({release.get_kind_display().lower()}), "
            f"{release.n_respondents} respondents",
        )
    # Drawn by a task of their own, queued once the release is saved: readers see the
    # release's figures at once and its charts a moment later (the sweeper draws any
    # whose task was lost).
    drawing.charts_redraw_schedule(assessment_id=assessment_id)
    drawing.later_rounds_redraw(assessment)
    return release


@written_in_english
def _release_from(assessment: Assessment, snapshot, kind: str, made_by) -> Release:
    earlier = selectors.release_history(assessment)
    number = (earlier[-1].number if earlier else 0) + 1
    respondents = answers.respondent_profiles(answers.submitted(assessment))
    integrity = round_integrity(assessment)
    publication = publish(
        snapshot.data,
        snapshot.comments,
        respondents,
        number=number,
        earlier=[EarlierRelease(r.number, frozenset(r.respondents), r.shown) for r in earlier],
        known=integrity.known,
        threshold=assessment.anonymity_threshold,
        labels=answers.labels_for(assessment),
    )
    data = publication.data
    return Release.objects.create(
        assessment=assessment,
        number=number,
        kind=kind,
        snapshot_key=snapshot.data_key,
        n_respondents=snapshot.n_respondents,
        stage=(data.get("stage") or {}).get("stage") or "",
        certainty=(data.get("stage") or {}).get("certainty", ""),
        data=data,
        comments=publication.comments,
        respondents=sorted(int(r) for r in respondents["respondent"]),
        shown=publication.shown,
        integrity=integrity.as_dict(),
        audit={
            "cells": publication.cells,
            "too_few": publication.too_few,
            "held_back": publication.held_back,
        },
        made_by=made_by,
    )


def release_schedule(*, assessment_id: int, kind: str, made_by: User | None = None) -> None:
    """Enqueued after commit; if the broker is down, the sweeper releases closed rounds."""
    from surveys.queue import enqueue_on_commit

    from .tasks import release_round

    enqueue_on_commit(release_round, assessment_id, kind, made_by.pk if made_by else None)


def interim_release_request(*, assessment: Assessment, user: User) -> str | None:
    """A coordinator asks for interim results: queued, or refused with the reason."""
    refusal = release_refusal(assessment, Release.INTERIM)
    if refusal is None:
        release_schedule(assessment_id=assessment.pk, kind=Release.INTERIM, made_by=user)
        log.info("Interim release of assessment %s requested at %s", assessment.pk, timezone.now())
    return refusal
