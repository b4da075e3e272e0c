"""Drawing a fact sheet with fpdf2: two A4 pages, Marianne embedded (the DSFR's
typeface, from the vendored DSFR), text that can be selected and searched.

fpdf2 does not write full PDF/UA: the sheet declares its language (fr-FR),
title and outline (one bookmark per section), and its images carry an
alternative text, which fpdf2 writes as tagged figures in a structure tree.

Page breaks are ours, not fpdf2's: a section that would run past the page
shows what fits and says how many more there are online, so the sheet is
always two pages.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from flask import current_app
from fpdf import FPDF

from cnig_share.ctds import geography
from cnig_share.ctds.factsheet import Sheet
from cnig_share.ctds.national_map import STAGE_STYLES
from cnig_share.formatting import euros, french_number, plural
from cnig_share.models import CTD_STAGES

FONT_FILES = {"": "Marianne-Regular.woff", "B": "Marianne-Bold.woff"}
BLUE = (0, 0, 145)  # bleu France
GREY = (102, 102, 102)
INK = (22, 22, 22)
AVOIDED = (106, 106, 244)
MARGIN = 15
PAGE_BOTTOM = 297 - 14
HIGHLIGHT = "#000091"
OTHER = "#e5e5e5"
STAGE_LABEL = {value: label for value, label in CTD_STAGES.items()}

# French punctuation takes a no-break space before it (a narrow one before ; ! ?).
_SPACES = (
    (" :", "\u00a0:"),
    (" ;", "\u202f;"),
    (" !", "\u202f!"),
    (" ?", "\u202f?"),
    ("« ", "«\u00a0"),
    (" »", "\u00a0»"),
)


def typo(text: str) -> str:
    """French typography: no-break spaces where a line must not break."""
    for plain, kept in _SPACES:
        text = text.replace(plain, kept)
    return text


class SheetPDF(FPDF):
    """An A4 page with the site's name at the top and the page's number at the bottom."""

    def __init__(self, sheet: Sheet) -> None:
        super().__init__(format="A4", unit="mm")
        self.sheet = sheet
        fonts = Path(current_app.static_folder or "static") / "vendor" / "dsfr" / "fonts"
        for style, name in FONT_FILES.items():
            self.add_font("Marianne", style, str(fonts / name))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.set_lang("fr-FR")
        self.set_title(typo(f"{sheet.title} — fiche"))
        self.set_subject(typo(sheet.subtitle))
        self.set_author("CNIG Partage")
        self.set_creator("CNIG Partage")

    def header(self) -> None:
        self.set_font("Marianne", "B", 8)
        self.set_text_color(*BLUE)
        self.cell(0, 5, "CNIG Partage — comités territoriaux de la donnée")
        self.ln(8)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Marianne", "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, typo(f"{self.sheet.title} · {self.sheet.url}"), align="L")
        self.cell(0, 5, f"Page {self.page_no()} sur 2", align="R")

    # --- writing helpers

    def room(self, height: float) -> bool:
        return self.get_y() + height <= PAGE_BOTTOM

    def heading(self, text: str) -> None:
        self.start_section(text)
        self.ln(2)
        self.set_font("Marianne", "B", 13)
        self.set_text_color(*BLUE)
        self.cell(0, 7, typo(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 10, style: str = "", width: float = 0) -> None:
        self.set_font("Marianne", style, size)
        self.multi_cell(width, size * 0.5, typo(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def bullets(self, items: list[str], more: int = 0, size: float = 10) -> None:
        """A list that stops where the page does, saying how many are left out."""
        self.set_font("Marianne", "", size)
        for index, item in enumerate(items):
            if not self.room(size * 1.1):
                more += len(items) - index
                break
            self.set_x(MARGIN + 2)
            self.multi_cell(
                0, size * 0.5, typo(f"• {item}"), align="L", new_x="LMARGIN", new_y="NEXT"
            )
        if more and self.room(size * 0.6):
            self.set_text_color(*GREY)
            self.paragraph(f"… et {plural(more, 'autre')} sur la page en ligne.", size - 1)
            self.set_text_color(*INK)


def draw(sheet: Sheet) -> bytes:
    """The sheet as a two-page A4 PDF."""
    pdf = SheetPDF(sheet)
    pdf.add_page()
    _first_page(pdf, sheet)
    pdf.add_page()
    _second_page(pdf, sheet)
    return bytes(pdf.output())


# --- page 1: who and where ---------------------------------------------------------------


def _first_page(pdf: SheetPDF, sheet: Sheet) -> None:
    pdf.set_font("Marianne", "B", 22)
    pdf.set_text_color(*BLUE)
    pdf.multi_cell(0, 10, typo(sheet.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.paragraph(sheet.subtitle, 12)
    top = pdf.get_y() + 4
    map_bottom = _map(pdf, sheet, x=118, y=top, width=77)
    pdf.set_y(top)
    column = 100
    if sheet.highlight:
        installed = f", installé le {sheet.installed_on}" if sheet.installed_on else ""
        pdf.heading("Où en est le comité")
        pdf.paragraph(f"Étape : {sheet.stage}{installed}.", 11, "B", column)
        if sheet.chairs:
            pdf.ln(2)
            for role, name in sheet.chairs:
                pdf.paragraph(f"{role} : {name}", 10, "", column)
    else:
        pdf.heading("Les comités en chiffres")
        for label, count in sheet.totals:
            pdf.paragraph(f"{label} : {french_number(count)}", 11, "B", column)
        pdf.ln(2)
        for label, count, regions in sheet.stage_counts:
            named = f" ({', '.join(regions)})" if regions else ""
            pdf.paragraph(f"{label.capitalize()} : {count}{named}", 9, "", column)
    pdf.set_y(max(pdf.get_y(), map_bottom) + 2)
    pdf.heading("Qu'est-ce qu'un comité territorial de la donnée ?")
    pdf.paragraph(sheet.definition or "Définition à venir dans le glossaire du CNIG.", 10)
    if sheet.contact:
        pdf.heading("Contact")
        for line in sheet.contact:
            pdf.paragraph(line, 10)
    _latest_resources(pdf, sheet)
    _address(pdf, sheet)


def _latest_resources(pdf: SheetPDF, sheet: Sheet) -> None:
    pdf.heading("Dernières ressources partagées")
    if not sheet.resources:
        pdf.paragraph("Aucune ressource publiée pour le moment.")
        return
    # The foot of the page holds the address and its QR code.
    bottom = PAGE_BOTTOM - 36
    pdf.set_font("Marianne", "", 10)
    for resource in sheet.resources:
        if pdf.get_y() + 11 > bottom:
            break
        pdf.set_x(MARGIN + 2)
        text = f"• {resource.title} — {resource.kind.lower()}, publiée le {resource.published_on}"
        pdf.multi_cell(0, 5, typo(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _map_frame(sheet: Sheet) -> geography.Frame:
    return geography.frame_of(sheet.highlight) if sheet.highlight else geography.frames()[0]


def _fill(sheet: Sheet, slug: str) -> tuple[int, int, int]:
    """A region's flat colour (fpdf2 draws no patterns: the caption names the classes)."""
    if sheet.highlight:
        colour = HIGHLIGHT if slug == sheet.highlight else OTHER
    else:
        colour = STAGE_STYLES[sheet.map_stages.get(slug, "not-engaged")].fill
    return _rgb(colour)


