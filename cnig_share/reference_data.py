"""Reference data that init-db guarantees: the 18 CTDs and the CNIG glossary.

The definitions are this project's own wording, written for the site.
"""

from __future__ import annotations

from typing import TypedDict

# (slug, region) — one CTD per region, metropolitan and overseas.
CTD_REGIONS: list[tuple[str, str]] = [
    ("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes"),
    ("bourgogne-franche-comte", "Bourgogne-Franche-Comté"),
    ("bretagne", "Bretagne"),
    ("centre-val-de-loire", "Centre-Val de Loire"),
    ("corse", "Corse"),
    ("grand-est", "Grand Est"),
    ("hauts-de-france", "Hauts-de-France"),
    ("ile-de-france", "Île-de-France"),
    ("normandie", "Normandie"),
    ("nouvelle-aquitaine", "Nouvelle-Aquitaine"),
    ("occitanie", "Occitanie"),
    ("pays-de-la-loire", "Pays de la Loire"),
    ("provence-alpes-cote-d-azur", "Provence-Alpes-Côte d'Azur"),
    ("guadeloupe", "Guadeloupe"),
    ("martinique", "Martinique"),
    ("guyane", "Guyane"),
    ("la-reunion", "La Réunion"),
    ("mayotte", "Mayotte"),
]


def ctd_name(region: str) -> str:
    """The display name of a region's CTD."""
    return f"CTD {region}"


def ctd_description(region: str) -> str:
    """The description a CTD starts with, until its members write their own."""
    return (
        f"Le comité territorial de la donnée de la région {region} réunit, sous le "
        "co-pilotage de la Région et de l'État (préfecture de région), les acteurs "
        "publics et privés qui produisent et utilisent la donnée territoriale : "
        "collectivités, services de l'État, opérateurs, associations et entreprises. "
        "Il organise le partage des données, la mutualisation des outils et la "
        "feuille de route territoriale de la donnée."
    )


class TermData(TypedDict):
    slug: str
    label: str
    alt_labels: list[str]
    definition: str
    broader: list[str]
    related: list[str]


