"""The maturity-matrix meeting in real browsers: a facilitator runs two dimensions on a
projector-sized screen while a participant rates from a phone in another browser; the
phone's rating appears on the facilitator's page without a reload; levels, targets and
an action are recorded (one of them while the connection is down) and the meeting is
closed. Axe checks every page on the way: the blank grid, the overview, the
facilitator's page, the phone's page and the action plan."""

import pytest

from meetings.models import Action, AgreedLevel, LiveRating, MatrixSession
from tests.e2e.conftest import ARTIFACTS, print_button_prints
from tests.factories import PASSWORD
from tests.meetings.helpers import (
    FIRST,
    SECOND,
    matrix_assessment,
    plan,
    running,
    survey_ratings,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My networks").wait_for()


def fits(page, width, label):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{label}: {scroll} px wide at {width} px"


def rate_on_phone(phone, level_label: str, table: str | None = None):
    if table:
        phone.get_by_label(table, exact=True).check()
    phone.get_by_text(level_label).click()
    phone.get_by_role("button", name="Send my rating").click()
    phone.get_by_text("Your rating is in").wait_for()


def record(page, table_id: int, *, target: str, level: str | None = None):
    card = page.locator(f"#table-{table_id}")
    if level:
        card.get_by_label(level, exact=True).check()
    card.get_by_label("Target level").select_option(label=target)
    card.get_by_role("button", name="Record").click()
    card.get_by_text("recorded for").wait_for()


def test_facilitator_runs_two_dimensions_with_a_phone_and_closes_with_an_action(
    browser, live_server, page, axe_check, owner, network, instruments
):
    assessment = matrix_assessment(network, instruments, title="Spring round")
    survey_ratings(assessment, [3, 3, 4, 4, 5])  # five members rated the first dimension
    meeting = plan(assessment, tables=("Table A", "Table B"), title="Spring matrix meeting")
    table_a, table_b = meeting.tables.all()
    base = f"/networks/{network.pk}/meetings/{meeting.pk}/"

    sign_in(page, owner)
    page.goto(base + "grid/")
    axe_check(page, "blank grid")
    assert print_button_prints(page, "Print the grid or save it as PDF")
    page.goto(base)
    axe_check(page, "meeting overview")
    page.get_by_role("button", name="Start the meeting").click()
    page.get_by_role("heading", name="Common purpose", exact=True).wait_for()
    page.get_by_text("5 members rated this dimension").wait_for()
    axe_check(page, "facilitator page")
    page.evaluate("window.notReloaded = true")

    phone_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"/m/{meeting.code}/")
    phone.get_by_text("Which level best describes the network now?").wait_for()
    axe_check(phone, "participant page")
    fits(phone, 375, "participant page")
    rate_on_phone(phone, "Level 2: Developing", table="Table A")

    # The facilitator's page shows it without a reload, and proposes the lowest view.
    page.locator("[data-live-total]").get_by_text("1", exact=True).wait_for()
    page.locator(f"[data-proposal-for='{table_a.pk}']").get_by_text("level 2").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#live-announce").inner_text().startswith("1 new live rating")

    record(page, table_a.pk, target="3. Working")  # level 2 already proposed
    record(page, table_b.pk, target="4. Embedded")  # the survey's lowest, 3, proposed
    page.locator("[data-merged]").get_by_text("Level 2").wait_for()
    page.screenshot(path=str(ARTIFACTS / "test_meeting_facilitator.png"), full_page=True)

    page.get_by_role("button", name="Next").click()  # a POST: moving on moves the phones
    page.get_by_role("heading", name="Distributed leadership", exact=True).wait_for()
    phone.get_by_text("Distributed leadership", exact=True).wait_for()  # follows by itself
    rate_on_phone(phone, "Level 3: Working")
    page.locator("[data-live-total]").get_by_text("1", exact=True).wait_for()
    record(page, table_a.pk, target="4. Embedded")

    # The connection drops while Table B's level is recorded: nothing is lost.
    page.context.set_offline(True)
    record_b = page.locator(f"#table-{table_b.pk}")
    record_b.get_by_label("2. Developing", exact=True).check()
    record_b.get_by_label("Target level").select_option(label="3. Working")
    record_b.get_by_role("button", name="Record").click()
    record_b.get_by_text("kept on this device").wait_for()
    page.context.set_offline(False)
    record_b.get_by_text("recorded for").wait_for(timeout=20_000)

    for width in (768, 375):
        page.set_viewport_size({"width": width, "height": 1000})
        fits(page, width, f"facilitator page at {width} px")
    page.get_by_label("What will be done").fill("Run a session on distributed leadership")
    page.get_by_label("Who will do it").fill("Priya")
    page.get_by_label("By when").fill("2030-06-30")
    page.get_by_role("button", name="Add the action").click()
    page.get_by_text("Action added").wait_for()
    phone.screenshot(path=str(ARTIFACTS / "test_meeting_participant_phone.png"), full_page=True)
    phone_context.close()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Close the meeting").first.click()
    page.get_by_role("heading", name="Close the meeting now?").wait_for()
    page.get_by_role("button", name="Close the meeting").click()
    page.get_by_text("The meeting is closed").wait_for()
    page.get_by_role("cell", name="Level 2 (views 2 to 5)").wait_for()  # the merged picture
    axe_check(page, "closed meeting's overview")
    page.screenshot(path=str(ARTIFACTS / "test_meeting_overview_closed.png"), full_page=True)
    page.get_by_role("link", name="Action plan").first.click()
    page.get_by_role("cell", name="Priya").wait_for()
    axe_check(page, "action plan")

    meeting.refresh_from_db()
    assert meeting.status == MatrixSession.CLOSED
    merged = dict(AgreedLevel.objects.filter(table=None).values_list("dimension", "level"))
    assert merged == {FIRST: 2, SECOND: 2}
    assert AgreedLevel.objects.get(table=table_b, dimension=FIRST).level == 3
    assert LiveRating.objects.count() == 2 and Action.objects.count() == 1


def test_participant_rates_offline_and_the_rating_arrives_when_back_online(
    browser, live_server, page, network, instruments
):
    meeting = running(matrix_assessment(network, instruments), tables=("Table A", "Table B"))
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/m/{meeting.code}/")
    page.get_by_text("Which level best describes the network now?").wait_for()

    page.context.set_offline(True)
    page.get_by_label("Table B", exact=True).check()
    page.get_by_text("Level 4: Embedded").click()
    page.get_by_role("button", name="Send my rating").click()
    page.get_by_text("kept on this device").wait_for()
    assert not LiveRating.objects.exists()

    page.context.set_offline(False)
    page.get_by_text("Your rating is in: level 4").wait_for(timeout=20_000)
    rating = LiveRating.objects.get()
    assert (rating.table.name, rating.dimension, rating.level) == ("Table B", FIRST, 4)
    assert page.evaluate("window.Autosave.unsentCount()") == 0
