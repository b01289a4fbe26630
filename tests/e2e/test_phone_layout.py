"""Coordinator pages on a phone (WCAG 2.2 1.4.10 reflow): at 375 px wide nothing makes the
whole page scroll sideways; tabs and wide tables scroll inside their own box."""

import pytest
from django.core.management import call_command

from scorecards.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from surveys.models import Network

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}

# The elements reaching past the viewport, for a readable failure: those outside a box
# that scrolls, and those positioned out of it (a visually-hidden label positioned by
# the page rather than by its scrolling table widens the page).
TOO_WIDE = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter((el) => !el.closest(".table-responsive, .overflow-auto")
    || ["absolute", "fixed"].includes(getComputedStyle(el).position))
  .slice(0, 8)
  .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
    + `right=${Math.round(el.getBoundingClientRect().right)}`)"""

# Every tab is in sight, without scrolling anything sideways.
TABS = """() => [...document.querySelectorAll(".nav-tabs .nav-link, .nav-pills .nav-link")]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth)
  .map((el) => el.textContent.trim())"""
# Tables that scroll must do so inside their own box, which fits the screen.
BOXES = """() => [...document.querySelectorAll(".table-responsive")]
  .map((el) => [el.className, Math.round(el.getBoundingClientRect().right),
    el.scrollWidth > el.clientWidth])"""


def sign_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My networks").wait_for()


def test_coordinator_pages_fit_a_375px_phone(browser, live_server, axe_check):
    call_command("seed_demo", members=12, networks=1)
    network = Network.objects.first()
    assessment = network.assessments.order_by("-closes_on").first()
    base = f"/networks/{network.pk}"
    pages = {
        "network": f"{base}/",
        "members": f"{base}/members/",
        "invitations": f"{base}/assessments/{assessment.pk}/invitations/",
        "results overview": f"{base}/results/",
        "dashboard": f"{base}/results/{assessment.pk}/",
        "meetings": f"{base}/meetings/",
    }
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page)
        overflowing, scrolling = {}, set()
        for label, url in pages.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            # Charts' data tables too, which start folded away.
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert inner == PHONE["width"]
            axe_check(page, f"{label} at 375 px")  # a box that scrolls must take focus
            if scroll > inner:
                overflowing[label] = (scroll, page.evaluate(TOO_WIDE))
            assert page.evaluate(TABS) == [], f"{label}: tabs out of sight"
            for name, right, scrolls in page.evaluate(BOXES):
                assert right <= inner, f"{label}: {name} reaches {right}px"
                scrolling |= {label} if scrolls and "table" in name else set()
        assert overflowing == {}
        # The member table is wider than a phone: it scrolls in its own box instead.
        assert "members" in scrolling
    finally:
        context.close()
