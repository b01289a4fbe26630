"""Every page of both instruments, as a member sees it, checked with axe and at the
width of a small phone (quality A1, A2)."""

import pytest

from surveys.survey_pages import survey_pages
from tests.e2e.conftest import print_button_prints
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My networks").wait_for()


def test_every_preview_page_passes_axe_and_fits_a_phone(page, axe_check, owner, instruments):
    sign_in(page, owner)
    page.set_viewport_size({"width": 320, "height": 700})
    for instrument in instruments.values():
        base = f"/instruments/{instrument.code}/v{instrument.version}/preview/"
        page.goto(base)
        axe_check(page, f"{instrument.code} welcome")
        definition = instrument.definition
        pages = (
            survey_pages(definition, None)
            if instrument.kind == "scorecard"
            else survey_pages(None, definition)
        )
        for survey_page in pages:
            page.goto(base + survey_page.key + "/")
            page.get_by_role("heading", name=survey_page.title, exact=True).wait_for()
            axe_check(page, f"{instrument.code} {survey_page.key}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{survey_page.key} scrolls sideways at 320 px ({width} px)"


def test_matrix_grid_passes_axe_and_prints(page, axe_check, owner, instruments):
    sign_in(page, owner)
    matrix = instruments["matrix"]
    page.goto(f"/instruments/{matrix.code}/v{matrix.version}/")
    page.get_by_role("heading", name=matrix.title).wait_for()
    axe_check(page, "matrix grid")
    assert print_button_prints(page, "Print this grid")
