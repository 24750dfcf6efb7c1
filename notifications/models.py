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
        NEW_SAISINE = "nouvelle_saisine", _("Une nouvelle saisine a été enregistrée")
        REFERENT_NAMED = "referent_designe", _("Vous êtes désigné·e référent·e de parcours d'une situation")
        STEP_OVERDUE = "etape_en_retard", _("Une action demandée a dépassé son échéance")
        REVIEW_DUE = "reexamen_echu", _("La date de réexamen d'une situation est arrivée")
        SEANCE_AGENDA = "seance_ordre_du_jour", _("L'ordre du jour d'une séance où vous êtes invité·e a changé")
        REFERRAL_ENDED = "orientation_terminee", _("Une orientation a pris fin ou a été abandonnée")

    # What each person may receive at once or in one daily digest; alerts about security always go at once.
    DIGESTIBLE = (
        Kind.REFERRAL_RECEIVED,
        Kind.REFERRAL_ANSWERED,
        Kind.REFERRAL_REMINDER,
        Kind.REFERRAL_OVERDUE,
        Kind.REFERRAL_SITUATION_CLOSED,
        Kind.REFERRAL_ENDED,
        Kind.SEANCE_INVITATION,
        Kind.SEANCE_ACTION,
        Kind.SEANCE_AGENDA,
        Kind.PARTNER_ASSOCIATED,
        Kind.NEW_SAISINE,
        Kind.REFERENT_NAMED,
        Kind.STEP_OVERDUE,
        Kind.REVIEW_DUE,
    )

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
    # Sent in the recipient's daily digest rather than on its own (their preference for this kind).
    digest = models.BooleanField(_("dans le récapitulatif quotidien"), default=False)

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


class Preference(models.Model):
    """How a person wants one kind of notification: each at once (the default, no row) or in one
    daily digest e-mail."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediat", _("Aussitôt, un courriel par notification")
        DAILY = "quotidien", _("Dans un récapitulatif quotidien")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=30, choices=Notification.Kind.choices)
    mode = models.CharField(_("envoi"), max_length=20, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"Préférence {self.pk} ({self.kind})"
