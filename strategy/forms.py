from django import forms
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.models import Gender, Motif
from casework.retention import AGE_BANDS, OLDEST_BAND
from core.forms import DateInput, StyledFormMixin
from strategy.models import Action, Axis, CollectiveSession, Indicator, Progress, Strategy


class StrategyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ("title", "starts_on", "ends_on", "active")
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("La fin de la période doit suivre son début."))
        return data


class AxisForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Axis
        fields = ("number", "title")


class ActionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Action
        fields = (
            "axis",
            "code",
            "title",
            "problem",
            "solutions",
            "pilot",
            "partners",
            "calendar",
            "indicators",
            "suggested_for_motifs",
        )
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "solutions": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "indicators": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "partners": forms.CheckboxSelectMultiple,
            "suggested_for_motifs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = strategy.axes.all()
        self.fields["pilot"].queryset = Partner.objects.filter(active=True)
        self.fields["partners"].queryset = Partner.objects.filter(active=True)
        self.fields["suggested_for_motifs"].queryset = Motif.objects.filter(active=True)
        self.fields["problem"].help_text = _("Contenu public de la stratégie : aucune donnée sur une personne.")


PUBLIC_TEXT = _("Texte public de la stratégie : décrivez l'action, jamais un jeune ni une famille.")


class IndicatorForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ("label", "unit", "baseline", "target", "starts_on", "ends_on", "source")
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("La fin de la période doit suivre son début."))
        return data


class IndicatorValueForm(StyledFormMixin, forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicateur"), queryset=Indicator.objects.none(), empty_label=None)
    value = forms.DecimalField(label=_("Valeur"), max_digits=10, decimal_places=1)
    measured_on = forms.DateField(label=_("Date de la mesure"), widget=DateInput())
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("D'où vient la valeur : bilan, registre, comptage…")
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = action.indicators_set.filter(source=Indicator.Source.ENTERED)


class ProgressForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Progress
        fields = ("state", "on", "comment")
        widgets = {"on": DateInput, "comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"comment": PUBLIC_TEXT}


# Participants of a collective action are counted as the evaluation counts young people.
COLLECTIVE_BANDS = [label for _limit, label in AGE_BANDS] + [OLDEST_BAND]
COLLECTIVE_GENDERS = [(gender.value, gender.label) for gender in Gender]


class CollectiveSessionForm(StyledFormMixin, forms.ModelForm):
    """A session and a grid of counts: one number per age band and gender, no name."""

    class Meta:
        model = CollectiveSession
        fields = ("held_on", "label", "territory")
        widgets = {"held_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for band_index, band in enumerate(COLLECTIVE_BANDS):
            for gender, gender_label in COLLECTIVE_GENDERS:
                label = f"{band} — {gender_label}"
                self.fields[self.count_name(band_index, gender)] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=10000,
                    initial=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"aria-label": label, "class": "form-control form-control-sm"}),
                )

    @staticmethod
    def count_name(band_index: int, gender: str) -> str:
        return f"n_{band_index}_{gender or 'x'}"

    def grid(self):
        """(band, [bound fields by gender]) for the template's table."""
        return [
            (band, [self[self.count_name(i, gender)] for gender, _label in COLLECTIVE_GENDERS])
            for i, band in enumerate(COLLECTIVE_BANDS)
        ]

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (band, gender): self.cleaned_data.get(self.count_name(i, gender)) or 0
            for i, band in enumerate(COLLECTIVE_BANDS)
            for gender, _label in COLLECTIVE_GENDERS
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not sum(self.counts().values()):
            raise forms.ValidationError(_("Indiquez au moins un participant."))
        return data
