"""The fact sheets: two A4 pages drawn on the server, read back with pypdf,
rendered to an image with pdfium, and never stale (keyed on what they show)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from cnig_share.extensions import db
from cnig_share.workspace import services
from tests import factories

CURATOR = "veille@cnig.example.org"
A4 = (595.28, 841.89)  # points


@pytest.fixture
def bretagne(app, make_user):
    """Bretagne with its governance, a project, a year of costs and resources."""
    make_user(CURATOR, role="curator")
    with app.app_context():
        factories.workspace(CURATOR)  # costs 2026: 150 500 €, avoided 60 000 €
        services.save_governance(
            factories.ctd("bretagne"),
            {"region_chair": "Région Bretagne", "state_chair": "SGAR Bretagne"},
            factories.user(CURATOR),
        )
        factories.ctd("bretagne").contact = "ctd@bretagne.example.org"
        db.session.commit()
        factories.publish(
            "Guide de l'adressage", ctd="bretagne", terms=("mutualisation",),
            published_at=datetime(2026, 4, 1, 10, tzinfo=UTC),
        )  # fmt: skip
        factories.resource("Brouillon secret", ctd_slug="bretagne")


def read(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> str:
    """Text with no-break spaces read as spaces: fpdf2 keeps a line from breaking
    at one in a paragraph, but writes it as a plain space there (table cells keep it)."""
    return text.replace("\u00a0", " ")


def test_a_ctd_sheet_is_two_a4_pages_with_its_facts(client, bretagne):
    reader, text = read(client.get("/ctd/bretagne/fiche.pdf"))
    assert len(reader.pages) == 2
    for page in reader.pages:
        width, height = (float(v) for v in page.mediabox[2:])
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    assert "CTD Bretagne" in text
    assert "Étape : pas encore engagé" in words(text)
    assert "Coprésidence Région : Région Bretagne" in words(text)
    assert "Instance régionale de gouvernance de la donnée" in text  # the glossary's
    assert "PCRS mutualisé" in text and "Mégalis Bretagne" in text and "IGN" in text
    # French figures: narrow no-break space between thousands, € after a no-break space.
    assert "150\u202f500\u00a0€" in text
    assert "60\u202f000\u00a0€" in text
    assert "Guide de l'adressage" in text and "publiée le 1er avril 2026" in text
    assert "Brouillon secret" not in text  # a draft never shows
    assert "/ctd/bretagne" in text  # the address, beside its QR code
    assert "ctd@bretagne.example.org" in text


def test_the_sheet_embeds_its_fonts_and_says_its_language(client, bretagne):
    reader, _ = read(client.get("/ctd/bretagne/fiche.pdf"))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]
        assert "Marianne" in str(descendant["/BaseFont"])
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    assert reader.metadata.title == "CTD Bretagne — fiche"
    assert [item.title for item in reader.outline][:2] == [
        "Où en est le comité",
        "Qu'est-ce qu'un comité territorial de la donnée ?",
    ]


def test_the_sheet_renders_to_an_image_with_its_map_and_qr_code(client, bretagne, tmp_path):
    import pypdfium2

    document = pypdfium2.PdfDocument(client.get("/ctd/bretagne/fiche.pdf").get_data())
    image = document[0].render(scale=2).to_pil().convert("RGB")
    image.save(tmp_path / "fiche-bretagne-1.png")
    width, height = image.size

    def blue(pixel):  # bleu France (0, 0, 145), anti-aliasing allowed
        return pixel[2] > 110 and pixel[0] < 50 and pixel[1] < 50

    def count(box, test) -> int:
        return sum(1 for pixel in image.crop(box).get_flattened_data() if test(pixel))

    # The region, in blue, on the map in the top right quarter (Bretagne: ~3,700 px).
    assert count((width // 2, 0, width, height // 2), blue) > 1500
    # The QR code in the bottom left corner: dark modules (~8,800 px).
    assert count((0, height * 3 // 4, width // 3, height), lambda p: max(p) < 60) > 3000
    document.close()


def test_the_sheet_is_cached_by_etag_and_never_stale(app, client, bretagne):
    first = client.get("/ctd/bretagne/fiche.pdf")
    etag = first.headers["ETag"]
    again = client.get("/ctd/bretagne/fiche.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304
    with app.app_context():
        governance = services.governance_of(factories.ctd("bretagne"))
        governance.state_chair = "Préfecture de région"
        db.session.commit()
    changed = client.get("/ctd/bretagne/fiche.pdf", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    _, text = read(changed)
    assert "Préfecture de région" in text
    # The glossary's definition is part of the key too.
    with app.app_context():
        factories.term("comite-territorial-de-la-donnee").definition = "Définition revue."
        db.session.commit()
    _, text = read(client.get("/ctd/bretagne/fiche.pdf"))
    assert "Définition revue." in text


def test_the_national_sheet_sums_all_ctds(client, bretagne):
    reader, text = read(client.get("/ctd/fiche.pdf"))
    assert len(reader.pages) == 2
    assert "Les comités territoriaux de la donnée" in text
    assert "Comités : 18" in words(text)
    assert "Constitué : 4" in words(text) and "Occitanie" in text
    assert "Ressources publiées : 1" in words(text)
    assert "mutualisation (1 ressource)" in words(text)
    assert "PCRS mutualisé (Bretagne)" in text
    assert "Brouillon secret" not in text


def test_many_projects_still_make_two_pages(app, client, bretagne):
    with app.app_context():
        by = factories.user(CURATOR)
        for n in range(30):
            project = services.ProjectInput(
                title=f"Projet numéro {n} au titre assez long pour prendre une ligne entière",
                partners="\n".join(f"Partenaire {k}" for k in range(12)),
            )
            services.save_project(None, factories.ctd("bretagne"), project, by)
        db.session.commit()
    reader, text = read(client.get("/ctd/bretagne/fiche.pdf"))
    assert len(reader.pages) == 2
    assert "autres sur la page en ligne" in text


def test_an_unknown_ctd_has_no_sheet(client):
    assert client.get("/ctd/atlantide/fiche.pdf").status_code == 404


def test_the_ctd_and_map_pages_offer_the_sheets(client):
    ctd_page = client.get("/ctd/bretagne").get_data(as_text=True)
    assert 'href="/ctd/bretagne/fiche.pdf"' in ctd_page and "Télécharger la fiche" in ctd_page
    map_page = client.get("/ctd/carte").get_data(as_text=True)
    assert 'href="/ctd/fiche.pdf"' in map_page and "Télécharger la fiche" in map_page
