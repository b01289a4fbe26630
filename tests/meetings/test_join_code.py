"""The code on the projector can be typed: at /m/ and in a box on the home page."""

import pytest
from django.test import Client

from tests.meetings.helpers import matrix_assessment, running

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(network, instruments):
    return running(matrix_assessment(network, instruments, title="Spring round"))


def test_pat_finds_a_box_for_the_code_at_m_and_on_the_home_page():
    phone = Client()

    for address in ("/m/", "/"):
        body = phone.get(address).content.decode()
        assert 'action="/m/"' in body and 'name="code"' in body
        assert "Meeting code" in body


def test_pat_typing_the_code_in_lower_case_with_a_space_lands_on_the_join_page(meeting):
    typed = f" {meeting.code[:3].lower()} {meeting.code[3:].lower()} "

    response = Client().post("/m/", {"code": typed}, follow=True)

    assert response.redirect_chain[-1][0] == f"/m/{meeting.code}/"
    assert "Which level best describes the network now?" in response.content.decode()


def test_pat_typing_a_wrong_code_is_told_so_clearly_and_can_type_again(db):
    response = Client().post("/m/", {"code": "NOPE42"})

    body = response.content.decode()
    assert response.status_code == 404
    assert "No meeting has the code NOPE42" in body
    assert 'value="NOPE42"' in body and 'aria-invalid="true"' in body


def test_pat_sending_an_empty_box_is_asked_for_the_code(db):
    response = Client().post("/m/", {"code": "  "})

    assert response.status_code == 400
    assert "Type the code shown on the facilitator" in response.content.decode()


def test_guessing_codes_in_the_box_is_rate_limited_like_the_address(db):
    guesser = Client()

    statuses = [guesser.post("/m/", {"code": f"ZZZZZ{i}"}).status_code for i in range(11)]

    assert statuses[:10] == [404] * 10
    assert statuses[10] == 429


def test_pat_joins_with_the_right_code_while_someone_else_guesses_behind_the_proxy(
    settings, meeting
):
    settings.TRUSTED_PROXIES = 1
    guesser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    pat = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")

    statuses = [guesser.post("/m/", {"code": f"ZZZZZ{i}"}).status_code for i in range(11)]

    assert statuses[-1] == 429
    assert pat.post("/m/", {"code": meeting.code}).status_code == 302
    assert pat.get(f"/m/{meeting.code}/").status_code == 200
