"""The DPO's rights requests (GDPR art. 15 and 17) and the access files they produce."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.fields import EncryptedTextField
from access.models import DataKey

# --- Rights of the people followed (GDPR art. 15 and 17) ------------------------------------------------


class RightsRequest(models.Model):
    """A request of a young person (or their representative) to the DPO: access or erasure.

    Four eyes: the DPO records it, a coordinator confirms it; nothing is produced or erased before.
    `references` keeps the pseudonymous references found when it was recorded, so that the DPO can
    answer after an erasure; the person is never named here.
    """

    class Kind(models.TextChoices):
        ACCESS = "acces", _("Droit d'accès (art. 15)")
        ERASURE = "effacement", _("Effacement (art. 17)")
        OBJECTION = "opposition", _("Opposition (art. 21)")

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
