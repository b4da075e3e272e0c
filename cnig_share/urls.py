"""The one rule for a web address someone gives us (resource links, actors'
websites): forms, the API and every import check it here."""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_URL_SCHEMES = ("http", "https")
WEB_URL_MESSAGE = "Saisissez une adresse web complète, commençant par https://."
# The rule as far as a JSON Schema pattern can tell it (for the OpenAPI
# document): the scheme, a host (a port or user alone is not one), no space
# or control character. Only Unicode's invisible format characters escape it.
_INVISIBLE = r"\s\x00-\x1f\x7f-\x9f"  # left out of every class below
WEB_URL_PATTERN = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^{_INVISIBLE}/?#]*@)?"
    rf"(?:\[[^{_INVISIBLE}/?#@\[\]]+\]|[^{_INVISIBLE}/?#@:\[\]]+)"
    rf"(?::[^{_INVISIBLE}/?#@]*)?(?:[/?#][^{_INVISIBLE}]*)?$"
)


def is_web_url(text: str) -> bool:
    """http or https with a host, without spaces or control characters: never
    an address a browser would run (javascript:, data:) or read from disk."""
    if any(char.isspace() or not char.isprintable() for char in text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:  # "http://[" and other broken hosts
        return False
    return parts.scheme.lower() in WEB_URL_SCHEMES and bool(host)
