"""Invitations and reminders by email (quality R6): text and HTML, sent once, retried
with backoff on failure, never after closing or completion."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends import locmem
from django.test import Client
from django.utils import timezone

from surveys import services, tasks
from surveys.models import Invitation, ReminderSent
from tests.surveys.survey_helpers import (
    invite_all,
    open_assessment,
    outbox_links,
    run_as_a_worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    return open_assessment(network, instruments, members=3, reminder_days=[7, 2])


def send_all(assessment):
    ids = [i.pk for i in invite_all(assessment)]
    return tasks.send_invitations(ids)


def test_every_member_gets_one_email_with_a_working_personal_link(assessment):
    counts = send_all(assessment)

    assert counts["sent"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        assessment.network.members.values_list("email", flat=True)
    )
    assert len(set(outbox_links())) == 3
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.SENT}
    client = Client()
    assert client.get(outbox_links()[0]).url == "/survey/"


def test_invitation_email_has_text_html_closing_date_and_unsubscribe(assessment):
    send_all(assessment)
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    link = outbox_links()[0]

    assert message.subject == assessment.invitation_subject
    assert link in message.body and link in html
    assert "/unsubscribe/" in message.body and "/unsubscribe/" in html
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/unsubscribe/"
    )
    closing = f"{assessment.closes_on:%B %Y}"
    assert closing in message.body and closing in html
    first_name = Invitation.objects.get(member__email=message.to[0]).member.name.split(" ")[0]
    assert f"Hello {first_name}" in message.body


def test_coordinator_message_is_escaped_in_html_and_never_a_format_string(network, instruments):
    assessment = open_assessment(
        network,
        instruments,
        members=1,
        invitation_message="Hi {name} <b>{0.__class__}</b> <script>alert(1)</script>",
    )
    send_all(assessment)
    html = mail.outbox[0].alternatives[0][0]

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "{0.__class__}" in mail.outbox[0].body


def test_running_the_send_task_twice_sends_nothing_twice(assessment):
    ids = [i.pk for i in invite_all(assessment)]

    tasks.send_invitations(ids)
    again = tasks.send_invitations(ids)

    assert len(mail.outbox) == 3
    assert again == {"sent": 0, "skipped": 3, "failed": 0, "retrying": 0}


# ---- a mail server that refuses, or cannot be reached (R6) ---------------------------


class TroubledMailServer(locmem.EmailBackend):
    """Django's in-memory outbox behind a mail server a test can trouble: `refusals`
    holds what the server answers to the next messages (an SMTP error, or None to
    accept one), `unreachable` what connecting raises while it is down, and `meanwhile`
    what happens elsewhere while the first message is on its way."""

    refusals: list = []
    unreachable: Exception | None = None
    meanwhile = None

    def open(self):
        if TroubledMailServer.unreachable is not None:
            raise TroubledMailServer.unreachable
        return super().open()

    def send_messages(self, messages):
        if TroubledMailServer.meanwhile:
            happening, TroubledMailServer.meanwhile = TroubledMailServer.meanwhile, None
            happening()
        if TroubledMailServer.refusals:
            error = TroubledMailServer.refusals.pop(0)
            if error is not None:
                raise error
        return super().send_messages(messages)


@pytest.fixture
def mail_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.TroubledMailServer"
    TroubledMailServer.refusals, TroubledMailServer.unreachable = [], None
    TroubledMailServer.meanwhile = None
    yield TroubledMailServer
    TroubledMailServer.refusals, TroubledMailServer.unreachable = [], None
    TroubledMailServer.meanwhile = None


# Celery's backoff is a random wait up to its ceiling (full jitter): taking the top of
# the range shows the ceiling.
longest_wait = mock.patch("celery.utils.time.random.randrange", side_effect=lambda n: n - 1)


def test_smtp_failure_records_the_reason_and_retries_with_backoff(assessment, mail_server):
    ids = [i.pk for i in invite_all(assessment)]
    refused = smtplib.SMTPRecipientsRefused({"x": (550, b"mailbox unavailable")})
    mail_server.refusals = [refused, refused, refused]

    with longest_wait:
        counts, countdown = run_as_a_worker(ids)

    assert countdown == 30
    invitation = Invitation.objects.get(pk=ids[0])
    assert invitation.status == Invitation.QUEUED
    assert "SMTPRecipientsRefused" in invitation.failure_reason
    assert invitation.send_attempts == 1
    assert not mail.outbox


def test_backoff_doubles_and_gives_up_after_five_attempts(assessment, mail_server):
    invitation = invite_all(assessment)[0]
    mail_server.refusals = [smtplib.SMTPServerDisconnected("connection lost")] * 5
    countdowns = []

    with longest_wait:
        for retries in range(5):
            counts, countdown = run_as_a_worker([invitation.pk], retries=retries)
            countdowns.append(countdown)

    assert countdowns == [30, 60, 120, 240, None]
    assert counts == {"sent": 0, "skipped": 0, "failed": 1, "retrying": 0}
    invitation.refresh_from_db()
    assert invitation.status == Invitation.FAILED
    assert "connection lost" in invitation.failure_reason
    assert invitation.send_attempts == 5


def test_retry_waits_a_random_time_up_to_the_backoff(assessment, mail_server):
    invitation = invite_all(assessment)[0]
    mail_server.refusals = [smtplib.SMTPDataError(451, b"try again later")] * 3

    waits = [run_as_a_worker([invitation.pk], retries=n)[1] for n in range(3)]

    assert [0 <= wait <= 30 * 2**n for n, wait in enumerate(waits)] == [True] * 3


def test_server_that_refuses_then_accepts_delivers_exactly_once(assessment, mail_server):
    invitation = invite_all(assessment)[0]
    mail_server.refusals = [smtplib.SMTPDataError(451, b"try again later")]

    _, countdown = run_as_a_worker([invitation.pk])
    retried, _ = run_as_a_worker([invitation.pk], retries=1)
    again, _ = run_as_a_worker([invitation.pk], retries=1)  # the retry delivered twice

    assert countdown is not None
    assert retried["sent"] == 1 and again == {"sent": 0, "skipped": 1, "failed": 0, "retrying": 0}
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.SENT and invitation.failure_reason == ""


def test_one_refused_member_does_not_hold_up_the_rest_of_the_batch(assessment, mail_server):
    ids = [i.pk for i in invite_all(assessment)]
    mail_server.refusals = [smtplib.SMTPRecipientsRefused({"x": (550, b"no such user")})]

    _, countdown = run_as_a_worker(ids)

    assert countdown is not None
    assert len(mail.outbox) == 2
    refused = Invitation.objects.get(status=Invitation.QUEUED)
    assert refused.pk == ids[0] and "no such user" in refused.failure_reason
    assert Invitation.objects.filter(status=Invitation.SENT).count() == 2


def test_unreachable_server_leaves_the_batch_queued_for_the_retry(assessment, mail_server):
    ids = [i.pk for i in invite_all(assessment)]
    mail_server.unreachable = ConnectionRefusedError(111, "Connection refused")

    counts, countdown = run_as_a_worker(ids)

    assert countdown is not None and not mail.outbox
    first, *rest = Invitation.objects.filter(pk__in=ids).order_by("pk")
    assert first.status == Invitation.QUEUED and "Connection refused" in first.failure_reason
    assert [(i.status, i.send_attempts) for i in rest] == [(Invitation.QUEUED, 0)] * 2
    mail_server.unreachable = None  # the server is back by the time of the retry

    counts, countdown = run_as_a_worker(ids, retries=1)

    assert counts["sent"] == 3 and countdown is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        assessment.network.members.values_list("email", flat=True)
    )


def test_a_resend_during_a_batch_sends_only_the_new_link(
    assessment, mail_server, django_capture_on_commit_callbacks
):
    first, second, _ = invite_all(assessment)

    def coordinator_resends_the_second():  # after the batch read its invitations
        services.invitation_resend(invitation=Invitation.objects.get(pk=second.pk))

    mail_server.meanwhile = coordinator_resends_the_second
    with django_capture_on_commit_callbacks() as resend_task:
        counts = tasks.send_invitations([first.pk, second.pk])
    assert counts["sent"] == 1 and counts["skipped"] == 1  # the second's link had changed
    assert [m.to[0] for m in mail.outbox] == [first.member.email]

    resend_task[0]()  # the resend's own task, once its transaction has committed

    second.refresh_from_db()
    assert [m.to[0] for m in mail.outbox[1:]] == [second.member.email]
    assert second.status == Invitation.SENT
    assert Client().get(outbox_links()[-1]).url == "/survey/"  # the new link works


def test_a_resend_is_refused_when_a_worker_claimed_the_invitation_meanwhile(
    assessment, django_capture_on_commit_callbacks
):
    invitation = invite_all(assessment)[0]  # the coordinator's page shows it queued
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.SENDING)
    old_hash = invitation.token_hash

    with (
        django_capture_on_commit_callbacks() as enqueued,
        pytest.raises(ValidationError, match="changed just now"),
    ):
        services.invitation_resend(invitation=invitation)

    assert not enqueued
    assert Invitation.objects.filter(status=Invitation.SENDING, token_hash=old_hash).exists()


def test_interrupted_send_is_marked_failed_not_sent_again(assessment):
    invitation = invite_all(assessment)[0]
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.SENDING, sending_started_at=timezone.now() - timedelta(hours=1)
    )

    result = tasks.sweep_invitations()

    invitation.refresh_from_db()
    assert result["stuck"] == 1
    assert invitation.status == Invitation.FAILED
    assert "may not have arrived" in invitation.failure_reason
    assert not mail.outbox


def test_sweeper_sends_an_invitation_whose_retry_never_came_back(assessment, mail_server):
    invitation = invite_all(assessment)[0]
    mail_server.refusals = [smtplib.SMTPDataError(451, b"try again later")]
    run_as_a_worker([invitation.pk])  # the retry is scheduled, then lost with the broker
    Invitation.objects.filter(pk=invitation.pk).update(
        sending_started_at=timezone.now() - timedelta(minutes=20)
    )

    result = tasks.sweep_invitations()

    assert result["requeued"] == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.SENT and len(mail.outbox) == 1


def test_sweeper_leaves_an_invitation_waiting_for_its_retry_alone(assessment, mail_server):
    invitation = invite_all(assessment)[0]
    mail_server.refusals = [smtplib.SMTPDataError(451, b"try again later")]
    run_as_a_worker([invitation.pk])
    Invitation.objects.filter(pk=invitation.pk).update(
        queued_at=timezone.now() - timedelta(minutes=10)
    )

    assert tasks.sweep_invitations()["requeued"] == 0
    assert not mail.outbox


def test_sweeper_sends_invitations_whose_task_was_lost(assessment):
    invite_all(assessment)
    Invitation.objects.update(queued_at=timezone.now() - timedelta(minutes=10))

    tasks.sweep_invitations()

    assert len(mail.outbox) == 3


def test_unsubscribed_member_is_never_emailed(assessment):
    invitations = invite_all(assessment)
    services.member_unsubscribe(member=invitations[0].member)

    tasks.send_invitations([i.pk for i in invitations])

    assert len(mail.outbox) == 2
    assert Invitation.objects.get(pk=invitations[0].pk).status == Invitation.OPTED_OUT


def test_unsubscribe_link_stops_every_future_email(assessment):
    send_all(assessment)
    path = "/unsubscribe/" + mail.outbox[0].body.split("/unsubscribe/")[1].split()[0]
    member = Invitation.objects.get(member__email=mail.outbox[0].to[0]).member

    assert "Stop netassess emails?" in Client().get(path).content.decode()
    Client().post(path)

    member.refresh_from_db()
    assert member.unsubscribed_at is not None
    assert member.invitations.get().status == Invitation.OPTED_OUT


def test_tampered_unsubscribe_link_changes_nothing(assessment):
    response = Client().post("/unsubscribe/not-a-real-signature/")

    assert response.status_code == 404
    assert not assessment.network.members.filter(unsubscribed_at__isnull=False).exists()


# ---- reminders --------------------------------------------------------------------


def reminder_day(assessment, days_before):
    return assessment.closes_on - timedelta(days=days_before)


def run_reminders_on(day):
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        return tasks.send_due_reminders()


def test_reminders_go_only_to_members_who_have_not_finished(assessment):
    send_all(assessment)
    done, started, untouched = Invitation.objects.order_by("pk")
    Invitation.objects.filter(pk=done.pk).update(status=Invitation.COMPLETED)
    Invitation.objects.filter(pk=started.pk).update(status=Invitation.STARTED)
    mail.outbox.clear()

    assert run_reminders_on(reminder_day(assessment, 7)) == 2

    by_address = {m.to[0]: m for m in mail.outbox}
    assert done.member.email not in by_address
    assert "have not finished it yet" in by_address[started.member.email].body
    assert "have not heard from you" in by_address[untouched.member.email].body
    assert "Finish the survey" in by_address[started.member.email].alternatives[0][0]


def test_a_reminder_slot_is_never_sent_twice(assessment):
    send_all(assessment)
    mail.outbox.clear()

    run_reminders_on(reminder_day(assessment, 7))
    run_reminders_on(reminder_day(assessment, 7))
    run_reminders_on(reminder_day(assessment, 5))

    assert len(mail.outbox) == 3
    assert ReminderSent.objects.filter(days_before=7).count() == 3
    run_reminders_on(reminder_day(assessment, 2))
    assert len(mail.outbox) == 6


def test_no_reminder_after_closing(assessment):
    send_all(assessment)
    mail.outbox.clear()
    services.assessment_close(assessment=assessment)

    assert run_reminders_on(reminder_day(assessment, 2)) == 0
    assert run_reminders_on(assessment.closes_on + timedelta(days=1)) == 0
    assert not mail.outbox


def test_reminder_link_still_opens_the_survey(assessment):
    send_all(assessment)
    first_link = outbox_links()[0]
    mail.outbox.clear()

    run_reminders_on(reminder_day(assessment, 7))

    assert first_link in outbox_links()
    assert Client().get(first_link).url == "/survey/"


def test_member_who_had_started_stays_started_after_a_resend(assessment):
    from surveys.services.responses import response_start

    invitation = invite_all(assessment)[0]
    tasks.send_invitations([invitation.pk])
    response_start(invitation=invitation)
    invitation.refresh_from_db()
    services.invitation_resend(invitation=invitation)

    tasks.send_invitations([invitation.pk])

    invitation.refresh_from_db()
    assert invitation.status == Invitation.STARTED
    assert len(mail.outbox) == 2
