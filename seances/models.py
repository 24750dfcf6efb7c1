"""Group sessions (séances) of the GSN: agenda, attendance, decisions, the plan d'accompagnement
(objectives and steps, a step being an « action demandée »), addenda.

Domain words: the *séance* is the monthly meeting of the group, chaired by the coordinator; only
members of partners bound by the signed charter attend, each after confirming the confidentiality
pledge. Its *ordre du jour* lists the situations examined; each *point* gets coded decisions; the
*relevé de décisions* (minutes) carries references, coded decisions, partners and dates, never a
name or a narrative. A closed séance is frozen: a correction is an *addendum*.

Free text about a young person (the review summary of a point, an action's wording, an addendum on
a point) is encrypted with the situation's data key, so that it dies with the situation.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.fields import EncryptedTextField
from access.models import DataKey, Partner
from casework.models import ClosureReason, CodedEntry, Situation, Territory

SUMMARY_MAX_LENGTH = 2000
ACTION_LABEL_MAX_LENGTH = 300
OBJECTIVE_LABEL_MAX_LENGTH = 300
ADDENDUM_MAX_LENGTH = 1000
ABANDON_REASON_MAX_LENGTH = 300


class NotRetainedReason(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("motif de non-retenue")
        verbose_name_plural = _("motifs de non-retenue")


class Seance(models.Model):
    class Status(models.TextChoices):
        PREPARATION = "preparation", _("En préparation")
        RUNNING = "en_cours", _("En cours")
        CLOSED = "cloturee", _("Clôturée")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("heure de début"))
    place = models.CharField(_("lieu"), max_length=150)
    territory = models.ForeignKey(
        Territory, verbose_name=_("quartier"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.PREPARATION)
    # The séance's own key, for a session-level addendum (a correction not tied to one point).
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["status", "date"], name="seance_status_date")]

    def __str__(self):
        return f"Séance du {self.date:%d/%m/%Y}"

    @property
    def is_preparation(self) -> bool:
        return self.status == self.Status.PREPARATION

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Invitation(models.Model):
    """An invited partner member: sees the agenda (references only) before the séance."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["seance", "user"], name="one_invitation_per_user")]

    def __str__(self):
        return f"Invitation {self.pk}"


