"""The demo holds the Lomme 2019–2021 strategy, and the coordinator can produce the plenary's report
from it as a new user would: dashboard, then PDF and spreadsheet."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from casework.models import Situation
from referrals.models import Referral, Scheme
from strategy.models import Action, SituationAction, Strategy
from tests.factories import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_the_demo_loads_the_lomme_strategy_once(demo):
    strategy = Strategy.objects.get()
    assert [axis.number for axis in strategy.axes.all()] == [1, 2, 3]
    assert strategy.actions.get(code="2.1").title.startswith("Renforcer la saisine du Groupe de suivi nominatif")
    links = SituationAction.objects.count()
    call_command("load_demo", "--force", stdout=io.StringIO())
    assert (Strategy.objects.count(), Action.objects.count(), SituationAction.objects.count()) == (1, 15, links)


def test_demo_schemes_referrals_and_situations_are_linked(demo):
    assert Scheme.objects.filter(action__isnull=False).count() >= 8
    assert Referral.objects.filter(action__isnull=False).exists()
    unrestricted = Situation.objects.filter(restricted=False)
    assert unrestricted.filter(action_links__action__code="2.1").distinct().count() == unrestricted.count()


def test_the_coordinator_produces_the_report_from_the_demo(demo, client):
    client = verified_login(client, get_user_model().objects.get(username="coordination"))
    response = client.get(reverse("evaluation:evaluation_home"), follow=True)
    assert "Évaluation de la stratégie" in response.content.decode()
    strategy = Strategy.objects.get()
    pdf = client.get(reverse("evaluation:report_pdf", args=[strategy.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Prévention sociale, éducation à la citoyenneté et parentalité" in text
    assert "GSN-" not in text
    xlsx = client.get(reverse("evaluation:report_xlsx", args=[strategy.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
