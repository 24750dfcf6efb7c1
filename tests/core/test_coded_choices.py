"""Coded lists in forms are read in one plain query, once per form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.forms import IdentityForm, SituationCreateForm
from casework.models import Motif

pytestmark = pytest.mark.django_db


def test_a_coded_list_is_read_once_however_often_the_form_draws_it():
    form = SituationCreateForm()
    with CaptureQueriesContext(connection) as queries:
        first = list(form.fields["motifs"].choices)
        again = list(form.fields["motifs"].choices)
    assert len(queries) == 1
    assert first == again and len(first) == Motif.objects.filter(active=True).count()


def test_an_optional_coded_list_keeps_its_empty_choice_first():
    choices = list(IdentityForm().fields["territory"].choices)
    assert choices[0] == ("", "Non renseigné")
    assert len(choices) > 1
