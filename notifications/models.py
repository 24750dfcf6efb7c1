"""The notification outbox's rows (see notifications.services)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person, written in the same transaction as the event (transactional outbox).

    It carries a kind and a link, never personal data: the e-mail says "une orientation vous attend"
    and where to look, and the page behind the link checks permissions as any other.
    """

    class Kind(models.TextChoices):
        REFERRAL_RECEIVED = "orientation_recue", _("Une orientation vous attend")
        REFERRAL_ANSWERED = "orientation_repondue", _("Une orientation a reçu une réponse")
        REFERRAL_REMINDER = "orientation_relance", _("Une orientation attend toujours votre réponse")
        REFERRAL_OVERDUE = "orientation_en_retard", _("Une orientation est en retard")
        REFERRAL_SITUATION_CLOSED = "orientation_close", _("Une orientation a pris fin : la situation est clôturée")
        BREAK_GLASS_OPENED = "bris_de_glace", _("Un accès exceptionnel a été ouvert")
        AUDIT_CHAIN_BROKEN = "journal_altere", _("La vérification du journal d'audit a échoué")
        ACCESS_DIGEST = "rapport_anomalies", _("Le rapport quotidien des anomalies d'accès est prêt")
        SEANCE_INVITATION = "seance_invitation", _("Vous êtes invité·e à une séance du groupe")
        SEANCE_ACTION = "seance_action", _("Le groupe demande une action à votre partenaire")
        PARTNER_ASSOCIATED = "partenaire_associe", _("Votre partenaire est associé au suivi d'une situation")
        PRIVILEGE_GRANTED = "droits_eleves", _("Un rôle élevé ou un accès d'administration a été attribué")
        FACTOR_REMOVED = "facteur_retire", _("Le second facteur d'un compte a été retiré")
        FACTOR_RESET_PENDING = "reinit_a_confirmer", _("Une réinitialisation de second facteur attend confirmation")
        YOUR_FACTOR_RESET = "votre_facteur_reinit", _("Votre double authentification a été réinitialisée")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    # A path inside Parcours with opaque ids only.
    link = models.CharField(_("lien"), max_length=200)
    # Counts only (the DPO's daily digest), never a name, a reference or free text.
    summary = models.CharField(_("résumé chiffré"), max_length=500, blank=True)
    # Queuing the same event twice for the same person yields one notification.
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    # When the e-mail step finished (sent, or skipped for a person without an address).
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="one_notification_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["sent_at", "created_at"], name="notification_pending"),
        ]

    def __str__(self):
        return f"Notification {self.pk} ({self.kind})"
