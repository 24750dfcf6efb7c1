"""Invariant 3: change diffs (django-auditlog) carry who changed what, never personal data."""

from audit.models import ChangeEntry
from casework import services
from tests.factories import identity, make_situation


def test_creation_is_recorded_with_the_actor(client_for, alice):
    client_for(alice).post(
        "/situations/nouvelle/",
        {
            "source": 1,
            "received_on": "2026-10-02",
            "motifs": [1],
            "identity-last_name": "Vasseur",
            "identity-first_name": "Tom",
            "identity-birth_date": "2012-01-09",
        },
    )
    entry = ChangeEntry.objects.filter(content_type__model="situation", action=ChangeEntry.Action.CREATE).get()
    assert entry.actor == alice


def test_encrypted_fields_never_reach_a_diff(alice):
    situation = make_situation(alice, last_name="Vasseur", first_name="Tom")
    services.situation_update(
        situation_id=situation.pk,
        by=alice,
        expected_version=1,
        changes={"motif_details": "Nouvelle précision confidentielle"},
        identity=identity(last_name="Vasseur-Lemaire", first_name="Tom"),
    )
    services.note_create(situation=situation, by=alice, body="Corps de note secret", visibility="groupe")
    everything = " ".join(str(entry.changes) for entry in ChangeEntry.objects.all())
    for secret in ("Vasseur", "Tom", "précision confidentielle", "Corps de note", "identity_index", "data_key"):
        assert secret not in everything
    assert "motif_details" not in everything and "last_name" not in everything


def test_status_change_is_in_the_diff(alice):
    situation = make_situation(alice)
    services.situation_update(situation_id=situation.pk, by=alice, expected_version=1, changes={"status": "examinee"})
    diffs = [entry.changes_dict for entry in ChangeEntry.objects.get_for_object(situation)]
    assert {"status": ["recue", "examinee"]} in [{k: v for k, v in d.items() if k == "status"} for d in diffs]
