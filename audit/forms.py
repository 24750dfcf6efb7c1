import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from audit.anomalies import Period
from audit.models import Kind, Purpose
from casework.forms import DateInput, StyledFormMixin

REFERENCE_REGEX = r"^GSN-\d{4}-\d{4,}$"
OLDEST = datetime.date(2000, 1, 1)


class PeriodForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput())

    default_days = 30

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        today = timezone.localdate()
        for name in ("start", "end"):
            value = data.get(name)
            if value and not OLDEST <= value <= today:
                self.add_error(name, _("Choisissez une date entre le 01/01/2000 et aujourd'hui."))
        if start and end and start > end:
            self.add_error("end", _("La fin de la période précède son début."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - datetime.timedelta(days=self.default_days - 1)
        return Period.days(start, end)


class EventSearchForm(PeriodForm):
    reference = forms.RegexField(
        label=_("Référence de la situation"),
        regex=re.compile(REFERENCE_REGEX, re.IGNORECASE),
        max_length=20,
        required=False,
        error_messages={"invalid": _("Saisissez une référence de la forme GSN-2026-0042.")},
        widget=forms.TextInput(attrs={"placeholder": "GSN-2026-0042", "autocomplete": "off"}),
    )
    username = forms.CharField(label=_("Identifiant de l'utilisateur"), max_length=150, required=False)
    partner = forms.ModelChoiceField(
        label=_("Partenaire"), queryset=Partner.objects.order_by("name"), required=False, empty_label=_("Tous")
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=[("", _("Toutes")), *Kind.choices], required=False)
    purpose = forms.ChoiceField(label=_("Finalité"), choices=[("", _("Toutes")), *Purpose.choices], required=False)

    def clean_reference(self):
        return self.cleaned_data["reference"].upper()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if username:
            self.subject = get_user_model().objects.filter(username=username).only("pk").first()
            if self.subject is None:
                raise forms.ValidationError(_("Aucun utilisateur n'a cet identifiant."))
        return username

    def filters(self) -> dict:
        data = self.cleaned_data
        period = self.period()
        filters = {"at__gte": period.start, "at__lt": period.end}
        if data.get("reference"):
            filters["situation_reference"] = data["reference"]
        if data.get("username"):
            # By id, not through a join on the users table, so that the (user, time) index serves.
            filters["user_id"] = self.subject.pk
        if data.get("partner"):
            filters["partner"] = data["partner"]
        if data.get("kind"):
            filters["kind"] = data["kind"]
        if data.get("purpose"):
            filters["purpose"] = data["purpose"]
        return filters


class AnomalyPeriodForm(PeriodForm):
    default_days = 7
