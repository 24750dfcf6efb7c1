"""Fictional demonstration catalogue and referrals, loaded by `manage.py load_demo` after situations.

Schemes come from the glossary (docs/domain/GLOSSARY.md), each run by a demo partner. Referrals go
through the real services, so grants, notifications and audit rows are those the app would produce;
their dates are then moved back so that the list reads like weeks of use, one of them past its
deadline. Loading twice changes nothing.
"""

import datetime
import random
from dataclasses import dataclass

from auditlog.context import set_actor

from access.models import Partner
from casework.models import Motif, Situation, Territory
from referrals import services
from referrals.models import DeclineReason, Outcome, Referral, Scheme
from referrals.routing import scheme_routing
from strategy.demo import TITLE as STRATEGY_TITLE
from strategy.models import Action


@dataclass(frozen=True)
class DemoScheme:
    name: str
    operator: str  # partner slug of casework.demo.PARTNERS
    ages: tuple[int | None, int | None]
    motifs: str = ""
    territories: str = ""
    deadline_days: int = 15
    action: str = ""  # code of the fiche-action in the demo strategy (strategy/demo.py)
    description: str = ""


SCHEMES = (
    DemoScheme(
        "Programme de Réussite Éducative (PRE)",
        "ville",
        (2, 16),
        "absenteisme-scolaire decrochage-scolaire exclusion-scolaire difficultes-educatives conflit-familial mal-etre",
        "mitterie delivrance sarts-vauban",
        description="Parcours individualisé pour l'enfant et sa famille dans les quartiers prioritaires (CCAS).",
        action="2.1",
    ),
    DemoScheme(
        "Accompagnement éducatif de prévention spécialisée",
        "azimuts",
        (11, 21),
        "fugue-errance exposition-trafics conduites-addictives decrochage-scolaire incivilites violences-rixes "
        "mal-etre",
        deadline_days=10,
        description="Travail de rue et accompagnement éducatif libre adhésion, anonyme si besoin.",
        action="2.1",
    ),
    DemoScheme(
        "Chantiers éducatifs",
        "azimuts",
        (16, 21),
        "neet decrochage-scolaire incivilites degradations",
        description="Courtes missions rémunérées encadrées par les éducateurs, pour remettre le pied à l'étrier.",
        action="2.2",
    ),
    DemoScheme(
        "Contrat d'engagement jeune (CEJ)",
        "missionlocale",
        (16, 25),
        "neet decrochage-scolaire",
        description="Accompagnement intensif vers l'emploi ou la formation, avec allocation.",
        action="2.3",
    ),
    DemoScheme(
        "Mesure éducative en milieu ouvert (PJJ)",
        "pjj",
        (10, 21),
        "contact-justice risque-reiteration violences-rixes",
        deadline_days=10,
        description="Suivi éducatif ordonné ou proposé dans le cadre judiciaire.",
        action="3.1",
    ),
    DemoScheme(
        "Conseil pour les droits et devoirs des familles (CDDF)",
        "ville",
        (None, 17),
        "difficultes-educatives absenteisme-scolaire incivilites conflit-familial",
        deadline_days=30,
        description="Le maire reçoit la famille et propose un accompagnement parental.",
        action="2.1",
    ),
    DemoScheme(
        "Rappel à l'ordre du maire",
        "ville",
        (10, 17),
        "incivilites degradations absenteisme-scolaire",
        action="3.1",
    ),
    DemoScheme(
        "Maison des adolescents — accueil et consultations",
        "mda",
        (11, 25),
        "mal-etre conduites-addictives harcelement conflit-familial fugue-errance",
        deadline_days=10,
        description="Accueil sans rendez-vous, consultations psychologiques et médicales.",
        action="3.5",
    ),
    DemoScheme(
        "Point Accueil Écoute Jeunes (PAEJ)",
        "paej",
        (12, 25),
        "mal-etre conflit-familial harcelement conduites-addictives",
        deadline_days=7,
        description="Écoute anonyme et gratuite des jeunes et de leurs parents.",
        action="3.5",
    ),
    DemoScheme(
        "Coup de pouce — service Jeunesse",
        "jeunesse",
        (13, 20),
        "neet decrochage-scolaire incivilites",
        description="Aide à un projet personnel en échange d'un engagement citoyen.",
        action="2.2",
    ),
    DemoScheme(
        "Accueil jeunes et accompagnement à la scolarité",
        "imagine",
        (6, 17),
        "difficultes-educatives decrochage-scolaire absenteisme-scolaire conflit-familial",
        "bourg marais delivrance",
        description="Activités du centre social Imagine et aide aux devoirs.",
    ),
)

