from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.forms import ReferentChoiceField, referent_choices
from casework.models import ClosureReason, Territory, YouthOutcome
from core.forms import FREE_TEXT_WARNING, DateInput, StyledFormMixin
from referrals.models import Scheme
from seances.models import ACTION_LABEL_MAX_LENGTH, ADDENDUM_MAX_LENGTH, SUMMARY_MAX_LENGTH, Decision, NotRetainedReason

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


class AddItemForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(label=_("Référence de la situation"), max_length=20)

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
    kind = forms.ChoiceField(label=_("Décision"), choices=Kind.choices, widget=forms.RadioSelect)
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
    partner = forms.ModelChoiceField(label=_("Partenaire sollicité"), queryset=None, required=False)
    action_label = forms.CharField(
        label=_("Action demandée"),
        max_length=ACTION_LABEL_MAX_LENGTH,
        required=False,
        help_text=_("Une phrase courte, factuelle (ex. « proposer un rendez-vous à la famille »)."),
    )
    due_on = forms.DateField(label=_("Échéance"), required=False, widget=DateInput())
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
    }

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
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
