"""A real OpenID provider for the tests (tests/oidc/provider.mjs, panva's oidc-provider
from npm), and a person who signs in at its pages with a real HTTP client and comes
back to the app under test."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
REDIRECT_PATH = "/connexion/proconnect/retour"
POST_LOGOUT_PATH = "/deconnexion/proconnect"
AGENT = {
    "email": "camille.martin@exemple.gouv.fr",
    "given_name": "Camille",
    "usual_name": "Martin",
    "siret": "13002526500013",
}


@contextmanager
def running_provider() -> Iterator[str]:
    """Start the provider on a free loopback port; yields its issuer."""
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("oidc-provider manque : lancez `make assets` (npm ci) d'abord.")
    process = subprocess.Popen(
        ["node", str(PROVIDER_SCRIPT)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the test OpenID provider did not start")
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def register_client(
    issuer: str, public_url: str, name: str = "CNIG Partage", signed_userinfo: bool = True
) -> dict[str, str]:
    """Register a client for the app at public_url (RFC 7591); its PROCONNECT_* settings."""
    metadata = {
        "client_name": name,
        "redirect_uris": [public_url + REDIRECT_PATH],
        "post_logout_redirect_uris": [public_url + POST_LOGOUT_PATH],
    }
    if signed_userinfo:
        metadata["userinfo_signed_response_alg"] = "RS256"
    answer = requests.post(f"{issuer}/reg", json=metadata, timeout=10)
    answer.raise_for_status()
    registered = answer.json()
    return {
        "PROCONNECT_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration",
        "PROCONNECT_CLIENT_ID": registered["client_id"],
        "PROCONNECT_CLIENT_SECRET": registered["client_secret"],
    }


class _Forms(HTMLParser):
    """The forms of a page: action and the values of their inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action"), "id": attributes.get("id")})
            self.forms[-1]["fields"] = {}
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value") or ""


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Agent:
    """A person with a browser at the provider (requests, with its cookies: the
    provider's session) and at the app (the Flask test client)."""

    def __init__(self, client: FlaskClient, public_url: str = "http://127.0.0.1:5000") -> None:
        self.client = client
        self.public_url = public_url
        self.browser = requests.Session()
        self.pages_seen: list[str] = []

    def start(self, path: str = "/connexion/proconnect") -> str:
        """The app's answer to a start: the provider's authorization URL."""
        answer = self.client.get(path)
        assert answer.status_code in (302, 303), answer.get_data(as_text=True)[:500]
        return answer.headers["Location"]

    def at_provider(self, url: str, **identity: str) -> str:
        """Follow the provider from url, posting identity at its login page when it asks;
        returns the app path (and query) it sends the browser back to."""
        answer = self.browser.get(url, allow_redirects=False, timeout=10)
        while True:
            if answer.status_code in (302, 303):
                location = urljoin(answer.url, answer.headers["Location"])
                if location.startswith(self.public_url):
                    parts = urlsplit(location)
                    return parts.path + ("?" + parts.query if parts.query else "")
                answer = self.browser.get(location, allow_redirects=False, timeout=10)
                continue
            assert answer.status_code == 200, answer.text[:500]
            self.pages_seen.append(answer.text)
            form = forms_of(answer.text)[0]
            fields = dict(form["fields"])
            if "email" in fields:  # the login page
                fields.update({**AGENT, **identity})
            else:  # the end-session confirmation
                fields["logout"] = "yes"
            answer = self.browser.post(
                urljoin(answer.url, form["action"]), data=fields, allow_redirects=False, timeout=10
            )

    def sign_in(self, start: str = "/connexion/proconnect", **identity: str):
        """The whole round trip; the app's answer at its redirect URI."""
        return self.client.get(self.at_provider(self.start(start), **identity))
