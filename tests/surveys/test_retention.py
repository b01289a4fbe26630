"""Retention (quality G3, docs/retention.md): a round's raw answers are deleted the
network's retention period after it closed, after two warnings to its coordinators;
the releases stay and every page still reads them; a legal hold stops it all."""

from datetime import datetime, time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from scorecards import releases
from scorecards import tasks as scorecard_tasks
from scorecards.models import Release, Snapshot
from surveys import services, tasks
from surveys.models import (
    Answer,
    Event,
    Invitation,
    MatrixRating,
    Network,
    ReminderSent,
    Response,
    TextAnswer,
    Tie,
)
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db

DELETED = "under the network's retention period; these results are the released aggregates."


@pytest.fixture
def assessment(network, instruments, leader):
    """A round closed today with 12 members' answers (and roster ties), released, with
    one reminder on record."""
    assessment = released_round(network, instruments, members=12, ties="dense")
    ReminderSent.objects.create(invitation=assessment.invitations.first(), days_before=7)
    return assessment


def raw_rows(assessment) -> dict[str, int]:
    return {
        "responses": Response.objects.filter(assessment=assessment).count(),
        "answers": Answer.objects.filter(response__assessment=assessment).count(),
        "texts": TextAnswer.objects.filter(response__assessment=assessment).count(),
        "ratings": MatrixRating.objects.filter(response__assessment=assessment).count(),
        "ties": Tie.objects.filter(response__assessment=assessment).count(),
        "invitations": Invitation.objects.filter(assessment=assessment).count(),
        "reminders": ReminderSent.objects.filter(invitation__assessment=assessment).count(),
        "snapshots": Snapshot.objects.filter(assessment=assessment).count(),
    }


def on_day(day):
    """Run the daily beat task as it runs on `day` (the clock moved to that noon)."""
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return tasks.apply_retention()


def due_on(assessment):
    assessment.refresh_from_db()
    return services.raw_data_due_on(assessment)


