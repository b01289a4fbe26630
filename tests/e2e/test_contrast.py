"""Non-text contrast (WCAG 2.2 1.4.11), which axe does not check: the edges that show a
survey's radio buttons and answer cards are at least 3:1 against what is behind them,
read from the browser's computed styles."""

import pytest

from surveys.survey_pages import survey_pages
from tests.e2e.test_instrument_preview import sign_in
from tests.surveys.survey_helpers import invite_all, link_path, open_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each element's border colour and the colour behind it: the nearest ancestor with an
# opaque background, with a translucent border laid over that colour.
EDGES = """(selector) => [...document.querySelectorAll(selector)].slice(0, 12).map((el) => {
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  let behind = el.parentElement;
  while (behind && (rgba(getComputedStyle(behind).backgroundColor)[3] ?? 1) < 1) {
    behind = behind.parentElement;
  }
  const back = behind ? rgba(getComputedStyle(behind).backgroundColor) : [255, 255, 255];
  const style = getComputedStyle(el);
  return {where: el.id || el.className, border: rgba(style.borderTopColor),
          width: parseFloat(style.borderTopWidth), back: back.slice(0, 3)};
})"""


def luminance(rgb) -> float:
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two) -> float:
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour, back):
    """A translucent colour as seen over an opaque one."""
    alpha = colour[3] if len(colour) > 3 else 1
    return [alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], back, strict=True)]


def weak_edges(page, selector: str) -> list[str]:
    edges = page.evaluate(EDGES, selector)
    assert edges, f"nothing matches {selector}"
    weak = []
    for edge in edges:
        ratio = contrast(over(edge["border"], edge["back"]), edge["back"])
        if edge["width"] < 1 or ratio < 3:
            weak.append(f"{selector} {edge['where']}: {edge['width']}px at {ratio:.2f}:1")
    return weak


def test_survey_radios_and_answer_cards_have_3_to_1_edges(page, network, instruments):
    invitation = invite_all(open_assessment(network, instruments, members=1))[0]
    page.goto(link_path(invitation))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/survey/page/**")
    weak = weak_edges(page, "input.form-check-input[type=radio]")
    weak += weak_edges(page, ".scale .form-check")
    page.locator("input.form-check-input[type=radio]").first.focus()
    weak += weak_edges(page, "input.form-check-input:focus")  # focused, not chosen
    page.keyboard.press("Space")
    weak += weak_edges(page, "input.form-check-input:checked")
    assert weak == []


def test_matrix_cards_and_target_radios_have_3_to_1_edges(page, owner, instruments):
    sign_in(page, owner)
    matrix = instruments["matrix"]
    first = survey_pages(None, matrix.definition)[0]
    page.goto(f"/instruments/{matrix.code}/v{matrix.version}/preview/{first.key}/")
    weak = weak_edges(page, "input.form-check-input[type=radio]")
    weak += weak_edges(page, ".matrix-card")
    assert weak == []
