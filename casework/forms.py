import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from access.models import CASE_ROLES, Partner
from access.permissions import membership_of
from casework.matching import PersonCriteria
from casework.models import (
    ClosureReason,
    Gender,
    Information,
    Motif,
    Note,
    Signalement,
    Situation,
    Source,
    Territory,
    YouthOutcome,
)
from casework.models.followup import SIGNALEMENT_COMMENT_MAX_LENGTH
from casework.services import Identity
from core.forms import (
    FREE_TEXT_WARNING,
    CodedChoiceField,
    CodedMultipleChoiceField,
    DateInput,
    ListSelect,
    StyledFormMixin,
)

OLDEST_AGE = 30


def _not_in_future(value: datetime.date | None, label: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("%(label)s ne peut pas être dans le futur.") % {"label": label})


def _not_before(value: datetime.date | None, label: str, year: int = 2000):
    if value and value.year < year:
        raise forms.ValidationError(
            _("%(label)s ne peut pas être antérieure à %(year)s.") % {"label": label, "year": year}
        )


class IdentityForm(StyledFormMixin, forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Genre"), choices=Gender.choices, required=False, widget=ListSelect)
    territory = CodedChoiceField(
        label=_("Quartier"),
        queryset=Territory.objects.filter(active=True),
        required=False,
        empty_label=_("Non renseigné"),
        widget=ListSelect,
    )
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    school = forms.CharField(label=_("Établissement scolaire ou structure"), max_length=200, required=False)
    legal_representatives = forms.CharField(
        label=_("Représentants légaux"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Noms et qualité (mère, père, tuteur…), sans autre détail."),
    )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        _not_in_future(value, _("La date de naissance"))
        if today.year - value.year > OLDEST_AGE:
            raise forms.ValidationError(
                _("Le groupe suit des jeunes de moins de %(age)s ans : vérifiez la date de naissance.")
                % {"age": OLDEST_AGE}
            )
        return value

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            last_name=data["last_name"],
            first_name=data["first_name"],
            birth_date=data["birth_date"],
            address=data["address"],
            phone=data["phone"],
            school=data["school"],
            legal_representatives=data["legal_representatives"],
            gender=data["gender"],
            territory_id=data["territory"].pk if data["territory"] else None,
        )

    @classmethod
    def initial_from(cls, person) -> dict:
        return {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "birth_date": person.birth_date,
            "gender": person.gender,
            "territory": person.territory_id,
            "address": person.address or "",
            "phone": person.phone or "",
            "school": person.school or "",
            "legal_representatives": person.legal_representatives or "",
        }


class SituationForm(StyledFormMixin, forms.Form):
    source = CodedChoiceField(
        # No natural default: an empty first choice, so that a source is chosen, never left as preset.
        label=_("Source de la saisine"),
        queryset=Source.objects.filter(active=True),
        empty_label=_("— Choisir la source —"),
        widget=ListSelect,
    )
    received_on = forms.DateField(label=_("Date de la saisine"), widget=DateInput())
    motifs = CodedMultipleChoiceField(
        label=_("Motifs"),
        queryset=Motif.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un motif.")},
    )
    motif_details = forms.CharField(
        label=_("Précisions"),
        required=False,
        max_length=settings.PARCOURS_FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=FREE_TEXT_WARNING,
    )

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        _not_in_future(value, _("La date de la saisine"))
        _not_before(value, _("La date de la saisine"))
        return value


class SituationCreateForm(SituationForm):
    anonymous = forms.BooleanField(
        label=_("Situation anonyme (sans identité)"),
        required=False,
        help_text=_("Pour les partenaires qui travaillent sans nom, comme la prévention spécialisée."),
    )
    confirm_new = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une nouvelle situation"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


def referent_choices():
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=CASE_ROLES, membership__partner__active=True)
        .select_related("membership__partner")
        .order_by("last_name", "first_name")
    )


class ReferentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name() or user.username} ({user.membership.partner})"


