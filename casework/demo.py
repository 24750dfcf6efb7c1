"""Fictional demonstration data of the casework app: partners, accounts, situations (see config.demo).

Partners come from the Lomme 2019–2021 strategy (docs/domain/stspd-2019-2021-axes.md); every
young person, professional, address, phone number and note is invented, and each young person is
marked `is_fictional`. Situations go through the real services, so references, object permissions
and audit rows are the ones the application itself would produce. A seeded `random.Random` makes
the data the same on every machine; dates are relative to the day of loading.

Two gaps are deliberate, to show the gates: the landlord has not signed the charter (its staff see
nothing) and `imagine2` has not accepted it (they meet the charter screen at sign-in).
"""

import datetime
import random
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from access import ledger
from access.models import CASE_ROLES, BreakGlassAccess, Membership, Partner, Reason, Role
from access.permissions import coordination_group
from access.services import break_glass_open, charter_accept, membership_set
from casework.models import (
    ClosureReason,
    Gender,
    Information,
    Motif,
    Note,
    RetentionRule,
    Situation,
    Source,
    Territory,
    YouthOutcome,
)
from casework.services import (
    Identity,
    information_record,
    note_create,
    retention_rule_set,
    situation_close,
    situation_create,
    situation_reopen,
    situation_update,
)

DEMO_PASSWORD = "Parcours-demo-2026!"
EMAIL_DOMAIN = "demo.invalid"
DUMMY_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
SEED = 2026
STATUS = Situation.Status
RESPONSE = Information.Response


class DemoDataError(Exception):
    """The database is not ready for demonstration data."""


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    kind: str
    signed_on: datetime.date | None
    staff: tuple[tuple[str, str], tuple[str, str]]
    # Sources of the saisines this partner records, and the motifs it usually sees.
    sources: tuple[str, ...] = ()
    motifs: tuple[str, ...] = ()
    ages: tuple[int, int] = (12, 21)


def _partner(slug, name, kind, signed_on, staff, sources="", motifs="", ages=(12, 21)) -> DemoPartner:
    return DemoPartner(slug, name, kind, signed_on, staff, tuple(sources.split()), tuple(motifs.split()), ages)


