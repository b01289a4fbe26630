"""The roster question in a real browser (docs/relationships.md): a member on a 320 px
phone finds a colleague and says how closely they work with the keyboard alone; the
results follow the typing under the strict Content-Security-Policy; what the member
chose survives a reload and a dropped connection; a leader reads the group map and its
data table (quality A1, A2, R5)."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from surveys.models import Invitation, Response, Tie
from tests.e2e.test_member_journey import no_sideways_scroll
from tests.factories import MemberFactory
from tests.surveys.survey_helpers import invite_all, link_path, open_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROSTER_PAGE = "/survey/page/who-you-work-with/"
PHONE = {"width": 320, "height": 640}

ACTIVE = """() => {
  const el = document.activeElement;
  return {tag: el.tagName, id: el.id, name: el.name || "", value: el.value || "",
          type: el.type || "", text: (el.innerText || "").trim()};
}"""


def roster_round(network, instruments):
    """An open round that asks the roster question: Maya answers it; Priya Ramanathan is
    the colleague she looks for, among others on the roster."""
    assessment = open_assessment(network, instruments, members=4, matrix=None, asks_roster=True)
    maya = MemberFactory(network=network, name="Maya Okafor")
    priya = MemberFactory(network=network, name="Priya Ramanathan", organisation="Harbour Trust")
    managers = network.groups.get(name="Manager")
    MemberFactory(
        network=network, name="Priya Selvam", organisation="Valley Hospice", group=managers
    )
    invite_all(assessment)
    return assessment, Invitation.objects.get(member=maya), priya


def start_survey(page, invitation):
    """The member follows their link, starts, and opens the roster page."""
    page.goto(link_path(invitation))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/survey/page/**")
    page.goto(ROSTER_PAGE)
    page.get_by_role("heading", name="Who you work with").wait_for()


def tab_to(page, wanted, *, key="Tab", limit=80) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches every item of
    `wanted`; the element reached."""
    for _ in range(limit):
        page.keyboard.press(key)
        el = page.evaluate(ACTIVE)
        if all(el[k] == v for k, v in wanted.items()):
            return el
    raise AssertionError(f"{key} never reached {wanted}")


def slow_searches(page, ms=800) -> list[str]:
    """The live search's requests answer after `ms`, as on a slow phone connection;
    the list of the searches asked for."""
    asked = []

    def delay(route):
        asked.append(route.request.url.split("?", 1)[-1])
        try:
            page.wait_for_timeout(ms)
            route.continue_()
        except PlaywrightError:
            pass  # the test ended (its page closed) while this search was held back

    page.route(
        lambda url: "/survey/page/" in url,
        lambda route: delay(route) if route.request.resource_type == "fetch" else route.continue_(),
    )
    return asked


def results_title(page) -> str:
    return page.locator("#results-title").inner_text()


