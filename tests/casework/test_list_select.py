from django import forms
from django.test.html import parse_html

from core.forms import ListSelect

CHOICES = [("", "Tous"), ("1", "Azimuts"), ("2", "Mission locale <Lomme> & Co")]


class Choice(forms.Form):
    partner = forms.ChoiceField(choices=CHOICES, required=False, widget=ListSelect(attrs={"class": "form-select"}))


class DjangoChoice(forms.Form):
    partner = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.Select(attrs={"class": "form-select"}))


def test_it_renders_the_markup_of_djangos_select():
    for data in ({}, {"partner": "2"}, {"partner": "9"}):
        assert parse_html(str(Choice(data)["partner"])) == parse_html(str(DjangoChoice(data)["partner"]))


def test_it_marks_the_chosen_option_selected_and_escapes_labels():
    html = str(Choice({"partner": "2"})["partner"])

    assert '<option value="2" selected>Mission locale &lt;Lomme&gt; &amp; Co</option>' in html
    assert '<option value="1">' in html
