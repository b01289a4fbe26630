"""The whole hand-out path in one real browser: a coordinator makes a share link, a
stranger opens it signed out, it is revoked; the pack is printed to PDF and read back
(title, page numbers, every section); the members' summary is sent and opened signed
out. Each step also has a test of its own; this one shows they work together."""

import io
from urllib.parse import urlsplit

import pypdf
import pytest
from django.core import mail

from tests.e2e.test_instrument_preview import sign_in
from tests.e2e.test_pack_pdf import SECTIONS
from tests.scorecards.helpers import released_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_out(browser, live_server, url: str):
    """A fresh context with no session; links name SITE_URL, so only the path is used."""
    reader = browser.new_context(base_url=live_server.url).new_page()
    response = reader.goto(urlsplit(url).path)
    return reader, response


def test_olivia_hands_out_the_results_from_share_link_to_pack_to_members_summary(
    page, browser, live_server, owner, network, instruments
):
    assessment = released_round(network, instruments, rate=0.8)
    sign_in(page, owner)

    # 1. A share link for the steering group: made, opened signed out, revoked.
    page.goto(f"/networks/{network.pk}/results/share/")
    page.get_by_label("Label").fill("Steering group")
    page.get_by_role("button", name="Make link").click()
    share = page.get_by_label("Your new link").input_value()
    reader, _ = signed_out(browser, live_server, share)
    assert reader.get_by_role("heading", name="Results, round by round").is_visible()
    reader.context.close()
    page.get_by_role("button", name="Revoke Steering group").click()
    page.get_by_text("The link for Steering group no longer works.").wait_for()
    reader, response = signed_out(browser, live_server, share)
    assert response.status == 404
    reader.context.close()

    # 2. The pack, printed to PDF and read back.
    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/pack/")
    page.get_by_role("heading", name="1. Where the network sits").wait_for()
    page.emulate_media(media="print")
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages]
    page.emulate_media(media="screen")
    assert network.name in pages[0] and assessment.title in pages[0]
    assert all(f"Page {i} of {len(pages)}" in text for i, text in enumerate(pages, start=1))
    assert all(section in "\n".join(pages) for section in SECTIONS)

    # 3. The members' summary: sent to those who answered, opened signed out.
    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/")
    page.get_by_label("Only those who answered").check()
    page.get_by_role("button", name="Publish the summary").click()
    page.get_by_text("The members' summary is published.").wait_for()
    link = page.get_by_label("Link to the summary").input_value()
    reader, _ = signed_out(browser, live_server, link)
    reader.get_by_role("heading", name="Where the network stands").wait_for()
    reader.context.close()
    assert "CSRF" not in page.content()
    addresses = [address for message in mail.outbox for address in message.to]
    told = set(addresses)
    assert len(addresses) == len(told)
    answered = set(
        assessment.responses.filter(submitted_at__isnull=False).values_list(
            "invitation__member__email", flat=True
        )
    )
    assert told == answered  # each who answered, once; nobody who did not
    assert 0 < len(told) < assessment.invitations.count()
