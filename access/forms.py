import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token

from access import throttling


class MarkInvalidMixin:
    """Mark fields in error for Bootstrap, and point every field at a form-wide error when there is one."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self._mark(name)
        if self.non_field_errors():
            # A form-wide error (wrong password, throttled code) concerns every field: point them at it.
            for name in self.fields:
                described_by = " ".join(filter(None, ["form-errors", self[name].aria_describedby]))
                self._mark(name)
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": described_by})

    def _mark(self, name):
        widget = self.fields[name].widget
        if "is-invalid" not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class LoginForm(MarkInvalidMixin, AuthenticationForm):
    # Django's message names the field « nom d'utilisateur »; the form calls it « Identifiant ».
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Les majuscules et les minuscules comptent dans les deux champs."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["password"].label = _("Mot de passe")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"
        # How long the identifier must still wait when the attempt was refused before its password.
        self.wait = None

    def clean(self):
        # Before the password is checked, so a refused attempt is no failure (access/throttling.py).
        username = self.cleaned_data.get("username")
        if username and not throttling.known_device(self.request, username):
            self.wait = throttling.identifier_wait(username)
            if self.wait:
                raise forms.ValidationError(
                    _("Trop de tentatives pour cet identifiant : réessayez dans %(wait)s."),
                    code="throttled",
                    params={"wait": throttling.wait_text(self.wait)},
                )
        return super().clean()


class TokenField(forms.CharField):
    def to_python(self, value):
        # Apps show the code as "123 456"; people type it that way.
        return super().to_python(value).replace(" ", "")


class TokenForm(MarkInvalidMixin, forms.Form):
    """A six-digit TOTP code, checked against the given devices (one of them must accept it)."""

    token = TokenField(
        label=_("Code à 6 chiffres"),
        help_text=_("Le code affiché par votre application d'authentification (il change toutes les 30 secondes)."),
        validators=[RegexValidator(r"^\d{6}$", _("Saisissez les 6 chiffres du code."))],
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]{6,7}",
                "maxlength": "7",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, user, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.devices = list(devices)
        self.device = None

    def clean(self):
        token = self.cleaned_data.get("token")
        if token is None:
            return self.cleaned_data
        allowed = [device for device in self.devices if device.verify_is_allowed()[0]]
        if not allowed:
            # Each wrong code doubles the wait (django-otp throttling): guessing is not an option.
            raise forms.ValidationError(
                _("Trop de codes erronés. Patientez quelques instants avant de réessayer."), code="throttled"
            )
        for device in allowed:
            self.device = verify_token(self.user, device.persistent_id, token)
            if self.device is not None:
                return self.cleaned_data
        self.add_error(
            "token",
            forms.ValidationError(
                _("Ce code n'est pas valide. Vérifiez l'heure de votre téléphone et saisissez le code actuel."),
                code="invalid_token",
            ),
        )
        return self.cleaned_data


class CharterForm(MarkInvalidMixin, forms.Form):
    accept = forms.BooleanField(
        label=_("J'ai lu la charte déontologique et je m'engage à la respecter"),
        error_messages={"required": _("Cochez la case pour accepter la charte.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class BreakGlassForm(MarkInvalidMixin, forms.Form):
    reference = forms.RegexField(
        label=_("Référence de la situation"),
        regex=re.compile(r"^GSN-\d{4}-\d{4,}$", re.IGNORECASE),
        max_length=20,
        error_messages={"invalid": _("Saisissez une référence de la forme GSN-2026-0042.")},
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "GSN-2026-0042", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Motif de l'accès exceptionnel"),
        help_text=_(
            "Pourquoi cet accès est-il nécessaire maintenant ? Ce motif est transmis au délégué à la protection "
            "des données, qui examine chaque accès exceptionnel."
        ),
        min_length=30,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        error_messages={
            "min_length": _("Expliquez en au moins 30 caractères pourquoi cet accès est nécessaire."),
            "max_length": _("Le motif ne peut pas dépasser 2 000 caractères."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Je confirme que cet accès est nécessaire et j'ai conscience qu'il est signalé au DPO"),
        error_messages={"required": _("Cochez la case pour confirmer.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].upper()


class RecoveryCodeForm(MarkInvalidMixin, forms.Form):
    code = forms.CharField(
        label=_("Code de secours"),
        max_length=20,
        help_text=_("L'un des codes notés lors de l'activation de votre compte ; chacun ne sert qu'une fois."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", "autofocus": True}),
    )


class InvitationForm(MarkInvalidMixin, SetPasswordForm):
    """The invitation's one form: a password chosen twice and the first code of the authenticator."""

    token = TokenField(
        label=_("Code à 6 chiffres affiché par l'application"),
        validators=[RegexValidator(r"^\d{6}$", _("Saisissez les 6 chiffres du code."))],
        widget=forms.TextInput(
            attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "7"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mot de passe")
        self.fields["new_password2"].label = _("Mot de passe, une seconde fois")
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["class"] = "form-control"


class FactorResetConfirmForm(forms.Form):
    reset = forms.UUIDField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Je confirme : j'ai vérifié auprès de la personne que son téléphone est perdu ou changé."),
        error_messages={"required": _("Cochez la case pour confirmer la réinitialisation.")},
    )
