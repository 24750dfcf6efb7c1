"""The Lomme 2019–2021 strategy as demonstration data (docs/domain/stspd-2019-2021-axes.md).

Axes and fiches-actions are those of the document (its « perspectives 2019–2021 »); pilots and
partners are mapped to the demo partners of `casework/demo.py`. The problem, solutions and
indicators texts are short summaries written for the demonstration. Loading twice changes nothing.
"""

import datetime
import random

from auditlog.context import set_actor

from access.models import Partner
from casework.models import Motif, Situation, Territory
from casework.retention import AGE_BANDS, OLDEST_BAND
from strategy import selectors, services
from strategy.models import Action, Axis, Indicator, Strategy

TITLE = "Stratégie territoriale de sécurité et de prévention de la délinquance 2019 – 2021"
PERIOD = (datetime.date(2019, 1, 1), datetime.date(2021, 12, 31))

AXES = (
    (1, "Dissuasion et prévention situationnelle"),
    (2, "Prévention sociale, éducation à la citoyenneté et parentalité"),
    (3, "Prévention de la récidive, réparation, accès aux droits et aide aux victimes"),
)

ALL_MOTIFS = "*"

# (code, title, pilot slug, partner slugs, calendar, motifs suggesting it, problem, solutions, indicators)
ACTIONS = (
    (
        "1.1",
        "Élaborer une cartographie de la tranquillité publique",
        "ville",
        "pm pn",
        "2019 – 2020",
        "",
        "Les faits de tranquillité publique sont connus de chaque partenaire séparément.",
        "Partager les signalements dans une cartographie commune mise à jour en cellule de veille.",
        "Cartographie produite ; nombre de cellules de veille l'ayant utilisée.",
    ),
    (
        "1.2",
        "Prévention situationnelle lors des manifestations et évènements ouverts au public",
        "pm",
        "pn ville",
        "Chaque évènement",
        "",
        "Les évènements publics demandent une coordination de la sécurité.",
        "Relais systématique auprès de la Police nationale ; check-list de prévention situationnelle.",
        "Évènements couverts ; incidents relevés.",
    ),
    (
        "1.3",
        "Actualiser la convention de coordination Police municipale – Police nationale",
        "pm",
        "pn",
        "2019",
        "",
        "La convention de coordination date de la stratégie précédente.",
        "Réviser la convention avec la Police nationale et la Préfecture.",
        "Convention signée.",
    ),
    (
        "1.4",
        "Élaborer le Plan communal de sauvegarde (protocole de gestion de crise)",
        "ville",
        "pm",
        "2019 – 2020",
        "",
        "La commune n'a pas de protocole de gestion de crise formalisé.",
        "Rédiger et exercer le Plan communal de sauvegarde.",
        "Plan adopté ; exercices réalisés.",
    ),
    (
        "1.5",
        "Installer la seconde tranche de vidéo-protection",
        "ville",
        "pm pn",
        "2019",
        "",
        "Certains espaces rénovés ne sont pas couverts par le centre de supervision urbain.",
        "Déployer la seconde tranche de caméras et l'intégrer au centre de supervision urbain.",
        "Caméras installées ; réquisitions d'images.",
    ),
    (
        "1.6",
        "Actualiser le projet de service de la Police municipale pour une police de proximité",
        "pm",
        "ville",
        "2020",
        "",
        "La présence de proximité de la Police municipale est à renforcer.",
        "Réviser le projet de service : îlotage, contacts avec les habitants et les commerçants.",
        "Projet de service adopté ; heures d'îlotage.",
    ),
    (
        "1.7",
        "Diagnostic en marchant et marche exploratoire des jeunes filles",
        "ville",
        "rabelais lacordaire azimuts jeunesse",
        "2019 – 2021",
        "",
        "Le sentiment d'insécurité des jeunes filles dans l'espace public est mal connu.",
        "Marches exploratoires avec les collèges, le club de prévention Azimuts et le service Jeunesse.",
        "Marches réalisées ; préconisations suivies d'effet.",
    ),
    (
        "2.1",
        "Renforcer la saisine du Groupe de suivi nominatif et l'orientation vers les dispositifs partenariaux",
        "ville",
        "pm pn parquet rabelais lacordaire azimuts imagine jeunesse missionlocale",
        "2019 – 2021, séances mensuelles",
        ALL_MOTIFS,
        "Des situations de délinquance et de précarité de mineurs et de jeunes majeurs restent sans réponse "
        "coordonnée.",
        "Faire connaître le GSN à tous les partenaires, examiner chaque saisine en séance, rechercher une "
        "orientation efficiente vers les dispositifs dédiés.",
        "Situations reçues, examinées et suivies ; orientations et leur issue ; durée des suivis.",
    ),
    (
        "2.2",
        "Actions et animations pour les jeunes : vivre ensemble, éducation aux médias, citoyenneté, "
        "prévention des conduites à risques",
        "jeunesse",
        "azimuts imagine rabelais lacordaire pm",
        "2019 – 2021",
        "incivilites degradations conduites-addictives exposition-trafics violences-rixes harcelement",
        "Les conduites à risques (protoxyde d'azote…) et les incivilités touchent des jeunes de plus en plus tôt.",
        "Animations dans les collèges et les accueils jeunes, chantiers et engagements citoyens.",
        "Jeunes touchés par les actions ; orientations vers les actions citoyennes.",
    ),
    (
        "2.3",
        "Étudier un lieu d'activité et de permanence pour les jeunes aux Sarts (Vauban)",
        "jeunesse",
        "azimuts imagine missionlocale",
        "2020 – 2021",
        "neet fugue-errance",
        "Le quartier des Sarts n'a pas de lieu d'accueil pour les jeunes.",
        "Étude de besoins avec les habitants et les partenaires ; permanences mobiles en attendant.",
        "Étude rendue ; permanences tenues.",
    ),
    (
        "3.1",
        "Formaliser la procédure de transaction avec le Parquet (rappel à l'ordre, réparation)",
        "ville",
        "parquet pm pjj",
        "2019 – 2020",
        "contact-justice risque-reiteration",
        "Les réponses rapides aux premières infractions des jeunes sont peu formalisées.",
        "Protocole avec le Parquet : rappel à l'ordre, transaction, mesures de réparation et accueil de TIG.",
        "Protocole signé ; rappels à l'ordre ; mesures de réparation.",
    ),
    (
        "3.2",
        "Former et diffuser les outils contre les violences faites aux femmes (guide MEL)",
        "ville",
        "pn pm imagine",
        "2019 – 2021",
        "",
        "Les professionnels repèrent mal les violences intrafamiliales.",
        "Formations, diffusion du guide MEL : détection, réflexe et relais d'information.",
        "Professionnels formés ; guides diffusés.",
    ),
    (
        "3.3",
        "Diffuser le guide métropolitain des dispositifs d'urgence d'aide aux victimes",
        "ville",
        "pn pm imagine",
        "2019",
        "",
        "Les victimes ne connaissent pas les dispositifs d'urgence.",
        "Diffusion du guide aux partenaires et à l'accueil des services.",
        "Guides diffusés.",
    ),
    (
        "3.4",
        "Engager une réflexion sur l'accès au droit avec le SIAVIC",
        "ville",
        "imagine",
        "2020 – 2021",
        "",
        "L'accès au droit des habitants reste inégal.",
        "Groupe de travail avec l'association d'aide aux victimes (SIAVIC) et le conciliateur de justice.",
        "Réunions tenues ; permanences ouvertes.",
    ),
    (
        "3.5",
        "Lister et diffuser les dispositifs contre le harcèlement",
        "ville",
        "rabelais lacordaire paej mda",
        "2019 – 2021",
        "harcelement",
        "Les jeunes victimes de harcèlement ne savent pas à qui s'adresser.",
        "Recenser les dispositifs (écoute, consultations, signalement) et les diffuser dans les collèges.",
        "Document diffusé ; orientations vers les dispositifs d'écoute.",
    ),
)


