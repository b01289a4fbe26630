"""Share links in a real browser (Chrome posts a no-referrer page's forms with
`Origin: null`, which Django's CSRF check refuses; a test client sends no Origin and
cannot see it)."""

from urllib.parse import urlsplit

import pytest

from tests.e2e.test_instrument_preview import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_olivia_makes_a_share_link_opens_it_signed_out_and_revokes_it(
    page, browser, live_server, owner, network
):
    sign_in(page, owner)
    page.goto(f"/networks/{network.pk}/results/share/")
    page.get_by_label("Label").fill("Steering group")
    page.get_by_role("button", name="Make link").click()
    new_url = page.get_by_label("Your new link").input_value()
    assert "/shared/" in new_url or "/share" in new_url

    # Signed out: a fresh context, no session. The link's host is SITE_URL; the
    # live server listens elsewhere, so only its path is taken.
    stranger = browser.new_context(base_url=live_server.url)
    reader = stranger.new_page()
    reader.goto(urlsplit(new_url).path)
    assert f"/networks/{network.pk}/results/" in reader.url
    assert reader.get_by_role("heading", name="Results, round by round").is_visible()

    page.get_by_role("button", name="Revoke Steering group").click()
    page.get_by_text("The link for Steering group no longer works.").wait_for()
    assert "CSRF" not in page.content()
    stranger.close()

    again = browser.new_context(base_url=live_server.url).new_page()
    response = again.goto(urlsplit(new_url).path)
    assert response.status == 404
    again.context.close()
