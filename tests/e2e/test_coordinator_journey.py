"""A coordinator, in a real browser: signs in with the demo login, creates a network and
imports its members from a CSV file, with axe checking every page on the way."""

import pytest
from django.core.management import call_command

from scorecards.management.commands.seed_demo import DEMO_EMAIL, DEMO_PASSWORD
from surveys.models import Member, Network

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "name,email,stakeholder group,organisation\n"
    "Asha Patel,asha.patel@example.org,Clinician,City Hospital\n"
    "Tom Reid,tom.reid@example.org,Patient or carer,\n"
    "Grace Okafor,grace.okafor@example.org,Manager,Northside Trust\n"
)


def test_demo_coordinator_creates_a_network_and_imports_members(page, axe_check, tmp_path):
    call_command("seed_demo", members=5, networks=1)

    page.goto("/")
    axe_check(page, "home")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    axe_check(page, "sign in")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="My networks").wait_for()
    axe_check(page, "network list")
    page.get_by_role("link", name="Create a network").first.click()
    page.get_by_role("button", name="Create network").click()  # empty: an error summary
    page.get_by_text("There is a problem").wait_for()
    axe_check(page, "network form with errors")
    page.get_by_label("Name").fill("Community Pharmacy Network")
    page.get_by_label("Purpose statement").fill("Safer medicines at home.")
    page.get_by_role("button", name="Create network").click()

    page.get_by_text("No members yet").wait_for()
    axe_check(page, "empty member list")
    page.get_by_role("link", name="Import CSV").first.click()
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Broken Row,not-an-email,Astronaut,\n")
    page.get_by_label("CSV file", exact=False).and_(
        page.locator("input[type=file]")
    ).set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("Nothing was imported: 1 problem to fix").wait_for()
    axe_check(page, "import errors")

    good = tmp_path / "members.csv"
    good.write_text(CSV)
    page.get_by_label("CSV file", exact=False).and_(
        page.locator("input[type=file]")
    ).set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 3 members").click()
    page.get_by_text("Import complete: 3 added").wait_for()
    axe_check(page, "member list")

    network = Network.objects.get(name="Community Pharmacy Network")
    assert sorted(Member.objects.filter(network=network).values_list("name", flat=True)) == [
        "Asha Patel",
        "Grace Okafor",
        "Tom Reid",
    ]
    assert page.get_by_role("cell", name="Grace Okafor", exact=True).is_visible()


def test_member_list_fits_a_phone_without_sideways_scrolling(page, browser, live_server):
    call_command("seed_demo", members=5, networks=1)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My networks").wait_for()

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
