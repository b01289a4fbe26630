"""The members' summary: published and emailed by the coordinator, read signed out by
anyone with its link, revocable; only what the release publishes, never comments."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from scorecards import summaries
from scorecards.models import MemberSummary, SummaryEmail
from surveys.models import Invitation
from tests.scorecards.helpers import released_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(network, instruments):
    # 24 of 30 answer: the rest were invited and did not.
    return released_round(network, instruments, rate=0.8)


def publish(client, assessment, audience="none"):
    url = reverse("summary_publish", args=[assessment.network_id, assessment.pk])
    return client.post(url, {"audience": audience})


def summary_link(assessment) -> str:
    summary = MemberSummary.objects.get(assessment=assessment, revoked_at=None)
    return summaries.summary_url(summary).removeprefix("http://testserver")


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_coordinator_publishes_and_emails_only_those_who_answered(
    client, owner, assessment, django_capture_on_commit_callbacks
):
    answered = assessment.invitations.filter(status=Invitation.COMPLETED)
    quitter = answered.first().member
    quitter.unsubscribed_at = timezone.now()
    quitter.save(update_fields=["unsubscribed_at"])
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, assessment, "answered")

    assert response.status_code == 302
    expected = sorted(i.member.email for i in answered if i.member_id != quitter.pk)
    assert recipients() == expected
    assert quitter.email not in recipients()
    message = mail.outbox[0]
    link = summaries.summary_url(MemberSummary.objects.get())
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert "Unsubscribe" in message.body


def test_sending_again_never_emails_a_member_twice(
    client, owner, assessment, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        publish(client, assessment, "answered")
    told = set(recipients())
    send = reverse("summary_send", args=[assessment.network_id, assessment.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(send, {"audience": "everyone"})
        client.post(send, {"audience": "everyone"})

    everyone = sorted(i.member.email for i in assessment.invitations.select_related("member"))
    assert recipients() == everyone  # each exactly once, those who answered included
    assert told < set(everyone)
    assert SummaryEmail.objects.filter(sent_at__isnull=False).count() == len(everyone)


def test_a_batch_run_twice_sends_each_email_once(
    owner, assessment, django_capture_on_commit_callbacks
):
    summary = summaries.member_summary_publish(assessment=assessment, user=owner)
    with django_capture_on_commit_callbacks(execute=False):
        summaries.member_summary_send(summary=summary, audience="everyone")
    ids = list(SummaryEmail.objects.values_list("pk", flat=True))

    first = summaries.summary_emails_send(email_ids=ids)
    second = summaries.summary_emails_send(email_ids=ids)

    assert first["sent"] == len(ids) and second["sent"] == 0
    assert len(mail.outbox) == len(ids)


def test_public_page_signed_out_shows_the_headline_and_actions(
    client, owner, assessment, instruments
):
    release = assessment.releases.get()
    meeting = meeting_services.matrix_session_create(
        assessment=assessment, title="Meeting", held_on=assessment.closes_on, tables=["A"]
    )
    meeting_services.action_add(
        session=meeting, what="Write a shared purpose", who="Sam", due_on=assessment.closes_on
    )
    client.force_login(owner)
    publish(client, assessment)
    reader = Client()

    response = reader.get(summary_link(assessment), follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert "/summary/" not in response.redirect_chain[-1][0].replace("members-summary", "")
    assert response["Referrer-Policy"] == "same-origin"
    stage = release.data["stage"]
    assert stage["stage"].capitalize() in body
    assert stage["summary"].replace("'", "&#x27;") in body
    purpose = round(release.data["domains"]["purpose"]["mean_pct"])
    assert re.search(rf">\s*{purpose}\s*<", body)
    assert "Write a shared purpose" in body
    for preview in release.data["comments"].values():
        for comment in preview.get("answers", []):
            assert comment not in body


def test_public_page_shows_no_withheld_number(client, owner, assessment):
    release = assessment.releases.get()
    form = release.data["domains"]["form"]
    hidden = round(form["mean_pct"])
    release.data["domains"]["form"] = {**form, "mean_pct": None, "n": None, "withheld": True}
    release.save(update_fields=["data"])
    client.force_login(owner)
    publish(client, assessment)

    body = Client().get(summary_link(assessment), follow=True).content.decode()

    row = re.search(r"Form</th><td[^>]*>([^<]*)<", body)
    assert row and row.group(1) == "Too few to show"
    assert f">{hidden}<" not in body


def test_revoked_link_gives_404(client, owner, assessment):
    client.force_login(owner)
    publish(client, assessment)
    link = summary_link(assessment)
    reader = Client()
    page = reader.get(link, follow=True).redirect_chain[-1][0]

    client.post(reverse("summary_revoke", args=[assessment.network_id, assessment.pk]))

    assert reader.get(page).status_code == 404
    assert Client().get(link).status_code == 404


def test_outsider_gets_404_on_publish(client, outsider, assessment):
    client.force_login(outsider)

    assert publish(client, assessment, "everyone").status_code == 404
    assert not MemberSummary.objects.exists()
    assert mail.outbox == []


def test_leader_cannot_publish(client, leader, assessment):
    client.force_login(leader)

    assert publish(client, assessment).status_code == 403
    assert not MemberSummary.objects.exists()


def test_dashboard_offers_publishing_with_a_same_origin_referrer(client, owner, assessment):
    client.force_login(owner)
    url = reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk])

    response = client.get(url)

    assert "Publish the summary" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    publish(client, assessment)
    assert summary_link(assessment) in client.get(url).content.decode()


def member_session(invitation) -> Client:
    """The browser the member submitted from."""
    from surveys.views.member_link import LINK_KEY, SESSION_KEY, SUBMITTED_KEY

    member = Client()
    session = member.session
    session[SESSION_KEY] = invitation.pk
    session[LINK_KEY] = invitation.token_hash
    session[SUBMITTED_KEY] = invitation.pk
    session.save()
    return member


def test_thank_you_page_links_to_the_summary_once_published(client, owner, assessment):
    invitation = assessment.invitations.filter(status=Invitation.COMPLETED).first()
    member = member_session(invitation)
    before = member.get("/survey/thanks/").content.decode()
    assert "the coordinator will share a summary of the results with members" in before
    assert reverse("member_summary_for_round") not in before
    client.force_login(owner)
    publish(client, assessment)

    after = member.get("/survey/thanks/").content.decode()

    assert reverse("member_summary_for_round") in after
    page = member.get(reverse("member_summary_for_round"), follow=True)
    assert page.status_code == 200 and "summary for members" in page.content.decode()


def test_the_round_summary_address_needs_the_members_own_session(client, owner, assessment):
    client.force_login(owner)
    publish(client, assessment)

    assert Client().get(reverse("member_summary_for_round")).status_code == 404


def test_a_mail_server_error_puts_the_email_back_and_the_sweeper_sends_it_once(
    owner, assessment, django_capture_on_commit_callbacks
):
    from datetime import timedelta
    from smtplib import SMTPServerDisconnected
    from unittest import mock

    from scorecards.tasks import sweep_summary_emails

    summary = summaries.member_summary_publish(assessment=assessment, user=owner)
    with django_capture_on_commit_callbacks(execute=False):
        summaries.member_summary_send(summary=summary, audience="answered")
    ids = list(SummaryEmail.objects.values_list("pk", flat=True))
    broken = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=SMTPServerDisconnected("gone"),
    )
    with broken:
        failed = summaries.summary_emails_send(email_ids=ids)
    assert failed["retrying"] == len(ids) and mail.outbox == []
    SummaryEmail.objects.update(queued_at=timezone.now() - timedelta(minutes=5))

    assert sweep_summary_emails() == len(ids)  # tasks run eagerly in tests
    assert sweep_summary_emails() == 0

    assert len(mail.outbox) == len(ids)
    assert len(set(recipients())) == len(ids)
