"""Sessions end after SESSION_IDLE_HOURS without a request (surveys/middleware.py)."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.surveys.survey_helpers import (
    invite_all,
    link_path,
    open_assessment,
    pages_of,
    start,
)
from tests.test_deployment import manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    """Move the clock the sessions read forward; the cache is emptied as it would have
    expired, so sessions are read from the database, where their expiry is kept."""
    real_now = timezone.now

    def move(**delta):
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(**delta))
        cache.clear()

    return move


@pytest.fixture
def olivia(owner, password):
    browser = Client()
    assert browser.post(reverse("account_login"), {"login": owner.email, "password": password})
    assert browser.get(reverse("network_list")).status_code == 200
    return browser


def signed_in(browser) -> bool:
    return browser.get(reverse("network_list")).status_code == 200


def test_olivia_idle_for_more_than_eight_hours_is_signed_out(olivia, later):
    later(hours=7, minutes=59)
    assert signed_in(olivia)

    later(hours=7, minutes=59 + 8 * 60 + 1)  # 8 hours and a minute after that request

    response = olivia.get(reverse("network_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_olivia_working_through_a_long_day_stays_signed_in(olivia, later):
    for hours in (5, 10, 15, 20):
        later(hours=hours)
        assert signed_in(olivia), f"signed out after {hours} hours of use"


def test_the_idle_limit_is_set_by_session_idle_hours():
    show = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"

    result = manage("shell", "-c", show, env={"SESSION_IDLE_HOURS": "2"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "7200"


def test_a_visitor_who_never_signed_in_gets_no_session(client):
    response = client.get("/")

    assert "sessionid" not in response.cookies


def test_a_member_away_for_a_day_opens_her_link_again_and_finds_her_answers(
    network, instruments, later
):
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    member = Client()
    start(member, invitation)
    page = pages_of(assessment)[1]
    member.post(f"/survey/page/{page.key}/", {page.questions[0].code: "2", "nav": "next"})

    later(hours=24)

    assert member.get("/survey/").status_code == 404  # that browser's session has ended
    assert member.get(link_path(invitation)).url == "/survey/"
    body = member.get(f"/survey/page/{page.key}/").content.decode()
    chosen = re.search(rf'<input[^>]*name="{page.questions[0].code}"[^>]*value="2"[^>]*>', body)
    assert chosen and "checked" in chosen[0]