def test_member_answers_the_roster_by_keyboard_on_a_320px_phone(
    page, axe_check, network, instruments
):
    assessment, invitation, priya = roster_round(network, instruments)
    page.set_viewport_size(PHONE)
    start_survey(page, invitation)
    searches = slow_searches(page)
    axe_check(page, "roster page, nobody chosen")
    no_sideways_scroll(page, "roster page")

    # Type part of her name into the search box; the results follow the typing.
    tab_to(page, {"id": "roster-q"})
    page.keyboard.type("Ramanath")
    page.locator("#results-title", has_text="1 matching person").wait_for()
    assert "Priya Ramanathan" in page.locator("#roster-results").inner_text()
    assert "Priya Selvam" not in page.locator("#roster-results").inner_text()
    axe_check(page, "roster page, live results")
    no_sideways_scroll(page, "roster page, live results")

    # On to her Add button (past the group filter and Search), and Enter.
    tab_to(page, {"name": "add", "value": str(priya.pk)})
    page.wait_for_timeout(1200)  # longer than a slow search takes to answer
    assert page.evaluate(ACTIVE)["value"] == str(priya.pk), "the focus was lost"
    # Asked as typing paused, and not again on leaving the box for the same list.
    assert searches[-1] == "q=Ramanath&g=" and len(searches) == len(set(searches)), searches
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"#c-{priya.pk}")
    assert "q=Ramanath" in page.url  # the same search, still there
    # The focus is where the member is going next: how closely, for Priya.
    assert page.evaluate(ACTIVE)["id"] == f"c-{priya.pk}"
    assert page.get_by_label("Priya Ramanathan, Harbour Trust: how closely?").is_visible()
    axe_check(page, "roster page, one person chosen")
    no_sideways_scroll(page, "roster page, one person chosen")

    # Arrow keys in the select: Choose -> know of -> share information -> work on something.
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.evaluate(ACTIVE)["value"] == str(Tie.WORK_ON_SOMETHING)

    # Past her Remove button to the consent box, ticked with Space.
    tab_to(page, {"id": "named_on_map"})
    page.keyboard.press("Space")
    assert page.get_by_label("Show my name on the network map").is_checked()
    # A look back up with Shift+Tab finds the choice made, then on again to save.
    assert tab_to(page, {"id": f"c-{priya.pk}"}, key="Shift+Tab")["value"] == "3"
    tab_to(page, {"tag": "BUTTON", "text": "Save and continue"})
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert ROSTER_PAGE not in page.url
    no_sideways_scroll(page, "the page after the roster")

    response = Response.objects.get(invitation=invitation)
    assert response.roster_answered_at is not None
    assert response.named_on_map is True
    ties = list(Tie.objects.filter(response=response).values_list("member__name", "closeness"))
    assert ties == [("Priya Ramanathan", Tie.WORK_ON_SOMETHING)]


def test_live_search_follows_the_typing_under_the_strict_csp(
    page, csp_violations, network, instruments
):
    assessment, invitation, priya = roster_round(network, instruments)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    start_survey(page, invitation)
    everyone = results_title(page)
    assert everyone == "Everyone on the roster (6)"  # Maya is never offered herself
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.__samePage = true")

    search = page.get_by_label("Name or organisation")
    search.press_sequentially("priya", delay=60)
    page.locator("#results-title", has_text="2 matching people").wait_for()
    assert page.locator("#roster-results li").count() == 2
    page.wait_for_url("**?q=priya*")  # history.replaceState, not a page load

    # The group filter narrows the same search, and widens it again.
    managers = network.groups.get(name="Manager")
    page.get_by_label("Group").select_option(label="Manager")
    page.locator("#results-title", has_text="1 matching person").wait_for()
    assert "Priya Selvam" in page.locator("#roster-results").inner_text()
    page.wait_for_url(f"**?q=priya&g={managers.pk}")
    page.get_by_label("Group").select_option(label="All groups")
    page.locator("#results-title", has_text="2 matching people").wait_for()

    search.press_sequentially(" r", delay=60)
    page.locator("#results-title", has_text="1 matching person").wait_for()
    listed = page.locator("#roster-results li").all_inner_texts()
    assert len(listed) == 1 and "Priya Ramanathan, Harbour Trust" in listed[0]
    page.wait_for_url("**?q=priya+r*")

    # Clearing the box brings everyone back; nothing ever reloaded the page.
    search.fill("")
    page.locator("#results-title", has_text="Everyone on the roster").wait_for()
    assert page.evaluate("window.__samePage") is True
    assert loads == []
    # The post the Add buttons send carries the search the member can see.
    assert page.locator("#survey-form input[name=q]").input_value() == ""
    search.press_sequentially("harbour", delay=40)
    page.locator("#results-title", has_text="1 matching person").wait_for()
    assert page.locator("#survey-form input[name=q]").input_value() == "harbour"
    with page.expect_navigation():
        page.get_by_role("button", name="Add Priya Ramanathan").click()
    page.wait_for_url(f"**?q=harbour#c-{priya.pk}")

    assert csp_violations.settle() == []
    assert errors == []


