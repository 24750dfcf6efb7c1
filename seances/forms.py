from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.forms import ReferentChoiceField, referent_choices
from casework.models import ClosureReason, Territory, YouthOutcome
from casework.models.followup import CONSENT_JUSTIFICATION_MAX_LENGTH
from core.forms import FREE_TEXT_WARNING, DateInput, StyledFormMixin
from referrals.models import Scheme
from seances.models import (
    ABANDON_REASON_MAX_LENGTH,
    ACTION_LABEL_MAX_LENGTH,
    ADDENDUM_MAX_LENGTH,
    OBJECTIVE_LABEL_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    Decision,
    NotRetainedReason,
    Objective,
    Step,
)

Kind = Decision.Kind


class SeanceForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Heure de début"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("Lieu"), max_length=150, help_text=_("Par exemple : Hôtel de ville, salle du conseil.")
    )
    territory = forms.ModelChoiceField(
        label=_("Quartier"),
        queryset=Territory.objects.filter(active=True),
        required=False,
        empty_label=_("Tous les quartiers"),
        help_text=_("Une séance consacrée à un quartier ne se voit proposer que les situations de ce quartier."),
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("La date de la séance ne peut pas être passée."))
        return value


class MemberForm(StyledFormMixin, forms.Form):
    user = ReferentChoiceField(label=_("Membre"), queryset=referent_choices(), empty_label=_("Choisir…"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = referent_choices()


class AttendanceForm(MemberForm):
    pledge = forms.BooleanField(
        label=_(
            "La personne confirme son engagement de confidentialité pour cette séance : rien de ce qui y est dit "
            "ne sort de la salle, hors le relevé de décisions."
        ),
        error_messages={"required": _("L'engagement de confidentialité doit être confirmé pour siéger.")},
    )


class SelfAttendanceForm(StyledFormMixin, forms.Form):
    pledge = forms.BooleanField(
        label=_(
            "Je m'engage à la confidentialité pour cette séance : rien de ce qui y est dit ne sort de la salle, "
            "hors le relevé de décisions."
        ),
        error_messages={"required": _("L'engagement de confidentialité doit être confirmé pour siéger.")},
    )


class SeanceCloseForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme la clôture de la séance : ses décisions deviennent définitives."),
        error_messages={"required": _("Cochez la case pour confirmer la clôture.")},
    )
    confirm.summary_label = _("Confirmation de la clôture")


class AddItemForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(label=_("Référence de la situation"), max_length=20)
    consent_justification = forms.CharField(
        label=_("Justification malgré le refus"),
        required=False,
        max_length=CONSENT_JUSTIFICATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seulement si le ou la jeune ou sa famille a refusé : pourquoi le groupe l'examine malgré tout."),
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class SummaryForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(
        label=_("Synthèse de l'examen"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=FREE_TEXT_WARNING,
    )


class DecisionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Décision"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la décision prise pour ce point.")},
    )
    not_retained_reason = forms.ModelChoiceField(
        label=_("Motif de non-retenue"), queryset=NotRetainedReason.objects.filter(active=True), required=False
    )
    referent = ReferentChoiceField(label=_("Référent·e de parcours"), queryset=referent_choices(), required=False)
    scheme = forms.ModelChoiceField(label=_("Dispositif"), queryset=None, required=False)
    justification = forms.CharField(
        label=_("Justification de l'orientation"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seulement si le dispositif ne correspond pas aux critères d'âge ou de quartier."),
    )
    consent_justification = forms.CharField(
        label=_("Justification malgré le refus du jeune ou de la famille"),
        max_length=CONSENT_JUSTIFICATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seulement si le ou la jeune ou sa famille a refusé l'orientation."),
    )
    partner = forms.ModelChoiceField(label=_("Partenaire sollicité"), queryset=None, required=False)
    action_label = forms.CharField(
        label=_("Action demandée"),
        max_length=ACTION_LABEL_MAX_LENGTH,
        required=False,
        help_text=_("Une phrase courte, factuelle (ex. « proposer un rendez-vous à la famille »)."),
    )
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())
    objective_id = forms.ChoiceField(label=_("Objectif du plan servi"), required=False)
    objective_domain = forms.ChoiceField(
        label=_("Domaine de l'objectif"), choices=[("", _("Choisir…"))] + Objective.Domain.choices, required=False
    )
    objective_label = forms.CharField(
        label=_("Objectif"),
        max_length=OBJECTIVE_LABEL_MAX_LENGTH,
        required=False,
        help_text=format_lazy(
            "{} {}", _("Une phrase courte (ex. « reprendre une scolarité régulière »)."), FREE_TEXT_WARNING
        ),
    )
    step_id = forms.ChoiceField(label=_("Étape à clore"), required=False)
    step_status = forms.ChoiceField(
        label=_("L'étape est"),
        required=False,
        choices=[
            ("", _("Choisir…")),
            (Step.Status.DONE.value, _("faite")),
            (Step.Status.ABANDONED.value, _("abandonnée")),
        ],
    )
    next_review_on = forms.DateField(label=_("Prochain examen le"), required=False, widget=DateInput())
    closure_reason = forms.ModelChoiceField(
        label=_("Motif de clôture"), queryset=ClosureReason.objects.filter(active=True), required=False
    )
    youth_outcome = forms.ChoiceField(
        label=_("Situation du jeune à la fin du suivi"),
        choices=[("", "---------"), *YouthOutcome.choices],
        required=False,
    )

    REQUIRED = {
        Kind.NOT_RETAINED: ("not_retained_reason",),
        Kind.FOLLOW_UP: ("referent",),
        Kind.REFERRAL: ("scheme",),
        Kind.ACTION: ("partner", "action_label", "due_on"),
        Kind.NEXT_REVIEW: ("next_review_on",),
        Kind.CLOSURE: ("closure_reason", "youth_outcome"),
        Kind.STEP_CLOSED: ("step_id", "step_status"),
        Kind.OBJECTIVE: ("objective_domain", "objective_label"),
    }

    def __init__(self, *args, situation=None, **kwargs):
        super().__init__(*args, **kwargs)
        objectives = list(situation.objectives.filter(status=Objective.Status.OPEN)) if situation else []
        steps = list(situation.steps.filter(status__in=Step.PENDING).select_related("partner")) if situation else []
        self.fields["objective_id"].choices = [("", _("Aucun objectif en particulier"))] + [
            (str(objective.pk), f"{objective.get_domain_display()} : {objective.label}") for objective in objectives
        ]
        self.fields["step_id"].choices = [("", _("Choisir…"))] + [
            (str(step.pk), f"{step.label} ({step.partner}, {step.due_on:%d/%m/%Y})") for step in steps
        ]
        self.fields["referent"].queryset = referent_choices()
        self.fields["scheme"].queryset = Scheme.objects.filter(active=True).select_related("operator")
        self.fields["partner"].queryset = Partner.objects.filter(active=True, charter_signed_on__isnull=False)

    def clean(self):
        data = super().clean()
        for name in self.REQUIRED.get(data.get("kind"), ()):
            if not data.get(name):
                self.add_error(name, _("Ce champ est nécessaire pour cette décision."))
        return data


