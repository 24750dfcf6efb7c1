"""Partner schemes (dispositifs) and referrals (orientations) to them.

Domain words: a *dispositif* is a programme run by a partner (the *opérateur*): Programme de
Réussite Éducative, Mission locale's Contrat d'engagement jeune, a club de prévention's chantiers
éducatifs… The group *oriente* a young person to one of them; the operator accepts or declines,
then follows the young person and ends the referral with a coded outcome.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.fields import EncryptedTextField
from access.models import DataKey, Partner, Role
from casework.models import CodedEntry, Motif, Situation, Territory


class DeclineReason(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("motif de refus d'orientation")
        verbose_name_plural = _("motifs de refus d'orientation")


class Outcome(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("issue d'orientation")
        verbose_name_plural = _("issues d'orientation")


class Scheme(models.Model):
    """A dispositif of the catalogue. Empty territories or motifs mean "all"."""

    name = models.CharField(_("nom"), max_length=150, unique=True)
    operator = models.ForeignKey(
        Partner, verbose_name=_("partenaire opérateur"), on_delete=models.PROTECT, related_name="schemes"
    )
    description = models.TextField(_("description"), blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("âge minimum"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("âge maximum"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("quartiers"),
        blank=True,
        related_name="+",
        help_text=_("Aucun quartier coché : tous les quartiers."),
    )
    motifs = models.ManyToManyField(
        Motif,
        verbose_name=_("motifs pris en charge"),
        blank=True,
        related_name="+",
        help_text=_("Aucun motif coché : tous les motifs."),
    )
    response_deadline_days = models.PositiveSmallIntegerField(
        _("délai de réponse (jours)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    contact_role = models.CharField(
        _("rôle à prévenir"),
        max_length=20,
        choices=[(Role.STAFF.value, Role.STAFF.label), (Role.COORDINATOR.value, Role.COORDINATOR.label)],
        default=Role.STAFF,
        help_text=_("Les membres du partenaire opérateur ayant ce rôle reçoivent les orientations et les relances."),
    )
    # The fiche-action of the local strategy this scheme serves; its referrals inherit it.
    action = models.ForeignKey(
        "strategy.Action",
        verbose_name=_("fiche-action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schemes",
    )
    active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="scheme_age_range_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class Referral(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposee", _("proposée")
        SENT = "envoyee", _("envoyée")
        ACCEPTED = "acceptee", _("acceptée")
        DECLINED = "refusee", _("refusée")
        IN_PROGRESS = "en_cours", _("en cours")
        ENDED = "terminee", _("terminée")
        ABANDONED = "abandonnee", _("abandonnée")

    # States in which the operator partner needs to read the situation.
    OPEN_TO_OPERATOR = (State.SENT, State.ACCEPTED, State.IN_PROGRESS)
    FINAL = (State.DECLINED, State.ENDED, State.ABANDONED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="referrals")
    # The situation's data key: shredding the person erases the justification too.
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, verbose_name=_("dispositif"), on_delete=models.PROTECT, related_name="referrals")
    # Copied from the scheme when proposed: a later change of the scheme does not rewrite history.
    action = models.ForeignKey(
        "strategy.Action",
        verbose_name=_("fiche-action"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposée le"), default=timezone.now)
    justification = EncryptedTextField(_("justification"), max_length=1000, null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    deadline = models.DateField(_("réponse attendue le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    decline_reason = models.ForeignKey(
        DeclineReason, verbose_name=_("motif de refus"), on_delete=models.PROTECT, null=True, blank=True
    )
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    outcome = models.ForeignKey(Outcome, verbose_name=_("issue"), on_delete=models.PROTECT, null=True, blank=True)
    ended_at = models.DateTimeField(_("close le"), null=True, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-proposed_at"]
        indexes = [
            models.Index(fields=["situation", "-proposed_at"], name="referral_situation"),
            models.Index(fields=["state", "deadline"], name="referral_state_deadline"),
        ]

    def __str__(self):
        return f"Orientation {str(self.pk)[:8]}"

    @property
    def is_closed(self) -> bool:
        return self.state in self.FINAL

    @property
    def days_late(self) -> int:
        """Days past the deadline of a referral still waiting for its answer; 0 otherwise."""
        if self.state != self.State.SENT or self.deadline is None:
            return 0
        return max((timezone.localdate() - self.deadline).days, 0)

    @property
    def answer_days(self) -> int | None:
        """Days from sending to the operator's answer (None while unanswered)."""
        if self.sent_at is None or self.answered_at is None:
            return None
        return max((self.answered_at - self.sent_at).days, 0)

    def counter_dimensions(self) -> dict:
        """What a purged referral leaves behind in `ReferralCount`: coded values and the month it was
        sent, never a date or an id."""
        sent = timezone.localdate(self.sent_at) if self.sent_at else None
        return {
            "sent_year": sent.year if sent else None,
            "sent_month": sent.month if sent else None,
            "scheme": self.scheme.name,
            "action": self.action.code if self.action else "",
            "state": self.state,
            "outcome": self.outcome.code if self.outcome else "",
            "answer_days": self.answer_days,
        }


class ReferralCount(models.Model):
    """Anonymous counters the referrals of a purged situation leave behind (like `EvaluationCount`).

    The scheme's name and the codes are copied as text so that they outlive the catalogue; the
    sending date is kept to the month. A row is a combination, never a referral.
    """

    sent_year = models.PositiveSmallIntegerField(_("année de l'envoi"), null=True)
    sent_month = models.PositiveSmallIntegerField(_("mois de l'envoi"), null=True)
    scheme = models.CharField(_("dispositif"), max_length=150)
    action = models.CharField(_("fiche-action (code)"), max_length=10, blank=True)
    state = models.CharField(_("état final"), max_length=20)
    outcome = models.CharField(_("issue"), max_length=60, blank=True)
    # Whole days between sending and the answer (a median needs the value, not a band).
    answer_days = models.PositiveSmallIntegerField(_("jours avant la réponse"), null=True)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("compteur anonyme d'orientations")
        verbose_name_plural = _("compteurs anonymes d'orientations")
        indexes = [models.Index(fields=["sent_year", "sent_month"], name="referral_count_month")]

    def __str__(self):
        return f"{self.scheme} {self.state}: {self.count}"
