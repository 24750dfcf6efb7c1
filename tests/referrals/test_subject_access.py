"""The subject-access file carries the person's referrals, justification to be read through."""

import json

import pytest

from tests.dpo.helpers import done_access_request
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def test_the_access_file_lists_the_persons_referrals(client_for, propose, situation, scheme, alice, charlie, dora):
    from referrals import services

    referral = propose(situation, scheme, justification="Inès veut préparer le BAFA")
    services.referral_send(referral_id=referral.pk, by=alice)
    other = make_situation(alice, last_name="Martin", first_name="Hugo")
    propose(other, scheme, justification="Hugo cherche un apprentissage")

    request = done_access_request(situation)
    response = client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.json")

    sections = {section["key"]: section for section in json.loads(response.content)["sections"]}
    (record,) = sections["orientations"]["records"]
    fields = {field["label"]: field for field in record["fields"]}
    assert record["title"] == f"Orientation — {situation.reference}"
    assert fields["Dispositif"]["value"] == "Contrat d'engagement jeune"
    assert fields["Partenaire opérateur"]["value"] == "Mission locale"
    assert fields["État"]["value"] == "envoyée"
    assert fields["Envoyée le"]["value"] != ""
    assert fields["Justification"] == {
        "label": "Justification",
        "value": "Inès veut préparer le BAFA",
        "redaction": "a_relire",
    }
    assert fields["Proposée par"]["redaction"] == "tiers"
    assert "apprentissage" not in response.content.decode()
