"""Every page of every role at a phone's width (375 px) in a real Chromium: nothing
makes the document wider than the screen, and axe-core finds no serious or critical
violation (issue 17 §6). The pages are tests/site_pages.py's `PAGES`, on the demo site.

A wide table or diagram may scroll inside its own container (the DSFR table's), which
does not widen the document: only `scrollWidth > innerWidth` of the document fails."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests import site_pages
from tests.conftest import PASSWORD
from tests.test_journeys import assert_accessible, demo_site, watch_errors  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}

# How much wider than the screen the document is, and what sticks out the most.
OVERFLOW = """() => {
  const root = document.documentElement;
  const widest = [...document.querySelectorAll('body *')]
    .filter(node => node.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 3)
    .map(node => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '')
                 + (node.className && typeof node.className === 'string'
                    ? '.' + node.className.trim().split(/\\s+/).join('.') : ''));
  return {scroll: root.scrollWidth, inner: window.innerWidth, widest: widest};
}"""


def assert_fits(page: Page) -> None:
    """Fail when the document is wider than the viewport, naming what sticks out."""
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["inner"], (
        f"{page.url} is {measured['scroll']} px wide on a {measured['inner']} px screen: "
        f"{', '.join(measured['widest'])}"
    )


@pytest.fixture(scope="module")
def sessions(browser: Browser, demo_site):  # noqa: F811
    """Each role's cookies, signed in once through the sign-in form."""
    base, _ = demo_site
    states: dict[str, dict] = {"visiteur": {"cookies": [], "origins": []}}
    for role, account in site_pages.ACCOUNTS.items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/connexion")
        page.get_by_label("Adresse électronique").fill(account.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion" not in url)
        states[role] = context.storage_state()
        context.close()
    return states


def test_every_role_has_pages():
    counts = {role: len(site_pages.pages_of(role)) for role in site_pages.ROLES}
    assert all(counts.values()), counts
    assert sum(counts.values()) == len(site_pages.PAGES)


def test_the_width_check_fails_on_a_page_wider_than_the_phone(browser: Browser):
    page = browser.new_page(viewport=PHONE)
    page.set_content(
        '<html lang="fr"><body><main><table id="large"><tr><td>'
        + "cellule " * 200
        + "</td></tr></table></main></body></html>"
    )
    page.add_style_tag(content="td { white-space: nowrap }")
    with pytest.raises(AssertionError, match=r"on a 375 px screen: .*table#large"):
        assert_fits(page)
    page.context.close()


@pytest.mark.parametrize(("role", "path"), site_pages.PAGES)
def test_page_fits_a_phone_and_passes_axe(browser: Browser, demo_site, sessions, role, path):  # noqa: F811
    base, places = demo_site
    context = browser.new_context(viewport=PHONE, locale="fr-FR", storage_state=sessions[role])
    page = context.new_page()
    errors = watch_errors(page)
    response = page.goto(base + path.format(**places))
    assert response.status == 200, f"{role} {path}: {response.status}"
    assert ("/connexion" in path) or ("/connexion" not in page.url), "not signed in"
    page.wait_for_load_state("networkidle")
    assert_fits(page)
    assert_accessible(page)
    assert errors == []
    context.close()