PARTNERS = (
    _partner(
        "ville",
        "Ville de Lomme",
        Partner.Kind.CITY,
        datetime.date(2025, 1, 13),
        staff=(("Inès", "Carpentel"), ("Romain", "Dufresnoy-Lalande")),
        sources="famille service-social-departemental bailleur-social autre",
        motifs="conflit-familial difficultes-educatives incivilites absenteisme-scolaire degradations fugue-errance",
    ),
    _partner(
        "pm",
        "Police municipale",
        Partner.Kind.MUNICIPAL_POLICE,
        datetime.date(2025, 1, 20),
        staff=(("Julien", "Marbrecourt"), ("Sabrina", "Tessonnier")),
        sources="police-municipale",
        motifs="incivilites degradations fugue-errance exposition-trafics conduites-addictives",
    ),
    _partner(
        "pn",
        "Police nationale",
        Partner.Kind.NATIONAL_POLICE,
        datetime.date(2025, 2, 3),
        staff=(("Karim", "Vallombreuse"), ("Élodie", "Sarrazinet")),
        sources="police-nationale",
        motifs="violences-rixes exposition-trafics risque-reiteration contact-justice degradations",
        ages=(13, 20),
    ),
    _partner(
        "parquet",
        "Parquet",
        Partner.Kind.PROSECUTOR,
        datetime.date(2025, 2, 10),
        staff=(("Hélène", "Brassemonde"), ("François", "Quillebœuf-Martel")),
        sources="parquet",
        motifs="contact-justice risque-reiteration violences-rixes",
        ages=(14, 19),
    ),
    _partner(
        "rabelais",
        "Collège Rabelais",
        Partner.Kind.SCHOOL,
        datetime.date(2025, 1, 27),
        staff=(("Nathalie", "Fréminval"), ("Olivier", "Castelbrun")),
        sources="education-nationale",
        motifs="absenteisme-scolaire decrochage-scolaire exclusion-scolaire harcelement incivilites mal-etre "
        "difficultes-educatives",
        ages=(12, 15),
    ),
    _partner(
        "lacordaire",
        "Collège Lacordaire",
        Partner.Kind.SCHOOL,
        datetime.date(2025, 3, 3),
        staff=(("Sophie", "Hautecloque-Rivel"), ("Mehdi", "Barentin-Sauge")),
        sources="education-nationale",
        motifs="absenteisme-scolaire decrochage-scolaire exclusion-scolaire harcelement mal-etre conflit-familial",
        ages=(12, 15),
    ),
    _partner(
        "azimuts",
        "Club de prévention Azimuts",
        Partner.Kind.YOUTH_WORK,
        datetime.date(2025, 1, 20),
        staff=(("Yannick", "Combreval"), ("Léonie", "Pradalier")),
        sources="prevention-specialisee",
        motifs="fugue-errance exposition-trafics conduites-addictives neet mal-etre conflit-familial "
        "decrochage-scolaire",
        ages=(14, 22),
    ),
    _partner(
        "imagine",
        "Centre social Imagine",
        Partner.Kind.SOCIAL_CENTRE,
        datetime.date(2025, 2, 17),
        staff=(("Fatou", "Lemerval"), ("Thomas", "Gravelinès")),
        sources="centre-social",
        motifs="difficultes-educatives conflit-familial incivilites decrochage-scolaire mal-etre",
    ),
    _partner(
        "jeunesse",
        "Service Jeunesse Sport et Vie Associative",
        Partner.Kind.YOUTH_SERVICE,
        datetime.date(2025, 1, 13),
        staff=(("Aurélien", "Montbrisard"), ("Margaux", "Vernangeot")),
        sources="autre",
        motifs="incivilites neet decrochage-scolaire mal-etre harcelement",
        ages=(13, 20),
    ),
    # Without a signed charter: its staff can sign in but see no situation.
    _partner(
        "bailleur",
        "Bailleur Habitat Métropole (fictif)",
        Partner.Kind.LANDLORD,
        None,
        staff=(("Patrick", "Rouvillard"), ("Céline", "Amblevert")),
    ),
    _partner(
        "missionlocale",
        "Mission locale",
        Partner.Kind.MISSION_LOCALE,
        datetime.date(2025, 3, 10),
        staff=(("Samia", "Delacrouy"), ("Benoît", "Haverlanche")),
        sources="mission-locale",
        motifs="neet decrochage-scolaire conduites-addictives mal-etre risque-reiteration",
        ages=(16, 24),
    ),
    # Operators of schemes in the referral catalogue (referrals/demo.py); they record no saisine.
    _partner(
        "pjj",
        "PJJ — unité éducative de milieu ouvert (fictive)",
        Partner.Kind.PJJ,
        datetime.date(2025, 4, 7),
        staff=(("Nadia", "Fourmentel"), ("Gilles", "Barbecane")),
    ),
    _partner(
        "mda",
        "Maison des adolescents (fictive)",
        Partner.Kind.OTHER,
        datetime.date(2025, 4, 14),
        staff=(("Claire-Marie", "Loubressac"), ("Yacine", "Dervalle")),
    ),
    _partner(
        "paej",
        "Point Accueil Écoute Jeunes (fictif)",
        Partner.Kind.OTHER,
        datetime.date(2025, 4, 14),
        staff=(("Maud", "Trévillac"), ("Hugo", "Peyrelongue")),
    ),
)

# (username, partner slug, role, first name, last name); staff accounts come from PARTNERS.
OFFICERS = (
    ("coordination", "ville", Role.COORDINATOR, "Claire", "Vasselinot"),
    ("dpo", "ville", Role.DPO, "Marc", "Ternoisel"),
    ("admin", "ville", Role.ADMIN, "Agnès", "Piquemoulin"),
)
WITHOUT_CHARTER = "imagine2"