def strategy_demo_load(*, partners: dict[str, Partner]) -> Strategy:
    """Create the strategy, its axes and fiches-actions where missing."""
    strategy, _created = Strategy.objects.get_or_create(
        title=TITLE, defaults={"starts_on": PERIOD[0], "ends_on": PERIOD[1]}
    )
    axes = {}
    for number, title in AXES:
        axes[number], _created = Axis.objects.get_or_create(strategy=strategy, number=number, defaults={"title": title})
    for code, title, pilot, associated, calendar, motifs, problem, solutions, indicators in ACTIONS:
        if Action.objects.filter(strategy=strategy, code=code).exists():
            continue
        action = Action(
            axis=axes[int(code.split(".")[0])],
            code=code,
            title=title,
            pilot=partners[pilot],
            calendar=calendar,
            problem=problem,
            solutions=solutions,
            indicators=indicators,
        )
        action.save()
        action.partners.set([partners[slug] for slug in associated.split()])
        suggested = Motif.objects.all() if motifs == ALL_MOTIFS else Motif.objects.filter(code__in=motifs.split())
        action.suggested_for_motifs.set(suggested)
    return strategy


def situation_actions_demo_load(*, strategy: Strategy, coordinator, demo_situations) -> None:
    """Each demo situation contributes to 2.1 (it was brought to the GSN); examined ones also to
    what their motifs and referrals propose, as a référent would have confirmed. Once."""
    if Situation.objects.filter(action_links__action__strategy=strategy).exists():
        return
    gsn = strategy.actions.get(code="2.1")
    with set_actor(coordinator):
        for situation in demo_situations.filter(restricted=False).order_by("reference"):
            services.situation_action_confirm(situation=situation, action=gsn, by=coordinator)
            if situation.status == Situation.Status.RECEIVED:
                continue
            for proposal in selectors.proposed_actions(situation, {gsn.pk}):
                services.situation_action_confirm(situation=situation, action=proposal.action, by=coordinator)


