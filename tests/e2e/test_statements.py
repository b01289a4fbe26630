"""A visitor reading Welsh, in a real browser, follows the footer to each statement and
reads it in Welsh (README: Languages): the accessibility statement, the privacy notice
and the impact assessment, each passing axe with the page's language said as Welsh."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The footer's link to each statement, and the heading it opens on, in Welsh.
STATEMENTS = (
    ("Hygyrchedd", "Datganiad hygyrchedd ar gyfer netassess"),
    ("Hysbysiad preifatrwydd", "Hysbysiad preifatrwydd"),
    ("Asesiad o'r effaith ar ddiogelu data", "Asesiad o'r effaith ar ddiogelu data: amlinelliad"),
)


def test_a_welsh_visitor_reads_every_statement_in_welsh_from_the_footer(page, axe_check):
    page.goto("/?lang=cy")
    for link, heading in STATEMENTS:
        page.locator("footer").get_by_role("link", name=link, exact=True).click()
        page.get_by_role("heading", level=1, name=heading).wait_for()
        assert page.locator("html").get_attribute("lang") == "cy"
        assert page.locator("main [lang='en']").count() == 0  # nothing left in English
        axe_check(page, heading)
    page.get_by_role("table").first.wait_for()  # the impact assessment's risks
