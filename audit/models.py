"""The audit trail (privacy invariants 5 and 6): one place for everything the DPO examines.

- `Event`: read accesses (lists, searches, details, exports, prints) and security events (logins,
  failures, lockouts, logouts, MFA enrolment, permission grants and revocations, break-glass,
  purges of the trail itself, retention changes and purges of situations, data-protection requests,
  restrictions). Metadata and references only, never identity or content.
- `ChangeEntry`: django-auditlog's change entries (`AUDITLOG_LOGENTRY_MODEL`), diffs without any
  encrypted field (see `audit.registry`).

Both tables are append-only (database triggers, see `audit.triggers`) and chained by HMAC
(`audit.chain`). Each row gets its content MAC when written and its place in the chain (`seq`,
`chain`) when the sealer runs; those two columns are the only ones a trigger lets change, once.
"""

import uuid

from auditlog.models import AbstractLogEntry
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.mac import content_mac


class Purpose(models.TextChoices):
    ROUTINE = "suivi", _("Suivi courant")
    SESSION = "seance", _("Séance du groupe")
    REFERRAL = "orientation", _("Orientation")
    BREAK_GLASS = "bris_de_glace", _("Accès exceptionnel (bris de glace)")


class Kind(models.TextChoices):
    READ = "lecture", _("Lecture")
    LOGIN = "connexion", _("Connexion réussie")
    LOGIN_FAILED = "connexion_echouee", _("Échec de connexion")
    LOCKOUT = "verrouillage", _("Compte verrouillé")
    LOGOUT = "deconnexion", _("Déconnexion")
    MFA_ENROLLED = "mfa_enrolement", _("Enrôlement du second facteur")
    INVITATION_SENT = "invitation_envoyee", _("Invitation envoyée")
    ACCOUNT_ACTIVATED = "compte_active", _("Compte activé par invitation")
    RECOVERY_CODE_USED = "code_secours_utilise", _("Code de secours utilisé")
    ADMIN_ACT = "acte_administration", _("Acte d'administration")
    ROLE_CHANGED = "role_modifie", _("Rôle ou partenaire modifié")
    FACTOR_RESET_REQUESTED = "reinit_facteur_demandee", _("Réinitialisation du second facteur demandée")
    FACTOR_RESET = "reinit_facteur", _("Second facteur réinitialisé")
    PASSKEY_USED = "cle_acces_utilisee", _("Clé d'accès utilisée")
    PASSKEY_REMOVED = "cle_acces_retiree", _("Clé d'accès retirée")
    GRANT = "droit_attribue", _("Droit attribué")
    REVOKE = "droit_retire", _("Droit retiré")
    BREAK_GLASS = "bris_de_glace", _("Accès exceptionnel ouvert")
    AUDIT_EXPORT = "export_journal", _("Export du journal")
    AUDIT_PURGE = "purge_journal", _("Purge du journal")
    AUDIT_ALERT = "alerte_journal", _("Chaîne du journal rompue")
    RETENTION_CHANGED = "conservation_modifiee", _("Durée de conservation modifiée")
    PURGE = "purge_situation", _("Situation purgée")
    RIGHTS_REQUESTED = "demande_droits", _("Demande d'exercice de droits")
    RIGHTS_CONFIRMED = "demande_droits_confirmee", _("Demande de droits confirmée")
    SUBJECT_ACCESS_DOWNLOAD = "export_droit_acces", _("Dossier du droit d'accès téléchargé")
    RESTRICTED = "limitation", _("Traitement limité")
    RESTRICTION_LIFTED = "limitation_levee", _("Limitation levée")
    MINUTES_DOWNLOAD = "releve_telecharge", _("Relevé de décisions téléchargé")
    SEANCE_PLEDGE = "engagement_seance", _("Engagement de confidentialité en séance")
    EVALUATION_VIEW = "evaluation_consultee", _("Tableau de bord d'évaluation consulté")
    EVALUATION_EXPORT = "evaluation_exportee", _("Bilan d'évaluation téléchargé")
    # At intake: the person was told that a situation they cannot see may concern the young person.
    HIDDEN_DUPLICATE = "doublon_cache", _("Doublon non visible signalé à la saisine")
    # The coordinator merged two records of the same young person (one event per reference of both).
    PERSON_MERGE = "fusion_fiches", _("Fusion de deux fiches d'un même jeune")


SECURITY_KINDS = [kind for kind in Kind if kind != Kind.READ]
# The DPO's « Comptes et droits »: who was invited, enrolled, given a role, changed by an administrator.
ACCOUNT_KINDS = [
    Kind.INVITATION_SENT,
    Kind.ACCOUNT_ACTIVATED,
    Kind.MFA_ENROLLED,
    Kind.RECOVERY_CODE_USED,
    Kind.ADMIN_ACT,
    Kind.ROLE_CHANGED,
    Kind.FACTOR_RESET_REQUESTED,
    Kind.FACTOR_RESET,
    Kind.PASSKEY_USED,
    Kind.PASSKEY_REMOVED,
]

