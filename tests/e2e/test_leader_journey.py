"""A leader, in a real browser: opens the dashboard of a demo network, reads the stage,
compares groups, and prints the steering-group pack (quality A1, P5, S8)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from scorecards.management.commands.seed_demo import LEADER_EMAIL, LEADER_PASSWORD
from surveys.models import Assessment
from tests.e2e.conftest import print_button_prints

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_reads_the_dashboard_compares_groups_and_prints_the_pack(page, axe_check):
    call_command("seed_demo", members=40)
    assessment = (
        Assessment.objects.filter(network__name="North Coast Stroke Network")
        .order_by("-closes_on")
        .first()
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(LEADER_EMAIL)
    page.get_by_label("Password").fill(LEADER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="North Coast Stroke Network").click()
    page.get_by_role("link", name="Results").click()
    page.get_by_role("heading", name="Results, round by round").wait_for()
    axe_check(page, "results overview")
    page.get_by_role("link", name=f"Dashboard for {assessment.title}").click()

    page.get_by_role("heading", name="Where the network sits").wait_for()
    assert page.locator(".stage-step.current").inner_text().startswith("Established")
    page.locator(".chart-plot .main-svg").first.wait_for()  # plotly drew from local static
    axe_check(page, "dashboard")
    sizes = page.evaluate(
        "[...document.querySelectorAll('script[type=\"application/json\"]')]"
        ".map(s => s.textContent.length)"
    )
    assert 0 < sum(sizes) < 1_000_000
    for kind, starts in (("PNG", b"\x89PNG"), ("SVG", b"<svg")):
        with page.expect_download() as download:
            page.get_by_role("button", name=f"Download {kind}").first.click()
        assert download.value.suggested_filename.endswith("." + kind.lower())
        assert Path(download.value.path()).read_bytes().startswith(starts)

    page.get_by_label("Compare groups by").select_option("network_role")
    page.get_by_role("button", name="Show", exact=True).click()
    page.get_by_role(
        "heading", name="Groups compared with everyone else, by part in the network"
    ).wait_for()

    page.get_by_role("link", name="Steering-group pack").click()
    page.get_by_role("heading", name="1. Where the network sits").wait_for()
    axe_check(page, "pack")
    assert print_button_prints(page, "Print or save as PDF")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Print or save as PDF").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_dashboard_figures_are_plain_json(page, owner, network, instruments):
    from scorecards.demo import demo_round_answers
    from tests.e2e.test_instrument_preview import sign_in
    from tests.scorecards.helpers import release
    from tests.surveys.survey_helpers import open_assessment

    assessment = open_assessment(network, instruments, members=12)
    demo_round_answers(assessment, (60, 60, 60), 3.0, 1.0, "monthly", seed=1)
    release(assessment)
    sign_in(page, owner)

    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/")
    blocks = page.locator('script[type="application/json"]').all()
    assert blocks
    for block in blocks:
        figure = json.loads(block.text_content())
        assert set(figure) >= {"data", "layout"}


def test_each_demo_network_dashboard_shows_its_stage(page, axe_check):
    from django.utils.text import slugify

    from tests.e2e.conftest import ARTIFACTS

    call_command("seed_demo", members=40)
    expected = {
        "North Coast Stroke Network": "Established",
        "Paediatric Diabetes Improvement Collaborative": "Emerging",
        "Frailty at Home Partnership": "Pre-emergent",
        "Valley Maternity Voices Network": "Dormant",
    }
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(LEADER_EMAIL)
    page.get_by_label("Password").fill(LEADER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My networks").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    for name, stage in expected.items():
        latest = Assessment.objects.filter(network__name=name).order_by("-closes_on").first()
        page.goto(f"/networks/{latest.network_id}/results/{latest.pk}/")
        page.get_by_role("heading", name="Where the network sits").wait_for()
        assert page.locator(".stage-step.current").inner_text().startswith(stage)
        page.locator(".chart-plot .main-svg").first.wait_for()
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{slugify(name)}.png"), full_page=True)
    axe_check(page, "dormant network dashboard")