class Attendance(models.Model):
    """A member present at the séance, with the partner they represented and their pledge."""

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, verbose_name=_("partenaire"), on_delete=models.PROTECT, related_name="+")
    pledge_confirmed_at = models.DateTimeField(_("engagement de confidentialité confirmé le"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["partner__name", "pledge_confirmed_at"]
        constraints = [models.UniqueConstraint(fields=["seance", "user"], name="one_attendance_per_user")]

    def __str__(self):
        return f"Présence {self.pk}"


class AgendaItem(models.Model):
    """A point of the agenda: one situation, why it is there, and the review summary (encrypted)."""

    class Reason(models.TextChoices):
        NEW = "nouvelle_saisine", _("Nouvelle saisine à examiner")
        REVIEW_DUE = "examen_prevu", _("Examen prévu")
        REFERRAL_OVERDUE = "orientation_en_retard", _("Orientation sans réponse dans le délai")
        REFERRAL_ANSWERED = "orientation_repondue", _("Orientation ayant reçu une réponse")
        ADDED = "ajout_coordination", _("Ajoutée par la coordination")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="items")
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="agenda_items")
    # The situation's data key: the summary dies with the situation.
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("ordre"))
    reason = models.CharField(_("motif d'inscription"), max_length=30, choices=Reason.choices)
    summary = EncryptedTextField(_("synthèse de l'examen"), max_length=SUMMARY_MAX_LENGTH, null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("points de l'ordre du jour")
        ordering = ["seance", "position"]
        constraints = [models.UniqueConstraint(fields=["seance", "situation"], name="one_item_per_situation")]

    def __str__(self):
        return f"Point {str(self.pk)[:8]}"


class Decision(models.Model):
    """One coded decision on a point. A point may receive several (examined, orient, next review…)."""

    class Kind(models.TextChoices):
        EXAMINED = "examinee", _("Examinée")
        NOT_RETAINED = "non_retenue", _("Non retenue")
        FOLLOW_UP = "suivi_ouvert", _("Suivi ouvert, référent·e désigné·e")
        REFERRAL = "orientation", _("Orientation vers un dispositif")
        ACTION = "action_demandee", _("Action demandée à un partenaire")
        NEXT_REVIEW = "prochain_examen", _("Prochain examen fixé")
        CLOSURE = "cloture", _("Clôture du suivi")
        STEP_CLOSED = "etape_close", _("Étape du plan close")
        OBJECTIVE = "objectif_fixe", _("Objectif ajouté au plan d'accompagnement")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("décision"), max_length=20, choices=Kind.choices)
    not_retained_reason = models.ForeignKey(
        NotRetainedReason, verbose_name=_("motif"), on_delete=models.PROTECT, null=True, blank=True
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("référent·e de parcours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referral = models.ForeignKey(
        "referrals.Referral", verbose_name=_("orientation"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # The step the decision created (« action demandée ») or closed (« étape close »).
    step = models.ForeignKey(
        "Step", verbose_name=_("étape"), on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    # The objective the decision added to the plan d'accompagnement.
    objective = models.ForeignKey(
        "Objective",
        verbose_name=_("objectif"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    next_review_on = models.DateField(_("prochain examen"), null=True, blank=True)
    closure_reason = models.ForeignKey(
        ClosureReason, verbose_name=_("motif de clôture"), on_delete=models.PROTECT, null=True, blank=True
    )
    # The partner answerable for what was decided: the référent's, the scheme's operator, the one asked.
    partner = models.ForeignKey(
        Partner, verbose_name=_("partenaire responsable"), on_delete=models.PROTECT, null=True, blank=True
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["item", "decided_at"]

    def __str__(self):
        return f"Décision {str(self.pk)[:8]}"


class Objective(models.Model):
    """An objective of the *plan d'accompagnement* of a situation: a coded domain and a wording
    (encrypted with the situation's key). The référent and the coordinator set it; the anonymous
    evaluation counts the objectives reached by domain."""

    class Domain(models.TextChoices):
        SCHOOLING = "scolarite", _("Scolarité")
        TRAINING = "formation_emploi", _("Formation, emploi")
        HEALTH = "sante", _("Santé")
        FAMILY = "famille", _("Famille")
        JUSTICE = "justice", _("Justice")
        HOUSING = "logement", _("Logement")
        LEISURE = "loisirs", _("Loisirs")

    class Status(models.TextChoices):
        OPEN = "en_cours", _("En cours")
        REACHED = "atteint", _("Atteint")
        NOT_REACHED = "non_atteint", _("Non atteint")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="objectives")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(_("domaine"), max_length=20, choices=Domain.choices)
    label = EncryptedTextField(_("objectif"), max_length=OBJECTIVE_LABEL_MAX_LENGTH)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.OPEN)
    status_on = models.DateField(_("état depuis le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("objectif du plan d'accompagnement")
        verbose_name_plural = _("objectifs du plan d'accompagnement")
        ordering = ["created_at"]

    def __str__(self):
        return f"Objectif {str(self.pk)[:8]}"


class Step(models.Model):
    """A step of the plan d'accompagnement: what a responsible partner does, by when.

    A step is what the group calls an *action demandée*: a séance decision « action demandée à un
    partenaire » creates one, the plan's editors add others; one concept, one table. It may serve an
    objective of the plan or none (an action decided in séance before the plan existed).
    """

    class Status(models.TextChoices):
        TODO = "a_faire", _("À faire")
        DOING = "en_cours", _("En cours")
        DONE = "fait", _("Fait")
        ABANDONED = "abandonne", _("Abandonné")

    PENDING = (Status.TODO, Status.DOING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="steps")
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objectif"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
    )
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="steps")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, verbose_name=_("partenaire responsable"), on_delete=models.PROTECT)
    label = EncryptedTextField(_("action demandée"), max_length=ACTION_LABEL_MAX_LENGTH)
    due_on = models.DateField(_("échéance"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.TODO)
    # When the step was done or abandoned, and by whom.
    ended_on = models.DateField(_("close le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why the responsible partner gave the step up (encrypted: it may speak of the young person).
    abandon_reason = EncryptedTextField(
        _("motif de l'abandon"), max_length=ABANDON_REASON_MAX_LENGTH, null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("étape (action demandée)")
        verbose_name_plural = _("étapes (actions demandées)")
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["partner", "status", "due_on"], name="step_partner_status_due")]

    def __str__(self):
        return f"Étape {str(self.pk)[:8]}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.due_on < timezone.localdate()


class Addendum(models.Model):
    """A correction to a closed séance. On a point, encrypted with its situation's key; on the séance
    as a whole, with the séance's key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="addenda")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="addenda")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("correction"), max_length=ADDENDUM_MAX_LENGTH)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at"]

    def __str__(self):
        return f"Addendum {str(self.pk)[:8]}"
