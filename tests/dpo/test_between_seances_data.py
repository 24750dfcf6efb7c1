"""The plan's objectives and steps, the signalements and the justifications written despite a refusal
are in the subject-access file, die with the situation, and are declared in the data inventory."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from casework.models import ConsentJustification, Information, Signalement
from casework.retention import Cause
from casework.services import information_record, signalement_record, situation_update
from dpo.inventory import INVENTORY
from dpo.purge import situation_purge
from referrals.services import referral_propose
from seances import services as seance_services
from seances.models import Objective, Step
from tests.dpo.helpers import done_access_request
from tests.factories import make_scheme, make_situation

pytestmark = pytest.mark.django_db
WHY = "Le collège signale une déscolarisation totale depuis trois semaines"


@pytest.fixture
def situation(alice, bob, charlie, mission_locale, settings):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    situation = make_situation(alice, last_name="Durand", first_name="Léa")
    for changes in ({"status": "examinee"}, {"status": "suivi_actif", "referent": alice}):
        situation = situation_update(
            situation_id=situation.pk, by=charlie, expected_version=situation.version, changes=changes
        )
    objective = seance_services.objective_add(
        situation_id=situation.pk, by=alice, domain="scolarite", label="Retour en classe de Léa"
    )
    seance_services.step_add(
        situation_id=situation.pk,
        by=alice,
        partner=bob.membership.partner,
        label="Rendez-vous avec la famille Durand",
        due_on=timezone.localdate(),
        objective_id=objective.pk,
    )
    signalement_record(
        situation_id=situation.pk,
        by=alice,
        sent_on=timezone.localdate(),
        recipient="crip",
        mode="formulaire",
        comment="Fiche IP transmise pour Léa",
    )
    information_record(
        situation=situation,
        by=alice,
        recipient=Information.Recipient.YOUNG_PERSON,
        informed_on=timezone.localdate(),
        mode=Information.Mode.MEETING,
        response=Information.Response.REFUSED,
    )
    referral_propose(situation=situation, scheme=make_scheme(mission_locale), by=alice, consent_justification=WHY)
    return situation


def test_they_are_in_the_subject_access_file(situation, client_for, dora):
    request = done_access_request(situation)
    response = client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.json")
    text = json.dumps(json.loads(response.content), ensure_ascii=False)
    for expected in (
        "Retour en classe de Léa",
        "Rendez-vous avec la famille Durand",
        "Fiche IP transmise pour Léa",
        WHY,
    ):
        assert expected in text
    assert "Transmission (signalement)" in text and "Poursuite malgré le refus" in text


def test_they_are_purged_with_the_situation(situation):
    situation_purge(situation_id=situation.pk, cause=Cause.RETENTION)
    for model in (Objective, Step, Signalement, ConsentJustification):
        assert not model.objects.exists()
    with connection.cursor() as cursor:
        for model in (Objective, Step, Signalement, ConsentJustification):
            cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}")
            assert cursor.fetchone() == (0,)


def test_they_are_declared_in_the_inventory():
    declared = {processing.model for processing in INVENTORY}
    assert {"seances.Objective", "seances.Step", "casework.Signalement", "casework.ConsentJustification"} <= declared