GLOSSARY: list[TermData] = [
    {
        "slug": "donnee-territoriale",
        "label": "donnée territoriale",
        "alt_labels": ["données territoriales", "donnée du territoire"],
        "definition": (
            "Donnée produite, collectée ou utilisée par les acteurs d'un territoire "
            "(collectivités, services de l'État, opérateurs, entreprises, associations) "
            "pour le connaître, le gérer ou en conduire les politiques publiques : "
            "aménagement, mobilité, énergie, environnement, action sociale… Elle peut "
            "être géographique ou non ; ce qui la définit est son utilité pour l'action "
            "publique locale."
        ),
        "broader": [],
        "related": ["donnee-geographique", "comite-territorial-de-la-donnee"],
    },
    {
        "slug": "donnee-geolocalisee",
        "label": "donnée géolocalisée",
        "alt_labels": ["données géolocalisées", "donnée géoréférencée"],
        "definition": (
            "Donnée qui porte une information de localisation : des coordonnées, une "
            "adresse, un code de commune ou toute autre référence permettant de la "
            "situer. Un fichier d'équipements avec leurs adresses est une donnée "
            "géolocalisée, même sans géométrie."
        ),
        "broader": [],
        "related": [],
    },
    {
        "slug": "donnee-geographique",
        "label": "donnée géographique",
        "alt_labels": ["données géographiques", "information géographique", "donnée spatiale"],
        "definition": (
            "Donnée géolocalisée qui décrit des objets du territoire avec leur forme et "
            "leur position (points, lignes, surfaces, images) dans un système de "
            "référence de coordonnées, au sens de la directive INSPIRE : cadastre, "
            "réseaux, occupation du sol, photographies aériennes…"
        ),
        "broader": ["donnee-geolocalisee"],
        "related": ["referentiel-de-donnees"],
    },
    {
        "slug": "comite-territorial-de-la-donnee",
        "label": "comité territorial de la donnée",
        "alt_labels": ["CTD", "comités territoriaux de la donnée"],
        "definition": (
            "Instance régionale de gouvernance de la donnée, co-pilotée par la Région et "
            "l'État, qui réunit les producteurs et utilisateurs de données d'un "
            "territoire pour partager les données, mutualiser les moyens et porter une "
            "feuille de route commune. Les CTD prolongent les anciennes plateformes "
            "régionales d'information géographique au-delà de la seule donnée "
            "géographique."
        ),
        "broader": [],
        "related": ["feuille-de-route-territoriale", "mutualisation"],
    },
    {
        "slug": "referentiel-de-donnees",
        "label": "référentiel de données",
        "alt_labels": ["données de référence", "référentiel"],
        "definition": (
            "Jeu de données qui fait autorité pour décrire un objet et sur lequel les "
            "autres données s'appuient : adresses, parcelles, limites administratives, "
            "réseau routier… Un référentiel est tenu à jour par un producteur identifié "
            "et partagé pour éviter que chacun ne maintienne sa propre version."
        ),
        "broader": [],
        "related": ["standard-de-donnees"],
    },
    {
        "slug": "standard-de-donnees",
        "label": "standard de données",
        "alt_labels": ["schéma de données", "standard CNIG"],
        "definition": (
            "Description partagée de la structure, du vocabulaire et des règles de "
            "saisie d'un type de données (par exemple un plan local d'urbanisme ou un "
            "réseau de chaleur), pour que des données produites par des acteurs "
            "différents puissent être assemblées et comparées."
        ),
        "broader": [],
        "related": ["referentiel-de-donnees"],
    },
    {
        "slug": "jumeau-numerique-de-territoire",
        "label": "jumeau numérique de territoire",
        "alt_labels": ["jumeau numérique", "jumeaux numériques", "JNT"],
        "definition": (
            "Représentation numérique d'un territoire, souvent en trois dimensions, "
            "alimentée par des données tenues à jour et utilisée pour comprendre, "
            "simuler et décider : effets d'un aménagement, îlots de chaleur, risques "
            "d'inondation, consommation d'énergie."
        ),
        "broader": [],
        "related": ["donnee-geographique", "intelligence-artificielle"],
    },
    {
        "slug": "espace-commun-de-donnees",
        "label": "espace commun de données",
        "alt_labels": ["data space", "espace de données", "espace de données partagé"],
        "definition": (
            "Cadre de confiance — règles, gouvernance et outils techniques — dans "
            "lequel des organisations partagent des données en gardant la maîtrise de "
            "leurs conditions d'usage. Les espaces européens de données en sont le "
            "modèle."
        ),
        "broader": [],
        "related": ["plateforme-de-donnees", "mutualisation"],
    },
    {
        "slug": "mutualisation",
        "label": "mutualisation",
        "alt_labels": ["mutualiser", "mise en commun"],
        "definition": (
            "Mise en commun, entre plusieurs acteurs ou plusieurs CTD, de moyens "
            "(outils, plateformes, marchés, compétences, acquisitions de données) pour "
            "en réduire le coût et en améliorer la qualité. Les coûts évités par la "
            "mutualisation sont l'un des indicateurs suivis par les CTD."
        ),
        "broader": [],
        "related": ["comite-territorial-de-la-donnee"],
    },
    {
        "slug": "plateforme-de-donnees",
        "label": "plateforme de données",
        "alt_labels": ["portail de données", "infrastructure de données géographiques", "IDG"],
        "definition": (
            "Service en ligne qui catalogue, héberge, diffuse et parfois traite les "
            "données d'un territoire ou d'un réseau d'acteurs : portail open data, "
            "infrastructure de données géographiques, entrepôt partagé."
        ),
        "broader": [],
        "related": ["donnee-ouverte"],
    },
    {
        "slug": "feuille-de-route-territoriale",
        "label": "feuille de route territoriale",
        "alt_labels": ["feuille de route", "feuille de route de la donnée"],
        "definition": (
            "Programme de travail pluriannuel d'un CTD : priorités, projets, moyens et "
            "indicateurs de suivi, adoptés par ses membres et révisés régulièrement."
        ),
        "broader": [],
        "related": ["comite-territorial-de-la-donnee"],
    },
    {
        "slug": "intelligence-artificielle",
        "label": "intelligence artificielle",
        "alt_labels": ["IA", "apprentissage automatique"],
        "definition": (
            "Ensemble de techniques qui permettent à un système d'accomplir des tâches "
            "d'analyse ou de prédiction à partir de données : détection d'objets sur "
            "des images aériennes, classification de l'occupation du sol, assistance à "
            "la recherche documentaire. Leur qualité dépend directement de celle des "
            "données d'entraînement."
        ),
        "broader": [],
        "related": [],
    },
    {
        "slug": "donnee-ouverte",
        "label": "donnée ouverte",
        "alt_labels": ["open data", "données ouvertes", "opendata"],
        "definition": (
            "Donnée publique diffusée librement, dans un format lisible par machine et "
            "sous une licence qui en permet la réutilisation, y compris commerciale "
            "(Licence Ouverte 2.0, ODbL). En France, les administrations sont tenues "
            "d'ouvrir leurs données par défaut depuis la loi pour une République "
            "numérique de 2016."
        ),
        "broader": [],
        "related": ["plateforme-de-donnees"],
    },
]


# The CTDs the seed's roadmap names as set up in 2025: init-db marks them
# "constitué" on an instance where no stage was ever set, and never again.
CONSTITUTED_IN_2025: list[str] = [
    "pays-de-la-loire",
    "ile-de-france",
    "hauts-de-france",
    "occitanie",
]
