import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from strategy.models import Action, Axis, Strategy


class PeriodForm(StyledFormMixin, forms.Form):
    """The dashboard's filters, by GET: months, an axis or a fiche-action."""

    marks_optional = False

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
