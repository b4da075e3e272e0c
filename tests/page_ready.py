"""Waiting for a browser page to be ready to measure, without Playwright's "networkidle".

"networkidle" waits for half a second with no request in flight, and a lazily loaded
iframe or a late favicon can keep it from ever coming on a loaded machine (a CI run
timed out on /ctd/occitanie, every request served). What the tests need is narrower:
the document and its subresources loaded, the DSFR started where the page loads it
(it sets the theme), and the fonts in, since widths and contrast depend on them."""

from __future__ import annotations

from playwright.sync_api import Page

READY = """() => document.readyState === 'complete'
  && (document.documentElement.dataset.frJs === 'true'
      || !document.querySelector('script[src*="dsfr"]'))
  && document.fonts.status === 'loaded'"""


def wait_until_ready(page: Page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(READY)