class SituationEditForm(SituationForm):
    status = forms.ChoiceField(label=_("Statut"), choices=Situation.Status.choices)
    referent = ReferentChoiceField(
        label=_("Référent·e de parcours"), queryset=None, required=False, empty_label=_("Aucun")
    )
    next_review_on = forms.DateField(label=_("Prochain examen"), required=False, widget=DateInput())
    danger = forms.BooleanField(
        label=_("Enfant en danger ou en risque de l'être"),
        required=False,
        help_text=_("Rappelle à chacun de transmettre une information préoccupante à la CRIP ; rien d'autre."),
    )
    youth_outcome = forms.ChoiceField(
        label=_("Situation du jeune à la fin du suivi"),
        choices=[("", _("Non renseignée")), *YouthOutcome.choices],
        required=False,
        help_text=_(
            "Facultatif, seulement pour une saisine non retenue (à la clôture, l'écran « Clôturer » la demande)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, situation: Situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referent_choices()
        # Closing asks for a reason and a date: it has its own screen (situation_close).
        allowed = [status for status in situation.allowed_statuses() if status != Situation.Status.CLOSED]
        self.fields["status"].choices = [(v, lbl) for v, lbl in Situation.Status.choices if v in allowed]

    def clean_next_review_on(self):
        value = self.cleaned_data["next_review_on"]
        _not_before(value, _("La date du prochain examen"))
        return value

    def clean(self):
        data = super().clean()
        if data.get("youth_outcome") and data.get("status") != Situation.Status.NOT_RETAINED:
            self.add_error("youth_outcome", _("À indiquer seulement si la saisine n'est pas retenue."))
        return data

    @classmethod
    def initial_from(cls, situation: Situation) -> dict:
        return {
            "source": situation.source_id,
            "received_on": situation.received_on,
            "motifs": [m.pk for m in situation.motifs.all()],
            "motif_details": situation.motif_details or "",
            "danger": situation.danger,
            "status": situation.status,
            "referent": situation.referent_id,
            "next_review_on": situation.next_review_on,
            "youth_outcome": situation.youth_outcome,
            "version": situation.version,
        }


class InformationForm(StyledFormMixin, forms.Form):
    recipient = forms.ChoiceField(
        label=_("Personne informée"), choices=Information.Recipient.choices, widget=forms.RadioSelect
    )
    label = forms.CharField(
        label=_("Précision"),
        required=False,
        max_length=60,
        help_text=_("Qualité seulement : « mère », « père », « tuteur »… Pas de nom."),
    )
    informed_on = forms.DateField(label=_("Date de l'information"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Mode d'information"), choices=Information.Mode.choices)
    response = forms.ChoiceField(label=_("Réponse"), choices=Information.Response.choices)

    def clean_informed_on(self):
        value = self.cleaned_data["informed_on"]
        _not_in_future(value, _("La date de l'information"))
        _not_before(value, _("La date de l'information"))
        return value


class ClosureForm(StyledFormMixin, forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Motif de clôture"), queryset=ClosureReason.objects.filter(active=True), empty_label=None
    )
    closed_on = forms.DateField(label=_("Date de clôture"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Situation du jeune à la fin du suivi"),
        choices=[("", _("Choisir…")), *YouthOutcome.choices],
        error_messages={"required": _("Indiquez la situation du jeune à la fin du suivi.")},
        help_text=_("Compté de façon anonyme dans l'évaluation, y compris après la purge de la situation."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Je confirme la clôture : la situation passera en lecture seule."),
        error_messages={"required": _("Cochez la case pour confirmer la clôture.")},
    )
    confirm.summary_label = _("Confirmation de la clôture")

    def __init__(self, *args, situation: Situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.situation = situation
        self.fields["closed_on"].initial = timezone.localdate()
        self.fields["version"].initial = situation.version

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        _not_in_future(value, _("La date de clôture"))
        if value < self.situation.received_on:
            raise forms.ValidationError(_("La date de clôture ne peut pas précéder la date de la saisine."))
        return value


class ReopenForm(SituationForm):
    """A new saisine for the same young person, linked to the ended one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class NoteForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Nouvelle note"),
        max_length=settings.PARCOURS_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=FREE_TEXT_WARNING,
    )
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        choices=Note.Visibility.choices,
        initial=Note.Visibility.GROUP,
        widget=forms.RadioSelect,
    )


class SituationFilterForm(forms.Form):
    q = forms.CharField(label=_("Référence"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=[("", _("Tous")), *Situation.Status.choices])
    motif = forms.ChoiceField(label=_("Motif"), required=False)
    referent = forms.ChoiceField(label=_("Référent·e"), required=False)
    to_inform = forms.BooleanField(label=_("À informer seulement"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motif"].choices = [("", _("Tous")), *Motif.objects.values_list("code", "label")]
        self.fields["referent"].choices = [
            ("", _("Tous")),
            ("moi", _("Moi")),
            *(
                (str(pk), f"{first} {last}".strip() or username)
                for pk, first, last, username in self._referents(user).values_list(
                    "pk", "first_name", "last_name", "username"
                )
            ),
        ]

    def _referents(self, user):
        """The reader's own partner's colleagues, and the référent asked for by the query string if another.

        A deployment holds thousands of case workers: offering them all would put thousands of
        options on every list page. Any id still filters only among the situations this user may read.
        """
        colleagues = referent_choices().exclude(pk=user.pk)
        membership = membership_of(user)
        wanted = self.data.get("referent", "") if self.is_bound else ""
        condition = Q(membership__partner_id=membership.partner_id if membership else None)
        if wanted.isdigit():
            condition |= Q(pk=int(wanted))
        return colleagues.filter(condition)


class PersonSearchForm(StyledFormMixin, forms.Form):
    """Search by any combination of surname, first name, birth date or year, each exact or
    « approchant ». Sent by POST: names never go into a URL or a log; compared as keyed digests."""

    last_name = forms.CharField(label=_("Nom"), max_length=100, required=False)
    last_name_approximate = forms.BooleanField(label=_("Nom approchant"), required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    first_name_approximate = forms.BooleanField(label=_("Prénom approchant"), required=False)
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(label=_("ou année de naissance"), required=False, min_value=1900, max_value=2100)
    birth_approximate = forms.BooleanField(label=_("Date ou année approchante (± 1)"), required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not any(data.get(name) for name in ("last_name", "first_name", "birth_date", "birth_year")):
            raise forms.ValidationError(
                _("Indiquez au moins un nom, un prénom, une date ou une année de naissance."), code="empty"
            )
        if data.get("birth_date") and data.get("birth_year") and data["birth_date"].year != data["birth_year"]:
            self.add_error("birth_year", _("L'année ne correspond pas à la date de naissance indiquée."))
        return data

    def criteria(self) -> PersonCriteria:
        data = self.cleaned_data
        return PersonCriteria(
            last_name=data["last_name"].strip(),
            last_name_approximate=data["last_name_approximate"],
            first_name=data["first_name"].strip(),
            first_name_approximate=data["first_name_approximate"],
            birth_date=data["birth_date"],
            birth_year=data["birth_year"],
            birth_approximate=data["birth_approximate"],
        )


class PersonMergeForm(StyledFormMixin, forms.Form):
    """The coordinator names the other record by one of its situations and says which one to keep."""

    KEEP_THIS, KEEP_OTHER = "cette-fiche", "autre-fiche"

    other_reference = forms.RegexField(
        label=_("Référence d'une situation de l'autre fiche"),
        regex=r"^\s*[Gg][Ss][Nn]-\d{4}-\d{4,}\s*$",
        max_length=20,
        help_text=_("Par exemple GSN-2026-0042."),
        error_messages={
            "required": _("Indiquez la référence d'une situation de l'autre fiche."),
            "invalid": _("Une référence s'écrit GSN-année-numéro, par exemple GSN-2026-0042."),
        },
    )
    keep = forms.ChoiceField(
        label=_("Fiche à conserver"),
        choices=[(KEEP_THIS, _("Celle de cette situation")), (KEEP_OTHER, _("Celle de l'autre situation"))],
        initial=KEEP_THIS,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("Je confirme qu'il s'agit du même jeune et que la fusion ne pourra pas être annulée."),
        required=False,
    )
    confirm.summary_label = _("Confirmation de la fusion")

    def clean_other_reference(self):
        return self.cleaned_data["other_reference"].strip().upper()


class AssociationForm(StyledFormMixin, forms.Form):
    """The coordinator involves a partner in a situation, for a stated reason and an optional end."""

    partner = forms.ModelChoiceField(
        label=_("Partenaire"),
        queryset=Partner.objects.none(),
        empty_label=_("Choisir un partenaire"),
        error_messages={"required": _("Choisissez le partenaire à associer.")},
    )
    motive = forms.CharField(
        label=_("Pourquoi ce partenaire est associé"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
        help_text=FREE_TEXT_WARNING,
        error_messages={"required": _("Indiquez pourquoi ce partenaire est associé.")},
    )
    until = forms.DateField(
        label=_("Jusqu'au"),
        required=False,
        widget=DateInput(),
        help_text=_("Sans date, l'accès dure jusqu'à ce que vous y mettiez fin ou que la situation soit close."),
    )

    def __init__(self, *args, situation: Situation, **kwargs):
        super().__init__(*args, **kwargs)
        # Partners that may take part (active, charter signed), other than the one that referred it.
        self.fields["partner"].queryset = (
            Partner.objects.filter(active=True, charter_signed_on__isnull=False)
            .exclude(pk=situation.referring_partner_id)
            .order_by("name")
        )

    def clean_until(self):
        value = self.cleaned_data["until"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("La date de fin ne peut pas être passée."))
        return value


class EndAccessForm(StyledFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme : les membres de ce partenaire ne pourront plus lire la situation."),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )
    confirm.summary_label = _("Confirmation de la fin de l'accès")


class SignalementForm(StyledFormMixin, forms.Form):
    sent_on = forms.DateField(label=_("Transmis le"), widget=DateInput())
    recipient = forms.ChoiceField(label=_("Destinataire"), choices=Signalement.Recipient.choices)
    mode = forms.ChoiceField(label=_("Mode de transmission"), choices=Signalement.Mode.choices)
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        required=False,
        max_length=SIGNALEMENT_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=format_lazy(
            "{} {}", _("Par exemple le service destinataire ou la référence de la transmission."), FREE_TEXT_WARNING
        ),
    )
