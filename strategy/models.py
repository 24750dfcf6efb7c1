"""The local strategy (stratégie territoriale) and what links the group's work to it.

Domain words: the CLSPD adopts a *stratégie territoriale de sécurité et de prévention de la
délinquance* (STSPD) for a few years; it is made of *axes*, each holding *fiches-actions* (a problem,
the solutions, a pilot partner, associated partners, a calendar and evaluation criteria). These
texts are public strategy content, not personal data. A situation *contributes* to fiches-actions:
the link is proposed from its motifs and its referrals' schemes and confirmed by its référent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.models import Motif, Situation, Territory


class Strategy(models.Model):
    title = models.CharField(_("intitulé"), max_length=200)
    starts_on = models.DateField(_("début de la période"))
    ends_on = models.DateField(_("fin de la période"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stratégie territoriale")
        verbose_name_plural = _("stratégies territoriales")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")), name="strategy_period")
        ]

    def __str__(self):
        return self.title


class Axis(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.CharField(_("intitulé"), max_length=200)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="axis_unique_number")]

    def __str__(self):
        return f"Axe {self.number} : {self.title}"


class Action(models.Model):
    """A fiche-action. Its code (« 2.3 ») is unique within the strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions", editable=False)
    axis = models.ForeignKey(Axis, verbose_name=_("axe"), on_delete=models.PROTECT, related_name="actions")
    code = models.CharField(_("code"), max_length=10, help_text=_("Par exemple 2.3 : unique dans la stratégie."))
    title = models.CharField(_("intitulé"), max_length=200)
    problem = models.TextField(_("problématique"), max_length=2000, blank=True)
    solutions = models.TextField(_("solutions proposées"), max_length=2000, blank=True)
    pilot = models.ForeignKey(
        Partner, verbose_name=_("partenaire pilote"), on_delete=models.PROTECT, related_name="piloted_actions"
    )
    partners = models.ManyToManyField(
        Partner, verbose_name=_("partenaires associés"), blank=True, related_name="associated_actions"
    )
    calendar = models.CharField(_("calendrier"), max_length=300, blank=True)
    indicators = models.TextField(_("critères d'évaluation"), max_length=2000, blank=True)
    suggested_for_motifs = models.ManyToManyField(
        Motif,
        verbose_name=_("proposée pour les motifs"),
        blank=True,
        related_name="suggested_actions",
        help_text=_("Une situation ayant l'un de ces motifs se voit proposer cette fiche-action."),
    )
    active = models.BooleanField(_("active"), default=True)
    # Situations that contribute to this fiche-action, confirmed by their référent or the coordination:
    # written only through SituationAction; read from a situation as `situation.actions`.
    situations = models.ManyToManyField(
        Situation, verbose_name=_("situations"), through="SituationAction", related_name="actions", blank=True
    )

    class Meta:
        verbose_name = _("fiche-action")
        verbose_name_plural = _("fiches-actions")
        ordering = ["strategy", "axis__number", "code"]
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="action_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.strategy_id = self.axis.strategy_id
        super().save(*args, **kwargs)

    @property
    def sort_key(self) -> tuple:
        return tuple(int(part) if part.isdigit() else part for part in self.code.split("."))


class SituationAction(models.Model):
    """A situation's contribution to a fiche-action, confirmed by its référent or the coordination."""

    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="action_links")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="situation_links")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contribution à une fiche-action")
        verbose_name_plural = _("contributions aux fiches-actions")
        constraints = [models.UniqueConstraint(fields=["situation", "action"], name="situation_action_unique")]

    def __str__(self):
        return f"Contribution {self.pk}"


# --- Steering a fiche-action: indicators and state of progress -------------------------------------------
# Public strategy content, like the fiches themselves: a pilot's comment describes the action, never a
# young person (the forms say so); who entered what is an account of a professional, as on the fiches.


