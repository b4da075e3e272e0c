"""Demo content for seed-demo: realistic resources and selections, as plain data.

Everything here is fictitious but written like the practitioners of the CTDs would
write it. Organisations are generic or well-known public bodies; no real person is
named. Links point only to the roots of stable public sites.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict


class DemoLink(TypedDict):
    title: str
    url: str


class DemoAttachment(TypedDict):
    format: Literal["pdf", "docx", "odt"]
    name: str  # file name shown to users, with its extension
    paragraphs: list[str]  # French prose written into the generated file (Latin-1 safe)


class DemoResource(TypedDict):
    key: str  # stable unique ASCII identifier
    title: str
    summary: str  # plain text
    kind: Literal["bonne-pratique", "document", "retour-experience"]
    ctd: str  # CTD slug
    terms: list[str]  # glossary slugs
    status: Literal["draft", "submitted", "published", "archived"]
    featured: bool
    published_at: str | None  # "YYYY-MM-DD" for published and archived, None otherwise
    body: str  # Markdown
    links: list[DemoLink]
    attachment: NotRequired[DemoAttachment]


class DemoSelection(TypedDict):
    slug: str
    title: str
    introduction: str  # Markdown
    published_at: str  # "YYYY-MM-DD"
    items: list[tuple[str, str]]  # (resource key, relay note); published resources only


DEMO_RESOURCES: list[DemoResource] = [
    {
        "key": "occitanie-bal-accompagnement",
        "title": "Base Adresse Locale : accompagner les petites communes d'Occitanie pas à pas",
        "summary": (
            "Comment un réseau de partenaires départementaux a aidé plus de 600 communes rurales à "
            "créer puis tenir à jour leur Base Adresse Locale, avec une méthode en quatre étapes "
            "et des modèles partagés."
        ),
        "kind": "bonne-pratique",
        "ctd": "occitanie",
        "terms": ["referentiel-de-donnees", "mutualisation", "donnee-ouverte"],
        "status": "published",
        "featured": True,
        "published_at": "2025-02-18",
        "body": (
            "## Contexte\n"
            "\n"
            "Début 2024, moins d'un tiers des communes de la région disposaient d'une Base Adresse "
            "Locale (BAL) publiée. Les communes rurales, souvent sans agent dédié au numérique, se "
            "heurtaient à la fois à la technique et au manque de temps. Le CTD a proposé de "
            "coordonner les structures déjà présentes sur le terrain : centres de gestion, "
            "syndicats informatiques départementaux, agences techniques et services de l'État.\n"
            "\n"
            "## La méthode en quatre étapes\n"
            "\n"
            "- **Diagnostic** : extraction des adresses existantes de la Base Adresse Nationale et "
            "repérage des voies sans nom ou des constructions sans numéro.\n"
            "- **Atelier communal** : une demi-journée avec un élu et la secrétaire de mairie pour "
            "valider les noms de voies et le mode de numérotation (métrique ou séquentielle).\n"
            "- **Saisie accompagnée** : saisie dans l'éditeur en ligne mis à disposition au niveau "
            "national, avec un référent départemental joignable par téléphone.\n"
            "- **Délibération et publication** : modèle de délibération fourni, publication de la "
            "BAL puis vérification de son intégration dans la base nationale.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Indicateur | Début 2024 | Fin 2025 |\n"
            "|---|---|---|\n"
            "| Communes avec une BAL publiée | 1 410 | 2 290 |\n"
            "| Communes accompagnées par le réseau | 0 | 640 |\n"
            "| Durée moyenne d'accompagnement | — | 7 semaines |\n"
            "\n"
            "## Points de vigilance\n"
            "\n"
            "La mise à jour est le vrai défi : une BAL publiée puis oubliée se dégrade vite. Le "
            "réseau organise désormais une relance annuelle et forme les secrétaires de mairie à "
            "signaler chaque nouvelle construction au référent. Le guide joint détaille les "
            "modèles de courriers, la délibération type et la grille de diagnostic utilisée lors "
            "des ateliers."
        ),
        "links": [
            {"title": "Base Adresse Nationale", "url": "https://adresse.data.gouv.fr"},
        ],
        "attachment": {
            "format": "pdf",
            "name": "Guide adressage Occitanie 2025.pdf",
            "paragraphs": [
                (
                    "Ce guide s'adresse aux communes et aux structures qui les accompagnent dans "
                    "la création ou la reprise de leur Base Adresse Locale. Il rassemble les "
                    "méthodes éprouvées par le réseau des référents départementaux depuis 2024 et "
                    "les modèles de documents les plus demandés. Il ne remplace pas la "
                    "documentation nationale, à laquelle il renvoie pour les aspects techniques, "
                    "mais propose une organisation concrète adaptée aux petites communes."
                ),
                (
                    "L'adresse relève de la commune : la dénomination des voies est décidée par le "
                    "conseil municipal et la numérotation des constructions par le maire. Depuis "
                    "la loi dite 3DS de 2022, toutes les communes doivent dénommer leurs voies et "
                    "transmettre leurs adresses sous forme numérique. La Base Adresse Locale, "
                    "publiée puis intégrée à la Base Adresse Nationale, est le moyen le plus "
                    "simple de remplir cette obligation."
                ),
                (
                    "Le diagnostic est préparé par le référent avant toute rencontre. Il compare "
                    "les adresses connues de la base nationale, le plan cadastral et les "
                    "photographies aériennes récentes. Il dresse la liste des voies sans nom, des "
                    "lieux-dits habités sans numérotation et des doublons. Cette liste sert de "
                    "support à l'atelier communal et permet d'estimer le temps nécessaire, qui "
                    "varie de quelques heures à plusieurs jours selon la commune."
                ),
                (
                    "L'atelier communal réunit un élu, la secrétaire de mairie et le référent "
                    "pendant une demi-journée. On y valide les noms de voies, on choisit le mode "
                    "de numérotation et on règle les cas délicats : hameaux dispersés, chemins "
                    "partagés avec une commune voisine, bâtiments agricoles. L'expérience montre "
                    "qu'une décision prise en atelier évite de nombreux allers-retours par "
                    "courrier électronique."
                ),
                (
                    "La saisie se fait dans l'éditeur en ligne national, qui ne demande aucune "
                    "installation. Le référent ouvre la base, importe les adresses existantes et "
                    "accompagne la commune lors des premières saisies. Une fois la délibération "
                    "adoptée, la commune publie sa base et le référent vérifie, quelques jours "
                    "plus tard, que les adresses apparaissent correctement dans la base nationale "
                    "et dans les services qui la réutilisent."
                ),
                (
                    "Une base publiée doit vivre. Nous recommandons de désigner une personne "
                    "chargée des adresses en mairie, de l'informer de chaque permis de construire "
                    "accordé et de prévoir une revue annuelle avec le référent. Les annexes du "
                    "guide fournissent un modèle de délibération, un modèle d'arrêté de "
                    "numérotation, la grille de diagnostic et un courrier type d'information des "
                    "habitants."
                ),
            ],
        },
    },
    {
        "key": "occitanie-ia-panneaux-solaires",
        "title": (
            "Détecter les panneaux solaires sur orthophotographie grâce à l'intelligence "
            "artificielle"
        ),
        "summary": (
            "Un syndicat départemental d'énergie et le CTD ont entraîné un modèle de détection des "
            "installations photovoltaïques en toiture pour compléter les registres existants et "
            "suivre le développement du solaire."
        ),
        "kind": "retour-experience",
        "ctd": "occitanie",
        "terms": ["intelligence-artificielle", "donnee-geographique"],
        "status": "submitted",
        "featured": False,
        "published_at": None,
        "body": (
            "## Pourquoi ce projet\n"
            "\n"
            "Les registres d'installations de production d'électricité recensent bien les grandes "
            "centrales, mais les petites installations en toiture y sont localisées de façon "
            "approximative, souvent à la commune. Pour planifier le raccordement et conseiller les "
            "collectivités, un syndicat départemental d'énergie avait besoin d'une localisation au "
            "bâtiment.\n"
            "\n"
            "## Démarche\n"
            "\n"
            "- Constitution d'un jeu d'entraînement de 4 800 toitures annotées à la main sur "
            "l'orthophotographie à 20 cm.\n"
            "- Entraînement d'un modèle de segmentation sémantique open source, puis affinage sur "
            "trois types de paysages : urbain dense, périurbain et rural.\n"
            "- Rattachement de chaque détection au bâtiment de la BD TOPO et calcul d'une surface "
            "de capteurs.\n"
            "- Contrôle visuel d'un échantillon de 1 000 détections par deux agents.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Mesure | Valeur |\n"
            "|---|---|\n"
            "| Précision sur l'échantillon contrôlé | 92 % |\n"
            "| Rappel estimé | 85 % |\n"
            "| Installations détectées sur le département | 21 300 |\n"
            "\n"
            "Les erreurs les plus fréquentes concernent les verrières, les velux alignés et les "
            "toitures sombres en zinc. Les installations posées au sol sur des parcelles agricoles "
            "sont correctement détectées mais doivent être classées à part.\n"
            "\n"
            "## Suites envisagées\n"
            "\n"
            "Le CTD souhaite étendre la détection aux autres départements à chaque nouvelle "
            "campagne d'orthophotographie et publier une couche agrégée à l'îlot, afin de ne pas "
            "diffuser d'information sur des bâtiments de particuliers. La note méthodologique "
            "jointe détaille le protocole d'annotation et les métriques."
        ),
        "links": [
            {"title": "Géoservices de l'IGN", "url": "https://geoservices.ign.fr"},
        ],
        "attachment": {
            "format": "docx",
            "name": "Note méthodologique détection photovoltaïque.docx",
            "paragraphs": [
                (
                    "Cette note décrit la méthode employée pour détecter les installations "
                    "photovoltaïques en toiture à partir de l'orthophotographie départementale. "
                    "Elle est destinée aux équipes techniques qui souhaiteraient reproduire la "
                    "démarche sur un autre territoire. Elle précise les données utilisées, le "
                    "protocole d'annotation, l'entraînement du modèle et les contrôles réalisés, "
                    "ainsi que les limites identifiées à ce stade du projet."
                ),
                (
                    "Les images utilisées sont des orthophotographies à 20 cm de résolution en "
                    "couleurs naturelles, complétées par le proche infrarouge lorsqu'il était "
                    "disponible. Le jeu d'entraînement comprend 4 800 toitures annotées par trois "
                    "agents formés, réparties entre zones urbaines, périurbaines et rurales. "
                    "Chaque polygone a été vérifié par une seconde personne afin de limiter les "
                    "erreurs d'annotation, qui pèsent lourdement sur la qualité finale."
                ),
                (
                    "Le modèle est un réseau de segmentation sémantique diffusé sous licence "
                    "libre, initialement entraîné sur des images aériennes d'autres pays. Il a été "
                    "affiné sur le jeu d'entraînement local pendant une quarantaine d'époques. Les "
                    "prédictions sont ensuite vectorisées, nettoyées des objets de moins de deux "
                    "mètres carrés et rattachées au bâtiment le plus proche du référentiel "
                    "topographique national."
                ),
                (
                    "Sur un échantillon de 1 000 détections contrôlées visuellement, la précision "
                    "atteint 92 % et le rappel est estimé à 85 %. Les faux positifs proviennent "
                    "surtout des verrières, des fenêtres de toit alignées et des toitures sombres. "
                    "Les oublis concernent des installations partiellement masquées par la "
                    "végétation ou par l'ombre portée des bâtiments voisins, notamment en centre "
                    "ancien."
                ),
                (
                    "Les résultats bruts ne sont pas diffusés : ils permettraient d'identifier des "
                    "équipements de particuliers. Une couche agrégée à l'îlot ou à la maille de "
                    "200 mètres est en préparation, avec le nombre d'installations et la surface "
                    "estimée de capteurs. Elle pourra être publiée sous licence ouverte après "
                    "validation par le comité de pilotage et par le délégué à la protection des "
                    "données du syndicat."
                ),
            ],
        },
    },
    {
        "key": "occitanie-feuille-de-route-2026",
        "title": "Feuille de route régionale de la donnée 2026-2028 : version de travail",
        "summary": (
            "Version de travail de la prochaine feuille de route du CTD Occitanie, issue de six "
            "ateliers départementaux : cinq axes, dix-huit actions et une proposition de "
            "gouvernance à soumettre à la plénière."
        ),
        "kind": "document",
        "ctd": "occitanie",
        "terms": ["feuille-de-route-territoriale", "comite-territorial-de-la-donnee"],
        "status": "draft",
        "featured": False,
        "published_at": None,
        "body": (
            "## Objet du document\n"
            "\n"
            "Ce document rassemble les propositions issues des ateliers départementaux organisés "
            "au printemps. Il sera amendé par les groupes de travail avant d'être présenté en "
            "séance plénière du CTD. Les chiffres et calendriers sont indicatifs.\n"
            "\n"
            "## Les cinq axes proposés\n"
            "\n"
            "- **Référentiels partagés** : achever la couverture en Bases Adresses Locales, "
            "poursuivre le PCRS et préparer la mise à jour de l'OCS GE.\n"
            "- **Données pour la transition écologique** : énergie, eau, biodiversité et sobriété "
            "foncière.\n"
            "- **Ouverture et circulation des données** : accompagner les collectivités dans leur "
            "obligation d'ouverture et faciliter les réutilisations.\n"
            "- **Compétences** : un plan de formation commun aux agents des collectivités et de "
            "l'État.\n"
            "- **Innovation maîtrisée** : expérimenter l'intelligence artificielle et le jumeau "
            "numérique sur des cas d'usage précis.\n"
            "\n"
            "## Gouvernance\n"
            "\n"
            "La proposition maintient le co-pilotage entre la Région et la préfecture de région, "
            "avec un comité technique trimestriel. Chaque action aurait un pilote et au moins un "
            "partenaire départemental. Un bilan annuel serait présenté en plénière et publié sur "
            "le site du CTD.\n"
            "\n"
            "## Questions encore ouvertes\n"
            "\n"
            "- Faut-il un budget mutualisé annuel ou un financement action par action ?\n"
            "- Comment associer les intercommunalités qui ne participent pas encore aux travaux ?\n"
            "- Quels indicateurs retenir pour mesurer les effets de la feuille de route, au-delà "
            "du nombre d'actions engagées ?\n"
            "\n"
            "Les contributions sont attendues avant la fin du mois pour une version consolidée."
        ),
        "links": [],
    },
    {
        "key": "occitanie-submersion-littoral",
        "title": "Cartographier le risque de submersion marine sur le littoral languedocien",
        "summary": (
            "Retour d'expérience d'un groupement de collectivités littorales qui a mutualisé "
            "données topographiques, relevés de tempêtes et enjeux exposés pour construire une "
            "cartographie partagée de la submersion marine."
        ),
        "kind": "retour-experience",
        "ctd": "occitanie",
        "terms": ["donnee-geolocalisee", "donnee-territoriale"],
        "status": "published",
        "featured": False,
        "published_at": "2024-09-05",
        "body": (
            "## Le besoin\n"
            "\n"
            "Les communes du littoral lagunaire sont exposées à la fois aux tempêtes marines et à "
            "l'élévation progressive du niveau de la mer. Chaque commune disposait d'études "
            "ponctuelles, réalisées à des dates et avec des méthodes différentes, difficiles à "
            "comparer pour préparer les plans de prévention ou les stratégies locales de gestion "
            "du trait de côte.\n"
            "\n"
            "## Ce qui a été fait\n"
            "\n"
            "- Rassemblement des modèles numériques de terrain LiDAR disponibles et contrôle de "
            "leur cohérence altimétrique.\n"
            "- Inventaire des laisses de mer relevées après les principales tempêtes des quinze "
            "dernières années, géolocalisées à partir des archives communales.\n"
            "- Croisement avec les enjeux exposés : logements, campings, établissements recevant "
            "du public, routes et réseaux.\n"
            "- Production de cartes selon trois scénarios de niveau marin, validées avec les "
            "services de l'État.\n"
            "\n"
            "## Ce que nous en retenons\n"
            "\n"
            "La mise en commun des données a pris plus de temps que la modélisation elle-même. Les "
            "relevés historiques, souvent conservés sous forme de photographies ou de notes, ont "
            "dû être numérisés un par un. En revanche, une fois la base constituée, chaque commune "
            "peut produire ses propres analyses à partir d'un socle commun.\n"
            "\n"
            "## Recommandations\n"
            "\n"
            "- Désigner dès le départ un gestionnaire unique de la base et un format d'échange "
            "commun.\n"
            "- Documenter les métadonnées de chaque relevé, même ancien : date, source, "
            "précision.\n"
            "- Prévoir une diffusion des couches d'aléa sous licence ouverte, en distinguant "
            "clairement les données réglementaires des données d'étude."
        ),
        "links": [
            {"title": "Géorisques", "url": "https://www.georisques.gouv.fr"},
        ],
    },
    {
        "key": "bretagne-pcrs-mutualise",
        "title": (
            "PCRS mutualisé en Bretagne : gouvernance et financement d'un référentiel très grande "
            "échelle"
        ),
        "summary": (
            "Comment les collectivités, les gestionnaires de réseaux et l'État se sont organisés "
            "pour produire et mettre à jour un plan de corps de rue simplifié commun, avec une "
            "convention type et une clé de financement partagée."
        ),
        "kind": "retour-experience",
        "ctd": "bretagne",
        "terms": ["mutualisation", "referentiel-de-donnees", "standard-de-donnees"],
        "status": "published",
        "featured": True,
        "published_at": "2024-06-20",
        "body": (
            "## Un référentiel imposé par la réglementation, utile à tous\n"
            "\n"
            "Le plan de corps de rue simplifié (PCRS) est le fond de plan à très grande échelle "
            "sur lequel les exploitants de réseaux doivent localiser leurs ouvrages dans le cadre "
            "de la réforme anti-endommagement. Produire ce fond de plan sur toute une région coûte "
            "cher ; le produire plusieurs fois serait absurde. Les acteurs bretons ont donc choisi "
            "une production unique, au standard PCRS du CNIG, partagée entre tous.\n"
            "\n"
            "## Gouvernance retenue\n"
            "\n"
            "- Une autorité locale compétente par département, désignée par les collectivités et "
            "reconnue par les exploitants.\n"
            "- Un comité de pilotage régional animé dans le cadre du CTD, qui fixe le calendrier "
            "et le cahier des charges commun.\n"
            "- Une convention type signée par chaque partenaire, qui précise les droits d'usage et "
            "les obligations de mise à jour.\n"
            "\n"
            "## Clé de financement\n"
            "\n"
            "| Partenaire | Part du coût de production |\n"
            "|---|---|\n"
            "| Collectivités et leurs groupements | 40 % |\n"
            "| Gestionnaires de réseaux | 45 % |\n"
            "| État et Région | 15 % |\n"
            "\n"
            "La clé a été calculée à partir du linéaire de réseaux concernés et des surfaces "
            "urbanisées. Elle est révisée à chaque nouvelle tranche de production.\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "Le point le plus délicat n'a pas été technique mais juridique : il a fallu plusieurs "
            "mois pour que chaque partenaire accepte les mêmes conditions de diffusion. La "
            "convention jointe, reprise depuis par d'autres régions, est le principal acquis du "
            "projet. La mise à jour, assurée à partir des récolements de travaux, reste à "
            "consolider."
        ),
        "links": [
            {
                "title": "Conseil national de l'information géolocalisée",
                "url": "https://cnig.gouv.fr",
            },
        ],
        "attachment": {
            "format": "pdf",
            "name": "Convention type PCRS Bretagne.pdf",
            "paragraphs": [
                (
                    "La présente convention a pour objet d'organiser la production, la mise à jour "
                    "et la diffusion du plan de corps de rue simplifié sur le territoire "
                    "départemental. Elle est conclue entre l'autorité locale compétente, les "
                    "collectivités et groupements qui y adhèrent, les gestionnaires de réseaux "
                    "signataires et les services de l'État. Elle s'inscrit dans la démarche "
                    "régionale coordonnée par le comité territorial de la donnée."
                ),
                (
                    "Le plan de corps de rue simplifié est produit conformément au standard PCRS "
                    "publié par le CNIG, dans sa version en vigueur à la date de lancement de "
                    "chaque tranche. La précision attendue est celle de la classe A au sens de la "
                    "réglementation relative aux travaux à proximité des réseaux. Le cahier des "
                    "charges technique, annexé à la convention, précise les objets levés et les "
                    "contrôles de réception."
                ),
                (
                    "L'autorité locale compétente assure la maîtrise d'ouvrage de la production, "
                    "organise les marchés nécessaires et réceptionne les livrables. Elle tient à "
                    "jour le référentiel à partir des récolements transmis par les maîtres "
                    "d'ouvrage de travaux de voirie et de réseaux. Elle diffuse gratuitement le "
                    "plan aux signataires et met à disposition un service de consultation pour les "
                    "entreprises de travaux."
                ),
                (
                    "Le coût de production est réparti selon la clé de financement annexée, "
                    "calculée à partir du linéaire de réseaux et des surfaces urbanisées de chaque "
                    "secteur. Les contributions sont appelées par tranche annuelle. La clé est "
                    "révisée à l'occasion de chaque nouvelle tranche, après avis du comité de "
                    "pilotage. Aucun partenaire ne peut se voir facturer l'accès au plan une fois "
                    "sa contribution versée."
                ),
                (
                    "Les données produites sont diffusées sous licence ouverte, à l'exception des "
                    "informations dont la communication porterait atteinte à la sécurité des "
                    "réseaux. Chaque signataire s'engage à transmettre dans un délai de trois mois "
                    "les récolements des travaux qu'il réalise. La convention est conclue pour six "
                    "ans et peut être rejointe à tout moment par un nouveau partenaire, par simple "
                    "avenant."
                ),
            ],
        },
    },
    {
        "key": "bretagne-ortho-2021-bilan",
        "title": "Marché mutualisé d'orthophotographie 2021 : bilan et enseignements",
        "summary": (
            "Bilan de la campagne régionale d'orthophotographie de 2021, financée en groupement de "
            "commandes : calendrier, coûts, qualité des livrables et usages constatés. Document "
            "remplacé par le bilan de la campagne suivante."
        ),
        "kind": "document",
        "ctd": "bretagne",
        "terms": ["mutualisation", "donnee-geographique"],
        "status": "archived",
        "featured": False,
        "published_at": "2024-01-22",
        "body": (
            "## Rappel du projet\n"
            "\n"
            "En 2021, la Région, les quatre départements et une vingtaine d'intercommunalités se "
            "sont associés pour acquérir une orthophotographie de 20 cm de résolution sur "
            "l'ensemble du territoire, avec une couverture à 5 cm sur les principales "
            "agglomérations. Le groupement de commandes était coordonné par un syndicat mixte.\n"
            "\n"
            "## Chiffres clés\n"
            "\n"
            "| Élément | Valeur |\n"
            "|---|---|\n"
            "| Surface couverte à 20 cm | 27 200 km² |\n"
            "| Surface couverte à 5 cm | 1 150 km² |\n"
            "| Partenaires financeurs | 26 |\n"
            "| Délai entre prise de vue et livraison | 9 mois |\n"
            "\n"
            "## Ce qui a bien fonctionné\n"
            "\n"
            "- Le partage des coûts a divisé par trois la dépense de chaque partenaire par rapport "
            "à des achats séparés.\n"
            "- La diffusion sous licence ouverte a multiplié les usages : urbanisme, agriculture, "
            "gestion des espaces naturels.\n"
            "- La coordination avec les programmes nationaux a évité les doublons de prise de "
            "vue.\n"
            "\n"
            "## Ce qui est à améliorer\n"
            "\n"
            "- Les conditions météorologiques ont décalé une partie des vols à l'automne, avec des "
            "ombres plus longues.\n"
            "- Le contrôle qualité des livrables, assuré par un seul partenaire, a été insuffisant "
            "sur certaines zones.\n"
            "- Les besoins en proche infrarouge n'avaient pas été anticipés par tous les "
            "partenaires.\n"
            "\n"
            "## Statut de ce document\n"
            "\n"
            "Ce bilan est conservé pour mémoire. Les recommandations ont été intégrées au cahier "
            "des charges de la campagne suivante, dont le bilan remplace celui-ci."
        ),
        "links": [],
    },
    {
        "key": "bretagne-ocsge-scot",
        "title": "OCS GE et sobriété foncière : premiers usages dans les SCoT bretons",
        "summary": (
            "Comment trois syndicats de SCoT utilisent l'occupation du sol à grande échelle pour "
            "mesurer l'artificialisation, dialoguer avec les communes et préparer la trajectoire "
            "de réduction imposée par la loi Climat et résilience."
        ),
        "kind": "retour-experience",
        "ctd": "bretagne",
        "terms": ["donnee-territoriale", "referentiel-de-donnees"],
        "status": "submitted",
        "featured": False,
        "published_at": None,
        "body": (
            "## Le contexte\n"
            "\n"
            "La loi Climat et résilience fixe un objectif de zéro artificialisation nette à "
            "l'horizon 2050, avec une réduction par étapes. Les schémas de cohérence territoriale "
            "doivent décliner cette trajectoire. L'occupation du sol à grande échelle (OCS GE), "
            "produite à l'échelle nationale sous la conduite de l'IGN, fournit une description "
            "homogène du territoire qui permet de mesurer l'artificialisation avec la même méthode "
            "partout.\n"
            "\n"
            "## Ce que font les trois SCoT\n"
            "\n"
            "- Comparaison des millésimes disponibles pour estimer l'évolution des surfaces "
            "artificialisées par commune.\n"
            "- Confrontation avec les fichiers fonciers et les autorisations d'urbanisme pour "
            "expliquer les écarts.\n"
            "- Présentation des résultats aux communes sous forme de fiches d'une page, avec carte "
            "et chiffres clés.\n"
            "\n"
            "## Premiers constats\n"
            "\n"
            "La donnée est bien reçue parce qu'elle est la même pour tous. Les échanges avec les "
            "communes portent moins sur la méthode que sur des objets précis : un parking enherbé, "
            "un jardin classé en surface artificialisée, une serre agricole. Ces cas ont été "
            "remontés au producteur via le CTD.\n"
            "\n"
            "## Difficultés\n"
            "\n"
            "- Le décalage entre la date de prise de vue et la date de diffusion complique "
            "l'analyse des projets récents.\n"
            "- La nomenclature, riche, doit être simplifiée pour être expliquée aux élus.\n"
            "- Les équipes ont besoin de formation pour manipuler des volumes de données "
            "importants.\n"
            "\n"
            "## Prochaines étapes\n"
            "\n"
            "Les trois SCoT souhaitent partager leurs scripts de calcul et leurs modèles de fiches "
            "communales avec les autres territoires de la région."
        ),
        "links": [
            {"title": "Cerema", "url": "https://www.cerema.fr"},
        ],
    },
    {
        "key": "bretagne-open-data-petites-communes",
        "title": "Ouvrir les données d'une commune de moins de 3 500 habitants en cinq étapes",
        "summary": (
            "Une démarche simple, testée avec une dizaine de petites communes, pour publier leurs "
            "premiers jeux de données ouverts sans outil coûteux, en s'appuyant sur les schémas "
            "nationaux et une plateforme mutualisée."
        ),
        "kind": "bonne-pratique",
        "ctd": "bretagne",
        "terms": ["donnee-ouverte", "plateforme-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2025-05-14",
        "body": (
            "## Pourquoi s'y intéresser\n"
            "\n"
            "Les communes de moins de 3 500 habitants ne sont pas soumises à l'obligation générale "
            "d'ouverture des données, mais beaucoup détiennent des informations utiles à leurs "
            "habitants et aux acteurs locaux : équipements, horaires, délibérations, salles "
            "municipales. Les publier sous licence ouverte évite de répondre aux mêmes demandes "
            "plusieurs fois.\n"
            "\n"
            "## Les cinq étapes\n"
            "\n"
            "1. **Choisir trois jeux de données** faciles à tenir à jour, par exemple la liste des "
            "équipements publics, les menus de la cantine et les salles louables.\n"
            "2. **Vérifier l'existence d'un schéma** sur le site national des schémas de données "
            "et s'y conformer, pour que la donnée soit agrégée avec celle des autres communes.\n"
            "3. **Préparer un fichier tableur simple**, une ligne par objet, avec des colonnes "
            "nommées comme dans le schéma.\n"
            "4. **Publier sur la plateforme mutualisée** proposée par le département ou la Région, "
            "qui moissonne ensuite vers le portail national.\n"
            "5. **Annoncer la publication** dans le bulletin municipal et prévoir une date de mise "
            "à jour.\n"
            "\n"
            "## Ce qu'il faut éviter\n"
            "\n"
            "- Publier des données personnelles : noms d'agents, coordonnées de particuliers, "
            "informations d'état civil.\n"
            "- Choisir un format propriétaire ou un document PDF pour des données tabulaires.\n"
            "- Publier une fois sans jamais mettre à jour.\n"
            "\n"
            "## Retour des communes pilotes\n"
            "\n"
            "En moyenne, la première publication a demandé une journée de travail, accompagnement "
            "compris. Les mises à jour suivantes prennent moins d'une heure. Plusieurs communes "
            "ont ensuite constaté la réutilisation de leurs données dans des applications "
            "touristiques locales."
        ),
        "links": [
            {"title": "Schémas de données publics", "url": "https://schema.data.gouv.fr"},
            {
                "title": "Plateforme ouverte des données publiques françaises",
                "url": "https://www.data.gouv.fr",
            },
        ],
    },
    {
        "key": "pdl-plu-cahier-des-charges",
        "title": (
            "Numériser les PLU au standard CNIG : un cahier des charges commun aux "
            "intercommunalités"
        ),
        "summary": (
            "Un cahier des charges type, élaboré par un groupe de travail régional, pour commander "
            "la numérisation des plans locaux d'urbanisme au standard CNIG et faciliter leur "
            "publication sur le Géoportail de l'urbanisme."
        ),
        "kind": "document",
        "ctd": "pays-de-la-loire",
        "terms": ["standard-de-donnees", "donnee-geographique"],
        "status": "published",
        "featured": False,
        "published_at": "2024-04-10",
        "body": (
            "## Origine du document\n"
            "\n"
            "Les documents d'urbanisme doivent être publiés sur le Géoportail de l'urbanisme, et "
            "cette publication conditionne désormais leur entrée en vigueur. Beaucoup "
            "d'intercommunalités font appel à des bureaux d'études pour numériser leur plan local "
            "d'urbanisme, avec des résultats inégaux : fichiers refusés par le validateur, zonages "
            "mal découpés, prescriptions mal codées. Un groupe de travail du CTD a rédigé un "
            "cahier des charges commun pour sécuriser ces commandes.\n"
            "\n"
            "## Ce que contient le cahier des charges\n"
            "\n"
            "- Le rappel des obligations réglementaires et de la version du standard CNIG à "
            "respecter.\n"
            "- La liste des livrables : zonage, prescriptions, informations, pièces écrites en "
            "PDF, métadonnées.\n"
            "- Les contrôles exigés avant livraison, dont le passage sans erreur bloquante dans le "
            "validateur national.\n"
            "- Les modalités de recette par la collectivité, avec une grille de vérification.\n"
            "- Les clauses de reprise en cas de refus au dépôt.\n"
            "\n"
            "## Conseils d'utilisation\n"
            "\n"
            "| Situation | Conseil |\n"
            "|---|---|\n"
            "| Élaboration d'un nouveau PLUi | Intégrer la numérisation dans le marché "
            "d'élaboration |\n"
            "| Modification d'un PLU existant | Exiger la mise à jour du jeu complet, pas "
            "seulement des pièces modifiées |\n"
            "| Document ancien sur fond papier | Prévoir une phase de calage sur le cadastre |\n"
            "\n"
            "## Bilan après un an\n"
            "\n"
            "Sept intercommunalités ont utilisé ce cahier des charges. Les taux de rejet au dépôt "
            "ont nettement diminué et les échanges avec les bureaux d'études sont plus clairs. Le "
            "document est proposé en format modifiable pour être adapté à chaque collectivité."
        ),
        "links": [
            {
                "title": "Géoportail de l'urbanisme",
                "url": "https://www.geoportail-urbanisme.gouv.fr",
            },
            {
                "title": "Conseil national de l'information géolocalisée",
                "url": "https://cnig.gouv.fr",
            },
        ],
        "attachment": {
            "format": "docx",
            "name": "Cahier des charges numérisation PLU CNIG.docx",
            "paragraphs": [
                (
                    "Le présent cahier des charges a pour objet la numérisation du plan local "
                    "d'urbanisme de la collectivité conformément au standard CNIG relatif aux "
                    "plans locaux d'urbanisme, dans sa version en vigueur à la date de "
                    "notification du marché. Les données produites sont destinées à être publiées "
                    "sur le Géoportail de l'urbanisme par la collectivité, qui reste seule "
                    "responsable de cette publication."
                ),
                (
                    "Le titulaire livre l'ensemble des couches prévues par le standard : zonage, "
                    "prescriptions surfaciques, linéaires et ponctuelles, informations, ainsi que "
                    "l'emprise du document. Les pièces écrites et graphiques sont fournies en PDF, "
                    "nommées selon les règles du standard. Une fiche de métadonnées conforme aux "
                    "exigences de la directive INSPIRE accompagne la livraison."
                ),
                (
                    "Avant chaque livraison, le titulaire soumet le jeu de données au validateur "
                    "national et fournit le rapport obtenu. Aucune erreur bloquante n'est "
                    "acceptée. Les avertissements sont listés et justifiés. Le titulaire vérifie "
                    "en outre la cohérence entre le zonage numérique et les plans approuvés, en "
                    "particulier le long des limites communales et des cours d'eau."
                ),
                (
                    "La collectivité dispose d'un délai de trente jours pour procéder à la "
                    "recette, à l'aide de la grille de vérification annexée. En cas de réserve, le "
                    "titulaire dispose de quinze jours pour livrer une version corrigée. Si le "
                    "dépôt sur le Géoportail de l'urbanisme est refusé pour un motif imputable au "
                    "titulaire, la reprise est réalisée sans supplément de prix."
                ),
            ],
        },
    },
    {
        "key": "pdl-espace-commun-eau",
        "title": "Note de cadrage : un espace commun de données sur l'eau en Pays de la Loire",
        "summary": (
            "Projet de note de cadrage pour un espace commun de données sur l'eau réunissant "
            "syndicats d'eau potable, collectivités, services de l'État et agence de l'eau : "
            "périmètre, cas d'usage et règles de partage."
        ),
        "kind": "document",
        "ctd": "pays-de-la-loire",
        "terms": ["espace-commun-de-donnees", "donnee-territoriale"],
        "status": "draft",
        "featured": False,
        "published_at": None,
        "body": (
            "## Pourquoi un espace commun\n"
            "\n"
            "Les données sur l'eau sont nombreuses mais dispersées : prélèvements, qualité des "
            "captages, réseaux d'eau potable et d'assainissement, zones humides, sécheresse. "
            "Chaque acteur en détient une partie, sous des formats et des conditions d'accès "
            "différents. Les épisodes de sécheresse récents ont montré la difficulté à réunir "
            "rapidement une vision d'ensemble.\n"
            "\n"
            "## Périmètre envisagé\n"
            "\n"
            "- Données de référence : bassins versants, masses d'eau, captages et leurs aires "
            "d'alimentation.\n"
            "- Données de gestion : volumes prélevés et distribués, rendement des réseaux, "
            "interconnexions.\n"
            "- Données de suivi : niveaux des nappes, débits, arrêtés de restriction.\n"
            "\n"
            "## Premiers cas d'usage\n"
            "\n"
            "1. Anticiper les tensions sur la ressource à l'échelle d'un département en période "
            "estivale.\n"
            "2. Identifier les interconnexions possibles entre syndicats voisins.\n"
            "3. Suivre l'effet des programmes d'économie d'eau.\n"
            "\n"
            "## Règles de partage à définir\n"
            "\n"
            "L'espace commun ne suppose pas une base unique. Chaque producteur garde la maîtrise "
            "de ses données et décide de leur niveau d'accès : public, réservé aux membres ou "
            "restreint à certains usages. Une charte fixera ces règles, ainsi que les engagements "
            "de mise à jour.\n"
            "\n"
            "## Points à arbitrer\n"
            "\n"
            "- Le porteur de l'espace commun et son financement.\n"
            "- Le traitement des données sensibles liées à la sécurité des installations.\n"
            "- L'articulation avec les systèmes d'information nationaux sur l'eau.\n"
            "\n"
            "Cette note sera discutée lors du prochain comité technique."
        ),
        "links": [],
        "attachment": {
            "format": "odt",
            "name": "Note de cadrage espace commun eau.odt",
            "paragraphs": [
                (
                    "Cette note de cadrage propose les grandes lignes d'un espace commun de "
                    "données sur l'eau à l'échelle régionale. Elle a été préparée par le groupe de "
                    "travail eau du comité territorial de la donnée à partir d'entretiens avec une "
                    "quinzaine de structures. Elle n'engage pas encore les partenaires et a "
                    "vocation à être discutée, amendée puis soumise au comité de pilotage."
                ),
                (
                    "Un espace commun de données n'est pas un entrepôt centralisé. Il s'agit d'un "
                    "ensemble de règles, de services et d'engagements qui permettent à des acteurs "
                    "indépendants de partager des données de manière fiable. Chaque producteur "
                    "conserve ses données dans son propre système et décide de leur niveau "
                    "d'accès. L'espace commun garantit la découverte, l'interopérabilité et la "
                    "traçabilité des échanges."
                ),
                (
                    "Trois cas d'usage prioritaires ont été retenus lors des entretiens : "
                    "l'anticipation des tensions sur la ressource en période estivale, "
                    "l'identification des interconnexions possibles entre syndicats d'eau potable "
                    "voisins, et le suivi des programmes d'économie d'eau. Chacun fera l'objet "
                    "d'une fiche précisant les données nécessaires, leurs détenteurs, la fréquence "
                    "de mise à jour attendue et les conditions d'accès."
                ),
                (
                    "Certaines données touchent à la sécurité des installations d'eau potable et "
                    "ne peuvent pas être diffusées largement. La charte de l'espace commun devra "
                    "prévoir des niveaux d'accès différenciés et une procédure d'habilitation des "
                    "utilisateurs. Le groupe de travail recommande de s'appuyer sur les règles "
                    "déjà appliquées par les services de l'État plutôt que d'en inventer de "
                    "nouvelles."
                ),
                (
                    "Le calendrier proposé prévoit une phase de préfiguration de douze mois, "
                    "limitée au premier cas d'usage et à deux départements volontaires. Un bilan "
                    "sera présenté en séance plénière du comité territorial de la donnée avant "
                    "toute extension. Le financement de la préfiguration pourrait être assuré "
                    "conjointement par la Région, l'agence de l'eau et les syndicats participants."
                ),
            ],
        },
    },
    {
        "key": "pdl-installer-ctd",
        "title": (
            "Installer un comité territorial de la donnée : statuts, collèges et rythme des "
            "réunions"
        ),
        "summary": (
            "Les choix faits pour installer le CTD Pays de la Loire : composition en collèges, "
            "co-pilotage État-Région, instances et calendrier. Une base pour les régions qui "
            "structurent ou refondent leur propre comité."
        ),
        "kind": "bonne-pratique",
        "ctd": "pays-de-la-loire",
        "terms": ["comite-territorial-de-la-donnee", "feuille-de-route-territoriale"],
        "status": "published",
        "featured": False,
        "published_at": "2024-02-08",
        "body": (
            "## Partir de l'existant\n"
            "\n"
            "Le CTD n'a pas été créé de toutes pièces : il prolonge la plateforme régionale "
            "d'information géographique, dont il reprend le réseau de partenaires et les groupes "
            "de travail. L'élargissement à toutes les données territoriales a demandé d'accueillir "
            "de nouveaux acteurs, notamment des services informatiques et des directions métiers.\n"
            "\n"
            "## Une organisation en collèges\n"
            "\n"
            "| Collège | Exemples de membres |\n"
            "|---|---|\n"
            "| État et établissements publics | Préfecture de région, DREAL, DDT, agences |\n"
            "| Région et départements | Services SIG, directions du numérique |\n"
            "| Bloc communal | Métropole, agglomérations, communautés de communes |\n"
            "| Opérateurs et syndicats | Énergie, eau, numérique, transports |\n"
            "| Recherche et société civile | Universités, associations, chambres consulaires |\n"
            "\n"
            "## Les instances\n"
            "\n"
            "- **Une séance plénière annuelle**, ouverte à tous, qui valide la feuille de route et "
            "présente le bilan.\n"
            "- **Un comité de pilotage** co-présidé par la Région et l'État, réuni deux fois par "
            "an.\n"
            "- **Un comité technique** mensuel qui suit l'avancement des actions.\n"
            "- **Des groupes de travail thématiques** créés pour la durée d'un projet.\n"
            "\n"
            "## Conseils\n"
            "\n"
            "- Rédiger une charte courte plutôt que des statuts détaillés : elle suffit tant que "
            "le CTD ne gère pas de budget propre.\n"
            "- Donner à chaque collège un représentant au comité de pilotage.\n"
            "- Publier systématiquement les comptes rendus, pour que les absents puissent suivre.\n"
            "- Prévoir dès l'installation une feuille de route, même modeste, pour donner un objet "
            "concret aux premières réunions."
        ),
        "links": [],
    },
    {
        "key": "pdl-mobilite-gtfs",
        "title": (
            "Publier les horaires de transport au format GTFS : l'expérience d'un syndicat de "
            "mobilité"
        ),
        "summary": (
            "Un syndicat mixte de transport interurbain raconte comment il a produit, validé et "
            "publié ses horaires théoriques au format GTFS, puis ouvert un flux temps réel, pour "
            "répondre à ses obligations et nourrir les calculateurs d'itinéraires."
        ),
        "kind": "retour-experience",
        "ctd": "pays-de-la-loire",
        "terms": ["donnee-ouverte", "standard-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2025-10-02",
        "body": (
            "## Point de départ\n"
            "\n"
            "Le syndicat gère une quarantaine de lignes d'autocars et de transport à la demande. "
            "Les horaires étaient tenus dans un logiciel d'exploitation et publiés en fiches "
            "horaires PDF. Les obligations européennes et nationales d'ouverture des données de "
            "mobilité, ainsi que les demandes des applications de calcul d'itinéraire, ont conduit "
            "à produire un jeu de données au format GTFS.\n"
            "\n"
            "## Étapes suivies\n"
            "\n"
            "- Export des horaires depuis le logiciel d'exploitation, après une mise à niveau "
            "demandée à l'éditeur.\n"
            "- Nettoyage des arrêts : fusion des doublons, nommage homogène, positionnement précis "
            "des poteaux sur le terrain.\n"
            "- Validation avec l'outil proposé par le point d'accès national aux données de "
            "transport.\n"
            "- Publication sous licence ouverte et mise à jour à chaque changement de service.\n"
            "- Ouverture, un an plus tard, d'un flux temps réel alimenté par les boîtiers "
            "embarqués.\n"
            "\n"
            "## Ce que cela a changé\n"
            "\n"
            "| Indicateur | Avant | Après |\n"
            "|---|---|---|\n"
            "| Lignes présentes dans les calculateurs grand public | 6 | 41 |\n"
            "| Réclamations liées à des horaires erronés | 35 par an | 9 par an |\n"
            "| Délai de diffusion d'un changement d'horaire | 3 semaines | 2 jours |\n"
            "\n"
            "## Conseils\n"
            "\n"
            "- Commencer par les arrêts : c'est le travail le plus long et le plus utile.\n"
            "- Inscrire l'export GTFS dans les clauses du marché d'exploitation et du logiciel.\n"
            "- Désigner une personne responsable de la publication à chaque changement de "
            "service.\n"
            "- Prévenir les principaux réutilisateurs avant une modification importante du réseau."
        ),
        "links": [
            {
                "title": "Point d'accès national aux données de transport",
                "url": "https://transport.data.gouv.fr",
            },
        ],
    },
    {
        "key": "idf-jumeau-numerique-urbain",
        "title": (
            "Jumeau numérique urbain : ce que trois ans de maquette 3D ont changé pour une "
            "métropole"
        ),
        "summary": (
            "Bilan d'un jumeau numérique de territoire construit par une métropole francilienne : "
            "données mobilisées, cas d'usage qui ont réellement servi, coûts, gouvernance et "
            "erreurs à éviter pour les collectivités qui se lancent."
        ),
        "kind": "retour-experience",
        "ctd": "ile-de-france",
        "terms": ["jumeau-numerique-de-territoire", "donnee-geographique", "plateforme-de-donnees"],
        "status": "published",
        "featured": True,
        "published_at": "2026-03-11",
        "body": (
            "## Un projet né de l'urbanisme\n"
            "\n"
            "La métropole a lancé son jumeau numérique pour instruire les grands projets "
            "d'aménagement : visualiser un bâtiment dans son environnement, mesurer des ombres "
            "portées, présenter un projet aux habitants. Trois ans plus tard, l'outil sert bien "
            "au-delà de l'urbanisme.\n"
            "\n"
            "## Les données mobilisées\n"
            "\n"
            "- Un modèle 3D du bâti issu du LiDAR aérien et du référentiel topographique national, "
            "enrichi des toitures détaillées sur les secteurs de projet.\n"
            "- Le plan de corps de rue simplifié et les réseaux souterrains, pour les services de "
            "voirie.\n"
            "- Les données de végétation, de température de surface et de mobilité, pour les "
            "études climatiques.\n"
            "\n"
            "## Les usages qui ont tenu leurs promesses\n"
            "\n"
            "| Usage | Service utilisateur | Fréquence |\n"
            "|---|---|---|\n"
            "| Insertion de projets immobiliers | Urbanisme | Hebdomadaire |\n"
            "| Simulation d'îlots de fraîcheur | Environnement | Quelques études par an |\n"
            "| Coordination des chantiers de voirie | Voirie et réseaux | Quotidienne |\n"
            "| Concertation publique | Communication | À chaque grand projet |\n"
            "\n"
            "## Ce qui n'a pas marché\n"
            "\n"
            "La simulation en temps réel des flux de circulation, très attendue au départ, a été "
            "abandonnée : les données disponibles n'étaient pas assez fines et le coût de "
            "maintenance trop élevé. La plateforme de visualisation initiale, propriétaire, a été "
            "remplacée par une solution libre pour éviter la dépendance à un éditeur.\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "- Partir de cas d'usage précis plutôt que d'une vision globale.\n"
            "- Prévoir la mise à jour des données dès la conception : un jumeau figé perd vite sa "
            "valeur.\n"
            "- S'appuyer sur les référentiels nationaux et les standards du CNIG pour rester "
            "interopérable.\n"
            "\n"
            "Le rapport joint détaille les coûts et l'organisation de l'équipe."
        ),
        "links": [
            {"title": "Géoservices de l'IGN", "url": "https://geoservices.ign.fr"},
        ],
        "attachment": {
            "format": "pdf",
            "name": "Retour d'expérience jumeau numérique 2026.pdf",
            "paragraphs": [
                (
                    "Ce rapport présente le bilan de trois années de construction et "
                    "d'exploitation du jumeau numérique métropolitain. Il a été rédigé par "
                    "l'équipe projet à la demande du comité territorial de la donnée, afin de "
                    "partager l'expérience avec les collectivités qui envisagent une démarche "
                    "comparable. Il aborde successivement les données, les usages, l'organisation, "
                    "les coûts et les perspectives."
                ),
                (
                    "Le socle du jumeau repose sur des référentiels existants : le modèle "
                    "numérique de terrain et le nuage de points LiDAR de l'IGN, le référentiel "
                    "topographique national, le plan de corps de rue simplifié produit localement "
                    "et le cadastre. Les données métier sont ajoutées par couches successives, "
                    "chacune avec un responsable identifié et une fréquence de mise à jour définie "
                    "avant son intégration."
                ),
                (
                    "Les usages les plus fréquents ne sont pas les plus spectaculaires. La "
                    "coordination des chantiers de voirie, qui consiste à superposer les "
                    "interventions prévues sur un même secteur, mobilise l'outil chaque jour. "
                    "L'insertion des projets immobiliers est devenue un passage obligé de "
                    "l'instruction. Les simulations climatiques sont plus rares mais ont orienté "
                    "plusieurs programmes de plantation."
                ),
                (
                    "L'équipe compte trois personnes à temps plein : un chef de projet, un "
                    "géomaticien spécialiste de la 3D et un développeur. Elle s'appuie sur les "
                    "référents données des directions métiers. Le coût total sur trois ans, "
                    "acquisitions de données comprises, s'élève à environ 1,4 million d'euros, "
                    "dont un tiers pour la production initiale de la maquette du bâti."
                ),
                (
                    "Le remplacement de la plateforme de visualisation propriétaire par une "
                    "solution libre a été une décision importante de la deuxième année. Il a "
                    "demandé six mois de travail mais a réduit les coûts de licence et permis de "
                    "publier une partie de la maquette en accès ouvert. Les habitants peuvent "
                    "désormais consulter les projets d'aménagement en trois dimensions depuis le "
                    "site de la métropole."
                ),
                (
                    "Pour les années à venir, la métropole souhaite ouvrir le jumeau aux communes "
                    "membres, mieux intégrer les réseaux souterrains en lien avec les "
                    "gestionnaires et expérimenter des simulations d'inondation par ruissellement. "
                    "Elle plaide pour une coordination régionale, dans le cadre du comité "
                    "territorial de la donnée, afin que les jumeaux numériques des différentes "
                    "collectivités partagent les mêmes référentiels."
                ),
            ],
        },
    },
    {
        "key": "idf-ilots-chaleur-sante",
        "title": "Croiser données de santé environnementale et îlots de chaleur urbains",
        "summary": (
            "Un observatoire régional et une agglomération ont croisé températures de surface, "
            "végétation, population sensible et passages aux urgences pour cibler les quartiers "
            "prioritaires face aux vagues de chaleur."
        ),
        "kind": "retour-experience",
        "ctd": "ile-de-france",
        "terms": ["donnee-territoriale", "donnee-geolocalisee"],
        "status": "submitted",
        "featured": False,
        "published_at": None,
        "body": (
            "## L'objectif\n"
            "\n"
            "Les vagues de chaleur pèsent d'abord sur les personnes âgées, les jeunes enfants et "
            "les personnes isolées. L'agglomération voulait savoir où agir en priorité : "
            "plantation d'arbres, ouverture de lieux frais, visites à domicile. Elle s'est "
            "associée à un observatoire régional de santé pour croiser données environnementales "
            "et sanitaires.\n"
            "\n"
            "## Données utilisées\n"
            "\n"
            "- Températures de surface issues d'images satellitaires prises lors de journées "
            "caniculaires.\n"
            "- Taux de végétation et part de surfaces imperméables, calculés à partir de "
            "l'orthophotographie.\n"
            "- Population par âge au carreau de 200 mètres, issue des données carroyées de la "
            "statistique publique.\n"
            "- Passages aux urgences pour des pathologies liées à la chaleur, agrégés par commune "
            "pour respecter le secret statistique.\n"
            "\n"
            "## Méthode\n"
            "\n"
            "Un indice de vulnérabilité a été construit à partir de ces quatre composantes, avec "
            "des pondérations discutées avec les services de santé et d'environnement. Les "
            "résultats ont été présentés par quartier, jamais à l'adresse.\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "- Les données de santé ne peuvent être utilisées qu'à une échelle agrégée : il faut "
            "l'accepter dès le départ.\n"
            "- Les températures de surface ne sont pas les températures de l'air ; la nuance doit "
            "être expliquée aux élus.\n"
            "- Le croisement a surtout servi à ouvrir le dialogue entre services qui travaillaient "
            "séparément.\n"
            "\n"
            "## Suites\n"
            "\n"
            "L'indice est recalculé chaque été et une version simplifiée sera publiée en données "
            "ouvertes à l'échelle du quartier. D'autres collectivités du CTD ont demandé à "
            "reprendre la méthode."
        ),
        "links": [],
    },
    {
        "key": "idf-plans-reseaux-echange",
        "title": (
            "Échanger les plans de réseaux selon les géostandards : recommandations aux "
            "gestionnaires"
        ),
        "summary": (
            "Recommandations d'un groupe de travail régional pour que collectivités et exploitants "
            "échangent leurs plans de réseaux dans des formats standardisés, sur un fond de plan "
            "PCRS commun, plutôt qu'en fichiers de dessin hétérogènes."
        ),
        "kind": "bonne-pratique",
        "ctd": "ile-de-france",
        "terms": ["standard-de-donnees", "referentiel-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2024-11-19",
        "body": (
            "## Le problème\n"
            "\n"
            "Lors des déclarations de travaux, les exploitants transmettent encore souvent leurs "
            "plans en PDF ou en fichiers de dessin dont les calques varient d'un prestataire à "
            "l'autre. Les maîtres d'ouvrage doivent ressaisir ou superposer manuellement ces "
            "plans, avec un risque d'erreur de localisation. Les géostandards publiés par le CNIG "
            "pour les réseaux et le PCRS permettent d'échanger des données structurées et "
            "directement superposables.\n"
            "\n"
            "## Recommandations\n"
            "\n"
            "- **Utiliser le PCRS comme fond commun** : tous les plans de réseaux doivent être "
            "calés sur le même référentiel à très grande échelle.\n"
            "- **Adopter le géostandard adapté** au réseau concerné et à l'usage visé, en "
            "particulier pour les échanges liés aux déclarations de travaux.\n"
            "- **Exiger un format d'échange standard dans les marchés** de travaux et de "
            "récolement, en plus des plans PDF.\n"
            "- **Documenter la classe de précision** de chaque tronçon, pour ne pas laisser croire "
            "qu'un réseau ancien est connu au centimètre.\n"
            "- **Centraliser les récolements** auprès de l'autorité chargée du PCRS, pour "
            "faciliter sa mise à jour.\n"
            "\n"
            "## Tableau de synthèse\n"
            "\n"
            "| Donnée échangée | Format recommandé | Observation |\n"
            "|---|---|---|\n"
            "| Fond de plan | PCRS vecteur ou image | Fourni par l'autorité locale compétente |\n"
            "| Réseau existant | Géostandard du réseau concerné | Précision renseignée par tronçon "
            "|\n"
            "| Récolement de travaux | Géostandard + plan PDF signé | Transmis sous trois mois |\n"
            "\n"
            "## Mise en œuvre\n"
            "\n"
            "Plusieurs collectivités ont intégré ces recommandations dans leurs règlements de "
            "voirie. Les exploitants rencontrent surtout des difficultés avec leurs prestataires, "
            "qui doivent adapter leurs outils ; un délai de transition d'un an est donc conseillé."
        ),
        "links": [
            {
                "title": "Conseil national de l'information géolocalisée",
                "url": "https://cnig.gouv.fr",
            },
        ],
    },
    {
        "key": "idf-ia-bati-evaluation",
        "title": "Détection automatique du bâti par IA : un protocole d'évaluation commun",
        "summary": (
            "Projet de protocole pour évaluer de manière comparable les modèles d'intelligence "
            "artificielle qui détectent les bâtiments sur imagerie aérienne : jeux de test, "
            "métriques, seuils et présentation des résultats."
        ),
        "kind": "document",
        "ctd": "ile-de-france",
        "terms": ["intelligence-artificielle", "referentiel-de-donnees"],
        "status": "draft",
        "featured": False,
        "published_at": None,
        "body": (
            "## Pourquoi un protocole commun\n"
            "\n"
            "Plusieurs collectivités de la région testent des modèles d'intelligence artificielle "
            "pour repérer les constructions nouvelles ou non déclarées, mettre à jour leurs bases "
            "de bâtiments ou suivre l'artificialisation. Chaque équipe annonce des performances, "
            "mais calculées sur des zones et avec des métriques différentes. Il est impossible de "
            "comparer les résultats ou de savoir si un modèle fonctionnera ailleurs.\n"
            "\n"
            "## Principes proposés\n"
            "\n"
            "- Des **zones de test communes**, représentatives : centre ancien, grand ensemble, "
            "pavillonnaire, zone d'activités, espace agricole.\n"
            "- Une **vérité terrain** établie à partir du référentiel national du bâti, corrigée "
            "manuellement sur les zones de test.\n"
            "- Des **métriques identiques** : précision, rappel, F1 et intersection sur union, "
            "calculées à l'objet et à la surface.\n"
            "- Une **présentation normalisée** des résultats, avec les cas d'échec illustrés.\n"
            "\n"
            "## Seuils indicatifs\n"
            "\n"
            "| Usage | Métrique principale | Seuil proposé |\n"
            "|---|---|---|\n"
            "| Repérage de constructions nouvelles | Rappel | 90 % |\n"
            "| Mise à jour d'un référentiel | Précision | 95 % |\n"
            "| Statistiques d'artificialisation | F1 à la surface | 85 % |\n"
            "\n"
            "## Questions en suspens\n"
            "\n"
            "- Qui héberge les zones de test et en garantit la mise à jour ?\n"
            "- Faut-il publier les résultats nominatifs des prestataires évalués ?\n"
            "- Comment traiter l'usage des détections à des fins de contrôle fiscal, qui soulève "
            "des questions juridiques spécifiques ?\n"
            "\n"
            "Ce brouillon sera relu par le groupe de travail avant toute diffusion."
        ),
        "links": [],
    },
    {
        "key": "hdf-ortho-groupement-commandes",
        "title": (
            "Orthophotographie régionale : organiser un groupement de commandes entre départements"
        ),
        "summary": (
            "Comment la Région, les cinq départements et plusieurs agglomérations des "
            "Hauts-de-France ont monté un groupement de commandes pour leur orthophotographie, "
            "avec un modèle de convention réutilisable."
        ),
        "kind": "bonne-pratique",
        "ctd": "hauts-de-france",
        "terms": ["mutualisation", "donnee-geographique"],
        "status": "published",
        "featured": False,
        "published_at": "2025-06-03",
        "body": (
            "## Pourquoi un groupement de commandes\n"
            "\n"
            "Plusieurs partenaires achetaient chacun une orthophotographie, à des dates et des "
            "résolutions différentes. Le groupement de commandes, prévu par le code de la commande "
            "publique, permet de passer un seul marché tout en laissant chaque membre payer sa "
            "part. Il offre aussi un prix unitaire plus bas et une image homogène sur tout le "
            "territoire.\n"
            "\n"
            "## Organisation retenue\n"
            "\n"
            "- **Un coordonnateur**, la Région, qui prépare la consultation, attribue et notifie "
            "le marché.\n"
            "- **Des membres** qui signent la convention constitutive et précisent leurs besoins : "
            "zone, résolution, bandes spectrales, délais.\n"
            "- **Un comité technique** qui rédige le cahier des charges et assure la réception des "
            "livrables, zone par zone.\n"
            "- **Une diffusion sous licence ouverte** des images à 20 cm, décidée dès la "
            "convention.\n"
            "\n"
            "## Calendrier type\n"
            "\n"
            "| Étape | Durée indicative |\n"
            "|---|---|\n"
            "| Recensement des besoins et convention | 4 mois |\n"
            "| Consultation et attribution | 4 mois |\n"
            "| Prises de vue | Printemps, selon la météo |\n"
            "| Production et contrôles | 6 à 9 mois |\n"
            "\n"
            "## Conseils\n"
            "\n"
            "- Lancer la convention au moins dix-huit mois avant la saison de prise de vue "
            "souhaitée.\n"
            "- Articuler le projet avec la programmation nationale de l'IGN pour éviter les "
            "doublons et partager les coûts.\n"
            "- Prévoir un contrôle qualité par un membre qui n'est pas le coordonnateur.\n"
            "- Rédiger la clé de répartition en fonction des surfaces et des options choisies par "
            "chacun, pas au prorata de la population.\n"
            "\n"
            "Le modèle de convention joint peut être adapté à d'autres acquisitions mutualisées : "
            "LiDAR, imagerie infrarouge, levés de terrain."
        ),
        "links": [
            {"title": "Géoservices de l'IGN", "url": "https://geoservices.ign.fr"},
        ],
        "attachment": {
            "format": "odt",
            "name": "Modèle convention groupement de commandes ortho.odt",
            "paragraphs": [
                (
                    "Entre les soussignés, membres du groupement, il est convenu de constituer un "
                    "groupement de commandes conformément aux dispositions du code de la commande "
                    "publique, en vue de la passation d'un marché d'acquisition "
                    "d'orthophotographies aériennes couvrant le territoire régional. La présente "
                    "convention définit les modalités de fonctionnement du groupement et les "
                    "engagements de chacun de ses membres."
                ),
                (
                    "Le coordonnateur du groupement est la Région. Il est chargé de recenser les "
                    "besoins des membres, de rédiger les pièces de la consultation en lien avec le "
                    "comité technique, d'organiser la procédure de passation, de signer et de "
                    "notifier le marché. Chaque membre reste responsable de la bonne exécution du "
                    "marché pour la partie qui le concerne, notamment du paiement de sa quote-part."
                ),
                (
                    "Le comité technique réunit un représentant de chaque membre. Il valide le "
                    "cahier des charges, suit l'avancement des prises de vue et procède à la "
                    "réception des livrables. Les contrôles de qualité portent sur la précision "
                    "géométrique, la radiométrie, les raccords entre bandes et l'absence de "
                    "nuages. Un membre autre que le coordonnateur assure le contrôle "
                    "contradictoire de chaque lot."
                ),
                (
                    "Le coût du marché est réparti entre les membres selon la clé annexée à la "
                    "présente convention, calculée à partir des surfaces couvertes et des options "
                    "retenues par chacun. Les frais de coordination sont supportés par le "
                    "coordonnateur. Les images produites sont diffusées sous licence ouverte, à "
                    "l'exception des options spécifiques commandées par un seul membre qui en fixe "
                    "les conditions."
                ),
                (
                    "La convention prend effet à sa signature par l'ensemble des membres et prend "
                    "fin à l'expiration du délai de garantie du marché. Un membre peut se retirer "
                    "avant le lancement de la consultation ; après cette date, son retrait est "
                    "subordonné à l'accord des autres membres. Les litiges sont soumis à une "
                    "tentative de règlement amiable avant toute action contentieuse."
                ),
            ],
        },
    },
    {
        "key": "hdf-jumeau-inondation",
        "title": (
            "Jumeau numérique et risque inondation : simuler les crues d'un bassin versant côtier"
        ),
        "summary": (
            "Un établissement public de bassin et deux intercommunalités ont construit un jumeau "
            "numérique hydraulique pour simuler les crues et la submersion à l'embouchure d'un "
            "fleuve côtier et préparer la gestion de crise."
        ),
        "kind": "retour-experience",
        "ctd": "hauts-de-france",
        "terms": ["jumeau-numerique-de-territoire", "donnee-territoriale"],
        "status": "published",
        "featured": False,
        "published_at": "2026-09-24",
        "body": (
            "## Un territoire exposé à plusieurs aléas\n"
            "\n"
            "Dans la basse vallée, les crues du fleuve peuvent coïncider avec de fortes marées et "
            "des vents de tempête. Les inondations de l'hiver 2023-2024 ont montré que les cartes "
            "réglementaires ne suffisaient pas à anticiper les secteurs réellement touchés. Les "
            "collectivités ont souhaité un outil capable de simuler des scénarios combinés et d'en "
            "montrer les effets rue par rue.\n"
            "\n"
            "## Le dispositif\n"
            "\n"
            "- Un modèle hydraulique couplant le fleuve, ses affluents et le niveau marin, calé "
            "sur les crues historiques.\n"
            "- Une représentation 3D du terrain et du bâti à partir du LiDAR HD, complétée par les "
            "ouvrages de protection et les réseaux de fossés.\n"
            "- Les enjeux : logements, établissements sensibles, routes d'évacuation, postes "
            "électriques.\n"
            "- Une interface qui affiche, pour chaque scénario, les hauteurs d'eau et les enjeux "
            "touchés heure par heure.\n"
            "\n"
            "## Premiers usages\n"
            "\n"
            "| Usage | Utilisateurs |\n"
            "|---|---|\n"
            "| Préparation des plans communaux de sauvegarde | Communes |\n"
            "| Priorisation des travaux sur les digues et les fossés | Intercommunalités |\n"
            "| Exercice de gestion de crise | Préfecture, secours, communes |\n"
            "\n"
            "## Limites\n"
            "\n"
            "Le jumeau ne remplace pas la prévision officielle des crues. Sa précision dépend de "
            "la connaissance des ouvrages, encore incomplète pour les fossés privés. Les temps de "
            "calcul restent longs pour les scénarios les plus fins.\n"
            "\n"
            "## Ce que nous recommandons\n"
            "\n"
            "- Associer dès le départ les services de prévision et de secours.\n"
            "- Documenter chaque hypothèse de calcul et la rendre accessible.\n"
            "- Publier les couches d'enjeux et de terrain en données ouvertes pour que d'autres "
            "acteurs puissent les réutiliser."
        ),
        "links": [
            {"title": "Géorisques", "url": "https://www.georisques.gouv.fr"},
        ],
    },
    {
        "key": "hdf-cadastre-observatoire-foncier",
        "title": (
            "Fiabiliser les données cadastrales et foncières pour un observatoire départemental"
        ),
        "summary": (
            "Projet de guide pour préparer les données cadastrales et les fichiers fonciers avant "
            "leur intégration dans un observatoire du foncier partagé : contrôles, traitements, "
            "règles d'accès et documentation."
        ),
        "kind": "bonne-pratique",
        "ctd": "hauts-de-france",
        "terms": ["donnee-geographique", "plateforme-de-donnees"],
        "status": "draft",
        "featured": False,
        "published_at": None,
        "body": (
            "## Contexte\n"
            "\n"
            "Un département et ses intercommunalités veulent mettre en place un observatoire du "
            "foncier pour suivre la consommation d'espace, la vacance et les mutations. Les "
            "données de base existent : plan cadastral, fichiers fonciers, demandes de valeurs "
            "foncières. Mais leur préparation demande des compétences et du temps que toutes les "
            "intercommunalités n'ont pas.\n"
            "\n"
            "## Contrôles à réaliser avant intégration\n"
            "\n"
            "- Vérifier le millésime et la complétude des fichiers fonciers pour chaque commune.\n"
            "- Contrôler les géométries du plan cadastral : parcelles en double, trous, décalages "
            "aux limites communales.\n"
            "- Repérer les locaux sans parcelle et les parcelles sans propriétaire identifié.\n"
            "- Comparer les surfaces déclarées aux surfaces calculées pour détecter les anomalies "
            "importantes.\n"
            "\n"
            "## Règles d'accès\n"
            "\n"
            "Les fichiers fonciers contiennent des informations personnelles. Leur accès est "
            "réservé aux ayants droit, dans le cadre d'un acte d'engagement, et leur diffusion "
            "doit rester agrégée. La plateforme de données de l'observatoire distinguera :\n"
            "\n"
            "- un espace public avec des indicateurs agrégés à la commune ;\n"
            "- un espace réservé aux agents habilités, avec les données à la parcelle ;\n"
            "- un registre des accès et des traitements.\n"
            "\n"
            "## Documentation attendue\n"
            "\n"
            "Chaque indicateur sera accompagné d'une fiche décrivant la source, le mode de calcul, "
            "les limites connues et la date de mise à jour.\n"
            "\n"
            "## À compléter\n"
            "\n"
            "- Le rôle exact de l'agence d'urbanisme dans les traitements.\n"
            "- La fréquence de mise à jour des indicateurs publics.\n"
            "- Les modalités de retour des anomalies repérées vers les services fiscaux."
        ),
        "links": [],
    },
    {
        "key": "hdf-formation-elus",
        "title": (
            "Former les élus et les secrétaires de mairie à la donnée : un cycle de quatre "
            "demi-journées"
        ),
        "summary": (
            "Un cycle de formation conçu par le CTD et un centre de gestion pour aider élus et "
            "secrétaires de mairie à comprendre les enjeux de la donnée locale : adresse, "
            "urbanisme, ouverture, protection des données."
        ),
        "kind": "bonne-pratique",
        "ctd": "hauts-de-france",
        "terms": ["donnee-territoriale", "comite-territorial-de-la-donnee"],
        "status": "published",
        "featured": False,
        "published_at": "2024-10-15",
        "body": (
            "## Le constat\n"
            "\n"
            "Dans les petites communes, les décisions sur la donnée reposent sur quelques "
            "personnes : le maire, un adjoint, la secrétaire de mairie. Ils sont sollicités pour "
            "l'adresse, le document d'urbanisme, l'ouverture des données ou la protection des "
            "données personnelles, souvent sans formation. Le CTD a conçu avec un centre de "
            "gestion un cycle court, gratuit et délocalisé.\n"
            "\n"
            "## Le programme\n"
            "\n"
            "1. **La donnée, une ressource de la commune** : ce que la commune produit, ce qu'elle "
            "reçoit, ce qu'elle doit publier.\n"
            "2. **L'adresse** : obligations, Base Adresse Locale, lien avec la fibre et les "
            "secours.\n"
            "3. **Urbanisme et Géoportail** : publier son document d'urbanisme, consulter les "
            "servitudes.\n"
            "4. **Ouvrir et protéger** : données ouvertes, données personnelles, rôle du délégué à "
            "la protection des données.\n"
            "\n"
            "## Format\n"
            "\n"
            "- Quatre demi-journées espacées d'un mois, dans une commune différente à chaque "
            "session.\n"
            "- Des groupes de quinze personnes au plus, mêlant élus et agents.\n"
            "- Des exercices sur les données réelles de leur commune, préparées à l'avance.\n"
            "\n"
            "## Résultats après deux sessions\n"
            "\n"
            "| Indicateur | Valeur |\n"
            "|---|---|\n"
            "| Participants | 184 |\n"
            "| Communes représentées | 121 |\n"
            "| Communes ayant publié une BAL dans les six mois | 37 |\n"
            "| Satisfaction globale | 4,6 sur 5 |\n"
            "\n"
            "## Pour reproduire le cycle\n"
            "\n"
            "Les supports sont disponibles auprès du CTD. Le principal facteur de réussite est la "
            "proximité : se déplacer au plus près des communes et partir de leurs propres données."
        ),
        "links": [
            {"title": "Base Adresse Nationale", "url": "https://adresse.data.gouv.fr"},
        ],
    },
    {
        "key": "normandie-trait-de-cote-lidar",
        "title": "Suivre l'évolution du trait de côte normand par levés LiDAR répétés",
        "summary": (
            "Retour d'expérience d'un réseau d'observation du littoral qui mutualise levés LiDAR "
            "aéroportés, relevés de terrain et imagerie pour mesurer le recul des falaises et "
            "l'évolution des plages."
        ),
        "kind": "retour-experience",
        "ctd": "normandie",
        "terms": ["donnee-geographique", "mutualisation"],
        "status": "published",
        "featured": False,
        "published_at": "2025-03-27",
        "body": (
            "## Un littoral en mouvement\n"
            "\n"
            "Les falaises de craie reculent par effondrements successifs, tandis que certaines "
            "plages s'érodent et d'autres s'engraissent. Pour les communes qui doivent élaborer "
            "des cartes locales d'exposition au recul du trait de côte, une mesure précise et "
            "répétée est indispensable.\n"
            "\n"
            "## Le dispositif mutualisé\n"
            "\n"
            "- Des levés LiDAR aéroportés tous les trois ans sur l'ensemble du linéaire côtier, "
            "financés conjointement par la Région, l'État et les intercommunalités littorales.\n"
            "- Des levés complémentaires après chaque tempête majeure, sur les secteurs les plus "
            "sensibles.\n"
            "- Des profils de plage mesurés au GPS par des équipes universitaires et des agents "
            "communaux.\n"
            "- Une base de données commune, accessible à tous les partenaires.\n"
            "\n"
            "## Ce que permettent les données\n"
            "\n"
            "| Analyse | Résultat type |\n"
            "|---|---|\n"
            "| Différence entre deux modèles numériques | Volumes effondrés par secteur |\n"
            "| Position du sommet de falaise | Recul moyen annuel |\n"
            "| Profils de plage répétés | Tendance érosion ou accrétion |\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "La répétition des levés avec le même cahier des charges est plus importante que la "
            "précision de chaque levé pris isolément. La mutualisation a permis de garantir cette "
            "continuité malgré les changements de prestataires. Le partage des traitements, sous "
            "forme de scripts documentés, a évité que chaque intercommunalité refasse les mêmes "
            "calculs.\n"
            "\n"
            "## Points d'attention\n"
            "\n"
            "- Les zones de végétation dense en pied de falaise restent difficiles à interpréter.\n"
            "- Les données doivent être accompagnées d'explications pour être utilisées en "
            "concertation publique.\n"
            "- La diffusion ouverte des résultats a suscité des inquiétudes de propriétaires, "
            "qu'il a fallu accompagner."
        ),
        "links": [
            {"title": "Cerema", "url": "https://www.cerema.fr"},
        ],
    },
    {
        "key": "normandie-plateforme-refonte",
        "title": (
            "Refondre une plateforme régionale de données : cahier des charges et premiers retours"
        ),
        "summary": (
            "Le cahier des charges rédigé pour remplacer la plateforme régionale de données "
            "géographiques et ouvertes, avec les choix structurants : logiciels libres, "
            "moissonnage, catalogue unique et services aux petites collectivités."
        ),
        "kind": "document",
        "ctd": "normandie",
        "terms": ["plateforme-de-donnees", "donnee-ouverte"],
        "status": "submitted",
        "featured": False,
        "published_at": None,
        "body": (
            "## Pourquoi refondre\n"
            "\n"
            "La plateforme régionale avait été construite il y a dix ans pour diffuser des données "
            "géographiques. Elle ne répondait plus aux besoins : catalogue difficile à parcourir, "
            "absence de données non géographiques, outils de visualisation vieillissants et coûts "
            "de maintenance élevés. Le CTD a conduit une consultation des utilisateurs avant de "
            "rédiger un nouveau cahier des charges.\n"
            "\n"
            "## Choix structurants\n"
            "\n"
            "- **Un catalogue unique** pour les données géographiques et non géographiques, "
            "moissonné par le portail national.\n"
            "- **Des logiciels libres** éprouvés, pour mutualiser les développements avec d'autres "
            "plateformes.\n"
            "- **Des services pour les petites collectivités** : publication simplifiée, "
            "validation selon les schémas nationaux, visualisation cartographique sans compétence "
            "SIG.\n"
            "- **Des services web conformes à INSPIRE** pour les données qui y sont soumises.\n"
            "\n"
            "## Attentes des utilisateurs\n"
            "\n"
            "| Profil | Attente principale |\n"
            "|---|---|\n"
            "| Communes rurales | Publier sans outil ni compétence technique |\n"
            "| Intercommunalités | Moissonner leur propre catalogue |\n"
            "| Services de l'État | Retrouver les données réglementaires à jour |\n"
            "| Bureaux d'études | Télécharger facilement des données fiables |\n"
            "\n"
            "## Premiers retours\n"
            "\n"
            "Le marché a été attribué et la nouvelle plateforme est en cours de déploiement. La "
            "migration des métadonnées existantes s'est révélée plus longue que prévu : près d'un "
            "quart des fiches étaient incomplètes ou obsolètes. Elles ont été revues avec les "
            "producteurs.\n"
            "\n"
            "## Document joint\n"
            "\n"
            "Le cahier des charges technique est joint dans une version anonymisée, sans les "
            "éléments financiers."
        ),
        "links": [
            {
                "title": "Plateforme ouverte des données publiques françaises",
                "url": "https://www.data.gouv.fr",
            },
            {"title": "Directive INSPIRE", "url": "https://inspire.ec.europa.eu"},
        ],
        "attachment": {
            "format": "docx",
            "name": "CCTP plateforme régionale de données.docx",
            "paragraphs": [
                (
                    "Le présent cahier des clauses techniques particulières décrit les prestations "
                    "attendues pour la mise en place, l'hébergement et la maintenance de la "
                    "plateforme régionale de données. Cette plateforme remplace l'infrastructure "
                    "actuelle de diffusion des données géographiques et étend son périmètre à "
                    "l'ensemble des données territoriales, géographiques ou non, produites par les "
                    "partenaires du comité territorial de la donnée."
                ),
                (
                    "La plateforme comprend un catalogue unique de métadonnées, un service de "
                    "publication de jeux de données, des services web de consultation et de "
                    "téléchargement, un outil de visualisation cartographique et un espace "
                    "d'administration pour chaque organisation partenaire. Elle repose sur des "
                    "logiciels libres largement utilisés par d'autres infrastructures publiques, "
                    "afin de faciliter la mutualisation des développements."
                ),
                (
                    "Le catalogue doit pouvoir être moissonné par le portail national des données "
                    "ouvertes et par le géocatalogue national. Les métadonnées respectent les "
                    "profils en vigueur. Les jeux de données conformes à un schéma national sont "
                    "validés automatiquement lors de leur dépôt, et les erreurs sont présentées au "
                    "producteur dans un langage compréhensible par un non-spécialiste."
                ),
                (
                    "Un parcours simplifié est prévu pour les petites collectivités : dépôt d'un "
                    "fichier tableur, choix d'une licence, rédaction guidée des métadonnées et "
                    "publication en moins de quinze minutes. Le titulaire propose des supports de "
                    "formation et assure, pendant la première année, une permanence téléphonique à "
                    "destination des producteurs."
                ),
                (
                    "Le titulaire assure la reprise des données et des métadonnées de la "
                    "plateforme actuelle. Il fournit un rapport d'analyse de l'existant, propose "
                    "une correspondance des champs et signale les fiches incomplètes. La bascule "
                    "vers la nouvelle plateforme ne peut intervenir qu'après validation de la "
                    "reprise par le comité de pilotage et maintien des adresses des principaux "
                    "services web."
                ),
            ],
        },
    },
    {
        "key": "normandie-eclairage-public-sde",
        "title": "Cartographier l'éclairage public avec un syndicat départemental d'énergie",
        "summary": (
            "Comment un syndicat départemental d'énergie a constitué, avec les communes "
            "adhérentes, un inventaire géolocalisé des points lumineux pour planifier la "
            "rénovation, réduire les consommations et répondre aux déclarations de travaux."
        ),
        "kind": "bonne-pratique",
        "ctd": "normandie",
        "terms": ["mutualisation", "donnee-geolocalisee"],
        "status": "published",
        "featured": False,
        "published_at": "2026-10-08",
        "body": (
            "## Le besoin\n"
            "\n"
            "Le syndicat exerce la compétence éclairage public pour plus de quatre cents communes. "
            "Ses connaissances reposaient sur des plans papier et sur la mémoire des entreprises "
            "de maintenance. Pour programmer la rénovation du parc et le passage aux lampes à "
            "diodes, il fallait savoir précisément où se trouvaient les points lumineux, les "
            "armoires de commande et les câbles.\n"
            "\n"
            "## La méthode\n"
            "\n"
            "- **Relevé de terrain** de chaque point lumineux et armoire, avec photographie, type "
            "de lampe, puissance et état du support.\n"
            "- **Détection des câbles souterrains** lors des travaux, avec géoréférencement selon "
            "la classe de précision requise pour les déclarations de travaux.\n"
            "- **Saisie dans un outil partagé**, accessible aux communes, aux entreprises de "
            "maintenance et au syndicat.\n"
            "- **Calage sur le PCRS** là où il existe, pour que les données soient cohérentes avec "
            "celles des autres réseaux.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Indicateur | Valeur |\n"
            "|---|---|\n"
            "| Points lumineux inventoriés | 68 400 |\n"
            "| Armoires de commande | 2 950 |\n"
            "| Part du parc équipée de diodes | de 22 % à 57 % en quatre ans |\n"
            "| Baisse des consommations d'éclairage | environ 40 % |\n"
            "\n"
            "## Ce qui fait la différence\n"
            "\n"
            "- Un inventaire unique pour toutes les communes, plutôt qu'un outil par commune.\n"
            "- La mise à jour intégrée aux contrats de maintenance : chaque intervention met à "
            "jour la base.\n"
            "- Des restitutions simples pour les élus : carte de la commune, consommation, "
            "programme de travaux.\n"
            "\n"
            "## Pour aller plus loin\n"
            "\n"
            "Le syndicat envisage de publier une version simplifiée de l'inventaire, sans les "
            "informations sensibles, pour les études de trame noire menées avec les parcs naturels "
            "régionaux."
        ),
        "links": [],
    },
    {
        "key": "grandest-sup-standard",
        "title": (
            "Servitudes d'utilité publique : numériser au standard CNIG et publier sur le "
            "Géoportail de l'urbanisme"
        ),
        "summary": (
            "Les méthodes d'une DREAL et des directions départementales des territoires pour "
            "numériser les servitudes d'utilité publique au standard CNIG, coordonner les "
            "gestionnaires et suivre leur publication sur le Géoportail de l'urbanisme."
        ),
        "kind": "bonne-pratique",
        "ctd": "grand-est",
        "terms": ["standard-de-donnees", "donnee-ouverte"],
        "status": "published",
        "featured": False,
        "published_at": "2024-07-09",
        "body": (
            "## Pourquoi c'est important\n"
            "\n"
            "Les servitudes d'utilité publique (SUP) limitent l'usage du sol : protection des "
            "monuments historiques, captages d'eau potable, lignes électriques, canalisations de "
            "gaz, plans de prévention des risques. Elles s'imposent aux autorisations d'urbanisme. "
            "Leur publication numérique sur le Géoportail de l'urbanisme permet à chacun de les "
            "connaître, mais de nombreuses servitudes n'y figurent pas encore.\n"
            "\n"
            "## Qui fait quoi\n"
            "\n"
            "- **Le gestionnaire de la servitude** (service de l'État, opérateur, collectivité) "
            "est responsable de sa numérisation et de sa publication.\n"
            "- **Les directions départementales des territoires** recensent les servitudes, "
            "relancent les gestionnaires et vérifient la cohérence avec les documents "
            "d'urbanisme.\n"
            "- **Le CTD** anime un groupe de travail régional et partage les outils.\n"
            "\n"
            "## Bonnes pratiques\n"
            "\n"
            "1. Dresser un inventaire des catégories de servitudes par département, avec le "
            "gestionnaire identifié pour chacune.\n"
            "2. Numériser à partir de l'acte instituant la servitude, en conservant sa référence.\n"
            "3. Respecter le standard CNIG des SUP et passer le validateur avant chaque dépôt.\n"
            "4. Prioriser les servitudes les plus consultées lors de l'instruction : monuments "
            "historiques, captages, risques.\n"
            "5. Suivre l'avancement dans un tableau de bord partagé.\n"
            "\n"
            "## Avancement\n"
            "\n"
            "| Catégorie | Part publiée début 2024 | Part publiée mi-2024 |\n"
            "|---|---|---|\n"
            "| Monuments historiques | 60 % | 85 % |\n"
            "| Captages d'eau potable | 35 % | 55 % |\n"
            "| Plans de prévention des risques | 70 % | 90 % |\n"
            "\n"
            "## Difficultés persistantes\n"
            "\n"
            "Les actes anciens sont parfois imprécis ou introuvables. Dans ce cas, la numérisation "
            "doit signaler clairement l'incertitude plutôt que de dessiner une limite fausse."
        ),
        "links": [
            {
                "title": "Géoportail de l'urbanisme",
                "url": "https://www.geoportail-urbanisme.gouv.fr",
            },
            {
                "title": "Conseil national de l'information géolocalisée",
                "url": "https://cnig.gouv.fr",
            },
        ],
    },
    {
        "key": "grandest-espace-commun-transfrontalier",
        "title": (
            "Espace commun de données transfrontalier : premiers travaux avec les régions voisines"
        ),
        "summary": (
            "Premiers pas d'un espace commun de données entre collectivités françaises et "
            "partenaires allemands, luxembourgeois et belges pour harmoniser données de mobilité, "
            "d'aménagement et d'environnement dans les bassins de vie frontaliers."
        ),
        "kind": "retour-experience",
        "ctd": "grand-est",
        "terms": ["espace-commun-de-donnees", "donnee-territoriale"],
        "status": "submitted",
        "featured": False,
        "published_at": None,
        "body": (
            "## Un territoire vécu au-delà des frontières\n"
            "\n"
            "Chaque jour, des dizaines de milliers de personnes franchissent la frontière pour "
            "travailler. Les questions de mobilité, de logement ou d'environnement se posent à "
            "l'échelle de bassins de vie partagés, mais les données s'arrêtent à la frontière : "
            "nomenclatures différentes, systèmes de coordonnées différents, licences "
            "incompatibles.\n"
            "\n"
            "## Ce que nous avons engagé\n"
            "\n"
            "- Un inventaire des données disponibles de part et d'autre, sur trois thèmes : "
            "déplacements domicile-travail, occupation du sol, qualité de l'air.\n"
            "- Des tables de correspondance entre nomenclatures, discutées avec les producteurs de "
            "chaque pays.\n"
            "- Un catalogue commun, qui renvoie vers les plateformes de chaque partenaire sans "
            "recopier les données.\n"
            "- Une charte de partage, en trois langues, qui précise les conditions d'usage.\n"
            "\n"
            "## Ce qui a été plus simple que prévu\n"
            "\n"
            "La directive INSPIRE a fourni une base commune : de nombreuses données de référence "
            "étaient déjà décrites et diffusées selon des règles proches. Les services de "
            "consultation cartographique ont pu être combinés rapidement.\n"
            "\n"
            "## Ce qui reste difficile\n"
            "\n"
            "- Les données statistiques, produites selon des découpages et des définitions "
            "différents.\n"
            "- Les licences : certaines données gratuites d'un côté sont payantes de l'autre.\n"
            "- La langue des métadonnées et la traduction des nomenclatures.\n"
            "\n"
            "## Prochaines étapes\n"
            "\n"
            "Les partenaires veulent produire un premier indicateur commun sur les déplacements "
            "transfrontaliers, publié en données ouvertes, pour démontrer l'intérêt de la démarche."
        ),
        "links": [
            {"title": "Directive INSPIRE", "url": "https://inspire.ec.europa.eu"},
        ],
    },
    {
        "key": "grandest-feuille-de-route-bilan",
        "title": "Bilan à mi-parcours de la feuille de route régionale de la donnée",
        "summary": (
            "Bilan à mi-parcours de la feuille de route du CTD Grand Est : avancement des quatorze "
            "actions, indicateurs, difficultés rencontrées et ajustements proposés pour les deux "
            "dernières années."
        ),
        "kind": "document",
        "ctd": "grand-est",
        "terms": ["feuille-de-route-territoriale", "comite-territorial-de-la-donnee"],
        "status": "published",
        "featured": False,
        "published_at": "2025-11-13",
        "body": (
            "## Rappel\n"
            "\n"
            "La feuille de route adoptée en séance plénière comptait quatorze actions réparties en "
            "quatre axes : référentiels, transition écologique, ouverture des données et "
            "compétences. À mi-parcours, le comité de pilotage a souhaité un bilan partagé avant "
            "d'ajuster les priorités.\n"
            "\n"
            "## Avancement des actions\n"
            "\n"
            "| Axe | Actions | Terminées | En cours | Non engagées |\n"
            "|---|---|---|---|---|\n"
            "| Référentiels | 4 | 2 | 2 | 0 |\n"
            "| Transition écologique | 4 | 1 | 2 | 1 |\n"
            "| Ouverture des données | 3 | 1 | 2 | 0 |\n"
            "| Compétences | 3 | 2 | 0 | 1 |\n"
            "\n"
            "## Réussites\n"
            "\n"
            "- La couverture en Bases Adresses Locales a fortement progressé grâce au réseau des "
            "intercommunalités.\n"
            "- Le PCRS couvre désormais la majorité des zones urbaines.\n"
            "- Le programme de formation a touché plus de 500 agents.\n"
            "\n"
            "## Difficultés\n"
            "\n"
            "- Les actions liées à l'énergie ont pâti du départ de leur pilote, non remplacé.\n"
            "- La participation des petites intercommunalités reste faible.\n"
            "- Les indicateurs prévus étaient parfois impossibles à calculer faute de données.\n"
            "\n"
            "## Ajustements proposés\n"
            "\n"
            "1. Regrouper les actions de l'axe transition écologique autour de deux priorités : "
            "sobriété foncière et eau.\n"
            "2. Désigner un binôme de pilotes pour chaque action, afin de limiter l'effet d'un "
            "départ.\n"
            "3. Simplifier les indicateurs et les calculer chaque année.\n"
            "4. Organiser les réunions techniques dans les départements, pas seulement au "
            "chef-lieu de région.\n"
            "\n"
            "Le rapport complet, joint, détaille chaque action avec son pilote, son budget et ses "
            "résultats."
        ),
        "links": [],
        "attachment": {
            "format": "pdf",
            "name": "Bilan mi-parcours feuille de route Grand Est.pdf",
            "paragraphs": [
                (
                    "Ce rapport dresse le bilan de la feuille de route régionale de la donnée à "
                    "mi-parcours. Il a été établi par l'équipe d'animation du comité territorial "
                    "de la donnée à partir des fiches de suivi renseignées par les pilotes "
                    "d'action et d'entretiens avec une trentaine de partenaires. Il a été présenté "
                    "au comité de pilotage puis en séance plénière."
                ),
                (
                    "Sur les quatorze actions prévues, six sont terminées, six sont en cours et "
                    "deux n'ont pas été engagées. Les actions les plus avancées sont celles qui "
                    "disposaient d'un pilote identifié, d'un budget dédié et d'un calendrier "
                    "réaliste. À l'inverse, les actions formulées de manière trop générale, sans "
                    "livrable précis, ont peu progressé malgré l'intérêt des partenaires."
                ),
                (
                    "L'axe consacré aux référentiels est le plus abouti. La progression des Bases "
                    "Adresses Locales et la couverture du plan de corps de rue simplifié sur les "
                    "zones urbaines témoignent de l'efficacité de la mutualisation lorsque les "
                    "obligations réglementaires et l'intérêt des partenaires convergent. La mise à "
                    "jour de ces référentiels devient désormais l'enjeu principal."
                ),
                (
                    "La participation reste inégale. Les grandes collectivités et les services de "
                    "l'État sont présents à chaque réunion, alors que les petites "
                    "intercommunalités participent rarement, faute de temps et parce que les "
                    "réunions se tiennent loin de chez elles. Le rapport propose d'organiser des "
                    "rencontres techniques dans chaque département et de proposer systématiquement "
                    "une participation à distance."
                ),
                (
                    "Pour les deux dernières années, le comité de pilotage retient quatre "
                    "ajustements : recentrer l'axe transition écologique sur la sobriété foncière "
                    "et l'eau, nommer un binôme de pilotes par action, simplifier les indicateurs "
                    "et décentraliser l'animation. Un nouveau bilan sera présenté à l'échéance de "
                    "la feuille de route et servira de base à la suivante."
                ),
            ],
        },
    },
    {
        "key": "grandest-bal-intercommunale",
        "title": "Mutualiser la Base Adresse Locale à l'échelle intercommunale",
        "summary": (
            "Une communauté de communes rurale gère les Bases Adresses Locales de ses "
            "quarante-cinq communes membres par convention, avec un agent dédié et une procédure "
            "de mise à jour liée aux autorisations d'urbanisme."
        ),
        "kind": "retour-experience",
        "ctd": "grand-est",
        "terms": ["referentiel-de-donnees", "mutualisation"],
        "status": "published",
        "featured": False,
        "published_at": "2026-10-21",
        "body": (
            "## Le choix de l'intercommunalité\n"
            "\n"
            "L'adresse reste une compétence communale, mais la plupart des communes membres "
            "n'avaient ni le temps ni les outils pour tenir une Base Adresse Locale. La communauté "
            "de communes instruisait déjà les autorisations d'urbanisme : elle était donc la "
            "première informée des nouvelles constructions. Elle a proposé de gérer les bases pour "
            "le compte des communes.\n"
            "\n"
            "## Le cadre\n"
            "\n"
            "- Une **convention** entre chaque commune et l'intercommunalité, qui rappelle que le "
            "maire reste décisionnaire.\n"
            "- Une **délégation technique** permettant à l'agent intercommunal de saisir et "
            "publier la base.\n"
            "- Une **validation** par la commune pour toute création ou modification de nom de "
            "voie.\n"
            "\n"
            "## La procédure de mise à jour\n"
            "\n"
            "1. À chaque permis de construire accordé, le service instructeur signale la future "
            "construction.\n"
            "2. L'agent propose un numéro, validé par la mairie.\n"
            "3. La base est mise à jour et publiée, puis le pétitionnaire reçoit un courrier avec "
            "son adresse.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Indicateur | Avant | Deux ans après |\n"
            "|---|---|---|\n"
            "| Communes avec une BAL publiée | 9 | 45 |\n"
            "| Adresses certifiées | 48 % | 97 % |\n"
            "| Délai moyen d'attribution d'une adresse | plusieurs mois | 10 jours |\n"
            "\n"
            "## Ce qu'il faut prévoir\n"
            "\n"
            "- Environ un mi-temps d'agent pour un territoire de cette taille, puis un quart de "
            "temps en régime de croisière.\n"
            "- Des échanges réguliers avec les services de secours, la Poste et les opérateurs de "
            "fibre, principaux utilisateurs.\n"
            "- Une attention particulière aux voies situées à la limite de deux communes, sources "
            "fréquentes d'incohérences."
        ),
        "links": [
            {"title": "Base Adresse Nationale", "url": "https://adresse.data.gouv.fr"},
        ],
    },
    {
        "key": "ara-pcrs-etude-opportunite",
        "title": "Étude d'opportunité PCRS : scénarios de production et de mise à jour",
        "summary": (
            "Étude réalisée avant le lancement du PCRS régional pour comparer trois scénarios de "
            "production et de mise à jour. Archivée depuis l'adoption du programme définitif, elle "
            "reste utile pour comprendre les choix faits."
        ),
        "kind": "document",
        "ctd": "auvergne-rhone-alpes",
        "terms": ["referentiel-de-donnees", "standard-de-donnees"],
        "status": "archived",
        "featured": False,
        "published_at": "2024-02-27",
        "body": (
            "## Objet de l'étude\n"
            "\n"
            "Avant d'engager la production du plan de corps de rue simplifié, les partenaires "
            "régionaux ont commandé une étude pour comparer plusieurs organisations possibles. "
            "Elle portait sur le mode de production, la répartition des coûts et la mise à jour.\n"
            "\n"
            "## Les trois scénarios étudiés\n"
            "\n"
            "| Scénario | Production | Mise à jour | Coût relatif |\n"
            "|---|---|---|---|\n"
            "| A. Production locale | Chaque autorité locale avec son prestataire | Locale | Élevé "
            "|\n"
            "| B. Production régionale | Marché régional unique | Locale, par récolements | Moyen "
            "|\n"
            "| C. Production régionale intégrée | Marché régional unique | Régionale, par "
            "campagnes aériennes | Faible à moyen |\n"
            "\n"
            "## Recommandations de l'étude\n"
            "\n"
            "- Retenir une production régionale pour bénéficier d'économies d'échelle et d'un "
            "rendu homogène.\n"
            "- Produire d'abord un PCRS image, plus rapide, puis vectoriser les zones "
            "prioritaires.\n"
            "- Combiner mise à jour par campagnes aériennes périodiques et intégration des "
            "récolements de travaux.\n"
            "- Respecter strictement le standard PCRS du CNIG pour garantir l'interopérabilité.\n"
            "\n"
            "## Suites données\n"
            "\n"
            "Le comité de pilotage a retenu un scénario proche du scénario C. Le programme "
            "définitif, ses conventions et son calendrier ont depuis été publiés. Cette étude est "
            "archivée : ses hypothèses de coûts ne sont plus à jour et ne doivent pas être "
            "reprises telles quelles.\n"
            "\n"
            "## Points toujours d'actualité\n"
            "\n"
            "- L'importance d'une autorité locale compétente bien identifiée.\n"
            "- La nécessité d'associer les exploitants de réseaux dès la conception.\n"
            "- Le besoin d'un guide pour la transmission des récolements."
        ),
        "links": [
            {
                "title": "Conseil national de l'information géolocalisée",
                "url": "https://cnig.gouv.fr",
            },
        ],
    },
    {
        "key": "ara-ia-friches",
        "title": (
            "Repérer les friches par intelligence artificielle : un prototype à l'échelle d'une "
            "métropole"
        ),
        "summary": (
            "Une métropole et un établissement public foncier ont testé un modèle d'intelligence "
            "artificielle pour repérer les friches d'activité sur imagerie aérienne et compléter "
            "leur inventaire, dans la perspective de la sobriété foncière."
        ),
        "kind": "retour-experience",
        "ctd": "auvergne-rhone-alpes",
        "terms": ["intelligence-artificielle", "donnee-territoriale"],
        "status": "published",
        "featured": False,
        "published_at": "2026-09-30",
        "body": (
            "## Pourquoi repérer les friches\n"
            "\n"
            "Réutiliser les friches industrielles, commerciales ou ferroviaires est un levier "
            "majeur pour construire sans consommer de nouveaux espaces. Les inventaires existants, "
            "fondés sur des signalements et des bases administratives, restent incomplets : une "
            "friche récente ou de petite taille passe souvent inaperçue.\n"
            "\n"
            "## Le prototype\n"
            "\n"
            "- Entraînement d'un modèle de classification sur l'orthophotographie récente, à "
            "partir de 900 friches connues et d'autant de sites actifs.\n"
            "- Indices utilisés par le modèle : végétation spontanée sur des surfaces "
            "imperméables, toitures dégradées, parkings vides, absence de stockage.\n"
            "- Croisement des détections avec les fichiers fonciers et les données "
            "d'établissements pour écarter les sites en activité.\n"
            "- Vérification de terrain sur un échantillon de 150 sites.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Mesure | Valeur |\n"
            "|---|---|\n"
            "| Sites signalés par le modèle | 1 240 |\n"
            "| Sites confirmés sur l'échantillon vérifié | 61 % |\n"
            "| Friches absentes des inventaires existants | 118 |\n"
            "\n"
            "## Ce que nous en retenons\n"
            "\n"
            "Le modèle ne remplace pas l'expertise foncière : il produit une liste de sites à "
            "examiner. Son intérêt principal est de faire remonter des friches de petite taille, "
            "en tissu urbain, que personne n'avait signalées. Les faux positifs concernent surtout "
            "des sites à activité saisonnière et des zones de stockage de matériaux.\n"
            "\n"
            "## Suites\n"
            "\n"
            "- Intégration des sites confirmés dans l'inventaire national des friches.\n"
            "- Réentraînement du modèle à chaque nouvelle orthophotographie.\n"
            "- Partage du code et de la méthode avec les autres membres du CTD."
        ),
        "links": [
            {"title": "Cerema", "url": "https://www.cerema.fr"},
        ],
    },
    {
        "key": "na-ocsge-production",
        "title": (
            "Produire l'OCS GE sur un territoire régional : calendrier, contrôles et diffusion"
        ),
        "summary": (
            "Guide pratique rédigé par le CTD pour accompagner la production de l'occupation du "
            "sol à grande échelle : rôle des partenaires locaux, contrôles de qualité, remontée "
            "des anomalies et diffusion aux territoires."
        ),
        "kind": "document",
        "ctd": "nouvelle-aquitaine",
        "terms": ["referentiel-de-donnees", "donnee-geographique"],
        "status": "published",
        "featured": False,
        "published_at": "2024-05-16",
        "body": (
            "## L'OCS GE en quelques mots\n"
            "\n"
            "L'occupation du sol à grande échelle (OCS GE) décrit le territoire selon deux "
            "dimensions : la couverture du sol (bâti, végétation, eau…) et son usage (résidentiel, "
            "agricole, industriel…). Produite sous la conduite de l'IGN à partir "
            "d'orthophotographies et de données de référence, elle sert de base à la mesure de "
            "l'artificialisation des sols.\n"
            "\n"
            "## Le rôle des partenaires locaux\n"
            "\n"
            "- **Transmettre les données locales utiles** : zones d'activités, équipements, "
            "espaces naturels protégés, occupation du sol existante.\n"
            "- **Participer aux contrôles** sur des secteurs tests, avec les agences d'urbanisme "
            "et les services de l'État.\n"
            "- **Remonter les anomalies** selon une procédure commune, plutôt que de corriger "
            "chacun de son côté.\n"
            "- **Accompagner les territoires** dans la prise en main des données.\n"
            "\n"
            "## Calendrier type pour un millésime\n"
            "\n"
            "| Étape | Durée indicative |\n"
            "|---|---|\n"
            "| Prise de vue aérienne | Année N |\n"
            "| Production et contrôles | Année N+1 |\n"
            "| Diffusion et appropriation | Année N+1 à N+2 |\n"
            "\n"
            "## Conseils pour les contrôles\n"
            "\n"
            "1. Choisir des secteurs tests variés : littoral, montagne, vignoble, périurbain.\n"
            "2. Contrôler en priorité les postes qui pèsent le plus dans le calcul de "
            "l'artificialisation.\n"
            "3. Documenter chaque anomalie avec une capture et une explication.\n"
            "\n"
            "## Diffusion\n"
            "\n"
            "Les données sont diffusées gratuitement, sous licence ouverte. Le CTD propose des "
            "fiches territoriales par intercommunalité et une formation d'une journée pour les "
            "techniciens. Un forum d'échanges permet de partager les questions d'interprétation."
        ),
        "links": [
            {"title": "Géoservices de l'IGN", "url": "https://geoservices.ign.fr"},
        ],
    },
    {
        "key": "na-catalogue-open-data-2024",
        "title": (
            "Catalogue régional des données ouvertes : état des lieux et pistes d'amélioration"
        ),
        "summary": (
            "État des lieux des jeux de données publiés par les collectivités de la région sur la "
            "plateforme régionale et le portail national, réalisé en 2024. Archivé depuis la mise "
            "en place du tableau de bord permanent."
        ),
        "kind": "document",
        "ctd": "nouvelle-aquitaine",
        "terms": ["donnee-ouverte", "plateforme-de-donnees"],
        "status": "archived",
        "featured": False,
        "published_at": "2024-08-29",
        "body": (
            "## Objectif de l'état des lieux\n"
            "\n"
            "Le CTD souhaitait connaître la situation réelle de l'ouverture des données dans la "
            "région : combien de collectivités publient, quelles données, avec quelle qualité. "
            "L'analyse a porté sur la plateforme régionale et sur le portail national des données "
            "ouvertes.\n"
            "\n"
            "## Principaux constats\n"
            "\n"
            "- Les collectivités soumises à l'obligation d'ouverture publient majoritairement, "
            "mais souvent un petit nombre de jeux.\n"
            "- Les données conformes à un schéma national restent minoritaires.\n"
            "- Près d'un tiers des jeux n'avaient pas été mis à jour depuis plus de deux ans.\n"
            "- Les métadonnées sont souvent incomplètes : licence absente, producteur mal "
            "identifié, fréquence de mise à jour non renseignée.\n"
            "\n"
            "## Répartition par thème\n"
            "\n"
            "| Thème | Part des jeux publiés |\n"
            "|---|---|\n"
            "| Urbanisme et foncier | 24 % |\n"
            "| Équipements et services | 19 % |\n"
            "| Budget et finances | 15 % |\n"
            "| Environnement | 14 % |\n"
            "| Mobilité | 11 % |\n"
            "| Autres | 17 % |\n"
            "\n"
            "## Pistes d'amélioration proposées\n"
            "\n"
            "1. Accompagner en priorité les collectivités soumises à l'obligation qui ne publient "
            "pas encore.\n"
            "2. Promouvoir les schémas nationaux pour les données les plus courantes.\n"
            "3. Relancer automatiquement les producteurs dont les données ne sont plus à jour.\n"
            "4. Mettre en place un tableau de bord permanent plutôt que des états des lieux "
            "ponctuels.\n"
            "\n"
            "## Statut\n"
            "\n"
            "Cet état des lieux est archivé : la quatrième piste a été mise en œuvre et le tableau "
            "de bord fournit désormais des chiffres à jour."
        ),
        "links": [
            {
                "title": "Plateforme ouverte des données publiques françaises",
                "url": "https://www.data.gouv.fr",
            },
        ],
        "attachment": {
            "format": "odt",
            "name": "Etat des lieux catalogue données ouvertes 2024.odt",
            "paragraphs": [
                (
                    "Le présent document rend compte de l'état des lieux des données ouvertes "
                    "publiées par les collectivités de la région, réalisé au premier semestre 2024 "
                    "à la demande du comité territorial de la donnée. Il repose sur l'analyse "
                    "automatisée des catalogues de la plateforme régionale et du portail national, "
                    "complétée par un questionnaire adressé aux collectivités."
                ),
                (
                    "Sur les collectivités soumises à l'obligation d'ouverture par défaut, une "
                    "large majorité publie au moins un jeu de données. La situation est plus "
                    "contrastée pour les intercommunalités de taille moyenne, qui disposent "
                    "rarement d'un agent chargé de la donnée. Les petites communes, non soumises à "
                    "l'obligation, sont quelques dizaines à publier volontairement, le plus "
                    "souvent avec l'aide d'un syndicat informatique."
                ),
                (
                    "La qualité des métadonnées constitue la principale faiblesse relevée. La "
                    "licence n'est pas indiquée pour un jeu sur huit, la fréquence de mise à jour "
                    "est rarement renseignée et le producteur réel est parfois confondu avec la "
                    "structure qui publie. Ces lacunes compliquent la réutilisation et empêchent "
                    "de mesurer la fraîcheur des données."
                ),
                (
                    "Les répondants au questionnaire citent le manque de temps, la crainte de "
                    "publier des données erronées et la méconnaissance des schémas nationaux comme "
                    "principaux freins. Ils demandent des modèles de fichiers, des exemples de "
                    "publications réussies et un interlocuteur capable de répondre rapidement à "
                    "leurs questions."
                ),
                (
                    "Le document propose quatre pistes : un accompagnement ciblé des collectivités "
                    "qui ne publient pas encore, la promotion des schémas nationaux, des relances "
                    "automatiques pour les données anciennes et un tableau de bord permanent. Ce "
                    "tableau de bord permettrait de suivre l'évolution de l'ouverture sans "
                    "mobiliser chaque année une étude spécifique."
                ),
            ],
        },
    },
    {
        "key": "paca-obligations-debroussaillement",
        "title": (
            "Obligations légales de débroussaillement : cartographier et partager les périmètres"
        ),
        "summary": (
            "Comment une direction départementale des territoires, les communes et le service "
            "d'incendie ont construit une cartographie partagée des obligations légales de "
            "débroussaillement pour informer les propriétaires et cibler les contrôles."
        ),
        "kind": "bonne-pratique",
        "ctd": "provence-alpes-cote-d-azur",
        "terms": ["donnee-geolocalisee", "donnee-ouverte"],
        "status": "published",
        "featured": False,
        "published_at": "2025-07-08",
        "body": (
            "## Un enjeu majeur de prévention\n"
            "\n"
            "Dans les communes exposées aux feux de forêt, les propriétaires doivent "
            "débroussailler autour de leurs constructions, sur une profondeur fixée par arrêté "
            "préfectoral. Beaucoup ignorent qu'ils sont concernés ou jusqu'où s'étend leur "
            "obligation, surtout lorsque le périmètre déborde sur la parcelle voisine.\n"
            "\n"
            "## La démarche\n"
            "\n"
            "- **Délimitation des massifs exposés** et de la bande de 200 mètres qui les entoure, "
            "selon l'arrêté préfectoral.\n"
            "- **Calcul automatique des zones à débroussailler** autour de chaque bâtiment, à "
            "partir du référentiel du bâti et du cadastre.\n"
            "- **Identification des superpositions**, lorsque l'obligation d'un propriétaire "
            "s'étend chez un voisin.\n"
            "- **Publication d'une carte consultable** par adresse, sans donnée personnelle.\n"
            "\n"
            "## Les bonnes pratiques retenues\n"
            "\n"
            "1. Partir d'un référentiel du bâti à jour, corrigé par les communes sur les secteurs "
            "sensibles.\n"
            "2. Séparer la couche de référence (périmètres réglementaires), publiée en données "
            "ouvertes, des données de suivi des contrôles, réservées aux services.\n"
            "3. Expliquer la carte : elle informe mais ne remplace pas l'arrêté.\n"
            "4. Mettre à jour la couche chaque année avant la saison des feux.\n"
            "\n"
            "## Effets observés\n"
            "\n"
            "| Indicateur | Avant la carte | Après deux saisons |\n"
            "|---|---|---|\n"
            "| Demandes d'information en mairie | nombreuses, au cas par cas | divisées par deux "
            "|\n"
            "| Part des contrôles conformes | 52 % | 68 % |\n"
            "\n"
            "## Limites\n"
            "\n"
            "Les données cadastrales ne reflètent pas toujours la réalité du terrain, et les "
            "constructions récentes peuvent manquer. Un dispositif de signalement permet aux "
            "communes de corriger la carte en cours de saison."
        ),
        "links": [
            {"title": "Géorisques", "url": "https://www.georisques.gouv.fr"},
        ],
    },
    {
        "key": "paca-amenagements-cyclables",
        "title": "Recenser les aménagements cyclables selon le schéma national de données",
        "summary": (
            "Comment un département et ses intercommunalités ont harmonisé leurs inventaires de "
            "pistes et bandes cyclables selon le schéma national, pour publier une carte régionale "
            "cohérente et suivre les investissements."
        ),
        "kind": "bonne-pratique",
        "ctd": "provence-alpes-cote-d-azur",
        "terms": ["standard-de-donnees", "donnee-ouverte"],
        "status": "published",
        "featured": False,
        "published_at": "2024-12-03",
        "body": (
            "## Le point de départ\n"
            "\n"
            "Chaque intercommunalité tenait son propre inventaire des aménagements cyclables, avec "
            "ses catégories : « piste », « voie verte », « bande », « zone apaisée »… Impossible "
            "d'additionner les linéaires ou de produire une carte continue d'un territoire à "
            "l'autre. Le schéma national de données sur les aménagements cyclables, publié sur le "
            "site des schémas de données, offrait un cadre commun.\n"
            "\n"
            "## La démarche en quatre temps\n"
            "\n"
            "1. **Comparaison des nomenclatures locales** avec celle du schéma et rédaction d'une "
            "table de correspondance.\n"
            "2. **Conversion des inventaires** existants, avec vérification sur orthophotographie "
            "des tronçons ambigus.\n"
            "3. **Validation automatique** de chaque fichier avec l'outil associé au schéma.\n"
            "4. **Publication sous licence ouverte**, chaque intercommunalité restant productrice "
            "de ses données.\n"
            "\n"
            "## Ce qu'il faut savoir\n"
            "\n"
            "- Le schéma décrit chaque côté de la voie séparément : un même tronçon peut avoir une "
            "bande à droite et rien à gauche.\n"
            "- Les aménagements en projet peuvent être publiés à condition d'être clairement "
            "distingués.\n"
            "- La géométrie doit suivre l'axe de la voie, ce qui demande parfois de reprendre des "
            "saisies faites au bord du trottoir.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Indicateur | Valeur |\n"
            "|---|---|\n"
            "| Intercommunalités participantes | 9 sur 10 |\n"
            "| Linéaire inventorié | 1 860 km |\n"
            "| Délai de mise à jour de la carte régionale | trimestriel |\n"
            "\n"
            "Les données alimentent désormais les calculateurs d'itinéraires et le suivi du plan "
            "vélo départemental. Elles ont aussi mis en évidence des discontinuités aux limites "
            "intercommunales, qui font l'objet d'un programme de travaux."
        ),
        "links": [
            {"title": "Schémas de données publics", "url": "https://schema.data.gouv.fr"},
        ],
    },
    {
        "key": "bfc-lidar-hd-usages",
        "title": "Valoriser le LiDAR HD de l'IGN dans les collectivités : cinq cas d'usage",
        "summary": (
            "Cinq usages concrets du nuage de points LiDAR HD diffusé par l'IGN, testés par des "
            "collectivités de Bourgogne-Franche-Comté : forêt, ruissellement, patrimoine, bâti 3D "
            "et haies bocagères."
        ),
        "kind": "retour-experience",
        "ctd": "bourgogne-franche-comte",
        "terms": ["donnee-geographique", "jumeau-numerique-de-territoire"],
        "status": "published",
        "featured": False,
        "published_at": "2025-09-17",
        "body": (
            "## Une donnée nouvelle, encore peu exploitée\n"
            "\n"
            "Le programme LiDAR HD de l'IGN fournit un nuage de points très dense sur l'ensemble "
            "du territoire, diffusé gratuitement, ainsi que des modèles numériques dérivés. "
            "Beaucoup de collectivités savent qu'il existe mais ne l'ont pas encore utilisé, faute "
            "de temps ou de compétences. Le CTD a réuni cinq expériences pour montrer ce qu'il "
            "permet.\n"
            "\n"
            "## Les cinq cas d'usage\n"
            "\n"
            "| Usage | Porteur | Produit obtenu |\n"
            "|---|---|---|\n"
            "| Hauteur et structure des peuplements forestiers | Parc naturel régional | Carte des "
            "volumes de bois |\n"
            "| Axes de ruissellement en zone agricole | Syndicat de bassin versant | Priorisation "
            "des aménagements d'hydraulique douce |\n"
            "| Vestiges archéologiques sous couvert forestier | Service départemental "
            "d'archéologie | Inventaire de structures inédites |\n"
            "| Maquette 3D du bâti | Agglomération | Socle d'un futur jumeau numérique |\n"
            "| Linéaire de haies bocagères | Chambre d'agriculture et département | Suivi de la "
            "plantation et des arrachages |\n"
            "\n"
            "## Ce que les porteurs retiennent\n"
            "\n"
            "- Les modèles dérivés, plus légers, suffisent pour beaucoup d'usages : inutile de "
            "manipuler le nuage brut.\n"
            "- Le traitement du nuage complet demande des machines puissantes et des logiciels "
            "spécialisés, souvent libres.\n"
            "- Les résultats gagnent à être confrontés au terrain, notamment en forêt.\n"
            "\n"
            "## Recommandations\n"
            "\n"
            "- Commencer par un petit territoire test avant de traiter un département entier.\n"
            "- Mutualiser les traitements lourds au sein du CTD, plutôt que chaque collectivité "
            "équipe son propre poste.\n"
            "- Partager les scripts et les paramètres utilisés, pour que les résultats soient "
            "reproductibles.\n"
            "- Publier les produits dérivés en données ouvertes lorsque c'est possible."
        ),
        "links": [
            {"title": "Géoservices de l'IGN", "url": "https://geoservices.ign.fr"},
        ],
    },
    {
        "key": "cvl-reseaux-eau-potable",
        "title": (
            "Connaître le patrimoine des réseaux d'eau potable : inventaire et géolocalisation"
        ),
        "summary": (
            "Une méthode partagée par plusieurs syndicats d'eau pour constituer le descriptif "
            "détaillé de leurs réseaux, géolocaliser canalisations et branchements et programmer "
            "le renouvellement en limitant les pertes."
        ),
        "kind": "bonne-pratique",
        "ctd": "centre-val-de-loire",
        "terms": ["donnee-geolocalisee", "mutualisation"],
        "status": "published",
        "featured": False,
        "published_at": "2025-04-22",
        "body": (
            "## L'obligation et l'intérêt\n"
            "\n"
            "Les services d'eau doivent disposer d'un descriptif détaillé de leurs réseaux et d'un "
            "plan d'actions lorsque leurs pertes dépassent un seuil réglementaire. Au-delà de "
            "l'obligation, connaître son réseau est indispensable pour programmer le "
            "renouvellement, rechercher les fuites et répondre aux déclarations de travaux.\n"
            "\n"
            "## La méthode commune\n"
            "\n"
            "1. **Rassembler l'existant** : plans papier, fichiers de dessin, dossiers de "
            "récolement, connaissance des fontainiers.\n"
            "2. **Structurer les données** selon un modèle commun : tronçons, matériaux, "
            "diamètres, années de pose, branchements, vannes, compteurs de sectorisation.\n"
            "3. **Géolocaliser** les ouvrages visibles au GPS et les canalisations enterrées par "
            "détection lors des interventions.\n"
            "4. **Attribuer une classe de précision** à chaque tronçon et la mettre à jour à "
            "chaque nouvelle mesure.\n"
            "5. **Calculer des indicateurs** : âge moyen du réseau, linéaire par matériau, taux de "
            "renouvellement.\n"
            "\n"
            "## L'apport de la mutualisation\n"
            "\n"
            "Plusieurs syndicats ont passé un marché commun de détection et de relevés, et "
            "partagent un même outil de gestion. Chacun garde la maîtrise de ses données, mais le "
            "modèle, les formations et le support sont communs.\n"
            "\n"
            "| Poste | Coût pour un syndicat seul | Coût en groupement |\n"
            "|---|---|---|\n"
            "| Détection et géoréférencement (par km) | 1 000 € | 650 € |\n"
            "| Outil de gestion (par an) | 12 000 € | 4 500 € |\n"
            "\n"
            "## Points d'attention\n"
            "\n"
            "- Ne pas attendre un inventaire parfait pour commencer à l'utiliser.\n"
            "- Associer les agents de terrain : ce sont eux qui alimentent et corrigent la base.\n"
            "- Protéger l'accès aux données des ouvrages sensibles, comme les réservoirs et les "
            "captages.\n"
            "\n"
            "Le modèle de fichier d'inventaire joint peut être repris librement."
        ),
        "links": [
            {
                "title": "Ministère de la Transition écologique",
                "url": "https://www.ecologie.gouv.fr",
            },
        ],
        "attachment": {
            "format": "docx",
            "name": "Modèle inventaire réseau eau potable.docx",
            "paragraphs": [
                (
                    "Ce document présente le modèle de données utilisé par les syndicats du "
                    "groupement pour l'inventaire de leurs réseaux d'eau potable. Il décrit les "
                    "objets à recenser, les attributs attendus et les listes de valeurs. Il est "
                    "accompagné d'un fichier tableur modèle qui peut être importé dans la plupart "
                    "des outils de gestion de réseaux et des logiciels de système d'information "
                    "géographique."
                ),
                (
                    "Les tronçons de canalisation constituent l'objet principal de l'inventaire. "
                    "Chaque tronçon est décrit par son matériau, son diamètre nominal, son année "
                    "de pose ou à défaut sa décennie, sa fonction dans le réseau et sa classe de "
                    "précision de localisation. Les tronçons sont découpés à chaque changement de "
                    "caractéristique et à chaque organe de réseau, afin de faciliter les analyses "
                    "et la mise à jour."
                ),
                (
                    "Les ouvrages ponctuels comprennent les vannes, les poteaux d'incendie, les "
                    "ventouses, les vidanges, les compteurs de sectorisation et les branchements. "
                    "Pour les branchements, l'inventaire peut se limiter dans un premier temps à "
                    "la position du compteur et au point de raccordement présumé sur la "
                    "canalisation, en attendant une détection plus précise lors des interventions."
                ),
                (
                    "La classe de précision est renseignée pour chaque objet selon les trois "
                    "classes prévues par la réglementation relative aux travaux à proximité des "
                    "réseaux. Un objet dont la position est déduite d'un plan ancien sans "
                    "vérification est classé en classe C. Il passe en classe A après détection ou "
                    "relevé précis. Cette information doit être mise à jour à chaque nouvelle "
                    "mesure sur le terrain."
                ),
                (
                    "Le modèle est mis à disposition sous licence ouverte. Les syndicats qui "
                    "l'utilisent sont invités à faire part de leurs propositions d'évolution au "
                    "groupe de travail du comité territorial de la donnée, qui en assure la "
                    "maintenance et publie une nouvelle version au plus une fois par an, afin de "
                    "préserver la stabilité des outils qui s'appuient sur ce modèle."
                ),
            ],
        },
    },
    {
        "key": "cvl-animer-ctd",
        "title": (
            "Animer un comité territorial de la donnée : groupes de travail et outils collaboratifs"
        ),
        "summary": (
            "Ce que l'équipe d'animation du CTD Centre-Val de Loire a appris en trois ans : "
            "organiser des groupes de travail qui produisent, choisir des outils simples et garder "
            "le lien avec des partenaires très divers."
        ),
        "kind": "retour-experience",
        "ctd": "centre-val-de-loire",
        "terms": ["comite-territorial-de-la-donnee", "espace-commun-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2026-01-20",
        "body": (
            "## Une équipe réduite pour un réseau large\n"
            "\n"
            "L'animation du CTD repose sur deux personnes, l'une à la Région, l'autre à la DREAL, "
            "pour un réseau de plus de trois cents partenaires. Il a donc fallu faire des choix "
            "pour que les travaux avancent sans épuiser l'équipe ni les participants.\n"
            "\n"
            "## Des groupes de travail qui produisent\n"
            "\n"
            "- Chaque groupe a un **mandat écrit** d'une page : objectif, livrable attendu, durée, "
            "pilotes.\n"
            "- Les groupes sont **limités dans le temps**, de six à dix-huit mois, et se "
            "dissolvent une fois le livrable produit.\n"
            "- Chaque réunion se termine par une **liste d'actions** avec un responsable et une "
            "échéance.\n"
            "- Les livrables sont **publiés systématiquement**, même imparfaits, avec leur date de "
            "version.\n"
            "\n"
            "## Des outils simples\n"
            "\n"
            "| Besoin | Outil retenu |\n"
            "|---|---|\n"
            "| Échanges entre réunions | Forum thématique plutôt que listes de diffusion |\n"
            "| Rédaction à plusieurs | Traitement de texte collaboratif en ligne |\n"
            "| Partage de données de travail | Espace réservé sur la plateforme régionale |\n"
            "| Réunions | Format hybride systématique |\n"
            "\n"
            "## Ce qui fonctionne moins bien\n"
            "\n"
            "- Les partenaires privés participent peu, faute de sujets qui les concernent "
            "directement.\n"
            "- Les forums s'essoufflent sans relance régulière de l'équipe d'animation.\n"
            "- Le suivi des contributions de chacun reste artisanal.\n"
            "\n"
            "## Vers un espace commun\n"
            "\n"
            "Le CTD réfléchit à formaliser ses pratiques de partage dans un espace commun de "
            "données, avec des règles d'accès claires pour les données de travail des groupes. "
            "L'objectif est de faciliter la réutilisation des données produites au-delà de la "
            "durée de vie de chaque groupe."
        ),
        "links": [],
    },
    {
        "key": "corse-adressage-hameaux",
        "title": "Adresser les hameaux de montagne : retour d'expérience en Corse",
        "summary": (
            "Comment des communes de l'intérieur, accompagnées par leur intercommunalité, ont "
            "adressé des hameaux dispersés et des habitations isolées, pour faciliter l'arrivée "
            "des secours, la distribution du courrier et le déploiement de la fibre."
        ),
        "kind": "retour-experience",
        "ctd": "corse",
        "terms": ["referentiel-de-donnees", "donnee-geolocalisee"],
        "status": "published",
        "featured": False,
        "published_at": "2025-08-26",
        "body": (
            "## Des adresses qui n'existaient pas\n"
            "\n"
            "Dans les villages de l'intérieur, beaucoup d'habitations n'avaient pas d'adresse "
            "normalisée : on indiquait le nom du hameau, parfois celui de la famille. Ce système, "
            "suffisant entre voisins, posait problème aux services de secours, aux livreurs et aux "
            "opérateurs déployant la fibre optique, qui exigent une adresse précise pour chaque "
            "logement raccordable.\n"
            "\n"
            "## Les difficultés propres à la montagne\n"
            "\n"
            "- Des hameaux sans voie carrossable, desservis par des sentiers ou des escaliers.\n"
            "- Des noms de lieux en langue corse, avec plusieurs graphies en usage.\n"
            "- Des résidences secondaires occupées quelques semaines par an, dont les "
            "propriétaires sont difficiles à joindre.\n"
            "- Une population âgée, attachée aux usages existants.\n"
            "\n"
            "## Les choix faits\n"
            "\n"
            "1. **Numérotation métrique** le long des voies, y compris les chemins piétons, pour "
            "pouvoir intercaler de futures constructions.\n"
            "2. **Graphie des noms** validée avec les élus et des personnes ressources en "
            "toponymie.\n"
            "3. **Dénomination des hameaux** conservée comme lieu-dit complémentaire, pour que les "
            "habitants retrouvent leurs repères.\n"
            "4. **Réunions publiques** dans chaque village avant la délibération.\n"
            "\n"
            "## Résultats\n"
            "\n"
            "| Indicateur | Valeur |\n"
            "|---|---|\n"
            "| Communes adressées | 23 |\n"
            "| Adresses créées ou certifiées | 4 100 |\n"
            "| Plaques posées la première année | 2 700 |\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "La concertation a pris plus de temps que la technique, mais elle a permis une bonne "
            "acceptation. L'intercommunalité a fourni les outils et la saisie, les communes ont "
            "gardé la décision. Les adresses ont été publiées dans la Base Adresse Nationale et "
            "intégrées rapidement par les services de secours."
        ),
        "links": [
            {"title": "Base Adresse Nationale", "url": "https://adresse.data.gouv.fr"},
        ],
    },
    {
        "key": "guadeloupe-vulnerabilite-sismique",
        "title": "Partager les données de vulnérabilité sismique du bâti en Guadeloupe",
        "summary": (
            "Note présentant l'organisation retenue pour partager entre État, collectivités, "
            "bailleurs et chercheurs les diagnostics de vulnérabilité sismique des bâtiments, afin "
            "de prioriser les renforcements et préparer la gestion de crise."
        ),
        "kind": "document",
        "ctd": "guadeloupe",
        "terms": ["donnee-territoriale", "espace-commun-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2026-05-05",
        "body": (
            "## Un territoire en zone de sismicité forte\n"
            "\n"
            "L'archipel est classé dans la zone de sismicité la plus élevée du territoire "
            "national. De nombreux diagnostics de bâtiments ont été réalisés : écoles, "
            "établissements de santé, bâtiments publics, logements sociaux. Mais ces diagnostics "
            "restent dispersés entre les maîtres d'ouvrage, dans des formats différents, et ne "
            "permettent pas une vision d'ensemble.\n"
            "\n"
            "## L'organisation proposée\n"
            "\n"
            "- **Un modèle commun de fiche de diagnostic**, avec les informations minimales : "
            "localisation, typologie constructive, année de construction, niveau de vulnérabilité, "
            "travaux recommandés.\n"
            "- **Un espace commun de données** où chaque maître d'ouvrage dépose ses fiches, avec "
            "des niveaux d'accès différenciés.\n"
            "- **Une cartographie de synthèse** à destination des services de gestion de crise.\n"
            "- **Une version agrégée publique**, sans information sur les bâtiments privés.\n"
            "\n"
            "## Niveaux d'accès\n"
            "\n"
            "| Public | Données accessibles |\n"
            "|---|---|\n"
            "| Maître d'ouvrage | Ses propres fiches complètes |\n"
            "| Services de l'État et de secours | Toutes les fiches, pour la préparation de crise "
            "|\n"
            "| Chercheurs sous convention | Données pseudonymisées |\n"
            "| Grand public | Indicateurs agrégés par commune |\n"
            "\n"
            "## Usages attendus\n"
            "\n"
            "1. Prioriser les programmes de renforcement des bâtiments publics.\n"
            "2. Préparer les plans de secours en identifiant les bâtiments les plus fragiles.\n"
            "3. Améliorer les modèles de scénarios de dommages utilisés par la recherche.\n"
            "\n"
            "## Prochaines étapes\n"
            "\n"
            "Un premier lot de fiches concernant les établissements scolaires sera intégré, avant "
            "une extension aux établissements de santé et au logement social. La note sera mise à "
            "jour après ce premier lot."
        ),
        "links": [
            {"title": "Géorisques", "url": "https://www.georisques.gouv.fr"},
        ],
    },
    {
        "key": "martinique-sargasses",
        "title": "Suivre les échouements de sargasses : un jeu de données partagé entre communes",
        "summary": (
            "Comment les communes littorales de Martinique et leurs partenaires ont mis en place "
            "un signalement commun des échouements de sargasses, publié en données ouvertes, pour "
            "organiser le ramassage et informer les habitants."
        ),
        "kind": "bonne-pratique",
        "ctd": "martinique",
        "terms": ["donnee-ouverte", "donnee-geolocalisee", "mutualisation"],
        "status": "published",
        "featured": False,
        "published_at": "2026-07-15",
        "body": (
            "## Un phénomène récurrent\n"
            "\n"
            "Les échouements massifs d'algues sargasses touchent régulièrement les côtes au vent "
            "de l'île. En se décomposant, elles dégagent des gaz nocifs pour la santé et corrodent "
            "les équipements. Les communes doivent organiser le ramassage rapidement, mais chacune "
            "tenait ses propres relevés, dans des formats incompatibles.\n"
            "\n"
            "## Le dispositif commun\n"
            "\n"
            "- **Une liste de sites de référence**, chaque plage ou portion de côte ayant un "
            "identifiant stable.\n"
            "- **Un formulaire de signalement** utilisé par les agents communaux, avec un niveau "
            "d'échouement sur une échelle commune à quatre niveaux.\n"
            "- **Un jeu de données unique**, mis à jour quotidiennement en période d'échouement.\n"
            "- **Une publication sous licence ouverte**, avec une carte accessible aux habitants.\n"
            "\n"
            "## Les règles partagées\n"
            "\n"
            "| Élément | Règle |\n"
            "|---|---|\n"
            "| Fréquence de relevé | Quotidienne en saison, hebdomadaire hors saison |\n"
            "| Échelle de niveau | 0 absence, 1 faible, 2 moyen, 3 massif |\n"
            "| Délai de publication | Le jour même |\n"
            "\n"
            "## Ce que cela a permis\n"
            "\n"
            "1. Organiser les tournées de ramassage à l'échelle intercommunale, en mutualisant les "
            "engins.\n"
            "2. Informer les habitants et les établissements scolaires des sites à éviter.\n"
            "3. Fournir aux chercheurs et aux services de l'État une série homogène pour analyser "
            "le phénomène.\n"
            "\n"
            "## Conseils\n"
            "\n"
            "- Commencer par un formulaire très simple : plus il est long, moins il est rempli.\n"
            "- Identifier un agent référent par commune et un suppléant.\n"
            "- Croiser les signalements avec les mesures de qualité de l'air, lorsqu'elles "
            "existent, pour les communiquer ensemble."
        ),
        "links": [
            {
                "title": "Plateforme ouverte des données publiques françaises",
                "url": "https://www.data.gouv.fr",
            },
        ],
    },
    {
        "key": "guyane-imagerie-couvert-nuageux",
        "title": "Imagerie en Guyane : composer avec le couvert nuageux et l'étendue du territoire",
        "summary": (
            "Retour d'expérience sur l'acquisition d'imagerie aérienne et satellitaire en Guyane : "
            "fenêtres météorologiques étroites, priorisation des zones habitées, recours au radar "
            "et mutualisation entre partenaires publics."
        ),
        "kind": "retour-experience",
        "ctd": "guyane",
        "terms": ["donnee-geographique", "mutualisation"],
        "status": "published",
        "featured": False,
        "published_at": "2024-03-28",
        "body": (
            "## Des conditions hors normes\n"
            "\n"
            "Le territoire guyanais est couvert à plus de 90 % par la forêt amazonienne et reste "
            "nuageux une grande partie de l'année. Les méthodes utilisées en métropole, comme une "
            "couverture aérienne complète tous les trois ans, ne sont pas transposables. Pourtant, "
            "les besoins en imagerie récente sont forts : urbanisation rapide du littoral, "
            "orpaillage illégal, suivi des fleuves.\n"
            "\n"
            "## Les choix des partenaires\n"
            "\n"
            "- **Priorité aux zones habitées et au littoral**, couverts en imagerie aérienne à "
            "haute résolution.\n"
            "- **Recours à l'imagerie satellitaire** pour l'intérieur, en combinant plusieurs "
            "dates pour obtenir une mosaïque sans nuages.\n"
            "- **Utilisation d'images radar**, insensibles aux nuages, pour le suivi de la "
            "déforestation et des sites d'orpaillage.\n"
            "- **Un groupement de partenaires** pour partager les coûts et les images.\n"
            "\n"
            "## Le calendrier\n"
            "\n"
            "| Période | Conditions | Usage |\n"
            "|---|---|---|\n"
            "| Petit été de mars | Fenêtre favorable courte | Vols aériens prioritaires |\n"
            "| Saison sèche, d'août à novembre | Meilleure fenêtre | Vols et acquisitions "
            "satellitaires |\n"
            "| Saisons des pluies | Couvert nuageux persistant | Radar uniquement |\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "La souplesse contractuelle est indispensable : le prestataire doit pouvoir voler dès "
            "qu'une fenêtre se présente, ce qui suppose des équipes et un avion disponibles sur "
            "place. La mutualisation a permis de financer cette disponibilité. Les partenaires "
            "recommandent aussi d'accepter une couverture en plusieurs années plutôt qu'une image "
            "d'une seule date."
        ),
        "links": [
            {"title": "Géoportail", "url": "https://www.geoportail.gouv.fr"},
        ],
        "attachment": {
            "format": "pdf",
            "name": "Acquisition imagerie Guyane.pdf",
            "paragraphs": [
                (
                    "Ce document présente les enseignements tirés des dernières campagnes "
                    "d'acquisition d'imagerie sur le territoire guyanais. Il est destiné aux "
                    "partenaires du comité territorial de la donnée qui préparent une nouvelle "
                    "campagne, ainsi qu'aux autres territoires ultramarins confrontés à des "
                    "contraintes comparables. Il aborde la priorisation des zones, le choix des "
                    "capteurs, les clauses contractuelles et le partage des images."
                ),
                (
                    "La couverture nuageuse est la contrainte principale. Les fenêtres favorables "
                    "se limitent pour l'essentiel au petit été de mars et à la saison sèche, "
                    "d'août à novembre. Même pendant ces périodes, les journées réellement "
                    "exploitables sont rares et imprévisibles. Les campagnes aériennes doivent "
                    "donc être conçues pour tirer parti de quelques heures de ciel dégagé, ce qui "
                    "impose une présence permanente d'un équipage."
                ),
                (
                    "Les partenaires ont choisi de concentrer l'imagerie aérienne à haute "
                    "résolution sur le littoral et les bourgs de l'intérieur, où se concentrent la "
                    "population et les projets d'aménagement. Pour le reste du territoire, des "
                    "mosaïques satellitaires sont constituées à partir de plusieurs acquisitions. "
                    "Les images radar complètent ce dispositif pour le suivi régulier de la forêt, "
                    "car elles ne dépendent pas de la météo."
                ),
                (
                    "Le cahier des charges prévoit une durée d'exécution étendue et un paiement "
                    "par zone livrée, plutôt qu'un calendrier rigide. Des pénalités ne sont "
                    "appliquées qu'en cas de fenêtre favorable non exploitée, constatée à partir "
                    "des observations météorologiques. Cette souplesse a été bien accueillie par "
                    "les prestataires et a réduit les litiges constatés lors des campagnes "
                    "précédentes."
                ),
                (
                    "Les images sont partagées entre tous les partenaires financeurs et diffusées "
                    "sous licence ouverte, à l'exception des acquisitions satellitaires soumises à "
                    "des conditions de licence particulières. La diffusion passe par la plateforme "
                    "régionale de données et par les services nationaux, ce qui permet aux "
                    "services de l'État, aux communes et aux chercheurs d'y accéder sans démarche "
                    "supplémentaire."
                ),
            ],
        },
    },
    {
        "key": "guyane-adressage-habitat-spontane",
        "title": "Adresser l'habitat spontané en Guyane : méthodes de terrain",
        "summary": (
            "Méthodes mises au point par des communes guyanaises et leurs partenaires pour "
            "attribuer une adresse aux habitations construites sans autorisation, condition de "
            "l'accès aux services essentiels et aux secours."
        ),
        "kind": "bonne-pratique",
        "ctd": "guyane",
        "terms": ["referentiel-de-donnees", "donnee-territoriale"],
        "status": "published",
        "featured": False,
        "published_at": "2025-12-09",
        "body": (
            "## Un enjeu d'accès aux droits\n"
            "\n"
            "Une part importante des logements en Guyane a été construite sans autorisation, "
            "souvent en périphérie des bourgs et sans voirie structurée. Sans adresse, les "
            "habitants peinent à recevoir leur courrier, à ouvrir un compteur d'électricité ou "
            "d'eau, à inscrire leurs enfants à l'école ou à être localisés par les secours. "
            "L'adressage ne régularise pas la construction, mais il permet l'accès aux services "
            "essentiels.\n"
            "\n"
            "## La méthode de terrain\n"
            "\n"
            "1. **Cartographie préalable** à partir d'images récentes, pour repérer les "
            "constructions et les cheminements.\n"
            "2. **Dénomination des pistes et sentiers** principaux par la commune, en concertation "
            "avec les habitants.\n"
            "3. **Relevé de terrain** au smartphone, par binômes d'agents connaissant le quartier "
            "et ses langues.\n"
            "4. **Pose de plaques** simples, parfois peintes, pour que l'adresse soit visible "
            "immédiatement.\n"
            "5. **Publication dans la Base Adresse Locale** de la commune.\n"
            "\n"
            "## Points de vigilance\n"
            "\n"
            "- Expliquer clairement que l'adresse n'a pas de valeur de titre de propriété ni "
            "d'autorisation de construire.\n"
            "- Prévoir la mise à jour : ces quartiers évoluent très vite.\n"
            "- Associer les opérateurs d'eau et d'électricité, premiers utilisateurs des nouvelles "
            "adresses.\n"
            "\n"
            "## Quelques chiffres\n"
            "\n"
            "| Indicateur | Valeur |\n"
            "|---|---|\n"
            "| Quartiers adressés | 14 |\n"
            "| Adresses créées | 6 800 |\n"
            "| Durée moyenne par quartier | 5 semaines |\n"
            "\n"
            "## Ce que nous recommandons\n"
            "\n"
            "Le travail de terrain avec des médiateurs connus des habitants est la clé de la "
            "réussite. Les outils numériques sont simples ; c'est la confiance qui prend du temps."
        ),
        "links": [
            {"title": "Base Adresse Nationale", "url": "https://adresse.data.gouv.fr"},
        ],
    },
    {
        "key": "reunion-feuille-de-route",
        "title": "Feuille de route de la donnée à La Réunion : priorités 2025-2027",
        "summary": (
            "La feuille de route adoptée par le CTD de La Réunion : quatre priorités adaptées à un "
            "territoire insulaire et contraint, des actions pilotées par des binômes et un espace "
            "commun de données pour les risques naturels."
        ),
        "kind": "document",
        "ctd": "la-reunion",
        "terms": ["feuille-de-route-territoriale", "espace-commun-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2025-01-30",
        "body": (
            "## Un territoire aux contraintes fortes\n"
            "\n"
            "Île volcanique au relief accidenté, exposée aux cyclones, aux fortes pluies et aux "
            "mouvements de terrain, La Réunion concentre sa population sur une bande littorale où "
            "la pression foncière est forte. Les données y sont indispensables pour aménager, "
            "prévenir les risques et préserver des espaces naturels exceptionnels.\n"
            "\n"
            "## Les quatre priorités\n"
            "\n"
            "1. **Risques naturels** : constituer un espace commun de données réunissant aléas, "
            "enjeux et retours d'événements.\n"
            "2. **Foncier et aménagement** : mesurer la consommation d'espace et suivre l'habitat "
            "informel.\n"
            "3. **Référentiels** : achever l'adressage et maintenir des référentiels à jour malgré "
            "des évolutions rapides.\n"
            "4. **Compétences** : former les agents des communes et mutualiser l'expertise rare.\n"
            "\n"
            "## Organisation\n"
            "\n"
            "| Élément | Choix retenu |\n"
            "|---|---|\n"
            "| Pilotage | Co-pilotage Région et préfecture |\n"
            "| Actions | Douze, chacune portée par un binôme |\n"
            "| Suivi | Comité technique trimestriel, bilan annuel public |\n"
            "| Financement | Par action, avec un socle commun pour l'animation |\n"
            "\n"
            "## Pourquoi un espace commun pour les risques\n"
            "\n"
            "Les données sur les risques sont produites par de nombreux acteurs : services de "
            "l'État, collectivités, organismes de recherche, gestionnaires de réseaux. Lors d'un "
            "cyclone, il faut les réunir en quelques heures. L'espace commun définira des règles "
            "de partage préalables, des formats et des accès, pour ne plus improviser en situation "
            "de crise.\n"
            "\n"
            "## Document complet\n"
            "\n"
            "Le document joint présente chaque action, son pilote, son calendrier et ses "
            "indicateurs."
        ),
        "links": [
            {
                "title": "Conseil national de l'information géolocalisée",
                "url": "https://cnig.gouv.fr",
            },
        ],
        "attachment": {
            "format": "pdf",
            "name": "Feuille de route donnée La Réunion 2025-2027.pdf",
            "paragraphs": [
                (
                    "La présente feuille de route a été adoptée en séance plénière du comité "
                    "territorial de la donnée de La Réunion. Elle est le fruit de six mois de "
                    "concertation avec les communes, les intercommunalités, le Département, la "
                    "Région, les services de l'État et les organismes de recherche. Elle fixe les "
                    "priorités communes pour trois ans et les modalités de leur mise en oeuvre."
                ),
                (
                    "La première priorité porte sur les risques naturels. L'île est exposée aux "
                    "cyclones, aux pluies intenses, aux crues torrentielles, aux mouvements de "
                    "terrain et à l'activité volcanique. Les données nécessaires à la prévention "
                    "et à la gestion de crise existent, mais elles sont dispersées. La feuille de "
                    "route prévoit un espace commun de données dédié, doté de règles de partage "
                    "établies à froid."
                ),
                (
                    "La deuxième priorité concerne le foncier et l'aménagement. La pression sur "
                    "les espaces littoraux et les mi-pentes impose de suivre finement la "
                    "consommation d'espace, l'habitat informel et la mutation des terres "
                    "agricoles. Les actions prévues s'appuient sur l'occupation du sol à grande "
                    "échelle, les fichiers fonciers et des méthodes de détection sur images "
                    "récentes."
                ),
                (
                    "La troisième priorité vise les référentiels : adressage, bâti, voirie. Les "
                    "évolutions rapides du territoire rendent leur mise à jour difficile. La "
                    "feuille de route propose de renforcer l'accompagnement des communes pour "
                    "l'adressage et de définir, avec les producteurs nationaux, des circuits de "
                    "remontée des changements constatés localement."
                ),
                (
                    "La quatrième priorité porte sur les compétences. Les profils spécialisés en "
                    "données sont rares sur l'île et très sollicités. La feuille de route prévoit "
                    "un plan de formation commun, des échanges d'agents entre structures et le "
                    "recours à des ressources partagées pour les traitements les plus complexes. "
                    "Un bilan annuel sera présenté en séance plénière et publié."
                ),
            ],
        },
    },
    {
        "key": "reunion-ia-etalement-urbain",
        "title": (
            "Suivre l'étalement urbain sur les mi-pentes grâce à l'IA et à l'imagerie satellitaire"
        ),
        "summary": (
            "Une agence d'urbanisme et les services de l'État à La Réunion ont testé un modèle "
            "d'intelligence artificielle sur des images satellitaires pour repérer chaque année "
            "les nouvelles constructions sur les mi-pentes et en zone agricole."
        ),
        "kind": "retour-experience",
        "ctd": "la-reunion",
        "terms": ["intelligence-artificielle", "donnee-geographique"],
        "status": "published",
        "featured": False,
        "published_at": "2026-10-14",
        "body": (
            "## Le besoin\n"
            "\n"
            "Sur les mi-pentes de l'île, l'urbanisation progresse souvent par constructions "
            "isolées, parfois en zone agricole ou naturelle. Les orthophotographies aériennes, "
            "renouvelées tous les trois ans, ne permettent pas un suivi assez réactif. Les "
            "partenaires ont voulu tester un suivi annuel à partir d'images satellitaires à très "
            "haute résolution.\n"
            "\n"
            "## Le dispositif testé\n"
            "\n"
            "- Acquisition annuelle d'images satellitaires à 50 cm sur les secteurs à enjeux.\n"
            "- Modèle d'intelligence artificielle entraîné à détecter les toitures nouvelles par "
            "comparaison entre deux dates.\n"
            "- Filtrage des détections par le zonage des documents d'urbanisme et la couche des "
            "espaces agricoles.\n"
            "- Vérification par photo-interprétation avant toute transmission aux services "
            "concernés.\n"
            "\n"
            "## Résultats de la première année\n"
            "\n"
            "| Mesure | Valeur |\n"
            "|---|---|\n"
            "| Surface suivie | 620 km² |\n"
            "| Changements détectés | 1 930 |\n"
            "| Nouvelles constructions confirmées | 1 410 |\n"
            "| Dont en zone agricole ou naturelle | 27 % |\n"
            "\n"
            "## Enseignements\n"
            "\n"
            "Le relief et les ombres compliquent la détection sur les pentes fortes, où le taux "
            "d'erreur est deux fois plus élevé qu'en plaine. Les toitures en tôle, très répandues, "
            "sont en revanche bien reconnues. Le modèle est utile pour produire des statistiques "
            "et orienter les contrôles, mais chaque détection doit être vérifiée par une personne "
            "avant tout usage individuel.\n"
            "\n"
            "## Questions ouvertes\n"
            "\n"
            "- Comment partager les résultats avec les communes sans donner l'impression d'une "
            "surveillance automatisée ?\n"
            "- Faut-il publier des indicateurs agrégés en données ouvertes ?\n"
            "- Comment articuler ce suivi annuel avec l'occupation du sol à grande échelle ?"
        ),
        "links": [],
    },
    {
        "key": "mayotte-donnees-post-cyclone",
        "title": "Après un cyclone à Mayotte : organiser le partage des données d'urgence",
        "summary": (
            "Note tirant les leçons du partage de données après le passage d'un cyclone majeur à "
            "Mayotte : cartographie rapide des dégâts, inventaire des besoins, plateforme commune "
            "et règles à préparer avant la prochaine crise."
        ),
        "kind": "document",
        "ctd": "mayotte",
        "terms": ["donnee-geolocalisee", "espace-commun-de-donnees", "plateforme-de-donnees"],
        "status": "published",
        "featured": False,
        "published_at": "2025-06-26",
        "body": (
            "## Le contexte\n"
            "\n"
            "Après le passage d'un cyclone majeur, les services de secours, les administrations, "
            "les collectivités et les associations ont eu besoin en urgence de données : bâtiments "
            "détruits, routes coupées, points d'eau, populations sinistrées. De nombreuses données "
            "ont été produites rapidement, notamment des cartographies de dégâts à partir d'images "
            "satellitaires, mais leur partage a été difficile.\n"
            "\n"
            "## Ce qui a manqué\n"
            "\n"
            "- Un inventaire préalable des données de référence disponibles et de leurs "
            "détenteurs.\n"
            "- Une plateforme unique connue de tous, où déposer et retrouver les données de "
            "crise.\n"
            "- Des formats communs : chaque acteur produisait ses propres tableaux et cartes.\n"
            "- Des règles claires sur les données sensibles, notamment les listes de personnes "
            "sinistrées.\n"
            "\n"
            "## Ce qui a bien fonctionné\n"
            "\n"
            "- La mobilisation rapide des dispositifs internationaux de cartographie d'urgence.\n"
            "- L'appui des contributeurs bénévoles à la cartographie collaborative, qui ont "
            "complété le bâti et les routes.\n"
            "- La réactivité des services de l'État pour diffuser les premières couches de "
            "synthèse.\n"
            "\n"
            "## Recommandations pour la prochaine crise\n"
            "\n"
            "| Avant la crise | Pendant la crise |\n"
            "|---|---|\n"
            "| Constituer un catalogue des données de référence | Désigner un coordinateur unique "
            "des données |\n"
            "| Préparer une plateforme et des comptes d'accès | Publier chaque jour une synthèse "
            "datée |\n"
            "| Définir des formats communs | Distinguer données publiques et données restreintes "
            "|\n"
            "| Former les agents locaux | Documenter les sources de chaque couche |\n"
            "\n"
            "## Suites\n"
            "\n"
            "Le CTD propose de construire un espace commun de données dédié à la gestion de crise, "
            "préparé en temps normal et activé en cas d'événement majeur, en lien avec les autres "
            "territoires ultramarins exposés aux cyclones."
        ),
        "links": [
            {"title": "Géoportail", "url": "https://www.geoportail.gouv.fr"},
        ],
    },
]


DEMO_SELECTIONS: list[DemoSelection] = [
    {
        "slug": "selection-veille-octobre-2026",
        "title": "Sélection de la veille — octobre 2026",
        "introduction": (
            "Chaque mois, l'équipe de veille du CNIG relaie une poignée de ressources publiées par "
            "les comités territoriaux de la donnée. En octobre, l'**intelligence artificielle** "
            "appliquée à l'imagerie occupe une place notable, avec deux expériences "
            "complémentaires sur les friches et l'étalement urbain. Les **jumeaux numériques** "
            "quittent la démonstration pour la gestion du risque inondation, et deux retours très "
            "concrets montrent comment un syndicat d'énergie et une communauté de communes font "
            "vivre des référentiels partagés dans la durée.\n"
            "\n"
            "Bonne lecture, et n'hésitez pas à proposer vos propres ressources à la veille."
        ),
        "published_at": "2026-11-03",
        "items": [
            (
                "ara-ia-friches",
                (
                    "Un prototype honnête sur ses limites, qui montre comment l'IA peut faire "
                    "remonter des friches de petite taille absentes des inventaires."
                ),
            ),
            (
                "reunion-ia-etalement-urbain",
                (
                    "Un suivi annuel par imagerie satellitaire qui complète utilement l'OCS GE, "
                    "avec des chiffres précis sur les erreurs en terrain pentu."
                ),
            ),
            (
                "hdf-jumeau-inondation",
                (
                    "Un jumeau numérique utilisé pour préparer la gestion de crise, pas seulement "
                    "pour la démonstration."
                ),
            ),
            (
                "normandie-eclairage-public-sde",
                (
                    "Un bel exemple de référentiel métier mutualisé, dont la mise à jour est "
                    "intégrée aux contrats de maintenance."
                ),
            ),
            (
                "grandest-bal-intercommunale",
                (
                    "La preuve qu'une intercommunalité rurale peut porter l'adressage de toutes "
                    "ses communes sans leur retirer la décision."
                ),
            ),
        ],
    },
    {
        "slug": "adresse-et-referentiels-cinq-retours-experience",
        "title": "Adresse et référentiels : cinq retours d'expérience",
        "introduction": (
            "L'adresse et les référentiels à grande échelle sont le socle de presque toutes les "
            "politiques publiques locales : secours, fibre, urbanisme, réseaux. Cette sélection "
            "réunit cinq expériences venues de territoires très différents, de la montagne corse "
            "aux quartiers d'habitat spontané de Guyane.\n"
            "\n"
            "Leur point commun : la technique y compte moins que **l'organisation**. Qui décide, "
            "qui saisit, qui met à jour, qui paie ? Chaque ressource apporte sa réponse, avec des "
            "modèles de documents réutilisables. À lire en particulier si votre CTD prépare un "
            "programme d'accompagnement des communes ou un PCRS mutualisé."
        ),
        "published_at": "2026-04-14",
        "items": [
            (
                "occitanie-bal-accompagnement",
                (
                    "La méthode en quatre étapes la plus aboutie à ce jour pour accompagner les "
                    "petites communes, avec un guide complet."
                ),
            ),
            (
                "corse-adressage-hameaux",
                (
                    "Comment concilier numérotation métrique, toponymie corse et attachement des "
                    "habitants à leurs hameaux."
                ),
            ),
            (
                "guyane-adressage-habitat-spontane",
                (
                    "L'adresse comme condition d'accès aux services essentiels, avec une méthode "
                    "de terrain fondée sur la médiation."
                ),
            ),
            (
                "bretagne-pcrs-mutualise",
                (
                    "La convention type de ce PCRS mutualisé a depuis inspiré plusieurs autres "
                    "régions."
                ),
            ),
            (
                "bfc-lidar-hd-usages",
                (
                    "Cinq usages concrets du LiDAR HD pour les collectivités qui se demandent par "
                    "où commencer."
                ),
            ),
        ],
    },
]


# Resources the CNIG watch relays in the demo, with its note.
DEMO_RELAYS = {
    "occitanie-bal-accompagnement": (
        "Une méthode en quatre étapes, des modèles réutilisables : tout CTD qui accompagne "
        "ses petites communes vers la Base Adresse Locale peut la reprendre telle quelle."
    ),
    "hdf-ortho-groupement-commandes": (
        "Le modèle de convention de groupement de commandes a déjà servi à deux autres régions."
    ),
    "mayotte-donnees-post-cyclone": (
        "Un retour d'expérience rare sur le partage de données en situation de crise."
    ),
}
