from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token


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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["password"].label = _("Mot de passe")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


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
