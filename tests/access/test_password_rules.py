import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from access.validators import CharacterClassesValidator


def _codes(password):
    with pytest.raises(ValidationError) as raised:
        CharacterClassesValidator().validate(password)
    return {error.code for error in raised.value.error_list}


def test_it_rejects_lower_case_only():
    with pytest.raises(ValidationError):
        validate_password("abcdefghijkl")


def test_it_accepts_the_four_classes():
    validate_password("Correct-horse-battery-9")


def test_it_rejects_a_short_password_even_with_the_four_classes():
    with pytest.raises(ValidationError):
        validate_password("Ab1-xyz")


def test_it_names_each_missing_class():
    assert _codes("abcdefghijkl") == {"password_no_upper", "password_no_digit", "password_no_special"}


def test_it_asks_for_a_lower_case_letter():
    assert _codes("CORRECT-HORSE-9") == {"password_no_lower"}


def test_it_asks_for_a_special_character():
    assert _codes("CorrectHorse9") == {"password_no_special"}


def test_it_counts_accented_letters_as_letters():
    CharacterClassesValidator().validate("Élan-vital-2026")


def test_it_explains_the_rule_in_french():
    assert "caractère spécial" in CharacterClassesValidator().get_help_text()
