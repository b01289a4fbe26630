"""A participant types the meeting's code, in a real browser (quality A1)."""

import pytest

from tests.meetings.helpers import matrix_assessment, running

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pat_types_the_code_from_the_projector_on_the_home_page_and_joins(
    page, axe_check, network, instruments
):
    meeting = running(matrix_assessment(network, instruments, title="Spring round"))
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto("/m/")
    page.get_by_label("Meeting code").fill("WRONG1")
    page.get_by_role("button", name="Join").click()
    page.get_by_text("No meeting has the code WRONG1").wait_for()
    axe_check(page, "meeting code, wrong")

    page.goto("/")
    page.get_by_label("Meeting code").fill(meeting.code.lower())
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(f"**/m/{meeting.code}/")
    page.get_by_text("Which level best describes the network now?").wait_for()