def test_picks_survive_a_reload_and_an_offline_blip(page, network, instruments):
    assessment, invitation, priya = roster_round(network, instruments)
    start_survey(page, invitation)
    page.get_by_label("Name or organisation").fill("Ramanathan")
    page.locator("#results-title", has_text="1 matching person").wait_for()
    with page.expect_navigation():
        page.get_by_role("button", name="Add Priya Ramanathan").click()
    closeness = page.get_by_label("Priya Ramanathan, Harbour Trust: how closely?")
    consent = page.get_by_label("Show my name on the network map")

    # Saved as she goes: a reload shows the choice the server holds.
    closeness.select_option(label="We share information")
    page.get_by_text("Saved at").wait_for()
    page.reload()
    assert closeness.input_value() == str(Tie.SHARE_INFORMATION)
    assert not consent.is_checked()

    # The connection drops: her changes wait on the device.
    page.context.set_offline(True)
    closeness.select_option(label="We work together closely")
    consent.check()
    page.get_by_text("kept on this device").wait_for()
    response = Response.objects.get(invitation=invitation)
    assert Tie.objects.get(response=response).closeness == Tie.SHARE_INFORMATION
    assert response.named_on_map is False
    roster = page.url
    page.close()

    # Back online, she opens the page again: what she chose is on screen and saved.
    page.context.set_offline(False)
    later = page.context.new_page()
    later.goto(roster)
    later.get_by_text("Saved at").wait_for()
    later_closeness = later.get_by_label("Priya Ramanathan, Harbour Trust: how closely?")
    assert later_closeness.input_value() == str(Tie.WORK_CLOSELY)
    assert later.get_by_label("Show my name on the network map").is_checked()
    assert later.evaluate("window.Autosave.unsentCount()") == 0
    response.refresh_from_db()
    assert Tie.objects.get(response=response).closeness == Tie.WORK_CLOSELY
    assert response.named_on_map is True

    # Offline again she changes her mind about being named: unticking counts too.
    later.context.set_offline(True)
    later.get_by_label("Show my name on the network map").uncheck()
    later.get_by_text("kept on this device").wait_for()
    later.close()
    page.context.set_offline(False)
    again = page.context.new_page()
    again.goto(roster)
    again.get_by_text("Saved at").wait_for()
    assert not again.get_by_label("Show my name on the network map").is_checked()
    response.refresh_from_db()
    assert response.named_on_map is False

    # Moving on sends what is on screen.
    with again.expect_navigation():
        again.get_by_role("button", name="Save and continue").click()
    response.refresh_from_db()
    assert response.roster_answered_at is not None
    assert response.named_on_map is False
    assert Tie.objects.get(response=response).closeness == Tie.WORK_CLOSELY
    again.close()


def test_leader_sees_the_map_and_its_table(page, axe_check, leader, network, instruments):
    from tests.e2e.test_instrument_preview import sign_in
    from tests.scorecards.helpers import released_round

    # Thirty members in three groups (the factory's default puts everyone in the first,
    # and one group has no map to draw), all answering the roster question.
    for size, group in zip((12, 10, 8), network.groups.order_by("position"), strict=False):
        MemberFactory.create_batch(size, network=network, group=group)
    assessment = released_round(network, instruments, members=0, ties="dense")
    sign_in(page, leader)
    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/")

    section = page.get_by_role("region", name="How the network is connected")
    section.get_by_role("heading", name="How the network is connected").wait_for()
    answered = Response.objects.filter(assessment=assessment, roster_answered_at__isnull=False)
    assert f"from {answered.count()} of 30 members who answered" in section.inner_text()

    group_map = section.get_by_role("figure", name="Working ties between groups")
    group_map.locator(".chart-plot .main-svg").first.wait_for()  # plotly drew it
    assert group_map.locator(".chart-plot svg .scatterlayer .trace").count() >= 1
    for name in ("Members who agreed to be shown by name", "How connected over time"):
        assert section.get_by_role("figure", name=name).is_visible()

    table = group_map.get_by_role("region", name="Data table: Working ties between groups")
    assert not table.is_visible()
    group_map.locator("summary", has_text="Data table").click()
    assert table.is_visible()
    headers = table.locator("thead th").all_inner_texts()
    rows = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]
    assert headers and rows, (headers, rows)
    assert all(len(row) == len(headers) for row in rows), (headers, rows)
    groups = {g.name for g in network.groups.all()}
    assert any(cell in groups or "merged" in cell.lower() for row in rows for cell in row), rows
    axe_check(page, "dashboard with the relationship section and its table open")