# How many named situations each partner records; the club also records the anonymous ones.
AUTHORING = {
    "ville": 5,
    "pm": 3,
    "pn": 3,
    "parquet": 1,
    "rabelais": 5,
    "lacordaire": 4,
    "azimuts": 4,
    "imagine": 4,
    "jeunesse": 3,
    "missionlocale": 4,
}
NAMED_STATUSES = (
    [STATUS.RECEIVED] * 6
    + [STATUS.EXAMINED] * 5
    + [STATUS.NOT_RETAINED] * 5
    + [STATUS.ACTIVE] * 12
    + [STATUS.CLOSED] * 8
)
ANONYMOUS_STATUSES = (STATUS.RECEIVED, STATUS.EXAMINED, STATUS.ACTIVE, STATUS.ACTIVE)
# Days between the saisine and today, by status: recent saisines wait, older ones moved on.
AGE_IN_DAYS = {
    STATUS.RECEIVED: (2, 40),
    STATUS.EXAMINED: (20, 120),
    # Under a year: the retention period (one year after the decision) has not run out yet.
    STATUS.NOT_RETAINED: (40, 330),
    STATUS.ACTIVE: (45, 400),
    STATUS.CLOSED: (200, 545),
}
REFERENTS_MINORS = ("azimuts1", "azimuts2", "imagine1", "jeunesse1", "rabelais1", "lacordaire2", "ville1")
REFERENTS_ADULTS = ("azimuts1", "azimuts2", "missionlocale1", "missionlocale2", "jeunesse2")

# Invented surnames, chosen to sound French without being anyone's.
SURNAMES = (
    *("Brumelot", "Castagnol", "Pivoinet", "Lerouvrel", "Tambourel", "Quenardel", "Vismoulin", "Bourdalet"),
    *("Frimousset", "Trabelin", "Gallimou", "Marivenne", "Pertuiset", "Cornemuche", "Ravinelle", "Moucheval"),
    *("Tirelouve", "Bramefond", "Escarbel", "Fontavril", "Girouet", "Jolibrun", "Méridol", "Noiseval"),
    *("Orvaleau", "Pâquerol", "Quintavel", "Saulnevent", "Tréfousse", "Ursinal", "Vautrelle", "Zéphiran"),
    *("Calvaudin", "Dormeval", "Grivelot", "Houblonnet", "Lucarnet", "Mirabellon", "Pimprenel", "Sorbonnet"),
)
FIRST_NAMES = {
    Gender.FEMALE: (
        *("Léa", "Inaya", "Jade", "Lina", "Maëlys", "Chloé", "Aya", "Manon"),
        *("Sarah", "Louna", "Zoé", "Nour", "Camille", "Lou", "Yasmine"),
    ),
    Gender.MALE: (
        *("Noah", "Adam", "Enzo", "Rayan", "Lucas", "Nathan", "Ilyes", "Mathis"),
        *("Sacha", "Yanis", "Théo", "Kylian", "Hugo", "Ismaël", "Jules"),
    ),
}
GENDERS = ((Gender.FEMALE, 45), (Gender.MALE, 50), (Gender.OTHER, 2), (Gender.UNKNOWN, 3))
TERRITORIES = (
    ("bourg", 20),
    ("mitterie", 20),
    ("marais", 15),
    ("delivrance", 20),
    ("sarts-vauban", 20),
    ("hors-commune", 5),
)
CLOSURE_REASONS = (
    ("objectifs-atteints", 4),
    ("relais-droit-commun", 4),
    ("demenagement", 1),
    ("prise-en-charge-judiciaire", 1),
    ("limite-age", 1),
    ("perte-contact", 1),
    ("absence-evolution", 1),
)
STREETS = (
    "rue de l'Exemple",
    "allée des Figurants",
    "résidence du Scénario",
    "rue du Prototype",
    "impasse de la Maquette",
    "avenue de la Démonstration",
)
COLLEGES = ("Collège Rabelais", "Collège Lacordaire")
HIGH_SCHOOLS = ("Lycée professionnel de l'Exemple (fictif)", "Lycée du Prototype (fictif)")
MOTIF_DETAILS = {
    "absenteisme-scolaire": "Absences répétées depuis la rentrée, surtout en début de semaine.",
    "decrochage-scolaire": "Ne se présente plus en cours depuis plusieurs semaines.",
    "harcelement": "Dit subir des moqueries répétées sur les réseaux sociaux.",
    "fugue-errance": "Plusieurs nuits hors du domicile signalées par la famille.",
    "neet": "Sorti de formation sans diplôme, aucune démarche en cours.",
    "conflit-familial": "Tensions importantes à la maison selon le jeune.",
    "mal-etre": "Repli sur soi remarqué par l'équipe éducative.",
}

