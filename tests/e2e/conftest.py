"""A real browser: Debian's chromium driven by Playwright, against pytest-django's live
server. Screenshots of each test land in test-artifacts/ for people to look at.

Every browser context a test opens reports what the Content-Security-Policy refused
(a `securitypolicyviolation` event, or chromium's console line about it), and
the test fails if anything was refused: a page that works only because a check is
off cannot pass unnoticed."""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import need

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def browser():
    need(os.path.exists(CHROMIUM), "chromium: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while the browser is
    # open; the ORM calls that tests and fixtures make meanwhile are ordinary
    # synchronous calls, so Django's async guard is lifted for that time only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=FLAGS, headless=True
            )
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


# Runs in every page and frame before the page's own scripts.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => {
  const where = event.sourceFile
    ? ` (${event.sourceFile}:${event.lineNumber}:${event.columnNumber})` : "";
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` on ${event.documentURI}${where}${event.sample ? ": " + event.sample : ""}`);
});"""


class CspViolations(list):
    """What the policy refused, in every browser context opened during one test."""

    def __init__(self):
        super().__init__()
        self.contexts = []

    def watch(self, context):
        context.expose_binding("__cspViolation", lambda source, text: self.append(text))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console)
        self.contexts.append(context)

    def _console(self, message):
        # "Refused to load ...", or in newer chromium "... violates the following
        # Content Security Policy directive ..."
        text = message.text
        if text.startswith("Refused to") or "Content Security Policy directive" in text:
            self.append(text)

    def settle(self):
        """Reports arrive asynchronously: give pages still open a moment to send theirs."""
        for context in self.contexts:
            for open_page in context.pages:
                if not open_page.is_closed():
                    open_page.wait_for_timeout(100)
        return list(self)


@pytest.fixture(autouse=True)
def csp_violations(browser, monkeypatch):
    """Watches every context the test opens, through `page` or `browser.new_context`."""
    violations = CspViolations()
    new_context = browser.new_context

    def watched_context(**kwargs):
        context = new_context(**kwargs)
        violations.watch(context)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    return violations


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fails the test itself (not its teardown) when the policy refused anything."""
    result = yield
    violations = item.funcargs.get("csp_violations")
    found = violations.settle() if violations is not None else []
    if found:
        pytest.fail("The Content-Security-Policy refused:\n" + "\n".join(dict.fromkeys(found)))
    return result


@pytest.fixture
def page(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w-]+", "_", request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def axe_check():
    """Run axe on the page: no serious or critical WCAG 2.2 AA problem (quality A1)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str) -> None:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"axe on {label}:\n" + "\n".join(bad)

    return check


def print_button_prints(page, name: str) -> bool:
    """Clicks a print button, with the browser's print dialogue stood in for (a
    headless browser has none): True when the button asked the browser to print."""
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name=name).click()
    return page.evaluate("window.printed === true")