def test_coordinators_are_warned_30_and_7_days_before_and_then_the_raw_answers_go(
    client, owner, leader, assessment
):
    due = due_on(assessment)
    assert due == timezone.localdate().replace(year=timezone.localdate().year + 2)
    release_before = Release.objects.get(assessment=assessment)
    assert all(raw_rows(assessment).values())

    assert on_day(due - timedelta(days=31)) == {"warned": 0, "deleted": 0}
    assert mail.outbox == []

    assert on_day(due - timedelta(days=30)) == {"warned": 1, "deleted": 0}
    assert on_day(due - timedelta(days=30)) == {"warned": 0, "deleted": 0}  # once
    assert on_day(due - timedelta(days=8)) == {"warned": 0, "deleted": 0}
    assert on_day(due - timedelta(days=7)) == {"warned": 1, "deleted": 0}
    assert on_day(due - timedelta(days=1)) == {"warned": 0, "deleted": 0}

    # Two warnings, to the coordinator only (never the leader or a member).
    assert [m.to for m in mail.outbox] == [[owner.email], [owner.email]]
    assert all(f"{due:%-d %B %Y}" in m.subject for m in mail.outbox)
    assert "legal hold" in mail.outbox[1].body
    assert all(raw_rows(assessment).values()), "nothing is deleted before the day"

    assert on_day(due) == {"warned": 0, "deleted": 1}

    assert set(raw_rows(assessment).values()) == {0}
    assessment.refresh_from_db()
    assert assessment.raw_deleted_at is not None
    release = Release.objects.get(assessment=assessment)
    assert (release.pk, release.data, release.n_respondents) == (
        release_before.pk,
        release_before.data,
        release_before.n_respondents,
    )
    kinds = list(
        Event.objects.filter(assessment=assessment)
        .filter(kind__in=[Event.RETENTION_WARNING_SENT, Event.RAW_DATA_DELETED])
        .values_list("kind", flat=True)
        .order_by("pk")
    )
    assert kinds == [Event.RETENTION_WARNING_SENT] * 2 + [Event.RAW_DATA_DELETED]

    client.force_login(leader)
    page = client.get(reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert f"The raw answers were deleted on {assessment.raw_deleted_at:%-d %B %Y} " in body
    assert DELETED in body
    assert release.data["stage"]["summary"].replace("'", "&#x27;") in body


def test_a_round_on_legal_hold_is_neither_warned_about_nor_deleted_until_the_hold_is_lifted(
    client, owner, assessment
):
    due = due_on(assessment)
    url = reverse("assessment_legal_hold", args=[assessment.network_id, assessment.pk])
    client.force_login(owner)
    placed = client.post(url, {"reason": "Complaint ref. C-1042"})
    assert placed.status_code == 302
    before = raw_rows(assessment)

    for day in (due - timedelta(days=30), due - timedelta(days=7), due, due + timedelta(days=400)):
        assert on_day(day) == {"warned": 0, "deleted": 0}

    assert mail.outbox == []
    assert raw_rows(assessment) == before
    assessment.refresh_from_db()
    assert assessment.raw_deleted_at is None
    assert assessment.legal_hold_reason == "Complaint ref. C-1042"
    placed_event = Event.objects.get(kind=Event.LEGAL_HOLD_PLACED)
    assert (placed_event.actor, placed_event.detail) == (owner, "Complaint ref. C-1042")

    # Lifted long after the due date: a fresh warning first, deletion a week later.
    lifted = client.post(url, {"reason": "Complaint closed"})
    assert lifted.status_code == 302
    assert Event.objects.filter(kind=Event.LEGAL_HOLD_LIFTED, actor=owner).exists()
    later = due + timedelta(days=400)
    assert on_day(later) == {"warned": 1, "deleted": 0}
    assert on_day(later + timedelta(days=6)) == {"warned": 0, "deleted": 0}
    assert on_day(later + timedelta(days=7)) == {"warned": 0, "deleted": 1}
    assert raw_rows(assessment)["responses"] == 0


def test_a_round_placed_on_hold_after_its_warnings_keeps_its_raw_answers(owner, assessment):
    due = due_on(assessment)
    on_day(due - timedelta(days=7))
    services.legal_hold_place(assessment=assessment, user=owner, reason="Investigation")

    assert on_day(due) == {"warned": 0, "deleted": 0}
    assert raw_rows(assessment)["responses"] == 12


def test_a_shorter_retention_period_is_warned_about_before_anything_is_deleted(
    client, owner, network, assessment
):
    """A period shortened so that the date has passed: warned now, deleted a week on."""
    client.force_login(owner)
    edit = reverse("network_edit", args=[network.pk])
    refused = client.post(edit, {"name": network.name, "retention_months": 5})
    assert refused.status_code == 200
    assert "greater than or equal to 6" in refused.content.decode()
    assert client.post(edit, {"name": network.name, "retention_months": 6}).status_code == 302
    event = Event.objects.get(kind=Event.NETWORK_EDITED)
    assert "raw answers kept 24 months, now 6" in event.detail

    late = due_on(assessment) + timedelta(days=30)
    assert on_day(late) == {"warned": 1, "deleted": 0}
    assert f"{late + timedelta(days=7):%-d %B %Y}" in mail.outbox[0].subject
    assert on_day(late + timedelta(days=7)) == {"warned": 0, "deleted": 1}


def test_after_deletion_the_sweepers_and_the_release_rule_leave_the_round_alone(owner, assessment):
    assert services.assessment_raw_delete(assessment_id=assessment.pk)
    assert not services.assessment_raw_delete(assessment_id=assessment.pk)  # once
    assessment.refresh_from_db()

    assert scorecard_tasks.sweep_snapshots() == []
    assert scorecard_tasks.aggregate_assessment(assessment.pk) is None
    assert releases.release_make(assessment_id=assessment.pk, kind=Release.FINAL) is None
    assert "retention period" in releases.release_refusal(assessment, Release.INTERIM)
    assert Snapshot.objects.filter(assessment=assessment).count() == 0
    assert Release.objects.filter(assessment=assessment).count() == 1


def test_coordinator_reads_every_page_of_a_round_whose_raw_answers_were_deleted(
    client, owner, instruments, assessment
):
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Matrix meeting", held_on=assessment.closes_on, tables=["A"]
    )
    services.assessment_raw_delete(assessment_id=assessment.pk)
    client.force_login(owner)
    network_id, pk = assessment.network_id, assessment.pk
    pages = [
        reverse("assessment_dashboard", args=[network_id, pk]),
        reverse("steering_pack", args=[network_id, pk]),
        reverse("export_csv", args=[network_id, pk]),
        reverse("export_xlsx", args=[network_id, pk]),
        reverse("instrument_report", args=[network_id, pk]),
        reverse("results_overview", args=[network_id]),
        reverse("assessment_list", args=[network_id]),
        reverse("assessment_detail", args=[network_id, pk]),
        reverse("assessment_progress", args=[network_id, pk]),
        reverse("invitation_list", args=[network_id, pk]),
        reverse("meeting_detail", args=[network_id, meeting.pk]),
        reverse("meeting_run", args=[network_id, meeting.pk]),
        reverse("meeting_actions", args=[network_id, meeting.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url

    invitations = client.get(reverse("invitation_list", args=[network_id, pk])).content.decode()
    assert "No invitations are held any more" in invitations
    for name in ("assessment_detail", "assessment_progress", "steering_pack"):
        body = client.get(reverse(name, args=[network_id, pk])).content.decode()
        assert DELETED in body, name


def test_coordinator_cannot_reopen_or_change_a_round_whose_raw_answers_were_deleted(
    client, owner, assessment
):
    services.assessment_raw_delete(assessment_id=assessment.pk)
    client.force_login(owner)
    later = timezone.localdate() + timedelta(days=14)

    url = reverse("assessment_extend", args=[assessment.network_id, assessment.pk])
    response = client.post(url, {"closes_on": later.isoformat()})

    assert "can no longer be reopened" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "closed"
    with pytest.raises(ValidationError, match="can no longer change"):
        services.assessment_extend(assessment=assessment, closes_on=later)
    hold = reverse("assessment_legal_hold", args=[assessment.network_id, assessment.pk])
    assert "nothing left to hold" in client.get(hold).content.decode()


def test_a_round_nobody_was_invited_to_is_left_alone(owner, network, instruments):
    from tests.factories import AssessmentFactory

    today = timezone.localdate()
    empty = AssessmentFactory(
        network=network, opens_on=today - timedelta(days=900), closes_on=today - timedelta(days=800)
    )

    assert on_day(today) == {"warned": 0, "deleted": 0}
    empty.refresh_from_db()
    assert empty.raw_deleted_at is None
    assert mail.outbox == []


def test_a_new_network_keeps_raw_answers_for_the_sites_default_period(client, owner, settings):
    settings.DEFAULT_RETENTION_MONTHS = 36
    client.force_login(owner)
    client.post(reverse("network_create"), {"name": "Eastern Respiratory Network"})
    settings.DEFAULT_RETENTION_MONTHS = 500  # out of range: kept within 6 to 120
    client.post(reverse("network_create"), {"name": "Western Respiratory Network"})

    months = dict(Network.objects.values_list("name", "retention_months"))

    assert months["Eastern Respiratory Network"] == 36
    assert months["Western Respiratory Network"] == 120