class Indicator(models.Model):
    """An evaluation criterion of a fiche-action, with a target. Its value is either computed by
    Parcours from anonymous counts over its period (`source` other than « saisie ») or entered by
    the pilot with a date and where it comes from (`IndicatorValue`)."""

    class Source(models.TextChoices):
        ENTERED = "saisie", _("Saisie par le pilote (avec date et source)")
        SITUATIONS = "situations", _("Calculée : situations qui contribuent à la fiche-action")
        CLOSED = "cloturees", _("Calculée : suivis clôturés de ces situations")
        REFERRALS = "orientations", _("Calculée : orientations envoyées au titre de la fiche-action")
        PARTICIPANTS = "participants", _("Calculée : participants aux actions collectives de la fiche-action")
        COLLECTIVE_SESSIONS = "seances_collectives", _("Calculée : séances d'actions collectives tenues")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators_set")
    label = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40, help_text=_("Par exemple : jeunes, séances, %."))
    baseline = models.DecimalField(_("valeur de départ"), max_digits=10, decimal_places=1, null=True, blank=True)
    target = models.DecimalField(_("cible"), max_digits=10, decimal_places=1, null=True, blank=True)
    starts_on = models.DateField(_("début de la période"))
    ends_on = models.DateField(_("fin de la période"))
    source = models.CharField(_("valeur"), max_length=20, choices=Source.choices, default=Source.ENTERED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("indicateur de fiche-action")
        verbose_name_plural = _("indicateurs de fiche-action")
        ordering = ["action", "created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")), name="indicator_period")
        ]

    def __str__(self):
        return self.label

    @property
    def is_computed(self) -> bool:
        return self.source != self.Source.ENTERED


class IndicatorValue(models.Model):
    """A value the pilot entered for an indicator: dated, with its source (« bilan du collège »)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("valeur"), max_digits=10, decimal_places=1)
    measured_on = models.DateField(_("date de la mesure"))
    source = models.CharField(_("source"), max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")
        ordering = ["-measured_on", "-entered_at"]

    def __str__(self):
        return f"{self.value} ({self.measured_on:%d/%m/%Y})"


class Progress(models.Model):
    """A dated state of progress of a fiche-action; the latest is its current state."""

    class State(models.TextChoices):
        NOT_STARTED = "pas_commencee", _("Pas commencée")
        RUNNING = "en_cours", _("En cours")
        DONE = "realisee", _("Réalisée")
        ABANDONED = "abandonnee", _("Abandonnée")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    state = models.CharField(_("état d'avancement"), max_length=20, choices=State.choices)
    on = models.DateField(_("à la date du"))
    comment = models.TextField(_("commentaire"), max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("état d'avancement")
        verbose_name_plural = _("états d'avancement")
        ordering = ["-on", "-recorded_at"]

    def __str__(self):
        return f"{self.get_state_display()} ({self.on:%d/%m/%Y})"


class CollectiveSession(models.Model):
    """A session of a collective action of a fiche-action (« accueil jeune », conférence, « Coup de
    pouce »…): counts of participants only, by age band and gender (`CollectiveCount`), never a name."""

    action = models.ForeignKey(
        Action, verbose_name=_("fiche-action"), on_delete=models.PROTECT, related_name="collective_sessions"
    )
    held_on = models.DateField(_("date"))
    label = models.CharField(_("intitulé"), max_length=200, help_text=_("Par exemple : « Accueil jeune du mercredi »."))
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("quartier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Vide : toute la commune."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("séance d'action collective")
        verbose_name_plural = _("séances d'actions collectives")
        ordering = ["-held_on", "-recorded_at"]

    def __str__(self):
        return f"{self.label} ({self.held_on:%d/%m/%Y})"

    @property
    def participants(self) -> int:
        return sum(count.count for count in self.counts.all())


class CollectiveCount(models.Model):
    """How many participants of one age band and one gender a collective session had."""

    session = models.ForeignKey(CollectiveSession, on_delete=models.CASCADE, related_name="counts")
    age_band = models.CharField(_("tranche d'âge"), max_length=10)
    gender = models.CharField(_("genre"), max_length=1, blank=True)
    count = models.PositiveIntegerField(_("nombre"))

    class Meta:
        verbose_name = _("participants d'une action collective")
        verbose_name_plural = _("participants d'actions collectives")
        constraints = [
            models.UniqueConstraint(fields=["session", "age_band", "gender"], name="collective_count_unique")
        ]

    def __str__(self):
        return f"{self.age_band} {self.gender}: {self.count}"