# (code, label, unit, baseline, target, source, entered value and its source or None)
INDICATORS = (
    (
        "1.5",
        "Caméras de la seconde tranche en service",
        "caméras",
        0,
        20,
        "saisie",
        (14, "Service technique de la Ville"),
    ),
    ("2.1", "Jeunes dont la situation est portée au GSN", "jeunes", None, 60, "situations", None),
    ("2.1", "Suivis menés jusqu'à leur clôture", "suivis", None, 20, "cloturees", None),
    ("2.1", "Orientations vers les dispositifs partenariaux", "orientations", None, 30, "orientations", None),
    ("2.2", "Participations aux actions collectives", "participations", None, 300, "participants", None),
    ("2.2", "Séances d'accueil et d'animation tenues", "séances", None, 24, "seances_collectives", None),
    (
        "2.2",
        "Ateliers d'éducation aux médias dans les collèges",
        "ateliers",
        4,
        12,
        "saisie",
        (8, "Bilan du service jeunesse"),
    ),
    ("3.2", "Professionnels formés au guide MEL", "professionnels", 0, 40, "saisie", (35, "Feuilles d'émargement")),
)
# (code, state, comment)
PROGRESS = (
    ("1.1", "realisee", "Cartographie livrée et présentée en cellule de veille."),
    ("1.5", "en_cours", "Quatorze caméras sur vingt installées ; la fin de la tranche est prévue au printemps."),
    ("2.1", "en_cours", "Saisines régulières de l'Éducation nationale et des bailleurs ; peu de la Police nationale."),
    (
        "2.2",
        "en_cours",
        "Accueil jeune du mercredi et deux conférences sur les écrans ; « Coup de pouce » à la rentrée.",
    ),
    ("2.3", "pas_commencee", "Étude reportée faute de local disponible aux Sarts."),
    ("3.2", "realisee", "Trois sessions de formation tenues."),
    ("3.4", "abandonnee", "Le SIAVIC tient désormais une permanence mensuelle : la réflexion est sans objet."),
)
COLLECTIVE = (("Accueil jeune du mercredi", "sarts-vauban"), ("Conférence « écrans et réseaux »", None))


def steering_demo_load(*, strategy: Strategy, coordinator, today: datetime.date, seed: int) -> None:
    """Indicators, states of progress and collective sessions of the last twelve months, as the pilots
    would have entered them (here by the coordination, who steers every fiche). Once."""
    if Indicator.objects.filter(action__strategy=strategy).exists():
        return
    rng = random.Random(seed)
    start = today.replace(day=1) - datetime.timedelta(days=334)
    start = start.replace(day=1)
    actions = {action.code: action for action in strategy.actions.all()}
    with set_actor(coordinator):
        for code, label, unit, baseline, target, source, entered in INDICATORS:
            indicator = services.indicator_save(
                indicator=Indicator(
                    action=actions[code],
                    label=label,
                    unit=unit,
                    baseline=baseline,
                    target=target,
                    starts_on=start,
                    ends_on=today,
                    source=source,
                ),
                by=coordinator,
            )
            if entered:
                value, origin = entered
                services.indicator_value_record(
                    indicator=indicator, value=value, measured_on=today, source=origin, by=coordinator
                )
        for code, state, comment in PROGRESS:
            services.action_progress_record(
                action=actions[code],
                state=state,
                on=today - datetime.timedelta(days=20),
                comment=comment,
                by=coordinator,
            )
        bands = [label for _limit, label in AGE_BANDS] + [OLDEST_BAND]
        for week in range(0, 48, 2):
            label, territory = COLLECTIVE[0] if week % 8 else COLLECTIVE[1]
            counts = {
                (band, gender): rng.randint(0, 4) if band in ("13-15", "16-17") else rng.randint(0, 1)
                for band in bands[:4]
                for gender in ("F", "M")
            }
            services.collective_session_record(
                action=actions["2.2"],
                held_on=today - datetime.timedelta(weeks=week, days=1),
                label=label,
                territory=Territory.objects.filter(code=territory).first() if territory else None,
                counts=counts if sum(counts.values()) else {("13-15", "F"): 1},
                by=coordinator,
            )
