"""A leader prints the steering-group pack, in a real browser, to PDF: the PDF holds
the network's name and round on its cover, page numbers, a footer on every page and
every section, and no chart is wider than the page."""

import io

import pypdf

from scorecards.demo import demo_round_answers
from tests.e2e.test_instrument_preview import sign_in
from tests.scorecards.helpers import release
from tests.surveys.survey_helpers import open_assessment

SECTIONS = (
    "Summary",
    "1. Where the network sits",
    "2. Purpose, function and form",
    "3. The function mix",
    "4. The maturity matrix",
    "5. How groups compare",
    "6. How the network is connected",
    "7. Questions for the steering group",
    "8. What members wrote",
    "9. Actions",
    "How to read this pack",
)


def test_leader_prints_a_pack_with_a_cover_page_numbers_and_every_section(
    page, owner, network, instruments
):
    assessment = open_assessment(network, instruments, members=30)
    demo_round_answers(assessment, (66, 60, 58, 62), 3.0, 0.8, "monthly", seed=3)
    release(assessment)
    sign_in(page, owner)

    page.goto(f"/networks/{network.pk}/results/{assessment.pk}/pack/")
    page.get_by_role("heading", name="1. Where the network sits").wait_for()
    page.emulate_media(media="print")
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.js-plotly-plot')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    page_width = page.evaluate("document.querySelector('.pack').getBoundingClientRect().right")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    pages = [p.extract_text() for p in pdf.pages]
    text = "\n".join(pages)

    assert network.name in pages[0] and assessment.title in pages[0]
    assert "Who answered" in pages[0] and "24 of 30 invited members" in pages[0]
    assert len(pages) >= 3
    for number, content in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in content
        assert "steering-group pack" in content  # the footer on every page
    for section in SECTIONS:
        assert section in text, section
    assert widest <= page_width + 1