RECEIPT_NOTES = (
    "Saisine préparée après un échange avec le jeune, qui accepte que sa situation soit présentée au groupe.",
    "Premier contact avec la famille : la mère souhaite être aidée et sera présente au prochain rendez-vous.",
    "Situation repérée par l'équipe depuis quelques mois ; les démarches habituelles n'ont pas suffi.",
    "Le jeune fréquente l'accueil jeunes de façon irrégulière ; relation de confiance en construction.",
    "Saisine transmise à la coordination ; en attente d'inscription à l'ordre du jour de la séance.",
)
ANONYMOUS_NOTES = (
    "Jeune rencontré lors du travail de rue ; il ne souhaite pas donner son nom pour l'instant.",
    "Présence régulière en soirée près du local multi-partenarial ; accroche en cours avec l'équipe.",
    "Échange informel au Cap Bleu : le jeune évoque des difficultés à trouver sa place.",
)
EXAMINATION_NOTES = (
    "Situation présentée en séance du GSN ; le groupe propose un rendez-vous avec un référent de parcours.",
    "Examen en séance : deux partenaires connaissent le jeune ; un point commun est prévu d'ici la séance.",
    "Examen en séance : informations complémentaires à recueillir auprès de l'établissement scolaire.",
    "Le groupe retient la situation ; la famille sera reçue avec le jeune pour présenter le suivi.",
)
NOT_RETAINED_NOTES = (
    "Situation non retenue : un accompagnement de droit commun est déjà en place et suffit pour l'instant.",
    "Situation non retenue par le groupe ; le partenaire à l'origine reste attentif et peut la représenter.",
    "Non retenue : la famille a engagé d'elle-même des démarches auprès du centre social.",
)
FOLLOW_UP_NOTES = (
    "Rendez-vous honoré ; le jeune exprime le souhait de reprendre une formation.",
    "Contact établi avec la mère, qui soutient la démarche engagée.",
    "Inscription à l'accueil jeunes du centre social ; participation régulière depuis trois semaines.",
    "Orientation vers la Mission locale proposée, premier rendez-vous fixé.",
    "Absent au rendez-vous prévu ; nouvelle proposition envoyée par courrier.",
    "Participation au dispositif « Coup de pouce » du service Jeunesse ; retours positifs de l'animateur.",
    "Assiduité en nette amélioration d'après l'établissement.",
    "Entretien avec le jeune et son père : objectifs du suivi redéfinis ensemble.",
)
PARTNER_NOTES = (
    "Note interne : prévoir un échange avec l'équipe avant la prochaine séance.",
    "Note interne : rendez-vous à caler avec la collègue qui connaît la famille.",
    "Note interne : dossier à reprendre pendant les congés de l'éducateur référent.",
)
CLOSURE_NOTES = (
    "Bilan de fin de suivi partagé avec le jeune et sa famille.",
    "Fin du suivi par le groupe ; le relais est pris par les services de droit commun.",
    "Clôture décidée en séance ; le partenaire à l'origine reste disponible si la situation évolue.",
)


@dataclass
class DemoResult:
    partners_created: int = 0
    users_created: list[str] = field(default_factory=list)
    situations_created: int = 0
    notes_created: int = 0
    schemes_created: int = 0
    referrals_created: int = 0
    # (username, partner name, role label, remark) for every demo account, created or not.
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)


BREAK_GLASS_REASON = (
    "Appel de la police nationale un samedi soir : le jeune est retrouvé seul en gare, il faut "
    "joindre le référent de parcours et vérifier la dernière décision du groupe."
)


def break_glass_load(users: dict) -> None:
    """One situation kept from the coordination (as if restricted) and opened by break-glass, so that
    the DPO console shows what such an access looks like."""
    if BreakGlassAccess.objects.exists():
        return
    coordinator = users["coordination"]
    situation = (
        Situation.objects.filter(created_by=users["pn1"], person__isnull=False, referrals__isnull=True)
        .exclude(status=Situation.Status.CLOSED)
        .order_by("reference")
        .first()
    )
    if situation is None:
        return
    with set_actor(coordinator):
        ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=coordinator)
        break_glass_open(situation=situation, user=coordinator, reason=BREAK_GLASS_REASON)