class AddendumForm(StyledFormMixin, forms.Form):
    item = forms.ChoiceField(label=_("Point concerné"), required=False)
    text = forms.CharField(
        label=_("Correction"),
        max_length=ADDENDUM_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Une correction factuelle et datée (ex. « le prochain examen est fixé au 12/03, non au 12/02 »), "
            "sans récit ni élément d'identité : elle figure au relevé de décisions."
        ),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("La séance dans son ensemble"))] + [
            (str(item.pk), f"{item.position}. {item.situation.reference}") for item in items
        ]


class ObjectiveForm(StyledFormMixin, forms.Form):
    domain = forms.ChoiceField(label=_("Domaine"), choices=[("", _("Choisir…"))] + Objective.Domain.choices)
    label = forms.CharField(
        label=_("Objectif"),
        max_length=OBJECTIVE_LABEL_MAX_LENGTH,
        help_text=format_lazy(
            "{} {}", _("Une phrase courte (ex. « reprendre une scolarité régulière »)."), FREE_TEXT_WARNING
        ),
    )


class StepForm(StyledFormMixin, forms.Form):
    objective_id = forms.ChoiceField(label=_("Objectif servi"), required=False)
    partner = forms.ModelChoiceField(label=_("Partenaire responsable"), queryset=None)
    label = forms.CharField(
        label=_("Étape (action demandée)"),
        max_length=ACTION_LABEL_MAX_LENGTH,
        help_text=_("Une phrase courte, factuelle (ex. « proposer un rendez-vous à la famille »)."),
    )
    due_on = forms.DateField(label=_("Échéance"), widget=DateInput())

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(active=True, charter_signed_on__isnull=False)
        self.fields["objective_id"].choices = [("", _("Aucun objectif en particulier"))] + [
            (str(objective.pk), f"{objective.get_domain_display()} : {objective.label}")
            for objective in situation.objectives.filter(status=Objective.Status.OPEN)
        ]


class StepStatusForm(forms.Form):
    """A step moved along in one click; abandoning goes through `StepAbandonForm` (a reason, confirmed)."""

    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Step.Status.choices if value != Step.Status.ABANDONED]
    )


class StepAbandonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi l'étape est-elle abandonnée ?"),
        max_length=ABANDON_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            "{} {}",
            _("Une phrase courte et factuelle (ex. « la famille a refusé le rendez-vous »)."),
            FREE_TEXT_WARNING,
        ),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme l'abandon de cette étape : elle ne pourra plus être reprise, seulement remplacée."),
        error_messages={"required": _("Cochez la case pour confirmer l'abandon.")},
    )


class ObjectiveStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Objective.Status.choices)
