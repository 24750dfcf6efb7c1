from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from casework.models import Motif, Territory
from casework.models.followup import CONSENT_JUSTIFICATION_MAX_LENGTH
from core.forms import FREE_TEXT_WARNING, StyledFormMixin
from referrals.models import DeclineReason, Outcome, Scheme
from strategy.models import Action


class ProposeForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("Dispositif"),
        queryset=Scheme.objects.filter(active=True),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un dispositif."), "invalid_choice": _("Choisissez un dispositif.")},
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        max_length=settings.PARCOURS_FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire si le dispositif ne correspond pas aux critères d'âge ou de quartier. ")
        + FREE_TEXT_WARNING,
    )
    consent_justification = forms.CharField(
        label=_("Justification malgré le refus du jeune ou de la famille"),
        required=False,
        max_length=CONSENT_JUSTIFICATION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Seulement si le ou la jeune ou sa famille a refusé : pourquoi le groupe l'oriente malgré tout. "
            "Lue par le groupe, recensée par le DPO."
        ),
    )


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Motif du refus"),
        queryset=DeclineReason.objects.filter(active=True),
        empty_label=_("Choisir…"),
        error_messages={"required": _("Choisissez le motif du refus.")},
    )


class EndForm(StyledFormMixin, forms.Form):
    outcome = forms.ModelChoiceField(
        label=_("Issue de l'orientation"),
        queryset=Outcome.objects.filter(active=True),
        empty_label=_("Choisir…"),
        error_messages={"required": _("Choisissez l'issue de l'orientation.")},
    )


class SchemeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = (
            "name",
            "operator",
            "description",
            "min_age",
            "max_age",
            "territories",
            "motifs",
            "response_deadline_days",
            "contact_role",
            "action",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "territories": forms.CheckboxSelectMultiple,
            "motifs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Partner.objects.filter(active=True)
        self.fields["territories"].queryset = Territory.objects.filter(active=True)
        self.fields["motifs"].queryset = Motif.objects.filter(active=True)
        # An inactive fiche-action stays selectable on the scheme that already serves it.
        current = Q(pk=self.instance.action_id) if self.instance.action_id else Q(pk__in=[])
        self.fields["action"].queryset = Action.objects.filter(
            Q(active=True, strategy__active=True) | current
        ).select_related("strategy")
        self.fields["action"].empty_label = _("Aucune")
        for name in ("min_age", "max_age"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 30})

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("L'âge maximum doit être supérieur ou égal à l'âge minimum."))
        return data