def _rgb(colour: str) -> tuple[int, int, int]:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red, green, blue


def _map(pdf: SheetPDF, sheet: Sheet, x: float, y: float, width: float) -> float:
    """Draw the map and its caption; returns where they end on the page."""
    frame = _map_frame(sheet)
    bottom = _frame(pdf, sheet, frame, x, y, width)
    if not sheet.highlight:  # the national sheet: the five overseas regions below
        step = width / 5
        insets = [_frame(pdf, sheet, f, x + i * step, bottom + 1, step - 2)
                  for i, f in enumerate(geography.frames()[1:])]  # fmt: skip
        bottom = max(insets)
    pdf.set_xy(x, bottom + 2)
    pdf.set_font("Marianne", "", 8)
    pdf.set_text_color(*GREY)
    if sheet.highlight:
        caption = f"En bleu : la région du comité ({sheet.subtitle.split('région ')[-1]})."
        pdf.multi_cell(width, 4, typo(caption), align="L", new_x="LEFT", new_y="NEXT")
    else:
        for stage, label in STAGE_LABEL.items():
            pdf.set_fill_color(*_rgb(STAGE_STYLES[stage].fill))
            pdf.set_draw_color(*INK)
            pdf.rect(pdf.get_x(), pdf.get_y() + 0.5, 5, 3, style="DF")
            pdf.set_x(pdf.get_x() + 6)
            pdf.cell(width - 6, 4, label.capitalize(), new_x="LEFT", new_y="NEXT")
            pdf.set_x(x)
        pdf.multi_cell(
            width, 4, typo("Outre-mer, sous la métropole : Guadeloupe, Martinique, Guyane, "
                           "La Réunion, Mayotte (chacun à son échelle)."),
            align="L", new_x="LEFT", new_y="NEXT",
        )  # fmt: skip
    pdf.set_x(x)
    pdf.multi_cell(width, 4, typo(geography.CREDIT), new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*INK)
    return pdf.get_y()


def _frame(
    pdf: SheetPDF, sheet: Sheet, frame: geography.Frame, x: float, y: float, width: float
) -> float:
    """One frame's regions, `width` mm wide from (x, y); returns where its shapes end."""
    scale = width / frame.width
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.2)
    for region in frame.regions:
        pdf.set_fill_color(*_fill(sheet, region.slug))
        for ring in region.rings:
            pdf.polygon([(x + px * scale, y + py * scale) for px, py in ring], style="DF")
    return y + (frame.height - frame.bar_room) * scale


