"""Members in a real browser: one on a 320 px phone with the keyboard alone, one who
leaves halfway and finishes later in another browser, one whose connection drops
(quality A1, A2, R5)."""

import pytest

from surveys.models import Answer, Invitation, Response
from surveys.survey_pages import SCALE_KINDS
from tests.surveys.survey_helpers import invite_all, link_path, open_assessment, pages_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  const group = el.name ? document.querySelectorAll(`input[name="${el.name}"]:checked`) : [];
  return {tag: el.tagName, type: el.type || "", text: (el.innerText || "").trim(),
          group: group.length};
}"""


def answer_page_with_keyboard(page) -> None:
    """Tab through the page: choose the focused option of each unanswered question with
    Space, type into text boxes, and press Enter on "Save and continue"."""
    for _ in range(400):
        page.keyboard.press("Tab")
        el = page.evaluate(FOCUSED)
        if el["type"] == "radio" and el["group"] == 0:
            page.keyboard.press("ArrowRight")  # moves to and selects the next option
            if page.evaluate(FOCUSED)["group"] == 0:
                page.keyboard.press("Space")
        elif el["tag"] == "TEXTAREA":
            page.keyboard.type("Typed with the keyboard.")
        elif el["tag"] == "BUTTON" and el["text"] == "Save and continue":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError("never reached Save and continue")


# The first page of statements: the scorecard's purpose domain, in two parts from v2 on.
FIRST_STATEMENTS = "Purpose (part 1 of 2)"


def no_sideways_scroll(page, label):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{label}: {width} px wide at 320 px"


def test_member_completes_the_survey_on_a_phone_with_the_keyboard_alone(
    page, axe_check, network, instruments
):
    assessment = open_assessment(network, instruments, members=1)
    invitation = invite_all(assessment)[0]
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(link_path(invitation))
    assert page.url.endswith("/survey/")
    axe_check(page, "welcome")
    no_sideways_scroll(page, "welcome")
    page.get_by_role("button", name="Start").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    while "/survey/page/" in page.url:
        title = page.locator("h1").inner_text()
        axe_check(page, title)
        no_sideways_scroll(page, title)
        answer_page_with_keyboard(page)

    assert page.url.endswith("/survey/review/")
    axe_check(page, "review")
    page.get_by_role("button", name="Submit my answers").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Thank you: your answers are in").wait_for()
    axe_check(page, "thanks")
    no_sideways_scroll(page, "thanks")

    response = Response.objects.get()
    assert response.submitted_at is not None
    rated = [q for p in pages_of(assessment) for q in p.questions if q.kind in SCALE_KINDS]
    assert len(rated) == 57  # v2: 45 statements, 6 importance and 6 performance ratings
    assert Answer.objects.filter(response=response).count() == len(rated)
    assert response.ratings.count() == 8
    assert Invitation.objects.get().status == Invitation.COMPLETED


def test_member_leaves_halfway_and_finishes_in_another_browser(
    browser, live_server, page, axe_check, network, instruments
):
    assessment = open_assessment(network, instruments, members=1, matrix=None)
    invitation = invite_all(assessment)[0]

    page.goto(link_path(invitation))
    page.get_by_role("button", name="Start").click()
    page.get_by_role("heading", name="About you", exact=True).wait_for()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=FIRST_STATEMENTS, exact=True).wait_for()
    page.get_by_role("button", name="Save and continue").click()  # nothing answered
    page.get_by_text("There is a problem").wait_for()
    axe_check(page, "page with errors")
    first_question = page.locator("fieldset").first
    first_question.get_by_label("Agree", exact=True).check()
    page.get_by_text("Saved at").wait_for()  # saved as they go, no button pressed
    page.context.close()

    other = browser.new_context(base_url=live_server.url)
    phone = other.new_page()
    phone.goto(link_path(invitation))
    phone.get_by_role("button", name="Carry on where you left off").click()
    phone.get_by_role("heading", name=FIRST_STATEMENTS, exact=True).wait_for()
    assert phone.locator("fieldset").first.get_by_label("Agree", exact=True).is_checked()
    for fieldset in phone.locator("fieldset").all()[1:]:
        fieldset.get_by_label("Don't know").check()
    phone.get_by_role("button", name="Save and continue").click()
    while "/survey/page/" in phone.url:
        for fieldset in phone.locator("fieldset").all():
            fieldset.locator("input[type=radio]").first.check()
        with phone.expect_navigation():
            phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_role("button", name="Submit my answers").dblclick()
    phone.get_by_role("heading", name="Thank you: your answers are in").wait_for()
    other.close()

    assert Response.objects.count() == 1
    assert Response.objects.get().submitted_at is not None
    purpose = list(Answer.objects.filter(item__startswith="P").order_by("item"))
    assert purpose[0].value == 4 and purpose[1].value is None  # Agree kept, then Don't know


def test_member_answers_offline_and_the_answer_is_saved_on_coming_back(page, network, instruments):
    assessment = open_assessment(network, instruments, members=1, matrix=None)
    invitation = invite_all(assessment)[0]
    page.goto(link_path(invitation))
    page.get_by_role("button", name="Start").click()
    page.get_by_role("heading", name="About you", exact=True).wait_for()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=FIRST_STATEMENTS, exact=True).wait_for()
    purpose = page.url

    page.context.set_offline(True)
    page.locator("fieldset").first.get_by_label("Agree", exact=True).check()
    page.get_by_text("kept on this device").wait_for()
    assert not Answer.objects.filter(item__startswith="P").exists()
    page.close()  # the member gives up for now; the answer waits on the device

    page.context.set_offline(False)
    later = page.context.new_page()
    later.goto(purpose)
    assert later.locator("fieldset").first.get_by_label("Agree", exact=True).is_checked()
    later.get_by_text("Saved at").wait_for()
    assert Answer.objects.get(item__startswith="P").value == 4
    assert later.evaluate("window.Autosave.unsentCount()") == 0
