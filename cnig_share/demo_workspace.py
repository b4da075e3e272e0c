"""Demo content of the CTD workspace: national actors, roadmaps, governance,
projects and two years of costs, so that a newcomer sees every page alive.

Organisations are real national bodies; the projects and figures are
illustrations written for this demo, not official data.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cnig_share.extensions import db
from cnig_share.models import Ctd, GlossaryTerm, NationalActor, Project, User
from cnig_share.models.workspace import CostYear
from cnig_share.workspace import services

ACTORS = [
    ("IGN", "operateur-national", "https://www.ign.fr",
     "Institut national de l'information géographique et forestière : référentiels "
     "nationaux, Géoplateforme."),
    ("Cerema", "operateur-national", "https://www.cerema.fr",
     "Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et "
     "l'aménagement : appui aux territoires."),
    ("Direction interministérielle du numérique (DINUM)", "etat", "https://www.numerique.gouv.fr",
     "Politique de la donnée de l'État, data.gouv.fr."),
    ("Agence nationale de la cohésion des territoires (ANCT)", "etat",
     "https://agence-cohesion-territoires.gouv.fr",
     "Programmes d'appui aux collectivités, dont les communs numériques."),
    ("OPenIG", "association", "https://www.openig.org",
     "Association d'acteurs de l'information géographique en Occitanie."),
]  # fmt: skip

ROADMAPS = {
    "bretagne": (
        "## Axe 1 — Des référentiels partagés\n\n"
        "- Achever le **PCRS** sur toute la région d'ici 2027.\n"
        "- Tenir à jour la Base adresse locale avec les communes.\n\n"
        "## Axe 2 — Ouvrir et mutualiser\n\n"
        "- Un catalogue régional unique, moissonné par data.gouv.fr.\n"
        "- Des marchés groupés d'acquisition d'images.\n"
    ),
    "occitanie": (
        "## Priorités 2026-2028\n\n"
        "1. Un jumeau numérique du littoral pour anticiper le recul du trait de côte.\n"
        "2. Un observatoire régional du foncier.\n"
        "3. Former les agents des petites communes à la donnée.\n"
    ),
}

GOVERNANCE = {
    "bretagne": {
        "region_chair": "Vice-présidence au numérique, Région Bretagne",
        "state_chair": "Secrétariat général pour les affaires régionales (SGAR)",
        "organisations": "GéoBretagne\nMégalis Bretagne\nDépartements bretons\nSDE 35",
        "groups": "Adresse\nPCRS et réseaux\nImagerie",
    },
    "occitanie": {
        "region_chair": "Direction du numérique, Région Occitanie",
        "state_chair": "Préfecture de région (SGAR Occitanie)",
        "organisations": "OPenIG\nMétropoles de Toulouse et Montpellier\nDREAL Occitanie",
        "groups": "Littoral\nFoncier\nFormation",
    },
}

PROJECTS = [
    {
        "ctd": "bretagne", "title": "PCRS régional mutualisé", "status": "en-cours",
        "start": date(2024, 3, 1), "end": date(2027, 12, 31),
        "description": "Un **plan corps de rue simplifié** acquis en une seule commande pour "
                       "toute la région, avec les gestionnaires de réseaux.",
        "partners": "Mégalis Bretagne\nEnedis\nGRDF",
        "actors": (("ign", "operateur"), ("cerema", "contributeur")),
        "terms": ("referentiel-de-donnees", "mutualisation"),
        "shared": ("pays-de-la-loire",),
        "avoided": (180_000, 2025, "Quatre marchés départementaux estimés à 95 000 € chacun, "
                    "contre 200 000 € pour la commande commune."),
    },
    {
        "ctd": "bretagne", "title": "Base adresse locale dans chaque commune", "status": "termine",
        "start": date(2022, 1, 1), "end": date(2025, 6, 30),
        "description": "Accompagner les communes pour publier leur Base adresse locale.",
        "partners": "Associations de maires",
        "actors": (("direction-interministerielle-du-numerique-dinum", "financeur"),),
        "terms": ("donnee-ouverte",),
        "shared": (),
        "avoided": None,
    },
    {
        "ctd": "occitanie", "title": "Jumeau numérique du littoral", "status": "en-preparation",
        "start": date(2026, 9, 1), "end": None,
        "description": "Modéliser le trait de côte et les enjeux exposés, avec les "
                       "intercommunalités littorales.",
        "partners": "OPenIG\nBRGM\nIntercommunalités du littoral",
        "actors": (("ign", "commanditaire"), ("cerema", "operateur"),
                   ("agence-nationale-de-la-cohesion-des-territoires-anct", "financeur")),
        "terms": ("jumeau-numerique-de-territoire",),
        "shared": ("provence-alpes-cote-d-azur",),
        "avoided": (60_000, 2026, "Un levé LiDAR commun aux deux régions au lieu de deux."),
    },
]  # fmt: skip

COSTS = {
    # (ctd, year): (FTE, tools €, events €)
    ("bretagne", 2025): ("1.5", 12_000, 8_000),
    ("bretagne", 2026): ("2", 15_000, 9_500),
    ("occitanie", 2025): ("1", 6_000, 4_000),
    ("occitanie", 2026): ("1.2", 6_500, 5_000),
    ("pays-de-la-loire", 2026): ("0.8", 3_000, 2_500),
}
DAY_RATE, DAYS_PER_FTE = 450, 220


def seed(curator: User) -> int:
    """Add what is missing; return how many projects were added."""
    ctds = {ctd.slug: ctd for ctd in db.session.scalars(select(Ctd))}
    known = set(db.session.scalars(select(NationalActor.name)))
    for name, kind, website, description in ACTORS:
        if name not in known:
            values = {"name": name, "type": kind, "website": website, "description": description}
            services.save_actor(None, values, curator)
    for slug, body in ROADMAPS.items():
        if not services.roadmap_versions(ctds[slug]):
            services.save_roadmap(ctds[slug], body, "Première version", curator)
    for slug, values in GOVERNANCE.items():
        if services.governance_of(ctds[slug]) is None:
            services.save_governance(ctds[slug], values, curator)
    added = 0
    terms = {t.slug: t.id for t in db.session.scalars(select(GlossaryTerm))}
    for item in PROJECTS:
        ctd = ctds[item["ctd"]]
        if db.session.scalar(
            select(Project.id).where(Project.ctd_id == ctd.id, Project.title == item["title"])
        ):
            continue
        amount, year, method = item["avoided"] or (None, None, "")
        data = services.ProjectInput(
            title=item["title"], description=item["description"], status=item["status"],
            start_date=item["start"], end_date=item["end"], partners=item["partners"],
            actor_roles=item["actors"], shared_with=item["shared"],
            term_ids=tuple(terms[s] for s in item["terms"] if s in terms),
            avoided_cost_eur=amount, avoided_cost_year=year, avoided_cost_method=method,
        )  # fmt: skip
        services.save_project(None, ctd, data, curator)
        added += 1
    for (slug, year), (fte, tools, events) in COSTS.items():
        if db.session.scalar(
            select(CostYear.id).where(CostYear.ctd_id == ctds[slug].id, CostYear.year == year)
        ):
            continue
        values = {"staff_fte": fte, "day_rate_eur": DAY_RATE, "days_per_fte": DAYS_PER_FTE,
                  "tools_eur": tools, "events_eur": events}  # fmt: skip
        services.save_costs(ctds[slug], year, values, curator)
    return added