def _address(pdf: SheetPDF, sheet: Sheet) -> None:
    """The page's address, and a QR code leading to it, at the foot of page 1."""
    size = 28
    y = PAGE_BOTTOM - size - 4
    qr = segno.make(sheet.url, error="m")
    image = io.BytesIO()
    qr.save(image, kind="png", scale=6, border=2)
    image.seek(0)
    pdf.image(image, x=MARGIN, y=y, w=size, alt_text=f"QR code menant à {sheet.url}")
    pdf.set_xy(MARGIN + size + 5, y + 6)
    pdf.set_font("Marianne", "B", 11)
    pdf.cell(0, 6, "En ligne, à jour :", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Marianne", "", 10)
    pdf.set_text_color(*BLUE)
    pdf.cell(0, 6, sheet.url, link=sheet.url, new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*INK)


# --- page 2: what it does ----------------------------------------------------------------


def _second_page(pdf: SheetPDF, sheet: Sheet) -> None:
    if sheet.highlight:
        pdf.heading("Feuille de route territoriale")
        if sheet.headings:
            pdf.bullets(sheet.headings)
        else:
            pdf.paragraph("La feuille de route n'est pas encore en ligne.")
    pdf.heading("Projets")
    _projects(pdf, sheet)
    pdf.heading("Coûts de fonctionnement et coûts évités")
    _costs(pdf, sheet)
    if sheet.terms:
        pdf.heading("Les termes les plus partagés")
        pdf.bullets([f"{label} ({plural(count, 'ressource')})" for label, count in sheet.terms])


def _projects(pdf: SheetPDF, sheet: Sheet) -> None:
    if not sheet.projects:
        pdf.paragraph("Aucun projet décrit pour le moment.")
        return
    for index, project in enumerate(sheet.projects):
        if not pdf.room(14):
            pdf.bullets([], more=sheet.project_count - index)
            return
        pdf.set_font("Marianne", "B", 10)
        pdf.multi_cell(0, 5, typo(f"{project.title} — {project.status.lower()}"),
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip
        details = []
        if project.partners:
            details.append(f"Partenaires : {', '.join(project.partners)}")
        if project.actors:
            details.append(f"Acteurs nationaux : {', '.join(project.actors)}")
        if details:
            pdf.set_text_color(*GREY)
            pdf.paragraph(" · ".join(details), 9)
            pdf.set_text_color(*INK)
        pdf.ln(1)
    left = sheet.project_count - len(sheet.projects)
    if left:
        pdf.bullets([], more=left)


def _costs(pdf: SheetPDF, sheet: Sheet) -> None:
    if not sheet.costs:
        pdf.paragraph("Aucun coût renseigné pour le moment.")
        return
    top = pdf.get_y() + 1
    pdf.set_font("Marianne", "B", 9)
    widths = (18, 38, 38)
    for width, text in zip(widths, ("Année", "Fonctionnement", "Coûts évités"), strict=True):
        pdf.cell(width, 6, text, border="B", align="R" if width > 20 else "L")
    pdf.ln(6)
    pdf.set_font("Marianne", "", 9)
    for cost in sheet.costs:
        pdf.cell(widths[0], 5.5, str(cost.year))
        pdf.cell(widths[1], 5.5, euros(cost.running_eur), align="R")
        pdf.cell(widths[2], 5.5, euros(cost.avoided_eur), align="R")
        pdf.ln(5.5)
    bottom = pdf.get_y()
    _cost_chart(pdf, sheet, x=MARGIN + sum(widths) + 10, y=top, height=max(bottom - top, 28))
    pdf.set_y(max(bottom, top + 34))


def _cost_chart(pdf: SheetPDF, sheet: Sheet, x: float, y: float, height: float) -> None:
    """Two bars a year: running costs (dark) and avoided costs (light, outlined)."""
    biggest = max(max(c.running_eur, c.avoided_eur) for c in sheet.costs) or 1
    plot = height - 9
    step = min(18, (210 - MARGIN - x) / len(sheet.costs))
    pdf.set_font("Marianne", "", 7)
    for index, cost in enumerate(sheet.costs):
        left = x + index * step
        for offset, value, colour in ((0, cost.running_eur, BLUE), (6, cost.avoided_eur, AVOIDED)):
            bar = plot * value / biggest
            pdf.set_fill_color(*colour)
            pdf.set_draw_color(*INK)
            pdf.rect(left + offset, y + plot - bar, 5, bar, style="DF" if offset else "F")
        pdf.set_xy(left, y + plot + 0.5)
        pdf.cell(11, 4, str(cost.year), align="C")
    pdf.set_xy(x, y + plot + 4.5)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 4, typo("Barre foncée : fonctionnement ; claire et cernée : coûts évités"))
    pdf.set_text_color(*INK)