DPIA_REFERENCES = {STATUS.NOT_RETAINED: "AIPD GSN 2025, § 6.2", STATUS.CLOSED: "AIPD GSN 2025, § 6.3"}
# How many days before its purge the demo's oldest not-retained saisine stands.
DAYS_BEFORE_PURGE = 12


def lifecycle_load(today: datetime.date, users: dict) -> None:
    """Retention periods with their DPIA reference, a saisine due for purge within the month, a
    reopened follow-up and a danger flag: each created once, whatever the number of runs."""
    dpo, coordinator = users["dpo"], users["coordination"]
    demo_situations = Situation.objects.filter(created_by__in=users.values())
    with set_actor(dpo):
        for rule in RetentionRule.objects.exclude(dpia_reference__in=DPIA_REFERENCES.values()):
            retention_rule_set(status=rule.status, days=rule.days, dpia_reference=DPIA_REFERENCES[rule.status], by=dpo)
    not_retained = demo_situations.filter(status=STATUS.NOT_RETAINED).order_by("status_since", "reference").first()
    days = RetentionRule.objects.get(status=STATUS.NOT_RETAINED).days
    if not_retained and not_retained.status_since > today - datetime.timedelta(days=days):
        due_since = today - datetime.timedelta(days=days - DAYS_BEFORE_PURGE)
        _status_backdate(not_retained, min(not_retained.status_since, due_since))
    closed = demo_situations.filter(status=STATUS.CLOSED, person__isnull=False).order_by("reference").first()
    if closed and not demo_situations.filter(previous__isnull=False).exists():
        with set_actor(coordinator):
            reopened = situation_reopen(
                situation_id=closed.pk,
                by=coordinator,
                source=closed.source,
                received_on=today - datetime.timedelta(days=6),
                motifs=list(closed.motifs.all()),
            )
        note_create(
            situation=reopened,
            by=coordinator,
            body="Nouvelle saisine : le jeune a repris contact avec l'accueil jeunes après plusieurs mois.",
            visibility=Note.Visibility.GROUP,
        )
    if not demo_situations.filter(danger=True).exists():
        flagged = (
            demo_situations.filter(status=STATUS.ACTIVE, person__birth_year__gte=today.year - 15, restricted=False)
            .order_by("reference")
            .first()
        )
        if flagged:
            _update(flagged, coordinator, {"danger": True})


def partners_load(result: DemoResult) -> dict[str, Partner]:
    partners = {}
    for demo in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            name=demo.name, defaults={"kind": demo.kind, "charter_signed_on": demo.signed_on}
        )
        partners[demo.slug] = partner
        result.partners_created += created
    return partners


def users_load(partners, charter, result: DemoResult) -> dict:
    # One hash for all: Argon2 costs tens of milliseconds per call, and the password is shared anyway.
    password = make_password(DEMO_PASSWORD)
    accounts = [
        *OFFICERS,
        *[
            (f"{demo.slug}{number}", demo.slug, Role.STAFF, first, last)
            for demo in PARTNERS
            for number, (first, last) in enumerate(demo.staff, start=1)
        ],
    ]
    users = {}
    for username, slug, role, first, last in accounts:
        partner = partners[slug]
        is_admin = role == Role.ADMIN
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{EMAIL_DOMAIN}",
                "password": password,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        # An existing membership is left as it is: someone may have changed it on purpose.
        membership = Membership.objects.filter(user=user).select_related("partner").first()
        if membership is None:
            membership = membership_set(user=user, partner=partner, role=role)
        if username != WITHOUT_CHARTER:
            charter_accept(user=user, charter=charter)
        users[username] = user
        if created:
            result.users_created.append(username)
        remark = _remark(user, membership, created)
        result.accounts.append((username, membership.partner.name, membership.get_role_display(), remark))
    return users


def _remark(user, membership: Membership, created: bool) -> str:
    remarks = []
    if not created and not user.email.endswith(f"@{EMAIL_DOMAIN}"):
        remarks.append("compte existant hors démonstration, mot de passe inchangé")
    if membership.role not in CASE_ROLES:
        remarks.append("rôle sans accès au contenu des situations")
    if not membership.partner.may_share:
        remarks.append("partenaire sans charte signée : ne voit aucune situation")
    if user.username == WITHOUT_CHARTER:
        remarks.append("charte non acceptée : écran de la charte à la connexion")
    return " ; ".join(remarks)