# Stored in place of an identifier typed at the login form that names no account (it may be a password).
UNKNOWN_IDENTIFIER = "identifiant inconnu"


class Chained(models.Model):
    """Columns of the tamper-evident chain, shared by every audit table.

    `uid` is random and part of the MAC, so a copied row cannot pass as a new entry; `mac` covers the
    row's content and is written with it; `seq` and `chain` are set once by the sealer, `chain`
    covering `seq`, the row id, `mac` and the previous entry's `chain`.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mac = models.CharField(max_length=64, editable=False)
    seq = models.BigIntegerField(null=True, unique=True, editable=False)
    chain = models.CharField(max_length=64, blank=True, editable=False)

    CHAIN_COLUMNS = ("id", "mac", "seq", "chain")

    class Meta:
        abstract = True

    def _save_table(self, *args, **kwargs):
        # Not in save(): django-auditlog fills the actor and address in a pre_save receiver, which
        # runs after save() starts and before the row is written, here.
        if self._state.adding:
            self.mac = content_mac(self)
        return super()._save_table(*args, **kwargs)


class Event(Chained):
    TIME_FIELD = "at"

    at = models.DateTimeField(_("date"), default=timezone.now)
    kind = models.CharField(_("nature"), max_length=30, choices=Kind.choices, default=Kind.READ)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    # The identifier of a login, a failed login or a lockout; UNKNOWN_IDENTIFIER when what was typed
    # names no account (audit.signals).
    username = models.CharField(_("identifiant saisi"), max_length=150, blank=True)
    partner = models.ForeignKey("access.Partner", on_delete=models.PROTECT, null=True, related_name="+")
    object_type = models.CharField(_("type d'objet"), max_length=50, blank=True)
    object_id = models.CharField(_("identifiant"), max_length=36, blank=True)
    situation_reference = models.CharField(_("référence de la situation"), max_length=20, blank=True)
    screen = models.CharField(_("écran"), max_length=80, blank=True)
    purpose = models.CharField(_("finalité"), max_length=20, choices=Purpose.choices, blank=True)
    # For a read, the reason of the grant that allowed it (access.models.Reason's codes; the trail
    # imports no app). The database default keeps rows written without it valid.
    grant_reason = models.CharField(_("motif du droit"), max_length=24, blank=True, default="", db_default="")
    # Coded, non-personal detail: the group granted, the number of rows exported, a purge's counts.
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("événements du journal")
        ordering = ["-at", "-id"]
        # One index per question the DPO asks; each ends with the time so that a page is an index scan.
        indexes = [
            models.Index(fields=["situation_reference", "-at"], name="event_by_reference"),
            # Covering: the DPO's "what did this user read over a period" aggregates read only the index.
            models.Index(
                fields=["user", "-at"],
                include=["kind", "screen", "purpose", "situation_reference"],
                name="event_by_user",
            ),
            models.Index(fields=["partner", "-at"], name="event_by_partner"),
            models.Index(fields=["kind", "-at"], name="event_by_kind"),
            models.Index(fields=["-at"], name="event_by_time"),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="event_unsealed"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.screen or self.detail}"

    # Django's get_FOO_display hashes every choice of the field, translating each label, on every call:
    # 25 translations per row of a DPO page. These translate one label.
    @property
    def kind_label(self) -> str:
        return _choice_label(Kind, self.kind)

    @property
    def purpose_label(self) -> str:
        return _choice_label(Purpose, self.purpose)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class ChangeEntry(Chained, AbstractLogEntry):
    """django-auditlog's change entry, chained like every other audit row."""

    TIME_FIELD = "timestamp"

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("modification")
        verbose_name_plural = _("modifications")
        indexes = [
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="change_unsealed"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type_id}:{self.object_pk}"


class ChainHead(models.Model):
    """Where each chain ends (and, after a retention purge, where it now starts).

    Not an audit table: it moves forward with every seal. Its own MAC lets `verify_audit` notice
    entries cut off the end of a chain or a forged starting point.
    """

    table = models.CharField(max_length=50, unique=True)
    seq = models.BigIntegerField(default=0)
    chain = models.CharField(max_length=64, blank=True)
    floor_seq = models.BigIntegerField(default=0)
    floor_chain = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.table} @ {self.seq}"


class PurgeWindow(models.Model):
    """Opened by the retention purge for the length of its transaction: the delete triggers let
    through rows older than `before`, and nothing else."""

    before = models.DateTimeField()

    def __str__(self):
        return f"< {self.before:%Y-%m-%d}"
