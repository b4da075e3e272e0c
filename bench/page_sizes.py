"""Each page of tests/site_pages.py's `PAGES`, measured in Chromium at 1280 and 375 px:
the document's width (scrollWidth; wider than the screen means a sideways scroll) and
height, on the demo site (SQLite, in a temporary folder).

    .venv/bin/python bench/page_sizes.py [--shots FOLDER] [PATH_FRAGMENT ...]

With fragments, only the pages whose path contains one of them; with --shots, a
full-page screenshot of each (role-width-path.png)."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from tests import site_pages
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TEST_HASH_METHOD

WIDTHS = (1280, 375)
SIZE = "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("fragments", nargs="*")
    parser.add_argument("--shots", type=Path)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per page, not per file
    pages = [
        (role, path)
        for role, path in site_pages.PAGES
        if not args.fragments or any(fragment in path for fragment in args.fragments)
    ]
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        url = f"sqlite:///{folder}/demo.db"
        # The tests' cheap hash: the accounts are made and signed in here, not attacked.
        demo = site_pages.demo_site(url, Path(folder), PASSWORD, TEST_HASH_METHOD)
        with demo as (base, places):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states = {"visiteur": {"cookies": [], "origins": []}}
            for role, account in site_pages.ACCOUNTS.items():
                page = browser.new_page()
                page.goto(base + "/connexion")
                page.get_by_label("Adresse électronique").fill(account.email)
                page.get_by_label("Mot de passe").fill(PASSWORD)
                page.locator("main").get_by_role("button", name="Se connecter").click()
                page.wait_for_url(lambda url: "/connexion" not in url)
                states[role] = page.context.storage_state()
                page.context.close()
            print(f"{'role':<13} {'page':<44} " + "  ".join(f"{w:>5} px: w × h" for w in WIDTHS))
            for role, path in pages:
                sizes = []
                for width in WIDTHS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 800}, storage_state=states[role]
                    )
                    page = context.new_page()
                    page.goto(base + path.format(**places))
                    page.wait_for_load_state("networkidle")
                    scroll, height = page.evaluate(SIZE)
                    flag = "!" if scroll > width else " "
                    sizes.append(f"{flag}{scroll:>5} × {height:>6}")
                    if args.shots:
                        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "accueil"
                        page.screenshot(
                            path=str(args.shots / f"{role}-{width}-{name}.png"), full_page=True
                        )
                    context.close()
                print(f"{role:<13} {path:<44} " + "  ".join(sizes))
            browser.close()


if __name__ == "__main__":
    main()
