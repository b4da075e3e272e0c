"""The widget: the only pages another site may frame, always the anonymous
view, with no cookie; the rest of the site refuses to be framed."""

from __future__ import annotations

import html as html_lib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from lxml import html as lxml_html

from cnig_share.config import ConfigurationError
from tests import factories

MEMBER = "membre@bretagne.example.org"


@pytest.fixture
def content(app, make_user):
    make_user(MEMBER, ctds=("bretagne",))
    with app.app_context():
        factories.publish("Guide de l'adresse", ctd="bretagne", terms=("mutualisation",))
        factories.publish("Retour sur le PCRS", ctd="bretagne", kind="retour-experience")
        factories.publish("Ressource corse", ctd="corse")
        factories.resource("Brouillon du CTD", ctd_slug="bretagne")
        factories.resource("Soumise du CTD", ctd_slug="bretagne", status="submitted")


def titles(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    return [link.text_content() for link in tree.xpath("//ul//a")]


def test_the_ctd_widget_lists_its_published_resources_as_links_to_new_tabs(client, content):
    response = client.get("/widget/ctd/bretagne")
    assert sorted(titles(response)) == ["Guide de l'adresse", "Retour sur le PCRS"]
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    for link in tree.xpath("//a"):
        assert link.get("target") == "_blank" and "noopener" in link.get("rel")
        assert link.get("href").startswith("http")  # the full site, not the frame's origin
    text = html_lib.unescape(response.get_data(as_text=True))
    assert "Retour d'expérience" in text and "publiée le 1er mars 2026" in text
    assert "<script" not in text


def test_a_signed_in_member_sees_the_anonymous_widget_and_gets_no_cookie(client, content, auth):
    auth.login(MEMBER)
    response = client.get("/widget/ctd/bretagne")
    shown = titles(response)
    assert "Brouillon du CTD" not in shown and "Soumise du CTD" not in shown
    assert "Set-Cookie" not in response.headers
    assert "Se déconnecter" not in response.get_data(as_text=True)
    # Still signed in on the site afterwards: the widget did not touch the session.
    assert "Se déconnecter" in client.get("/profil").get_data(as_text=True)


def test_the_search_widget_filters_by_words_kind_and_term(client, content):
    assert titles(client.get("/widget/recherche?q=adresse")) == ["Guide de l'adresse"]
    by_kind = titles(client.get("/widget/recherche?kind=retour-experience"))
    assert by_kind == ["Retour sur le PCRS"]
    assert titles(client.get("/widget/recherche?term=mutualisation")) == ["Guide de l'adresse"]
    everything = titles(client.get("/widget/recherche"))
    assert set(everything) == {"Guide de l'adresse", "Retour sur le PCRS", "Ressource corse"}
    assert "Brouillon du CTD" not in client.get("/widget/recherche?q=brouillon").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=projet", "Type de ressource inconnu"),
        ("kind=%3Cscript%3E", "Type de ressource inconnu"),
        ("term=inexistant", "ne figure pas dans le glossaire"),
    ],
)
def test_a_bad_search_widget_query_is_refused_in_french(client, query, message):
    response = client.get(f"/widget/recherche?{query}")
    assert response.status_code == 400
    assert message in html_lib.unescape(response.get_data(as_text=True))
    assert "Set-Cookie" not in response.headers


def test_an_unknown_ctd_widget_is_404_without_cookie(client):
    response = client.get("/widget/ctd/atlantide")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers


def test_widget_pages_alone_may_be_framed(client, content):
    for path in ("/widget/ctd/bretagne", "/widget/recherche?q=adresse"):
        headers = client.get(path).headers
        assert "frame-ancestors *" in headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in headers
    for path in ("/", "/ctd/bretagne", "/ctd/carte", "/widgets/ctd/bretagne", "/ctd/fiche.pdf"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "DENY", path


def test_the_framing_sites_can_be_listed(make_app, template):
    app = make_app(WIDGET_FRAME_ANCESTORS="https://geo.bretagne.fr https://portail.example.org")
    template.copy_index(app)
    headers = app.test_client().get("/widget/ctd/bretagne").headers
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors https://geo.bretagne.fr https://portail.example.org" in policy
    assert "X-Frame-Options" not in headers


@pytest.mark.parametrize(
    "setting",
    ["", "https://a.example.org/chemin", "javascript:alert(1)", "'self'; script-src *", "a.fr"],
)
def test_a_bad_list_of_framing_sites_stops_the_site(make_app, setting):
    with pytest.raises(ConfigurationError, match="WIDGET_FRAME_ANCESTORS"):
        make_app(WIDGET_FRAME_ANCESTORS=setting)


def test_the_ctd_page_offers_the_code_to_embed_with_a_preview(client):
    tree = lxml_html.fromstring(client.get("/ctd/bretagne").get_data(as_text=True))
    code = tree.xpath("//textarea[@id='code-integration']")[0].text_content()
    assert code.startswith('<iframe src="http') and '/widget/ctd/bretagne" title=' in code
    assert 'title="Dernières ressources du CTD Bretagne' in code
    preview = tree.xpath("//iframe[@title]")[0]
    assert preview.get("src") == "/widget/ctd/bretagne"
    assert tree.xpath("//a[@href='/api/']")  # JSON: the API guide says how


def test_the_api_guide_says_portals_may_read_the_json(client):
    text = html_lib.unescape(client.get("/api/").get_data(as_text=True))
    assert "/widget/ctd/occitanie" in text and "/api/v1/search?ctd=occitanie&sort=recent" in text


# --- in a real browser, framed by a page of another origin -------------------------------


@pytest.fixture
def other_origin(live_server):
    """A portal on another loopback origin that frames the widget and a site page."""
    site = live_server.replace("127.0.0.1", "localhost")

    class Portal(BaseHTTPRequestHandler):
        def do_GET(self):
            body = (
                '<!doctype html><html lang="fr"><head><title>Portail</title></head><body>'
                f'<iframe id="widget" title="Widget" src="{site}/widget/ctd/bretagne"></iframe>'
                f'<iframe id="site" title="Site" src="{site}/ctd/bretagne"></iframe>'
                "</body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.browser
def test_another_origin_frames_the_widget_but_not_the_site(browser, content, other_origin):
    page = browser.new_page()
    blocked = []
    page.on("console", lambda message: blocked.append(message.text))
    page.goto(other_origin)
    widget = page.frame_locator("#widget")
    widget.get_by_role("link", name="Guide de l'adresse").wait_for()
    assert widget.get_by_role("link", name="Retour sur le PCRS").count() == 1
    site = page.query_selector("#site").content_frame()
    site.wait_for_load_state()
    # A refused frame stays empty: Chromium shows its own error page, not the site.
    assert "CTD Bretagne" not in site.evaluate("document.body ? document.body.innerText : ''")
    assert any("frame-ancestors" in text for text in blocked)
    page.context.close()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "é" * 5000},
        {"q": "\"«»'<script>alert(1)</script>", "kind": "document"},
        {"q": "adresse", "kind": ["document", "projet"]},
        {"term": "mutualisation", "page": "-1", "per_page": "100000"},
        {"q": "🗺️ carte", "term": ""},
    ],
)
def test_odd_search_widget_queries_answer_without_error(client, content, query):
    response = client.get("/widget/recherche", query_string=query)
    assert response.status_code == 200
    assert "<script>alert" not in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_a_nul_character_in_a_widget_query_is_refused(client):
    assert client.get("/widget/recherche?q=a%00b").status_code == 400
