"""A Welsh-speaking member in a real browser: a Welsh invitation (read from the
outbox), the survey in Welsh with lang="cy" and nothing axe objects to, a switch to
English half way that keeps every answer, and one response at the end."""

import re

import pytest
from django.core import mail

from surveys import services
from surveys.models import Answer, MatrixRating, Response
from surveys.survey_pages import SCALE_KINDS
from tests.factories import MemberFactory
from tests.surveys.survey_helpers import open_assessment, pages_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def answer_every_question(page) -> None:
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").first.check(force=True)  # a matrix card too


def test_welsh_member_answers_in_welsh_switches_to_english_half_way_and_keeps_every_answer(
    page, axe_check, network, instruments
):
    assessment = open_assessment(network, instruments, members=0)
    MemberFactory(network=network, name="Bethan Jones", language="cy")
    services.assessment_invite(assessment=assessment, members=network.members.all())

    invitation = mail.outbox[0]
    assert invitation.subject.startswith("Eich barn am")
    assert "Helo Bethan," in invitation.body
    personal = re.search(r"/s/[\w-]+/", invitation.body).group(0)
    assert f"{personal}?lang=en" in invitation.body  # the English, one click away

    page.goto(personal)
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("heading", name="Cyn i chi ddechrau").wait_for()
    axe_check(page, "welcome, in Welsh")
    page.get_by_role("button", name="Dechrau").click()

    pages = pages_of(assessment)
    half_way = len(pages) // 2
    for number in range(half_way):
        page.get_by_role("heading", level=1).wait_for()
        assert page.locator("html").get_attribute("lang") == "cy"
        if number < 2:
            axe_check(page, f"page {number + 1}, in Welsh")
        answer_every_question(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Cadw a pharhau").click()

    # Half way: answer this page, then switch before moving on.
    answer_every_question(page)
    chosen = [
        fieldset.locator("input[type=radio]").first.get_attribute("id")
        for fieldset in page.locator("fieldset").all()
    ]
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en-GB"
    page.get_by_role("button", name="Save and continue").wait_for()
    assert all(page.locator(f"#{id_}").is_checked() for id_ in chosen)
    axe_check(page, "the same page, in English")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()

    while "/survey/page/" in page.url:
        answer_every_question(page)
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()

    assert page.url.endswith("/survey/review/")
    assert "to answer" not in page.content()  # every required question answered
    page.get_by_role("button", name="Submit my answers").click()
    page.get_by_role("heading", name="Thank you: your answers are in").wait_for()

    response = Response.objects.get()
    rated = [q for p in pages for q in p.questions if q.kind in SCALE_KINDS]
    assert response.submitted_at is not None
    assert Answer.objects.filter(response=response).count() == len(rated)
    assert MatrixRating.objects.filter(response=response).count() == 8
    assert response.invitation.member.language == "en"  # their choice, recorded


def test_welsh_leader_reads_the_dashboard_and_prints_the_pack_in_welsh(page, axe_check):
    """The results in Welsh in a real browser: the stage, its next steps and the charts
    (drawn by the worker in Welsh) with lang="cy" and nothing axe objects to, and the
    pack prints."""
    from django.core.management import call_command
    from django.urls import reverse

    from scorecards.management.commands.seed_demo import LEADER_EMAIL, LEADER_PASSWORD
    from scorecards.models import Release
    from scorecards.selectors import charts_in
    from surveys.models import Assessment, User
    from tests.e2e.conftest import print_button_prints

    call_command("seed_demo", members=40)
    User.objects.filter(email=LEADER_EMAIL).update(language="cy")
    assessment = (
        Assessment.objects.filter(network__name="North Coast Stroke Network")
        .order_by("-closes_on")
        .first()
    )
    release = Release.objects.filter(assessment=assessment).order_by("-number").first()
    welsh_titles = [chart["title"] for chart in charts_in(release, "cy")]
    assert welsh_titles and set(welsh_titles).isdisjoint(
        c["title"] for c in charts_in(release, "en")
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(LEADER_EMAIL)
    page.get_by_label("Password").fill(LEADER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/networks/**")
    page.goto(reverse("assessment_dashboard", args=[assessment.network_id, assessment.pk]))

    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("heading", name="Ble mae'r rhwydwaith arni").wait_for()
    page.locator(".chart-plot .main-svg").first.wait_for()  # plotly drew the Welsh figure
    assert page.get_by_text(welsh_titles[1], exact=True).first.is_visible()
    axe_check(page, "dashboard, in Welsh")

    page.get_by_role("link", name="Pecyn y grŵp llywio").first.click()
    page.get_by_role("heading", name="1. Ble mae'r rhwydwaith arni").wait_for()
    assert page.locator("html").get_attribute("lang") == "cy"
    axe_check(page, "pack, in Welsh")
    assert print_button_prints(page, "Argraffu neu gadw fel PDF")
