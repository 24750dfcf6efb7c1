"""Young people, situations (cases) and notes, with their coded lists.

Domain words: a *saisine* is a partner's request that the group look at a young person's situation;
the *situation* (dossier de suivi) is the case that follows; the *référent de parcours* is the one
professional who leads the young person's follow-up.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.fields import BlindIndexField, EncryptedDateField, EncryptedTextField
from access.models import DataKey, Partner


class CodedEntry(models.Model):
    """An entry of a coded list: the CNIL asks for coded lists rather than free text."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class Source(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("source de saisine")
        verbose_name_plural = _("sources de saisine")


class Motif(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("motif")
        verbose_name_plural = _("motifs")


class ClosureReason(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("motif de clôture")
        verbose_name_plural = _("motifs de clôture")


class Territory(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("quartier")
        verbose_name_plural = _("quartiers")


class Gender(models.TextChoices):
    FEMALE = "F", _("Fille / femme")
    MALE = "M", _("Garçon / homme")
    OTHER = "A", _("Autre")
    UNKNOWN = "", _("Non renseigné")


class YouthOutcome(models.TextChoices):
    """« Situation du jeune à la fin du suivi »: where the young person stands when the follow-up ends.
    Fixed codes, not an editable list: the anonymous counters keep them for years after the purge."""

    SCHOOLING = "scolarite", _("Scolarité reprise ou maintenue")
    TRAINING = "formation", _("En formation")
    WORK = "emploi", _("Emploi ou alternance")
    MAINSTREAM = "droit-commun", _("Relais vers le droit commun")
    NO_SOLUTION = "sans-solution", _("Sans solution")
    LOST = "perdu-de-vue", _("Perdu de vue")
    MOVED = "demenagement", _("Déménagement")


class Person(models.Model):
    """A young person. Identity is encrypted; plain fields are the low-risk ones statistics need."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    last_name = EncryptedTextField(_("nom"), max_length=100)
    first_name = EncryptedTextField(_("prénom"), max_length=100)
    birth_date = EncryptedDateField(_("date de naissance"))
    address = EncryptedTextField(_("adresse"), max_length=300, null=True, blank=True)
    phone = EncryptedTextField(_("téléphone"), max_length=30, null=True, blank=True)
    school = EncryptedTextField(_("établissement scolaire ou structure"), max_length=200, null=True, blank=True)
    legal_representatives = EncryptedTextField(
        _("représentants légaux"),
        max_length=500,
        null=True,
        blank=True,
        help_text=_("Noms et qualité (mère, père, tuteur…), sans autre détail."),
    )
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    gender = models.CharField(_("genre"), max_length=1, choices=Gender.choices, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier"), on_delete=models.PROTECT, null=True, blank=True
    )
    # HMAC of the normalised last name, first name and birth date: finds duplicates without plaintext.
    identity_index = BlindIndexField(max_length=64, db_index=True)
    # Match keys (casework.matching): keyed digests of each name, of its French phonetic code, of its
    # bigrams (a Bloom filter, hex) and of the birth date, so that spelling variants are found too;
    # `index_key` is the fingerprint of the blind-index key they were made with (for its rotation).
    index_key = BlindIndexField(max_length=16, db_index=True, default="")
    last_name_key = BlindIndexField(max_length=64, db_index=True, default="")
    first_name_key = BlindIndexField(max_length=64, db_index=True, default="")
    last_name_phonetic = BlindIndexField(max_length=64, db_index=True, default="")
    first_name_phonetic = BlindIndexField(max_length=64, db_index=True, default="")
    last_name_bloom = BlindIndexField(max_length=128, default="")
    first_name_bloom = BlindIndexField(max_length=128, default="")
    birth_date_key = BlindIndexField(max_length=64, db_index=True, default="")
    is_fictional = models.BooleanField(_("personne fictive (démonstration)"), default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("jeune")
        verbose_name_plural = _("jeunes")

    def __str__(self):
        return f"Jeune {str(self.pk)[:8]}"

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


class Situation(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "recue", _("Reçue")
        EXAMINED = "examinee", _("Examinée")
        NOT_RETAINED = "non_retenue", _("Non retenue")
        ACTIVE = "suivi_actif", _("Suivi actif")
        CLOSED = "cloturee", _("Clôturée")

    TRANSITIONS = {
        Status.RECEIVED: {Status.EXAMINED},
        Status.EXAMINED: {Status.NOT_RETAINED, Status.ACTIVE},
        Status.NOT_RETAINED: set(),
        Status.ACTIVE: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    # None in anonymous mode (partners that work without names, e.g. prévention spécialisée).
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="situations")
    # A reopening is a new saisine linked to the closed one; the link goes when the old one is purged.
    previous = models.ForeignKey(
        "self",
        verbose_name=_("saisine précédente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reopenings",
    )
    # The person's data key, or the situation's own in anonymous mode: one key to shred.
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    referring_partner = models.ForeignKey(
        Partner, verbose_name=_("partenaire à l'origine"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(Source, verbose_name=_("source de la saisine"), on_delete=models.PROTECT)
    received_on = models.DateField(_("date de la saisine"))
    motifs = models.ManyToManyField(Motif, verbose_name=_("motifs"), related_name="situations")
    motif_details = EncryptedTextField(_("précisions sur les motifs"), max_length=1000, null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référent·e de parcours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    next_review_on = models.DateField(_("prochain examen"), null=True, blank=True)
    # The day the situation reached its status, set by the services: retention periods count from it.
    status_since = models.DateField(_("statut depuis le"))
    # A reminder that a child in danger goes to the CRIP; the flag itself records nothing else.
    danger = models.BooleanField(_("enfant en danger ou en risque de l'être"), default=False)
    # Art. 18 GDPR: kept, but readable only by the coordination (and the DPO's subject-access export).
    restricted = models.BooleanField(_("traitement limité"), default=False)
    closure_reason = models.ForeignKey(
        ClosureReason, verbose_name=_("motif de clôture"), on_delete=models.PROTECT, null=True, blank=True
    )
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    # Required at closure, optional when the saisine is not retained (casework.services).
    youth_outcome = models.CharField(
        _("situation du jeune à la fin du suivi"), max_length=20, choices=YouthOutcome.choices, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic lock: a form carries the version it was read at; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("situation")
        verbose_name_plural = _("situations")
        ordering = ["-received_on", "-created_at"]
        # Beside Django's view and change: writing notes without changing the situation (associated partners).
        permissions = [("annotate_situation", _("Peut ajouter une note à la situation"))]
        indexes = [
            models.Index(fields=["status", "received_on"], name="situation_status_received"),
            models.Index(fields=["-received_on", "-created_at"], name="situation_default_order"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_read_only(self) -> bool:
        return self.is_closed or self.restricted

    @property
    def is_ended(self) -> bool:
        """Closed or not retained: what may be reopened by a new saisine."""
        return self.status in (self.Status.CLOSED, self.Status.NOT_RETAINED)

    def allowed_statuses(self) -> list[str]:
        return [self.status, *sorted(self.TRANSITIONS[self.Status(self.status)])]


class ReferenceCounter(models.Model):
    """Yearly counter behind pseudonymous references such as GSN-2026-0042."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Note(models.Model):
    class Visibility(models.TextChoices):
        GROUP = "groupe", _("Groupe (tous les partenaires ayant accès à la situation)")
        PARTNER = "partenaire", _("Mon partenaire uniquement")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="notes")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("note"))
    visibility = models.CharField(_("visibilité"), max_length=20, choices=Visibility.choices, default=Visibility.GROUP)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["situation", "-created_at"], name="note_situation_created")]

    def __str__(self):
        return f"Note {str(self.pk)[:8]}"


