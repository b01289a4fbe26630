"""The members' summary in a real browser: the coordinator publishes it from the
dashboard (a form on a same-origin page: Chrome posts no-referrer pages' forms with
`Origin: null`), a stranger reads it signed out on a phone-sized screen, and it is
revoked."""

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_instrument_preview import sign_in
from tests.scorecards.helpers import released_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_olivia_publishes_the_summary_a_member_reads_it_signed_out_and_she_revokes_it(
    page, browser, live_server, owner, network, instruments, axe_check
):
    assessment = released_round(network, instruments, rate=0.8)
    sign_in(page, owner)
    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/")
    page.get_by_label("Do not email anyone yet").check()
    page.get_by_role("button", name="Publish the summary").click()
    page.get_by_text("The members' summary is published.").wait_for()
    assert "CSRF" not in page.content()
    link = page.get_by_label("Link to the summary").input_value()
    axe_check(page, "dashboard with the summary panel")

    # Signed out, in a fresh context, phone-sized. The link's host is SITE_URL; the
    # live server listens elsewhere, so only its path is taken.
    stranger = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    reader = stranger.new_page()
    reader.goto(urlsplit(link).path)
    reader.get_by_role("heading", name="Where the network stands").wait_for()
    assert "/summary/" not in reader.url  # the token is swapped out of the address bar
    assert reader.get_by_role("heading", name="What was agreed").is_visible()
    assert reader.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(reader, "members' summary")
    ARTIFACTS.mkdir(exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / "members_summary_phone.png"), full_page=True)
    summary_page = reader.url
    stranger.close()

    page.get_by_role("button", name="Revoke the summary link").click()
    page.get_by_text("The members' summary link no longer works.").wait_for()
    assert "CSRF" not in page.content()

    again = browser.new_context(base_url=live_server.url).new_page()
    assert again.goto(urlsplit(link).path).status == 404
    assert again.goto(summary_page).status == 404
    again.context.close()
