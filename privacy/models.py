"""Retention, anonymous counters and the rights of the people followed (GDPR art. 15 to 18).

Domain words: the *AIPD* (analyse d'impact, DPIA) is the document in which the controller justifies
each retention period; the *DPO* sets the periods here, with the AIPD's reference.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.fields import EncryptedTextField
from access.models import DataKey
from casework.models import Situation

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
    "status",
    "closure_reason",
    "age_band",
    "gender",
    "territory",
    "followup_band",
    "anonymous",
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
    status = models.CharField(_("statut atteint"), max_length=20)
    closure_reason = models.CharField(_("motif de clôture"), max_length=60, blank=True)
    age_band = models.CharField(_("tranche d'âge à la saisine"), max_length=10, blank=True)
    gender = models.CharField(_("genre"), max_length=1, blank=True)
    territory = models.CharField(_("quartier"), max_length=60, blank=True)
    followup_band = models.CharField(_("durée du suivi"), max_length=10, blank=True)
    anonymous = models.BooleanField(_("situation anonyme"))
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("compteur anonyme")
        verbose_name_plural = _("compteurs anonymes")
        constraints = [models.UniqueConstraint(fields=COUNTER_DIMENSIONS, name="evaluation_count_unique")]

    def __str__(self):
        return f"{self.received_year}-{self.received_month:02d} {self.status}: {self.count}"


class RightsRequest(models.Model):
    """A request of a young person (or their representative) to the DPO: access or erasure.

    Four eyes: the DPO records it, a coordinator confirms it; nothing is produced or erased before.
    `references` keeps the pseudonymous references found when it was recorded, so that the DPO can
    answer after an erasure; the person is never named here.
    """

    class Kind(models.TextChoices):
        ACCESS = "acces", _("Droit d'accès (art. 15)")
        ERASURE = "effacement", _("Effacement (art. 17)")

    class Status(models.TextChoices):
        AWAITING = "a_confirmer", _("En attente de confirmation")
        RUNNING = "en_cours", _("Confirmée, en cours")
        DONE = "terminee", _("Terminée")
        CANCELLED = "annulee", _("Annulée")
        FAILED = "echec", _("Échec")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    person = models.ForeignKey(
        "casework.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="rights_requests"
    )
    references = models.CharField(_("références"), max_length=600)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.AWAITING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("demande d'exercice de droits")
        verbose_name_plural = _("demandes d'exercice de droits")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Demande {str(self.pk)[:8]} ({self.kind})"

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8]


class SubjectAccessFile(models.Model):
    """The produced file of an access request, encrypted with the person's data key.

    Stored rather than produced at each download so that a large file is built once, in a worker,
    with progress; encrypted with the person's key so that it never sits in plaintext and dies with
    the person's data (crypto-shredding), and deleted anyway `PARCOURS_SUBJECT_ACCESS_DAYS` after.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(RightsRequest, on_delete=models.CASCADE, related_name="file")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    pdf = EncryptedTextField(_("PDF (base64)"))
    json = EncryptedTextField(_("JSON"))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dossier du droit d'accès")
        verbose_name_plural = _("dossiers du droit d'accès")

    def __str__(self):
        return f"Dossier {str(self.pk)[:8]}"
