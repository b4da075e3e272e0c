"""Destructive actions ask first. With JavaScript, the button opens a DSFR
modal whose form posts `confirmed=1` (macros/forms.html, confirm_button).
Without it, the button's plain form posts without that field, and the view
answers with a confirmation page that posts again, confirmed: the action is
never taken on one click, whatever the browser runs.

Each question is written once, below, for the modal and the page alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import render_template, request

if TYPE_CHECKING:
    from cnig_share.models import Attachment, Ctd, GlossaryTerm, Project, Resource, Selection

# Fields a confirmation page carries over from the first post (a version checks
# that the object did not change in between).
CARRIED = ("version",)
FOR_GOOD = "Cette action est définitive."


@dataclass(frozen=True)
class Question:
    question: str
    consequence: str
    confirm_label: str


def project(project: Project) -> Question:
    from cnig_share.discussions.services import threads_on
    from cnig_share.discussions.subjects import of_project

    threads = threads_on(of_project(project).threads_clause())
    discussions = (
        f" Ses {threads} discussions sont supprimées avec lui ; leurs auteurs en sont informés."
        if threads > 1
        else " Sa discussion est supprimée avec lui ; ses auteurs en sont informés."
        if threads
        else ""
    )
    return Question(
        f"Supprimer le projet « {project.title} » ?",
        "Le projet, ses acteurs et ses coûts évités disparaissent de l'espace du CTD et des "
        f"totaux nationaux.{discussions} {FOR_GOOD}",
        "Supprimer le projet",
    )


def message() -> Question:
    return Question(
        "Supprimer votre message ?",
        "Son texte disparaît ; s'il a des réponses, « Message supprimé » reste à sa place. "
        + FOR_GOOD,
        "Supprimer le message",
    )


def costs(ctd: Ctd, year: int) -> Question:
    return Question(
        f"Supprimer les coûts {year} du {ctd.name} ?",
        f"Les chiffres saisis pour {year} disparaissent, et des totaux nationaux. {FOR_GOOD}",
        f"Supprimer les coûts {year}",
    )


def selection(selection: Selection) -> Question:
    return Question(
        f"Supprimer la sélection « {selection.title} » ?",
        "La sélection et son ordre disparaissent ; les ressources qu'elle réunit restent "
        f"publiées. {FOR_GOOD}",
        "Supprimer la sélection",
    )


def term(term: GlossaryTerm) -> Question:
    return Question(
        f"Supprimer le terme « {term.pref_label} » ?",
        "Le terme, ses autres appellations et ses relations disparaissent du glossaire. "
        + FOR_GOOD,
        "Supprimer le terme",
    )


def attachment(attachment: Attachment) -> Question:
    return Question(
        f"Supprimer la pièce jointe « {attachment.original_name} » ?",
        f"Le fichier n'est plus téléchargeable depuis la ressource. {FOR_GOOD}",
        "Supprimer la pièce jointe",
    )


def archive(resource: Resource) -> Question:
    from cnig_share.discussions.services import threads_on
    from cnig_share.discussions.subjects import of_resource

    threads = threads_on(of_resource(resource).threads_clause())
    discussions = (
        f" Ses discussions ({threads}) ne sont plus publiques non plus, jusqu'à sa republication."
        if threads
        else ""
    )
    return Question(
        f"Archiver « {resource.title} » ?",
        "La ressource n'est plus publique : elle disparaît de la recherche, des listes et des "
        f"flux.{discussions} L'équipe du CNIG peut la republier ensuite.",
        "Archiver la ressource",
    )


def confirmed() -> bool:
    """Whether the person confirmed (the modal's or the confirmation page's form)."""
    return request.form.get("confirmed") == "1"


def ask(question: Question, cancel_url: str):
    """The confirmation page: what will happen, a button to do it, a way back."""
    carried = {name: request.form[name] for name in CARRIED if name in request.form}
    return render_template(
        "confirmation/ask.html",
        ask=question,
        cancel_url=cancel_url,
        action=request.path,
        carried=carried,
    )
