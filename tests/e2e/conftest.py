"""Browser tests: Debian's chromium driven by Playwright; never a downloaded browser.

Skipped when /usr/bin/chromium is absent (`.ci/run` installs it). Screenshots go to test-artifacts/.

Every browser context a test opens (the `page` fixture, or `browser.new_context()` in a test) watches
for Content-Security-Policy violations, and the test fails on any: an inline script or style that
slipped into a template, an event attribute, an eval, a resource from elsewhere.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("PARCOURS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in the test thread; the test only sets up data with the
# ORM before and between browser steps, never concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


# Runs in every document before its own scripts: each violation is kept in window.__cspViolations
# and sent to the test (the page's list is lost at the next navigation, the test's is not).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const violation = [
    event.effectiveDirective || event.violatedDirective,
    "blocked " + (event.blockedURI || "?"),
    "in " + (event.sourceFile || document.location.href) + ":" + event.lineNumber,
    event.sample ? "sample " + JSON.stringify(event.sample) : "",
  ].join(" ").trim();
  window.__cspViolations.push(violation);
  window.__parcoursCspViolation(violation);
});
"""


def watch_csp(context, violations: list[str]) -> None:
    """Record into `violations` every CSP violation in `context`: from the page's own event, and from
    chromium's console message as a backstop (for what the event does not reach)."""

    def report(violation: str) -> None:
        violations.append(violation)

    def console(message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            violations.append(f"console: {text}")

    context.expose_function("__parcoursCspViolation", report)
    context.add_init_script(CSP_LISTENER)
    context.on("console", console)


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations of every browser context of the test; it fails if any is left."""
    return []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    violations = item.funcargs.get("csp_violations")
    if violations:
        found = "\n".join(dict.fromkeys(violations))
        violations.clear()
        pytest.fail(f"Content-Security-Policy violations:\n{found}", pytrace=False)
    return result


@pytest.fixture
def browser(csp_violations):
    """Per test, not per session: Playwright's event loop must start after the database is set up
    for the test (a serialized rollback reloaded with the loop running is lost on PostgreSQL).

    Its `new_context` and `new_page` watch every context they open for CSP violations."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        new_context = browser.new_context

        def guarded_new_context(**kwargs):
            context = new_context(**kwargs)
            watch_csp(context, csp_violations)
            return context

        def guarded_new_page(**kwargs):
            return guarded_new_context(**kwargs).new_page()

        browser.new_context = guarded_new_context
        browser.new_page = guarded_new_page
        yield browser
        browser.close()
        # Violations reported while the last contexts closed, after the test's own check.
        if csp_violations:
            pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(csp_violations)))


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# The WCAG 2.1 A and AA rules of axe-core (shipped inside the axe-playwright-python wheel).
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page as it stands, one line each ('' when none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    return [
        f"{violation['id']} ({violation['impact']}): {', '.join(str(node['target']) for node in violation['nodes'])}"
        for violation in results.response["violations"]
    ]