class Information(models.Model):
    """The information of the young person or of one legal representative (GDPR art. 13/14).

    `label` says who was informed ("mère", "tuteur"…) and is encrypted with the situation's key: it
    may name a family member and must disappear with the situation.
    """

    class Recipient(models.TextChoices):
        YOUNG_PERSON = "jeune", _("Le ou la jeune")
        LEGAL_REPRESENTATIVE = "representant", _("Un représentant légal")

    class Mode(models.TextChoices):
        MEETING = "entretien", _("Entretien")
        LETTER = "courrier", _("Courrier")
        PHONE = "telephone", _("Téléphone")
        NOTICE = "notice", _("Remise de la notice d'information")
        OTHER = "autre", _("Autre")

    class Response(models.TextChoices):
        AGREED = "accord", _("Accord")
        REFUSED = "refus", _("Refus")
        NO_ANSWER = "sans_reponse", _("Pas de réponse")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="informations")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("personne informée"), max_length=20, choices=Recipient.choices)
    label = EncryptedTextField(_("précision (mère, père, tuteur…)"), max_length=60, null=True, blank=True)
    informed_on = models.DateField(_("informé·e le"))
    mode = models.CharField(_("mode d'information"), max_length=20, choices=Mode.choices)
    response = models.CharField(_("réponse"), max_length=20, choices=Response.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("information")
        verbose_name_plural = _("informations")
        ordering = ["-informed_on", "-created_at"]
        indexes = [models.Index(fields=["situation", "recipient"], name="information_situation")]

    def __str__(self):
        return f"Information {str(self.pk)[:8]}"


class Association(models.Model):
    """A partner the group involves in a situation (« partenaire associé »), by the coordinator's hand
    or by a séance's decision asking it to act. Its staff read the situation and write notes through a
    grant of the ledger whose source is this row; when that access ends, and who ended it, is the
    grant's. The stated reason may name the young person: it is encrypted with the situation's key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="associations")
    partner = models.ForeignKey(Partner, verbose_name=_("partenaire"), on_delete=models.PROTECT, related_name="+")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    motive = EncryptedTextField(_("motif de l'association"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("partenaire associé")
        verbose_name_plural = _("partenaires associés")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Association {str(self.pk)[:8]}"


# --- Retention (privacy invariant 7) ---------------------------------------------------------------------
# Domain words: the *AIPD* (analyse d'impact, DPIA) is the document in which the controller justifies
# each retention period; the *DPO* sets the periods (audit's data-protection screens), with its reference.

# States after which a situation waits only for its deletion.
PURGEABLE_STATUSES = (Situation.Status.NOT_RETAINED, Situation.Status.CLOSED)


class RetentionRule(models.Model):
    """How long a situation is kept once it reached `status`, counted from `Situation.status_since`."""

    status = models.CharField(
        _("statut"),
        max_length=20,
        unique=True,
        choices=[(status.value, status.label) for status in PURGEABLE_STATUSES],
    )
    days = models.PositiveIntegerField(_("durée de conservation (jours)"))
    dpia_reference = models.CharField(_("référence dans l'AIPD"), max_length=120)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("règle de conservation")
        verbose_name_plural = _("règles de conservation")
        ordering = ["status"]

    def __str__(self):
        return f"{self.status}: {self.days} j"


COUNTER_DIMENSIONS = (
    "received_year",
    "received_month",
    "source",
    "motifs",
    "actions",
    "status",
    "closure_reason",
    "age_band",
    "gender",
    "territory",
    "followup_band",
    "anonymous",
    "youth_outcome",
)


class EvaluationCount(models.Model):
    """Anonymous counters a purged situation leaves behind, for the evaluation of the group.

    Coded values only, copied as codes (not foreign keys) so that they outlive the coded lists, and
    counted: a row is a combination, never a situation. No reference, no id and no date finer than
    the month can lead back to a young person.
    """

    received_year = models.PositiveSmallIntegerField(_("année de la saisine"))
    received_month = models.PositiveSmallIntegerField(_("mois de la saisine"))
    source = models.CharField(_("source"), max_length=60)
    motifs = models.CharField(_("motifs"), max_length=600, help_text=_("codes triés, séparés par des espaces"))
    actions = models.CharField(
        _("fiches-actions"), max_length=300, blank=True, help_text=_("codes triés, séparés par des espaces")
    )
    status = models.CharField(_("statut atteint"), max_length=20)
    closure_reason = models.CharField(_("motif de clôture"), max_length=60, blank=True)
    age_band = models.CharField(_("tranche d'âge à la saisine"), max_length=10, blank=True)
    gender = models.CharField(_("genre"), max_length=1, blank=True)
    territory = models.CharField(_("quartier"), max_length=60, blank=True)
    followup_band = models.CharField(_("durée du suivi"), max_length=10, blank=True)
    youth_outcome = models.CharField(_("situation du jeune à la fin du suivi"), max_length=20, blank=True, default="")
    anonymous = models.BooleanField(_("situation anonyme"))
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("compteur anonyme")
        verbose_name_plural = _("compteurs anonymes")
        constraints = [models.UniqueConstraint(fields=COUNTER_DIMENSIONS, name="evaluation_count_unique")]

    def __str__(self):
        return f"{self.received_year}-{self.received_month:02d} {self.status}: {self.count}"
