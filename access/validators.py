"""Password rules beyond length (CNIL délibération 2022-100, with account lockout after failures)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CHARACTER_CLASSES = (
    ("password_no_lower", str.islower, _("Le mot de passe doit contenir au moins une lettre minuscule.")),
    ("password_no_upper", str.isupper, _("Le mot de passe doit contenir au moins une lettre majuscule.")),
    ("password_no_digit", str.isdigit, _("Le mot de passe doit contenir au moins un chiffre.")),
    (
        "password_no_special",
        lambda c: not c.isalnum(),
        _("Le mot de passe doit contenir au moins un caractère spécial (par exemple - ! ? @ #)."),
    ),
)


class CharacterClassesValidator:
    """The password mixes the four character classes: lower case, upper case, digit, special."""

    def validate(self, password, user=None):
        errors = [
            ValidationError(message, code=code)
            for code, belongs, message in CHARACTER_CLASSES
            if not any(belongs(c) for c in password)
        ]
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "Votre mot de passe doit contenir au moins une minuscule, une majuscule, "
            "un chiffre et un caractère spécial."
        )
