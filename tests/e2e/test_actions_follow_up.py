"""Actions followed up, in a real browser: the coordinator gives an action an owner from
the member list on the network's action list; next round, a member on a 320 px phone
says whether it made a difference. Axe checks each page (quality A1, A2)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.models import Action
from surveys.models import Answer
from tests.e2e.test_meeting import sign_in
from tests.factories import MemberFactory
from tests.meetings.helpers import add_action, matrix_assessment, plan
from tests.surveys.survey_helpers import invite_all, link_path, open_assessment, pages_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_makes_a_member_the_owner_then_members_say_it_made_a_difference(
    browser, live_server, page, axe_check, owner, network, instruments
):
    today = timezone.localdate()
    last = matrix_assessment(
        network,
        instruments,
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
    )
    action = add_action(plan(last), what="Write the purpose down", who="Priya")
    MemberFactory(network=network, name="Mo Member")

    sign_in(page, owner)
    page.goto(f"/networks/{network.pk}/meetings/")
    page.get_by_role("link", name="All actions").click()
    page.get_by_role("cell", name="Priya").wait_for()
    axe_check(page, "the network's actions")
    page.get_by_role("link", name="Edit “Write the purpose down”").click()
    axe_check(page, "editing an action")
    page.get_by_label("Who will do it").select_option(label="Mo Member")
    page.get_by_label("Or type a name").fill("")
    page.get_by_label("By when").fill("2030-06-30")
    page.get_by_role("button", name="Save the action").click()
    page.get_by_role("cell", name="Mo Member").wait_for()
    action.refresh_from_db()
    assert action.owner_member.name == "Mo Member"

    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    assessment.refresh_from_db()
    follow_up = pages_of(assessment)[-1]
    phone = browser.new_page(base_url=live_server.url, viewport={"width": 320, "height": 640})
    phone.goto(link_path(invitation))
    phone.goto(f"{live_server.url}/survey/page/{follow_up.key}/")
    phone.get_by_role("heading", name="Since the last round").wait_for()
    axe_check(phone, "the follow-up page")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    phone.get_by_label("Made a difference").check()
    phone.get_by_role("button", name="Save and continue").click()
    phone.wait_for_load_state()

    answer = Answer.objects.get(item=f"ACT{action.pk}")
    assert answer.value == 1 and Action.objects.count() == 1