@dataclass
class _Plan:
    author: str
    partner: DemoPartner
    status: str
    received_on: datetime.date
    anonymous: bool = False


def situations_load(rng: random.Random, today: datetime.date, users: dict, result: DemoResult) -> None:
    by_slug = {demo.slug: demo for demo in PARTNERS}
    authoring = [slug for slug, count in AUTHORING.items() for _ in range(count)]
    statuses = list(NAMED_STATUSES)
    rng.shuffle(authoring)
    rng.shuffle(statuses)
    plans = [
        _Plan(_author_of(rng, by_slug[slug]), by_slug[slug], status, _received_on(rng, today, status))
        for slug, status in zip(authoring, statuses, strict=True)
    ]
    plans += [
        _Plan(
            rng.choice(("azimuts1", "azimuts2")),
            by_slug["azimuts"],
            status,
            _received_on(rng, today, status),
            anonymous=True,
        )
        for status in ANONYMOUS_STATUSES
    ]
    # In date order, so that references (GSN-2025-0001…) follow the calendar.
    plans.sort(key=lambda plan: plan.received_on)
    coded = _CodedLists()
    surnames = list(SURNAMES)
    rng.shuffle(surnames)
    for plan in plans:
        _situation_load(rng, today, plan, users, coded, surnames, result)


def _author_of(rng: random.Random, partner: DemoPartner) -> str:
    if partner.slug == "ville":
        return rng.choice(("coordination", "ville1", "ville2"))
    candidates = [f"{partner.slug}{n}" for n in (1, 2) if f"{partner.slug}{n}" != WITHOUT_CHARTER]
    return rng.choice(candidates)


def _received_on(rng: random.Random, today: datetime.date, status: str) -> datetime.date:
    low, high = AGE_IN_DAYS[status]
    return today - datetime.timedelta(days=rng.randint(low, high))


class _CodedLists:
    def __init__(self):
        self.sources = {entry.code: entry for entry in Source.objects.all()}
        self.motifs = {entry.code: entry for entry in Motif.objects.all()}
        self.closure_reasons = {entry.code: entry for entry in ClosureReason.objects.all()}
        self.territories = {entry.code: entry for entry in Territory.objects.all()}


# Where the young person stands at closure, following the closure reason; for the others, drawn from
# a generator of the situation's own, so that the rest of the demo draws what it drew before.
OUTCOME_OF_REASON = {
    "demenagement": YouthOutcome.MOVED,
    "perte-contact": YouthOutcome.LOST,
    "relais-droit-commun": YouthOutcome.MAINSTREAM,
}
OTHER_OUTCOMES = (
    (YouthOutcome.SCHOOLING, 5),
    (YouthOutcome.TRAINING, 3),
    (YouthOutcome.WORK, 2),
    (YouthOutcome.MAINSTREAM, 1),
    (YouthOutcome.NO_SOLUTION, 1),
)


def _youth_outcome(situation: Situation, reason: str) -> str:
    if reason in OUTCOME_OF_REASON:
        return OUTCOME_OF_REASON[reason]
    return _weighted(random.Random(situation.reference), OTHER_OUTCOMES)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _identity(rng: random.Random, partner: DemoPartner, received_on, coded, surnames) -> tuple[Identity, int]:
    age = rng.randint(*partner.ages)
    birth_date = received_on - datetime.timedelta(days=365 * age + rng.randint(30, 330))
    gender = _weighted(rng, GENDERS)
    first_name = rng.choice(FIRST_NAMES.get(gender) or FIRST_NAMES[rng.choice((Gender.FEMALE, Gender.MALE))])
    last_name = surnames.pop()
    if age <= 15:
        college = partner.name if partner.kind == Partner.Kind.SCHOOL else rng.choice(COLLEGES)
        # The class too: a bare partner name would be indistinguishable from the partner's own row.
        school = f"{college} ({18 - age}e)"
    elif age <= 18:
        school = rng.choice(HIGH_SCHOOLS)
    else:
        school = ""
    representatives = ""
    if age < 18:
        representatives = rng.choice(
            (
                f"Mme {last_name} (mère)",
                f"M. {last_name} (père)",
                f"Mme et M. {last_name} (parents)",
                f"Mme {rng.choice(SURNAMES)} (tante, tutrice)",
            )
        )
    identity = Identity(
        last_name=last_name,
        first_name=first_name,
        birth_date=birth_date,
        address=f"{rng.randint(1, 120)}, {rng.choice(STREETS)}, 59160 Lomme" if rng.random() < 0.7 else "",
        # Numbers reserved by the ARCEP for works of fiction (06 39 98 xx xx).
        phone=f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}" if rng.random() < 0.5 else "",
        school=school,
        legal_representatives=representatives,
        gender=gender,
        territory_id=coded.territories[_weighted(rng, TERRITORIES)].pk,
    )
    return identity, age


