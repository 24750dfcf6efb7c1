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
