import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access.models import Partner
from audit.models import Kind, Purpose
from casework.matching import TypedIdentity
from casework.models import RetentionRule
from casework.services import MAXIMUM_RETENTION_DAYS, MINIMUM_RETENTION_DAYS
from core.forms import DateInput, ListSelect, StyledFormMixin
from dpo.anomalies import Period
from dpo.models import RightsRequest
from dpo.selectors import users_named

REFERENCE_REGEX = r"^GSN-\d{4}-\d{4,}$"
OLDEST = datetime.date(2000, 1, 1)


class PeriodForm(StyledFormMixin, forms.Form):
    marks_optional = False  # a filter: every field is optional, none says so
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
    username = forms.CharField(
        label=_("Utilisateur"),
        help_text=_("Nom, prénom ou identifiant ; majuscules et accents indifférents."),
        max_length=150,
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Partner.objects.order_by("name"),
        required=False,
        empty_label=_("Tous"),
        widget=ListSelect,
    )
    # Flat selects rendered in Python: Django's renders each of the thirty natures through a template.
    kind = forms.ChoiceField(
        label=_("Nature"), choices=[("", _("Toutes")), *Kind.choices], required=False, widget=ListSelect
    )
    purpose = forms.ChoiceField(
        label=_("Finalité"), choices=[("", _("Toutes")), *Purpose.choices], required=False, widget=ListSelect
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].upper()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        self.subjects = []
        if username:
            self.subjects = users_named(username)
            if not self.subjects:
                raise forms.ValidationError(_("Aucun utilisateur n'a ce nom, ce prénom ou cet identifiant."))
        return username

    def filters(self) -> dict:
        data = self.cleaned_data
        period = self.period()
        filters = {"at__gte": period.start, "at__lt": period.end}
        if data.get("reference"):
            filters["situation_reference"] = data["reference"]
        if data.get("username"):
            # By id, not through a join on the users table, so that the (user, time) index serves.
            filters["user_id__in"] = [subject.pk for subject in self.subjects]
        if data.get("partner"):
            filters["partner"] = data["partner"]
        if data.get("kind"):
            filters["kind"] = data["kind"]
        if data.get("purpose"):
            filters["purpose"] = data["purpose"]
        return filters


class HistoryPeriodForm(PeriodForm):
    """Without a start, a situation's history covers its whole life: from the day it was recorded
    (`since`); for a reference nothing is known of, the last twelve months."""

    default_days = 365

    def period(self, since: datetime.date | None = None) -> Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or since or end - datetime.timedelta(days=self.default_days - 1)
        return Period.days(min(start, end), end)

    def starts_at_recording(self) -> bool:
        """Whether the period shown is the situation's whole life (no start was chosen)."""
        return not (self.is_bound and self.is_valid() and self.cleaned_data.get("start"))


class AnomalyPeriodForm(PeriodForm):
    default_days = 7


REFERENCE_FIELD = {
    "regex": re.compile(REFERENCE_REGEX, re.IGNORECASE),
    "max_length": 20,
    "error_messages": {"invalid": _("Saisissez une référence de la forme GSN-2026-0042.")},
    "widget": forms.TextInput(attrs={"placeholder": "GSN-2026-0042", "autocomplete": "off"}),
}


class RetentionForm(forms.Form):
    """One pair of fields (days, DPIA reference) per rule; shortening a period asks for confirmation."""

    def __init__(self, *args, rules: list[RetentionRule], **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        for rule in rules:
            self.fields[f"{rule.status}_days"] = forms.IntegerField(
                label=_("Durée (jours)"),
                min_value=MINIMUM_RETENTION_DAYS,
                max_value=MAXIMUM_RETENTION_DAYS,
                initial=rule.days,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
            self.fields[f"{rule.status}_dpia"] = forms.CharField(
                label=_("Référence dans l'AIPD"),
                max_length=120,
                initial=rule.dpia_reference,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
        self.fields["confirm_shorter"] = forms.BooleanField(
            label=_(
                "Je confirme le raccourcissement : les situations devenues échues seront purgées à la prochaine purge."
            ),
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        )

    def rows(self):
        return [(rule, self[f"{rule.status}_days"], self[f"{rule.status}_dpia"]) for rule in self.rules]

    def clean(self):
        data = super().clean()
        shorter = any(
            data.get(f"{rule.status}_days") is not None and data[f"{rule.status}_days"] < rule.days
            for rule in self.rules
        )
        if shorter and not data.get("confirm_shorter"):
            self.add_error("confirm_shorter", _("Une durée raccourcie doit être confirmée."))
        return data

    def values(self):
        return [
            (rule.status, self.cleaned_data[f"{rule.status}_days"], self.cleaned_data[f"{rule.status}_dpia"])
            for rule in self.rules
        ]


class RightsRequestForm(StyledFormMixin, forms.Form):
    """Who the request is about: a reference, or the identity given in the letter (sent by POST,
    compared through keyed match keys, never stored). An identity lists the people who may match,
    spelling variants included, and the DPO confirms which one (`candidate`)."""

    kind = forms.ChoiceField(label=_("Nature de la demande"), choices=RightsRequest.Kind.choices)
    reference = forms.RegexField(label=_("Référence d'une situation"), required=False, **REFERENCE_FIELD)
    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DateInput())
    # Set by the button of the candidate the DPO confirms.
    candidate = forms.UUIDField(required=False)

    def clean(self):
        data = super().clean()
        identity = [data.get("last_name"), data.get("first_name"), data.get("birth_date")]
        if not data.get("reference") and not all(identity):
            raise forms.ValidationError(
                _("Indiquez une référence, ou bien le nom, le prénom et la date de naissance de la personne.")
            )
        return data

    def typed_identity(self) -> TypedIdentity | None:
        data = self.cleaned_data
        if data.get("reference"):
            return None
        return TypedIdentity.of(data["last_name"], data["first_name"], data["birth_date"])


class RestrictionForm(StyledFormMixin, forms.Form):
    reference = forms.RegexField(label=_("Référence de la situation"), **REFERENCE_FIELD)
    restricted = forms.TypedChoiceField(
        label=_("Action"),
        choices=[("1", _("Limiter le traitement")), ("0", _("Lever la limitation"))],
        coerce=lambda value: value == "1",
    )

    def __init__(self, *args, **kwargs):
        # Shown on the same page as the rights request form, which also has a « reference »: ids of its
        # own, or one label would focus the other form's field.
        kwargs.setdefault("auto_id", "id_restriction_%s")
        super().__init__(*args, **kwargs)


class BreachForm(PeriodForm):
    partner = forms.ModelChoiceField(
        label=_("Partenaire concerné"), queryset=Partner.objects.order_by("name"), required=False, widget=ListSelect
    )
    username = forms.CharField(label=_("ou identifiant de l'utilisateur concerné"), max_length=150, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("partner") and not data.get("username"):
            raise forms.ValidationError(_("Choisissez un partenaire ou un utilisateur."))
        if data.get("username"):
            user = get_user_model().objects.filter(username=data["username"]).first()
            if user is None:
                self.add_error("username", _("Aucun compte ne porte cet identifiant."))
            data["user"] = user
        return data
