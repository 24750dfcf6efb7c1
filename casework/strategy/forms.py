import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.forms import DateInput, StyledFormMixin
from casework.models import Action, Axis, Motif, Strategy


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


class PeriodForm(StyledFormMixin, forms.Form):
    """The dashboard's filters, by GET: months, an axis or a fiche-action."""

    start = forms.DateField(
        label=_("Du mois"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    end = forms.DateField(
        label=_("au mois"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    )
    axis = forms.ModelChoiceField(label=_("Axe"), queryset=Axis.objects.none(), required=False, empty_label=_("Tous"))
    action = forms.ModelChoiceField(
        label=_("Fiche-action"), queryset=Action.objects.none(), required=False, empty_label=_("Toutes")
    )

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = strategy.axes.all()
        self.fields["action"].queryset = strategy.actions.select_related("axis").order_by("code")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("Le dernier mois doit suivre le premier."))
            elif (end.year - start.year) * 12 + end.month - start.month >= 60:
                self.add_error("end", _("Choisissez une période de cinq ans au plus."))
        action, axis = data.get("action"), data.get("axis")
        if action and axis and action.axis_id != axis.pk:
            self.add_error("action", _("Cette fiche-action n'appartient pas à l'axe choisi."))
        return data


def month_value(day: datetime.date) -> str:
    return day.strftime("%Y-%m")