def _informations(rng: random.Random, today, received_on, status: str, identity: Identity, age: int) -> list[dict]:
    """The information of the young person and, for a minor, of a legal representative."""
    informed = {
        STATUS.RECEIVED: 0.4,
        STATUS.EXAMINED: 0.7,
        STATUS.NOT_RETAINED: 0.6,
        STATUS.ACTIVE: 0.85,
        STATUS.CLOSED: 0.9,
    }[status]
    if rng.random() >= informed:
        return []
    if status == STATUS.RECEIVED:
        response = RESPONSE.NO_ANSWER
    elif status == STATUS.EXAMINED:
        response = rng.choice((RESPONSE.NO_ANSWER, RESPONSE.AGREED))
    elif status == STATUS.NOT_RETAINED:
        response = rng.choice((RESPONSE.AGREED, RESPONSE.REFUSED))
    else:
        response = _weighted(rng, ((RESPONSE.AGREED, 85), (RESPONSE.REFUSED, 15)))
    common = {
        "informed_on": min(received_on + datetime.timedelta(days=rng.randint(1, 15)), today),
        "mode": rng.choice(Information.Mode.values),
        "response": response,
    }
    records = [{"recipient": Information.Recipient.YOUNG_PERSON, **common}]
    if identity.legal_representatives:
        # The quality written with the representatives' names: "(mère)", "(tante, tutrice)"…
        label = identity.legal_representatives.rsplit("(", 1)[-1].rstrip(")")
        records.append({"recipient": Information.Recipient.LEGAL_REPRESENTATIVE, "label": label, **common})
    return records


class _Timeline:
    """Dates of successive events on one situation, between the saisine and today."""

    def __init__(self, rng: random.Random, start: datetime.date, end: datetime.date):
        self.rng, self.current, self.end = rng, start, end

    def advance(self, low: int, high: int) -> datetime.date:
        self.current = min(self.current + datetime.timedelta(days=self.rng.randint(low, high)), self.end)
        return self.current


