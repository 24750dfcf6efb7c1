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
    compare_start = forms.DateField(
        label=_("Comparer avec, premier mois"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    compare_end = forms.DateField(
        label=_("dernier mois"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Facultatif : une seconde période, sans mois commun avec la première."),
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
        self._clean_comparison(data)
        action, axis = data.get("action"), data.get("axis")
        if action and axis and action.axis_id != axis.pk:
            self.add_error("action", _("Cette fiche-action n'appartient pas à l'axe choisi."))
        return data

    def _clean_comparison(self, data) -> None:
        """Two periods side by side are suppressed each on its own: that is sound only if they share
        no month, or a value hidden in one column could be recovered from the other."""
        first, last = data.get("compare_start"), data.get("compare_end")
        if not first and not last:
            return
        if not (first and last):
            self.add_error("compare_end", _("Indiquez le premier et le dernier mois de la période de comparaison."))
        elif first > last:
            self.add_error("compare_end", _("Le dernier mois doit suivre le premier."))
        elif (last.year - first.year) * 12 + last.month - first.month >= 60:
            self.add_error("compare_end", _("Choisissez une période de cinq ans au plus."))
        elif data.get("start") and data.get("end") and first <= data["end"] and data["start"] <= last:
            self.add_error(
                "compare_start",
                _(
                    "Les deux périodes ne doivent avoir aucun mois en commun : "
                    "choisissez une période qui ne chevauche pas la première."
                ),
            )


def month_value(day: datetime.date) -> str:
    return day.strftime("%Y-%m")