OPERATOR_OF = {demo.name: demo.operator for demo in SCHEMES}
# What becomes of the demo referrals, in order; "en_retard" is sent and left past its deadline.
PLAN = ("en_retard", "envoyee", "acceptee", "en_cours", "terminee", "refusee", "proposee", "abandonnee", "envoyee")
COORDINATOR = "coordination"


def referrals_demo_load(*, rng: random.Random, today: datetime.date, partners: dict[str, Partner], users: dict):
    """Create the missing schemes, then the referrals if there are none; return (schemes, referrals) created."""
    schemes_created = sum(_scheme_load(demo, partners) for demo in SCHEMES)
    if Referral.objects.exists():
        return schemes_created, 0
    situations = Situation.objects.filter(
        status__in=(Situation.Status.ACTIVE, Situation.Status.EXAMINED), person__isnull=False
    ).order_by("reference")
    created = 0
    used_schemes: set[int] = set()
    for situation, target in zip(situations, PLAN, strict=False):
        fit = next(
            (
                f
                for f in scheme_routing(situation, today)
                if f.eligible and f.scheme.name in OPERATOR_OF and f.scheme.pk not in used_schemes
            ),
            None,
        )
        if fit is None:
            continue
        used_schemes.add(fit.scheme.pk)
        _referral_load(rng, today, situation, fit.scheme, target, users)
        created += 1
    # The overdue referral gets its first reminder, as the beat task would have sent it.
    services.referral_reminders_send()
    return schemes_created, created


def _scheme_load(demo: DemoScheme, partners: dict[str, Partner]) -> bool:
    scheme, created = Scheme.objects.get_or_create(
        name=demo.name,
        defaults={
            "operator": partners[demo.operator],
            "min_age": demo.ages[0],
            "max_age": demo.ages[1],
            "response_deadline_days": demo.deadline_days,
            "description": demo.description,
        },
    )
    if created:
        scheme.motifs.set(Motif.objects.filter(code__in=demo.motifs.split()))
        scheme.territories.set(Territory.objects.filter(code__in=demo.territories.split()))
    if demo.action and scheme.action_id is None:
        scheme.action = Action.objects.filter(strategy__title=STRATEGY_TITLE, code=demo.action).first()
        scheme.save(update_fields=["action"])
    return created


# Written only where the family refused (PARCOURS_CONSENT_POLICY « justification »); ignored elsewhere.
DEMO_CONSENT_JUSTIFICATION = "Situation fictive : le collège et la famille élargie demandent un relais malgré le refus."


def _referral_load(rng, today, situation, scheme: Scheme, target: str, users: dict) -> None:
    coordinator = users[COORDINATOR]
    operator_user = users[f"{OPERATOR_OF[scheme.name]}1"]
    with set_actor(coordinator):
        referral = services.referral_propose(
            situation=situation, scheme=scheme, by=coordinator, consent_justification=DEMO_CONSENT_JUSTIFICATION
        )
        if target != "proposee":
            services.referral_send(referral_id=referral.pk, by=coordinator)
    with set_actor(operator_user):
        if target in ("acceptee", "en_cours", "terminee"):
            services.referral_accept(referral_id=referral.pk, by=operator_user)
        if target in ("en_cours", "terminee"):
            services.referral_start(referral_id=referral.pk, by=operator_user)
        if target == "terminee":
            outcome = Outcome.objects.get(code="relais-droit-commun")
            services.referral_end(referral_id=referral.pk, by=operator_user, outcome=outcome)
        if target == "refusee":
            reason = DeclineReason.objects.get(code="pas-de-place")
            services.referral_decline(referral_id=referral.pk, by=operator_user, reason=reason)
    if target == "abandonnee":
        with set_actor(coordinator):
            services.referral_abandon(referral_id=referral.pk, by=coordinator)
    _backdate(rng, today, referral.pk, overdue=target == "en_retard")


def _backdate(rng: random.Random, today: datetime.date, referral_id, overdue: bool) -> None:
    """Move every date of the referral back by the same number of days (past its deadline if `overdue`)."""
    referral = Referral.objects.select_related("scheme").get(pk=referral_id)
    days = referral.scheme.response_deadline_days + rng.randint(3, 12) if overdue else rng.randint(2, 5)
    shift = datetime.timedelta(days=days)
    changes = {
        name: getattr(referral, name) - shift
        for name in ("proposed_at", "sent_at", "deadline", "answered_at", "started_at", "ended_at")
        if getattr(referral, name) is not None
    }
    Referral.objects.filter(pk=referral_id).update(**changes)