def _situation_load(rng, today, plan: _Plan, users, coded: _CodedLists, surnames, result: DemoResult) -> None:
    author = users[plan.author]
    partner = plan.partner
    identity, age = (
        (None, rng.randint(14, 20)) if plan.anonymous else _identity(rng, partner, plan.received_on, coded, surnames)
    )
    pool = [code for code in partner.motifs if not (code == "neet" and age < 16)]
    motif_codes = rng.sample(pool, rng.randint(1, 3))
    details = MOTIF_DETAILS.get(motif_codes[0], "") if rng.random() < 0.35 else ""
    informations = [] if plan.anonymous else _informations(rng, today, plan.received_on, plan.status, identity, age)
    with set_actor(author):
        situation = situation_create(
            by=author,
            source=coded.sources[rng.choice(partner.sources)],
            received_on=plan.received_on,
            motifs=[coded.motifs[code] for code in motif_codes],
            identity=identity,
            motif_details=details,
            is_fictional=True,
        )
        for information in informations:
            information_record(situation=situation, by=author, **information)
    result.situations_created += 1
    _backdate(Situation, situation.pk, plan.received_on, rng)

    closes = plan.status == STATUS.CLOSED
    end = plan.received_on + datetime.timedelta(days=rng.randint(120, 180)) if closes else today
    timeline = _Timeline(rng, plan.received_on, min(end, today))
    notes = _NoteWriter(rng, situation, result)
    notes.add(author, rng.choice(ANONYMOUS_NOTES if plan.anonymous else RECEIPT_NOTES), timeline.current)
    if plan.status == STATUS.RECEIVED:
        if rng.random() < 0.4:
            notes.add(author, rng.choice(PARTNER_NOTES), timeline.advance(1, 5), Note.Visibility.PARTNER)
        return

    coordinator = users["coordination"]
    examined_on = timeline.advance(7, 30)
    changes = {"status": STATUS.EXAMINED}
    if plan.status == STATUS.EXAMINED and rng.random() < 0.8:
        changes["next_review_on"] = today + datetime.timedelta(days=rng.randint(-7, 45))
    situation = _update(situation, coordinator, changes)
    _status_backdate(situation, examined_on)
    if plan.status == STATUS.NOT_RETAINED:
        _update(situation, coordinator, {"status": STATUS.NOT_RETAINED})
        _status_backdate(situation, examined_on)
        notes.add(coordinator, rng.choice(NOT_RETAINED_NOTES), examined_on)
        return
    notes.add(coordinator, rng.choice(EXAMINATION_NOTES), examined_on)
    if plan.status == STATUS.EXAMINED:
        if rng.random() < 0.3:
            notes.add(author, rng.choice(PARTNER_NOTES), timeline.advance(1, 10), Note.Visibility.PARTNER)
        return

    referent = None
    changes = {"status": STATUS.ACTIVE}
    if rng.random() < 0.75:
        referent = users[rng.choice(REFERENTS_MINORS if age < 16 else REFERENTS_ADULTS)]
        changes["referent"] = referent
    if not closes and rng.random() < 0.75:
        changes["next_review_on"] = today + datetime.timedelta(days=rng.randint(-10, 60))
    situation = _update(situation, coordinator, changes)
    _status_backdate(situation, timeline.current)
    writer = referent or author
    for text in rng.sample(FOLLOW_UP_NOTES, rng.randint(0, 1 if closes else 2)):
        notes.add(writer, text, timeline.advance(10, 40))
    if rng.random() < 0.5 and len(notes) < 3:
        notes.add(writer, rng.choice(PARTNER_NOTES), timeline.advance(3, 15), Note.Visibility.PARTNER)
    if not closes:
        return

    closed_on = timeline.advance(10, 40)
    notes.add(coordinator, rng.choice(CLOSURE_NOTES), closed_on)
    refused = situation.informations.filter(response=RESPONSE.REFUSED).exists()
    reason = "refus" if refused else _weighted(rng, CLOSURE_REASONS)
    with set_actor(coordinator):
        situation_close(
            situation_id=situation.pk,
            by=coordinator,
            expected_version=situation.version,
            reason=coded.closure_reasons[reason],
            closed_on=closed_on,
            outcome=_youth_outcome(situation, reason),
        )


def _update(situation: Situation, by, changes: dict) -> Situation:
    with set_actor(by):
        return situation_update(situation_id=situation.pk, by=by, expected_version=situation.version, changes=changes)


class _NoteWriter:
    def __init__(self, rng: random.Random, situation: Situation, result: DemoResult):
        self.rng, self.situation, self.result, self.count = rng, situation, result, 0

    def __len__(self) -> int:
        return self.count

    def add(self, author, body: str, on: datetime.date, visibility: str = Note.Visibility.GROUP) -> None:
        with set_actor(author):
            note = note_create(situation=self.situation, by=author, body=body, visibility=visibility)
        _backdate(Note, note.pk, on, self.rng)
        self.count += 1
        self.result.notes_created += 1


def _status_backdate(situation: Situation, on: datetime.date) -> None:
    """The demo replays months of decisions in one run: date the status as the timeline says."""
    Situation.objects.filter(pk=situation.pk).update(status_since=on)


def _backdate(model, pk, on: datetime.date, rng: random.Random) -> None:
    """Date a row on a working day's hour, so that the demo timeline reads like months of use."""
    moment = datetime.datetime.combine(on, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
    model.objects.filter(pk=pk).update(created_at=timezone.make_aware(moment))
