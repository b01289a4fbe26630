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


def test_new_coordinator_signs_up_runs_a_round_and_members_answer_from_their_emails(
    page, browser, live_server, axe_check, instruments, tmp_path
):
    import re
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from surveys.models import Invitation, Response

    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Email address").fill("nia@example.org")
    page.locator("#id_password1").fill("correct-horse-battery-9")
    page.locator("#id_password2").fill("correct-horse-battery-9")
    axe_check(page, "sign up")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    confirm = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert confirm.startswith(live_server.url + "/accounts/confirm-email/")
    page.goto(confirm)
    axe_check(page, "confirm your address")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Your email address is confirmed").wait_for()

    page.get_by_role("link", name="Create a network").first.click()
    page.get_by_label("Name").fill("Community Pharmacy Network")
    page.get_by_role("button", name="Create network").click()
    page.get_by_role("link", name="Import CSV").first.click()
    members = tmp_path / "members.csv"
    members.write_text(CSV)
    page.get_by_label("CSV file", exact=False).and_(
        page.locator("input[type=file]")
    ).set_input_files(str(members))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 3 members").click()

    page.get_by_role("link", name="Assessments").click()
    page.get_by_role("link", name="Create an assessment").first.click()
    axe_check(page, "assessment form")
    meeting_on = timezone.localdate() + timedelta(days=40)
    page.get_by_label("Steering-group meeting (optional)").fill(meeting_on.isoformat())
    page.get_by_text("Closing date proposed: 5 days before the meeting.").wait_for()
    closes_on = (meeting_on - timedelta(days=5)).isoformat()
    assert page.get_by_label("Closes on").input_value() == closes_on
    page.get_by_role("button", name="Preview email").click()
    preview = page.frame_locator("iframe[title='The invitation email as formatted email']")
    preview.get_by_role("link", name="Start the survey").wait_for()
    page.get_by_role("button", name="Create assessment").click()
    page.get_by_role("link", name="Invite members").wait_for()
    axe_check(page, "assessment detail")
    page.get_by_role("link", name="Invite members").click()
    assert not page.get_by_role("group", name="Stakeholder groups").is_visible()
    page.get_by_label("Chosen members").check()
    page.get_by_label("Find members by name").fill("asha")
    page.get_by_text("1 of 3 members shown").wait_for()
    page.get_by_label("Everyone not invited yet").check()
    sent_before = len(mail.outbox)
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_load_state()
    invitations = list(mail.outbox[sent_before:])
    assert sorted(m.to[0] for m in invitations) == [
        "asha.patel@example.org",
        "grace.okafor@example.org",
        "tom.reid@example.org",
    ]
    assert set(Invitation.objects.values_list("status", flat=True)) == {Invitation.SENT}

    member = browser.new_context(base_url=live_server.url).new_page()
    link = re.search(r"https?://\S+/s/[\w-]+/", invitations[0].body).group(0)
    member.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    member.get_by_role("button", name="Start").click()
    while "/survey/page/" in member.url:
        for fieldset in member.locator("fieldset").all():
            fieldset.locator("input[type=radio]").first.check(force=True)
        with member.expect_navigation():
            member.get_by_role("button", name="Save and continue").click()
    member.get_by_role("button", name="Submit my answers").click()
    member.get_by_role("heading", name="Thank you: your answers are in").wait_for()
    member.context.close()

    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    page.goto(page.url.split("/invite/")[0] + "/progress/")
    axe_check(page, "progress")
