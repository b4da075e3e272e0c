"""The recueil des contributions: one PDF (contributions in CTD order, with the
questions) and one CSV row per answer. Both are given the contributions the
reader may see (read.shown_contributions): nothing here decides visibility."""

from __future__ import annotations

from flask import Response

from cnig_share import csv_files
from cnig_share.consultations.states import STATES, state
from cnig_share.formatting import french_date
from cnig_share.models import Consultation, Contribution

# fpdf2's built-in fonts are Latin-1: the few French characters outside it, and
# anything else a person may type, are mapped or replaced.
_LATIN1 = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "–": "-",
        "—": "-",
        "\u202f": " ",
        "\u00a0": " ",
    }
)


def _latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _signature(contribution: Contribution) -> str:
    who = contribution.submitted_by.display_name if contribution.submitted_by else "ancien membre"
    when = french_date(contribution.submitted_at) if contribution.submitted_at else ""
    return f"Déposée le {when} au nom du {contribution.ctd.name} par {who}"


def recueil_pdf(
    consultation: Consultation, contributions: list[Contribution], declines: list[Contribution]
) -> bytes:
    """The questions, then each contribution in CTD order, then the declines."""
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_title(_latin1(f"Recueil des contributions - {consultation.title}"))
    document.set_auto_page_break(auto=True, margin=20)
    document.add_page()

    def heading(text: str, size: int) -> None:
        document.set_font("Helvetica", style="B", size=size)
        document.multi_cell(0, size * 0.55, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        document.ln(2)

    def paragraph(text: str, style: str = "") -> None:
        document.set_font("Helvetica", style=style, size=10)
        document.multi_cell(0, 5, _latin1(text) or "-", new_x="LMARGIN", new_y="NEXT")
        document.ln(2)

    heading("Recueil des contributions", 16)
    heading(consultation.title, 13)
    paragraph(
        f"État : {STATES[state(consultation)]}. Clôture le {french_date(consultation.closes_on)}."
    )
    heading("Questions", 12)
    for question in consultation.questions:
        paragraph(f"{question.number}. {question.text}")
    if not contributions:
        paragraph("Aucune contribution n'est publique pour le moment.", "I")
    for contribution in contributions:
        document.add_page()
        heading(f"Contribution du {contribution.ctd.name}", 13)
        paragraph(_signature(contribution), "I")
        for question in consultation.questions:
            answer = contribution.answer_to(question)
            heading(f"{question.number}. {question.text}", 10)
            if answer is not None and answer.position:
                paragraph(f"Position : {answer.position_label}", "B")
            paragraph(answer.text if answer is not None else "")
    if declines:
        document.add_page()
        heading("CTD ayant décliné", 13)
        for contribution in declines:
            paragraph(f"{contribution.ctd.name} : {contribution.decline_reason}")
    return bytes(document.output())


def answer_rows(consultation: Consultation, contributions: list[Contribution]) -> list[list]:
    """A heading row, then one row per answer of each contribution, in CTD order."""
    rows: list[list] = [["CTD", "Déposée le", "Question n°", "Question", "Position", "Réponse"]]
    for contribution in contributions:
        submitted = contribution.submitted_at.isoformat() if contribution.submitted_at else ""
        for question in consultation.questions:
            answer = contribution.answer_to(question)
            rows.append(
                [
                    contribution.ctd.name,
                    submitted,
                    question.number,
                    question.text,
                    answer.position_label if answer else "",
                    answer.text if answer else "",
                ]
            )
    return rows


def answers_csv_response(consultation: Consultation, contributions: list[Contribution]) -> Response:
    return csv_files.spreadsheet_download(
        f"reponses-{consultation.slug}", answer_rows(consultation, contributions)
    )
