"""What the group records between séances about a situation besides notes: the justifications it
writes when it goes on despite the family's refusal (the consent policy), and the signalements it
made to child protection or the prosecutor. Free text is encrypted with the situation's key."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.fields import EncryptedTextField
from access.models import DataKey
from casework.models.core import Situation

CONSENT_JUSTIFICATION_MAX_LENGTH = 1000
SIGNALEMENT_COMMENT_MAX_LENGTH = 500


class ConsentJustification(models.Model):
    """Why the group orients a young person, or puts their situation on a séance's agenda, although
    they or their family refused (PARCOURS_CONSENT_POLICY « justification »). The group reads it on
    the situation; the DPO lists when, by whom and for what (not the text)."""

    class Action(models.TextChoices):
        REFERRAL = "orientation", _("Orientation vers un dispositif")
        SEANCE = "seance", _("Inscription à l'ordre du jour d'une séance")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="consent_justifications")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("acte"), max_length=20, choices=Action.choices)
    justification = EncryptedTextField(_("justification"), max_length=CONSENT_JUSTIFICATION_MAX_LENGTH)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("justification malgré le refus")
        verbose_name_plural = _("justifications malgré le refus")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Justification {str(self.pk)[:8]}"


class Signalement(models.Model):
    """A trace that the danger was reported outside the group: an *information préoccupante* to the
    département's CRIP, a report to the prosecutor, or another authority. Coded (date, recipient,
    mode, by whom) so that it can be shown, listed and counted; the optional comment is encrypted."""

    class Recipient(models.TextChoices):
        CRIP = "crip", _("CRIP du Département (information préoccupante)")
        PROSECUTOR = "procureur", _("Procureur de la République")
        OTHER = "autre", _("Autre autorité")

    class Mode(models.TextChoices):
        FORM = "formulaire", _("Fiche de transmission ou formulaire")
        SECURE_MAIL = "messagerie", _("Messagerie sécurisée")
        LETTER = "courrier", _("Courrier")
        PHONE = "telephone", _("Téléphone (confirmé par écrit)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="signalements")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("transmis le"))
    recipient = models.CharField(_("destinataire"), max_length=20, choices=Recipient.choices)
    mode = models.CharField(_("mode de transmission"), max_length=20, choices=Mode.choices)
    comment = EncryptedTextField(_("commentaire"), max_length=SIGNALEMENT_COMMENT_MAX_LENGTH, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-sent_on", "-created_at"]
        indexes = [models.Index(fields=["sent_on"], name="signalement_sent_on")]

    def __str__(self):
        return f"Signalement {str(self.pk)[:8]}"
