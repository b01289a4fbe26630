"""Email as a real part: invitations through a real SMTP server on loopback, and the
link in the received message followed into the survey."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from surveys import tasks
from surveys.models import Invitation
from tests.surveys.survey_helpers import invite_all, open_assessment, run_as_a_worker

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


class Mailbox:
    """An SMTP server's handler: keeps messages and the connection each came over; can
    refuse the first N deliveries."""

    def __init__(self, refuse_first: int = 0):
        self.messages: list[email.message.Message] = []
        self.connections: set[tuple] = set()
        self.refuse_left = refuse_first

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refuse_left:
            self.refuse_left -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        self.connections.add(session.peer)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    def start(refuse_first: int = 0) -> Mailbox:
        mailbox = Mailbox(refuse_first)
        controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return mailbox

    servers: list[Controller] = []
    yield start
    for controller in servers:
        controller.stop()


def body_of(message, kind: str) -> str:
    for part in message.walk():
        if part.get_content_type() == kind:
            return part.get_payload(decode=True).decode()
    raise AssertionError(f"no {kind} part")


def test_member_follows_the_link_from_a_real_email_into_the_survey(
    smtp_server, network, instruments
):
    mailbox = smtp_server()
    assessment = open_assessment(network, instruments, members=2)
    invitations = invite_all(assessment)

    counts = tasks.send_invitations([i.pk for i in invitations])

    assert counts["sent"] == 2
    assert len(mailbox.messages) == 2
    message = mailbox.messages[0]
    text, html = body_of(message, "text/plain"), body_of(message, "text/html")
    # The personal link (the same with `?lang=cy` offers the survey in Welsh).
    link = next(word for word in text.split() if "/s/" in word and "lang=" not in word)
    assert link in html
    path = link.removeprefix("http://127.0.0.1:8000")
    member = Client()
    assert member.get(path).url == "/survey/"
    assert "Start" in member.get("/survey/").content.decode()
    assert Invitation.objects.get(member__email=message["To"]).status == Invitation.OPENED


def test_a_batch_of_invitations_goes_over_one_connection(smtp_server, network, instruments):
    mailbox = smtp_server()
    assessment = open_assessment(network, instruments, members=5)

    counts = tasks.send_invitations([i.pk for i in invite_all(assessment)])

    assert counts["sent"] == 5 and len(mailbox.messages) == 5
    assert len(mailbox.connections) == 1


def test_server_that_refuses_then_accepts_gets_one_copy(smtp_server, network, instruments):
    mailbox = smtp_server(refuse_first=1)
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]

    _, countdown = run_as_a_worker([invitation.pk])
    invitation.refresh_from_db()
    assert countdown is not None  # Celery retries the batch later
    assert invitation.status == Invitation.QUEUED and "451" in invitation.failure_reason

    run_as_a_worker([invitation.pk], retries=1)  # the retry, run now instead of later
    run_as_a_worker([invitation.pk], retries=1)  # and a duplicate delivery of it

    assert len(mailbox.messages) == 1
    invitation.refresh_from_db()
    assert invitation.status == Invitation.SENT
