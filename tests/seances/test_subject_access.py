"""The subject-access file carries the person's séance points, summaries, decisions and actions."""

import datetime
import json

import pytest
from django.utils import timezone

from seances import services
from tests.dpo.helpers import done_access_request
from tests.factories import make_situation
from tests.seances.helpers import running_seance

pytestmark = pytest.mark.django_db


def test_the_access_file_lists_the_persons_seance_points(client_for, alice, bob, charlie, dora):
    situation = make_situation(alice)
    other = make_situation(alice, last_name="Martin", first_name="Hugo")
    seance = running_seance(charlie, [situation, other])
    item = seance.items.get(situation=situation)
    services.item_summary_set(seance_id=seance.pk, item_id=item.pk, by=charlie, summary="Léa revient au collège")
    services.item_summary_set(
        seance_id=seance.pk, item_id=seance.items.get(situation=other).pk, by=charlie, summary="Hugo est parti"
    )
    services.decision_record(
        seance_id=seance.pk,
        item_id=item.pk,
        by=charlie,
        kind="action_demandee",
        partner=bob.membership.partner,
        action_label="Appeler la mère",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )

    request = done_access_request(situation)
    response = client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.json")

    sections = {section["key"]: section for section in json.loads(response.content)["sections"]}
    records = sections["seances"]["records"]
    point = next(r for r in records if r["title"].startswith("Séance du"))
    fields = {field["label"]: field for field in point["fields"]}
    assert fields["Synthèse de l'examen"] == {
        "label": "Synthèse de l'examen",
        "value": "Léa revient au collège",
        "redaction": "a_relire",
    }
    assert fields["Décision"]["value"].startswith("Action demandée")
    action = next(r for r in records if r["title"].startswith("Étape du plan (action demandée)"))
    assert {f["label"]: f["value"] for f in action["fields"]}["Étape"] == "Appeler la mère"
    assert "Hugo est parti" not in response.content.decode()
