"""Read-access events (privacy invariant 5). Changes are recorded by django-auditlog.

An event names who read which object, from which screen, for which purpose and from which address.
It holds references and opaque ids only, never identity or content.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    ROUTINE = "suivi", _("Suivi courant")
    SESSION = "seance", _("Séance du groupe")
    REFERRAL = "orientation", _("Orientation")
    BREAK_GLASS = "bris_de_glace", _("Accès exceptionnel (bris de glace)")


class AccessEvent(models.Model):
    at = models.DateTimeField(_("date"), default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey("access.Partner", on_delete=models.PROTECT, null=True, related_name="+")
    object_type = models.CharField(_("type d'objet"), max_length=50)
    object_id = models.CharField(_("identifiant"), max_length=36)
    situation_reference = models.CharField(_("référence de la situation"), max_length=20, blank=True)
    screen = models.CharField(_("écran"), max_length=80)
    purpose = models.CharField(_("finalité"), max_length=20, choices=Purpose.choices, default=Purpose.ROUTINE)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("accès en lecture")
        verbose_name_plural = _("accès en lecture")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["situation_reference", "-at"], name="access_by_reference"),
            models.Index(fields=["user", "-at"], name="access_by_user"),
            models.Index(fields=["-at"], name="access_by_time"),
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} — {self.screen}"
