from django import forms
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.models import Motif
from core.forms import DateInput, StyledFormMixin
from strategy.models import Action, Axis, Strategy


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
