"""The data inventory behind the art. 30 register and the DPIA, generated from the models.

Purposes, recipients and retention are declared once, here, per model, with a description of every
field. Whether a field is encrypted is read from the model itself, never declared. A test fails when
a model holding personal data (an encrypted field, a link to a young person or a situation, or one
of `ALWAYS_DECLARED`) is missing, or when one of its fields is not described.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings

from audit.registry import encrypted_field_names
from casework.retention import retention_rules
from dpo import labels

# Roles, in the words of the register.
STAFF = "intervenant·es des partenaires ayant accès à la situation"
COORDINATION = "coordination du CLSPD"
OPERATOR = "intervenant·es du partenaire opérateur du dispositif, le temps de l'orientation"
DPO = "délégué·e à la protection des données"
ADMIN = "administrateur·rice technique"

GSN_PURPOSE = (
    "Suivi individualisé des jeunes par le groupe de suivi nominatif du CLSPD (prévention de la "
    "délinquance, CSI art. L. 132-5) : examen des situations, coordination des partenaires, orientation"
)
RETENTION_BY_SITUATION = "situation"
RETENTION_AUDIT = "journal"
RETENTION_ACCOUNT = "compte"
RETENTION_REQUEST = "demande"
RETENTION_SEANCE = "seance"
SEANCE_PURPOSE = "Séances du groupe de suivi nominatif : ordre du jour, présences, décisions et relevé de décisions"

# Models that hold personal data without an encrypted field or a link to a young person.
ALWAYS_DECLARED = {"auth.User", "audit.Event", "audit.ChangeEntry"}
PROJECT_APPS = {"access", "casework", "referrals", "audit"}


@dataclass(frozen=True)
class Processing:
    model: str
    subjects: str
    purpose: str
    recipients: tuple[str, ...]
    retention: str
    fields: dict[str, str]


INVENTORY = (
    Processing(
        "casework.Person",
        "jeunes suivis",
        GSN_PURPOSE,
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "data_key": "clé de chiffrement propre à la personne (détruite à la purge)",
            "last_name": "nom",
            "first_name": "prénom",
            "birth_date": "date de naissance",
            "address": "adresse",
            "phone": "téléphone",
            "school": "établissement scolaire ou structure",
            "legal_representatives": "représentants légaux (noms et qualité) — données de tiers",
            "birth_year": "année de naissance (statistiques)",
            "gender": "genre (statistiques)",
            "territory": "quartier (statistiques)",
            "identity_index": "empreinte (HMAC) de l'identité pour détecter les doublons, sans texte clair",
            "index_key": "empreinte de la clé d'index aveugle utilisée (pour sa rotation), sans donnée personnelle",
            "last_name_key": "empreinte (HMAC) du nom, pour la recherche, sans texte clair",
            "first_name_key": "empreinte (HMAC) du prénom, pour la recherche, sans texte clair",
            "last_name_phonetic": "empreinte (HMAC) du code phonétique du nom (orthographes approchantes)",
            "first_name_phonetic": "empreinte (HMAC) du code phonétique du prénom (orthographes approchantes)",
            "last_name_bloom": "filtre de Bloom à clé des paires de lettres du nom (fautes de frappe)",
            "first_name_bloom": "filtre de Bloom à clé des paires de lettres du prénom (fautes de frappe)",
            "birth_date_key": "empreinte (HMAC) de la date de naissance, sans texte clair",
            "is_fictional": "personne fictive de démonstration",
            "created_at": "date d'enregistrement",
        },
    ),
    Processing(
        "casework.Situation",
        "jeunes suivis",
        GSN_PURPOSE,
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "reference": "référence pseudonyme (GSN-AAAA-NNNN)",
            "person": "lien vers le jeune (aucun en mode anonyme)",
            "previous": "saisine précédente, en cas de réouverture",
            "data_key": "clé de chiffrement (celle du jeune, ou propre à la situation anonyme)",
            "referring_partner": "partenaire à l'origine de la saisine",
            "source": "source codée de la saisine",
            "received_on": "date de la saisine",
            "motif_details": "précisions sur les motifs (texte libre limité)",
            "status": "statut de la situation",
            "referent": "référent·e de parcours (professionnel)",
            "next_review_on": "date du prochain examen",
            "status_since": "date à laquelle le statut a été atteint (point de départ de la conservation)",
            "danger": "rappel « enfant en danger » : transmission à la CRIP, rien d'autre",
            "restricted": "traitement limité (RGPD art. 18)",
            "closure_reason": "motif codé de clôture",
            "closed_on": "date de clôture",
            "youth_outcome": "situation codée du jeune à la fin du suivi (scolarité, formation, emploi…)",
            "created_by": "professionnel ayant enregistré la saisine",
            "created_at": "date d'enregistrement",
            "updated_at": "date de dernière modification",
            "version": "numéro de version (modifications concurrentes)",
        },
    ),
    Processing(
        "casework.Note",
        "jeunes suivis",
        GSN_PURPOSE,
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "data_key": "clé de chiffrement de la situation",
            "author": "auteur (professionnel)",
            "partner": "partenaire de l'auteur",
            "body": "texte de la note",
            "visibility": "visibilité (groupe ou partenaire)",
            "created_at": "date",
        },
    ),
    Processing(
        "casework.Information",
        "jeunes suivis et représentants légaux",
        "Preuve de l'information des personnes (RGPD art. 13 et 14)",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "data_key": "clé de chiffrement de la situation",
            "recipient": "personne informée (jeune ou représentant légal)",
            "label": "qualité du représentant (mère, père…) — données de tiers",
            "informed_on": "date de l'information",
            "mode": "mode codé d'information",
            "response": "accord, refus ou absence de réponse",
            "recorded_by": "professionnel ayant enregistré l'information",
            "created_at": "date d'enregistrement",
        },
    ),
    Processing(
        "strategy.SituationAction",
        "jeunes suivis",
        "Évaluation de la stratégie territoriale : contribution d'une situation à une fiche-action",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique",
            "situation": "situation concernée",
            "action": "fiche-action de la stratégie (contenu public)",
            "confirmed_by": "référent·e ou coordonnateur·rice ayant confirmé le lien",
            "confirmed_at": "date de la confirmation",
        },
    ),
    Processing(
        "referrals.Referral",
        "jeunes suivis",
        "Orientation d'un jeune vers le dispositif d'un partenaire et suivi de la réponse",
        (STAFF, OPERATOR, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "data_key": "clé de chiffrement de la situation",
            "scheme": "dispositif proposé",
            "action": "fiche-action du dispositif au jour de la proposition",
            "state": "état de l'orientation",
            "proposed_by": "professionnel ayant proposé l'orientation",
            "proposed_at": "date de la proposition",
            "justification": "justification de l'orientation (texte libre)",
            "sent_at": "date de l'envoi au partenaire opérateur",
            "deadline": "date de réponse attendue",
            "answered_at": "date de la réponse",
            "decline_reason": "motif codé de refus",
            "started_at": "date du début de la prise en charge",
            "outcome": "issue codée",
            "ended_at": "date de la fin",
            "last_reminder_at": "date de la dernière relance",
            "reminder_count": "nombre de relances",
        },
    ),
    Processing(
        "seances.Seance",
        "professionnels (coordination)",
        SEANCE_PURPOSE,
        (STAFF, COORDINATION, DPO),
        RETENTION_SEANCE,
        {
            "id": "identifiant technique aléatoire",
            "date": "date de la séance",
            "start_time": "heure de début",
            "place": "lieu",
            "territory": "quartier concerné",
            "status": "état (préparation, en cours, clôturée)",
            "data_key": "clé de chiffrement propre à la séance (addenda généraux)",
            "created_by": "coordonnateur ayant créé la séance",
            "created_at": "date de création",
            "started_at": "ouverture",
            "started_by": "coordonnateur ayant ouvert la séance",
            "closed_at": "clôture",
            "closed_by": "coordonnateur ayant clôturé la séance",
        },
    ),
    Processing(
        "seances.Invitation",
        "professionnels invités",
        SEANCE_PURPOSE,
        (COORDINATION, DPO),
        RETENTION_SEANCE,
        {
            "id": "numéro",
            "seance": "séance",
            "user": "professionnel invité",
            "invited_by": "coordonnateur ayant invité",
            "invited_at": "date de l'invitation",
        },
    ),
    Processing(
        "seances.Attendance",
        "professionnels présents",
        SEANCE_PURPOSE + " ; preuve de l'engagement de confidentialité",
        (STAFF, COORDINATION, DPO),
        RETENTION_SEANCE,
        {
            "id": "numéro",
            "seance": "séance",
            "user": "membre présent",
            "partner": "partenaire représenté",
            "pledge_confirmed_at": "date de l'engagement de confidentialité",
            "recorded_by": "personne ayant enregistré la présence",
        },
    ),
    Processing(
        "seances.AgendaItem",
        "jeunes suivis",
        SEANCE_PURPOSE,
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "seance": "séance",
            "situation": "situation examinée",
            "data_key": "clé de chiffrement de la situation",
            "position": "ordre de passage",
            "reason": "motif codé d'inscription à l'ordre du jour",
            "summary": "synthèse de l'examen (texte libre limité)",
            "added_by": "coordonnateur ayant inscrit la situation",
            "added_at": "date d'inscription",
        },
    ),
    Processing(
        "seances.Decision",
        "jeunes suivis",
        SEANCE_PURPOSE,
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "item": "point de l'ordre du jour",
            "kind": "décision codée",
            "not_retained_reason": "motif codé de non-retenue",
            "referent": "référent·e de parcours désigné·e",
            "referral": "orientation créée",
            "step": "étape du plan créée (action demandée) ou close",
            "objective": "objectif ajouté au plan d'accompagnement",
            "next_review_on": "date du prochain examen",
            "closure_reason": "motif codé de clôture",
            "partner": "partenaire responsable",
            "decided_by": "coordonnateur ayant enregistré la décision",
            "decided_at": "date de la décision",
        },
    ),
    Processing(
        "seances.Objective",
        "jeunes suivis",
        "Plan d'accompagnement : objectifs du suivi",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "data_key": "clé de chiffrement de la situation",
            "domain": "domaine codé (scolarité, formation/emploi, santé, famille, justice, logement, loisirs)",
            "label": "objectif (texte libre court)",
            "status": "état codé (en cours, atteint, non atteint)",
            "status_on": "date de l'état",
            "created_by": "référent·e ou coordonnateur ayant fixé l'objectif",
            "created_at": "date",
        },
    ),
    Processing(
        "seances.Step",
        "jeunes suivis",
        "Plan d'accompagnement : étapes confiées aux partenaires (actions demandées), échéances et relances",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "objective": "objectif servi",
            "item": "point de séance à l'origine",
            "data_key": "clé de chiffrement de la situation",
            "partner": "partenaire responsable",
            "label": "étape, action demandée (texte libre court)",
            "due_on": "échéance",
            "status": "état codé (à faire, en cours, fait, abandonné)",
            "ended_on": "date de fin",
            "ended_by": "personne ayant clos l'étape",
            "abandon_reason": "motif de l'abandon (texte libre court)",
            "created_by": "personne ayant enregistré l'étape",
            "created_at": "date",
            "last_reminder_at": "date de la dernière relance",
            "reminder_count": "nombre de relances",
        },
    ),
    Processing(
        "seances.Addendum",
        "jeunes suivis",
        "Correction du relevé de décisions d'une séance clôturée",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "seance": "séance",
            "item": "point concerné (aucun : la séance entière)",
            "data_key": "clé de chiffrement de la situation (ou de la séance)",
            "text": "correction (texte libre limité)",
            "author": "coordonnateur auteur",
            "created_at": "date",
        },
    ),
    Processing(
        "casework.ConsentJustification",
        "jeunes suivis et représentants légaux",
        "Justification écrite d'une orientation ou d'un examen en séance malgré le refus (politique de consentement)",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "data_key": "clé de chiffrement de la situation",
            "action": "acte codé (orientation, inscription à une séance)",
            "justification": "justification (texte libre)",
            "created_by": "professionnel ayant écrit la justification",
            "created_at": "date",
        },
    ),
    Processing(
        "casework.Signalement",
        "jeunes suivis",
        "Trace des informations préoccupantes (CRIP) et signalements au procureur transmis",
        (STAFF, COORDINATION),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation concernée",
            "data_key": "clé de chiffrement de la situation",
            "sent_on": "date de la transmission",
            "recipient": "destinataire codé (CRIP, procureur, autre)",
            "mode": "mode codé de transmission",
            "comment": "commentaire (texte libre court, facultatif)",
            "recorded_by": "professionnel ayant enregistré la transmission",
            "created_at": "date d'enregistrement",
        },
    ),
    Processing(
        "casework.Association",
        "jeunes suivis, partenaires",
        "Association d'un partenaire au suivi d'une situation par le groupe (motif écrit)",
        (COORDINATION, DPO),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation",
            "partner": "partenaire associé",
            "data_key": "clé de chiffrement de la situation",
            "motive": "motif de l'association (texte libre limité)",
            "created_by": "coordonnateur",
            "created_at": "date",
        },
    ),
    Processing(
        "access.BreakGlassAccess",
        "jeunes suivis, coordonnateurs",
        "Accès exceptionnel (bris de glace) et son contrôle par le DPO",
        (COORDINATION, DPO),
        RETENTION_BY_SITUATION,
        {
            "id": "identifiant technique aléatoire",
            "situation": "situation ouverte",
            "data_key": "clé de chiffrement de la situation",
            "user": "coordonnateur ayant ouvert l'accès",
            "reason": "motif écrit",
            "opened_at": "ouverture",
            "expires_at": "expiration",
            "closed_at": "fermeture",
        },
    ),
    Processing(
        "access.SituationUserGrant",
        "professionnels (habilitations)",
        "Droits d'accès d'un professionnel à une situation, avec leur motif et leur durée (moindre privilège)",
        (COORDINATION, DPO),
        RETENTION_BY_SITUATION,
        {
            "id": "numéro",
            "permission": "droit (lecture, modification, notes)",
            "user": "professionnel habilité",
            "content_object": "situation",
            "reason": "motif du droit (auteur, coordination, référent, opérateur, séance, associé, bris de glace…)",
            "source_type": "nature de l'objet à l'origine du droit",
            "source_id": "identifiant de l'objet à l'origine du droit",
            "granted_by": "qui a attribué le droit",
            "granted_at": "date d'attribution",
            "expires_at": "fin prévue",
            "ended_at": "fin effective",
            "ended_by": "qui a retiré le droit",
        },
    ),
    Processing(
        "access.SituationGroupGrant",
        "partenaires (habilitations)",
        "Droits d'accès d'un partenaire ou de la coordination à une situation, avec leur motif et leur durée",
        (COORDINATION, DPO),
        RETENTION_BY_SITUATION,
        {
            "id": "numéro",
            "permission": "droit (lecture, modification, notes)",
            "group": "partenaire ou coordination",
            "content_object": "situation",
            "reason": "motif du droit (auteur, coordination, référent, opérateur, séance, associé, bris de glace…)",
            "source_type": "nature de l'objet à l'origine du droit",
            "source_id": "identifiant de l'objet à l'origine du droit",
            "granted_by": "qui a attribué le droit",
            "granted_at": "date d'attribution",
            "expires_at": "fin prévue",
            "ended_at": "fin effective",
            "ended_by": "qui a retiré le droit",
        },
    ),
    Processing(
        "auth.User",
        "professionnels des partenaires",
        "Gestion des comptes et des habilitations",
        (ADMIN, DPO),
        RETENTION_ACCOUNT,
        {
            "id": "identifiant",
            "password": "mot de passe (empreinte Argon2)",
            "last_login": "dernière connexion",
            "is_superuser": "administrateur technique",
            "username": "identifiant de connexion",
            "first_name": "prénom",
            "last_name": "nom",
            "email": "adresse électronique professionnelle",
            "is_staff": "accès à l'administration technique",
            "is_active": "compte actif",
            "date_joined": "date de création",
        },
    ),
    Processing(
        "access.ProConnectIdentity",
        "professionnels des partenaires",
        "Connexion des agents publics par ProConnect (identité liée à leur compte à la première connexion)",
        (ADMIN, DPO),
        RETENTION_ACCOUNT,
        {
            "id": "identifiant technique",
            "user": "compte Parcours lié",
            "issuer": "fournisseur d'identité (ProConnect)",
            "subject": "identifiant de l'agent chez le fournisseur",
            "linked_at": "date de la liaison",
        },
    ),
    Processing(
        "audit.Event",
        "professionnels (traces) ; jeunes par référence seulement",
        "Traçabilité des accès et sécurité (RGPD art. 32, délibération CNIL 2021-122)",
        (DPO,),
        RETENTION_AUDIT,
        {
            "id": "numéro",
            "uid": "identifiant aléatoire (chaîne d'intégrité)",
            "mac": "empreinte du contenu (chaîne d'intégrité)",
            "seq": "rang dans la chaîne",
            "chain": "maillon de la chaîne",
            "at": "date",
            "kind": "nature de l'événement",
            "user": "utilisateur",
            "username": "identifiant du compte visé (« identifiant inconnu » si la saisie ne désigne aucun compte)",
            "partner": "partenaire de l'utilisateur",
            "object_type": "type d'objet consulté",
            "object_id": "identifiant technique de l'objet",
            "situation_reference": "référence de la situation",
            "screen": "écran",
            "purpose": "finalité de l'accès",
            "grant_reason": "motif du droit qui a permis la lecture",
            "detail": "détail codé (comptes, droits)",
            "ip_address": "adresse IP",
            "user_agent": "navigateur",
        },
    ),
    Processing(
        "audit.ChangeEntry",
        "professionnels (auteurs) ; jeunes par référence seulement",
        "Historique des modifications (sans aucun champ chiffré)",
        (DPO, STAFF),
        RETENTION_AUDIT,
        {
            "id": "numéro",
            "content_type": "type d'objet modifié",
            "object_pk": "identifiant technique de l'objet",
            "object_id": "identifiant technique numérique",
            "object_repr": "libellé de l'objet (référence, jamais d'identité)",
            "serialized_data": "non utilisé",
            "action": "création, modification, suppression",
            "changes_text": "non utilisé",
            "changes": "champs modifiés, hors champs chiffrés et empreintes",
            "actor": "auteur",
            "cid": "identifiant de corrélation",
            "remote_addr": "adresse IP",
            "remote_port": "port",
            "timestamp": "date",
            "additional_data": "non utilisé",
            "actor_email": "non utilisé",
            "uid": "identifiant aléatoire (chaîne d'intégrité)",
            "mac": "empreinte du contenu",
            "seq": "rang dans la chaîne",
            "chain": "maillon de la chaîne",
        },
    ),
    Processing(
        "dpo.RightsRequest",
        "jeunes suivis (par référence)",
        "Exercice des droits d'accès et d'effacement (RGPD art. 15 et 17)",
        (DPO, COORDINATION),
        RETENTION_REQUEST,
        {
            "id": "numéro de la demande",
            "kind": "nature (accès ou effacement)",
            "person": "lien vers le jeune, supprimé avec lui",
            "references": "références des situations concernées",
            "status": "état",
            "requested_by": "DPO ayant enregistré la demande",
            "requested_at": "date de la demande",
            "confirmed_by": "coordonnateur ayant confirmé",
            "confirmed_at": "date de confirmation",
            "cancelled_by": "auteur de l'annulation",
            "progress": "avancement",
            "finished_at": "fin",
            "outcome": "résultat chiffré (comptes)",
        },
    ),
    Processing(
        "dpo.SubjectAccessFile",
        "jeunes suivis",
        "Réponse au droit d'accès (RGPD art. 15)",
        (DPO,),
        RETENTION_REQUEST,
        {
            "id": "identifiant",
            "request": "demande",
            "data_key": "clé de chiffrement du jeune",
            "pdf": "dossier PDF",
            "json": "dossier JSON",
            "created_at": "date de production",
            "expires_at": "date d'effacement",
        },
    ),
)


def _links_to_people(model) -> bool:
    targets = {"casework.person", "casework.situation"}
    return any(
        field.is_relation and field.related_model and field.related_model._meta.label_lower in targets
        for field in model._meta.concrete_fields
    )


def models_holding_personal_data() -> list:
    """Every model the inventory must declare."""
    found = []
    for model in apps.get_models():
        label = model._meta.label
        in_project = model._meta.app_label in PROJECT_APPS
        if label in ALWAYS_DECLARED or (in_project and (encrypted_field_names(model) or _links_to_people(model))):
            found.append(model)
    return found


STARTS = {"non_retenue": "la décision", "cloturee": "la clôture"}


def retention_text(key: str) -> str:

    if key == RETENTION_BY_SITUATION:
        rules = retention_rules()
        parts = [
            f"{rule.get_status_display().lower()} : {rule.days} jours après {STARTS[rule.status]} "
            f"(AIPD {rule.dpia_reference})"
            for rule in rules.values()
        ]
        return "Celle de la situation — " + " ; ".join(parts) + " ; puis purge automatique"
    if key == RETENTION_AUDIT:
        return f"{settings.PARCOURS_AUDIT_RETENTION_DAYS} jours, puis purge du journal"
    if key == RETENTION_SEANCE:
        return (
            "Sans purge automatique à ce jour (preuve des présences et des engagements de confidentialité) : durée "
            "à fixer dans l'AIPD ; les points, décisions, actions et addenda partent avec la situation"
        )
    if key == RETENTION_ACCOUNT:
        return "Durée de l'habilitation ; compte désactivé au départ de la personne"
    return (
        f"Dossier effacé {settings.PARCOURS_SUBJECT_ACCESS_DAYS} jours après sa production ; la demande "
        "(références et dates) reste comme preuve de la réponse"
    )


@dataclass(frozen=True)
class InventoryRow:
    model: str
    field: str
    label: str
    description: str
    encrypted: bool
    blind_index: bool


@dataclass(frozen=True)
class InventoryEntry:
    processing: Processing
    verbose_name: str
    retention: str
    rows: list[InventoryRow]


def inventory() -> list[InventoryEntry]:
    entries = []
    for processing in INVENTORY:
        model = apps.get_model(processing.model)
        encrypted = set(encrypted_field_names(model))
        rows = [
            InventoryRow(
                processing.model,
                field.name,
                labels.field_label(field),
                processing.fields.get(field.name, ""),
                field.name in encrypted,
                getattr(field, "blind_index", False),
            )
            for field in model._meta.concrete_fields
        ]
        entries.append(
            InventoryEntry(processing, str(model._meta.verbose_name), retention_text(processing.retention), rows)
        )
    return entries


def inventory_markdown() -> str:
    lines = [
        "# Parcours — inventaire des données (registre art. 30 et AIPD)",
        "",
        f"Responsable du traitement : {settings.PARCOURS_CONTROLLER}.",
        f"Contact du DPO : {settings.PARCOURS_DPO_CONTACT}.",
        "",
    ]
    for entry in inventory():
        processing = entry.processing
        lines += [
            f"## {entry.verbose_name} (`{processing.model}`)",
            "",
            f"- Personnes concernées : {processing.subjects}",
            f"- Finalité : {processing.purpose}",
            f"- Destinataires : {', '.join(processing.recipients)}",
            f"- Conservation : {entry.retention}",
            "",
            "| champ | description | chiffré |",
            "|---|---|---|",
        ]
        for row in entry.rows:
            protection = "oui (AES-256-GCM)" if row.encrypted else ("empreinte HMAC" if row.blind_index else "non")
            lines.append(f"| `{row.field}` | {row.description} | {protection} |")
        lines.append("")
    return "\n".join(lines)
