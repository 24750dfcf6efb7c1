"""Browser tests: Debian's chromium driven by Playwright; never a downloaded browser.

Skipped when /usr/bin/chromium is absent (`.ci/run` installs it). Screenshots go to test-artifacts/.

Every browser context a test opens (the `page` fixture, or `browser.new_context()` in a test) watches
for Content-Security-Policy violations, and the test fails on any: an inline script or style that
slipped into a template, an event attribute, an eval, a resource from elsewhere.

Every page such a context shows (Django's own /admin/ excepted) is also checked by axe-core (WCAG 2.1 A
and AA rules) once loaded and after every htmx swap, and the test fails on any critical or serious
violation (RGAA). The check runs in the page; before the test clicks, presses a key or navigates, it
waits for the current page's check to finish, so no page is left unchecked because the test moved on.
"""

import contextlib
import os
from pathlib import Path

import pytest
from playwright.sync_api import Keyboard, Locator, Page

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


def _axe_source() -> str:
    """axe-core as shipped inside the axe-playwright-python wheel (pinned in pyproject.toml)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


# Runs axe-core in the top document once it is loaded and after every htmx swap; each check chains
# after the previous one (axe refuses two runs at once). window.__parcoursAxeRun is what the test
# waits for before it leaves the page.
AXE_RUNNER = """
(() => {
  if (window.top !== window || !/^https?:$/.test(window.location.protocol)) { return; }
  // Django's own admin (django.contrib.admin's markup, used by the technical administrator only) is not
  // checked: its changelists' unlabelled inline fields and select2 are Django's, not Parcours's templates.
  if (window.location.pathname.startsWith("/admin/")) { return; }
  const options = {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  };
  const check = () => {
    window.__parcoursAxeRun = (window.__parcoursAxeRun || Promise.resolve())
      .then(() => window.axe.run(document, options))
      .then((results) => {
        const found = results.violations
          .filter((violation) => violation.impact === "critical" || violation.impact === "serious")
          .map((violation) => violation.id + " (" + violation.impact + "): "
            + violation.nodes.map((node) => node.target.join(" ")).join(", "));
        return window.__parcoursAxe(window.location.pathname + window.location.search, document.title, found);
      })
      .catch((error) => window.__parcoursAxe(window.location.pathname, document.title, ["axe failed: " + error]));
  };
  window.__parcoursAxeCheck = check;
  window.addEventListener("load", check);
  document.addEventListener("htmx:afterSettle", check);
})();
"""


def watch_axe(context, violations: list[str], checked: list[str]) -> None:
    """Check with axe-core every page `context` shows; serious and critical violations go to `violations`."""

    def report(path: str, title: str, found: list[str]) -> None:
        checked.append(path)
        violations.extend(f"{path} « {title} » — {line}" for line in found)

    context.expose_function("__parcoursAxe", report)
    context.add_init_script(_axe_source())
    context.add_init_script(AXE_RUNNER)


# The page may still be loading when the test acts: its check starts at `load` (the runner's listener
# was added first, so it has started when this one runs).
AXE_WAIT = """() => document.readyState === "complete"
  ? (window.__parcoursAxeRun || null)
  : new Promise((resolve) => window.addEventListener("load", () => resolve(window.__parcoursAxeRun || null)))"""


def axe_check(page) -> None:
    """Check the page again as it stands now (after a change of viewport, which reloads nothing)."""
    page.evaluate("() => { window.__parcoursAxeCheck(); return window.__parcoursAxeRun; }")


def axe_settle(page) -> None:
    """Wait until the checks of the page as it stands are over (a closed or navigating page has none)."""
    # A page that navigated or closed meanwhile has no check left to wait for: the next one started it.
    with contextlib.suppress(Exception):
        page.evaluate(AXE_WAIT)


def _settling(method):
    def wrapper(self, *args, **kwargs):
        page = self.page if isinstance(self, Locator) else getattr(self, "_parcours_page", self)
        if isinstance(page, Page):
            axe_settle(page)
        return method(self, *args, **kwargs)

    wrapper.__wrapped__ = method
    return wrapper


@pytest.fixture
def axe_violations_found() -> list[str]:
    """The serious and critical axe-core violations of every page the test's browser showed."""
    return []


@pytest.fixture
def axe_checked() -> list[str]:
    """The address of every page state axe-core checked during the test."""
    return []


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
    _fail_on_axe(item.funcargs.get("axe_violations_found"))
    return result


def _fail_on_axe(violations: list[str] | None) -> None:
    if violations:
        found = "\n".join(dict.fromkeys(violations))
        violations.clear()
        pytest.fail(f"Accessibility (axe-core, serious or critical):\n{found}", pytrace=False)


@pytest.fixture
def browser(csp_violations, axe_violations_found, axe_checked, monkeypatch):
    """Per test, not per session: Playwright's event loop must start after the database is set up
    for the test (a serialized rollback reloaded with the loop running is lost on PostgreSQL).

    Its `new_context` and `new_page` watch every context they open for CSP and axe-core violations;
    clicks, key presses and navigations first wait for the current page's axe check."""
    from playwright.sync_api import sync_playwright

    for cls, name in (
        (Locator, "click"),
        (Locator, "press"),
        (Page, "click"),
        (Page, "goto"),
        (Page, "reload"),
        (Keyboard, "press"),
    ):
        monkeypatch.setattr(cls, name, _settling(getattr(cls, name)))
    original_keyboard = Page.keyboard

    def keyboard(page):
        board = original_keyboard.fget(page)
        board._parcours_page = page
        return board

    monkeypatch.setattr(Page, "keyboard", property(keyboard))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        new_context = browser.new_context

        def guarded_new_context(**kwargs):
            context = new_context(**kwargs)
            watch_csp(context, csp_violations)
            watch_axe(context, axe_violations_found, axe_checked)
            close = context.close

            def settled_close(**close_kwargs):
                for open_page in context.pages:
                    axe_settle(open_page)
                return close(**close_kwargs)

            context.close = settled_close
            return context

        def guarded_new_page(**kwargs):
            return guarded_new_context(**kwargs).new_page()

        browser.new_context = guarded_new_context
        browser.new_page = guarded_new_page
        yield browser
        for context in browser.contexts:
            for open_page in context.pages:
                axe_settle(open_page)
        browser.close()
        # Violations reported while the last contexts closed, after the test's own check.
        if csp_violations:
            pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(csp_violations)))
        _fail_on_axe(axe_violations_found)


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
