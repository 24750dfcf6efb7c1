"""Invariant 3: after every encrypted field has been written and rewritten, no audit table holds a
plaintext value, nor even an encrypted field's name in a change diff."""

import datetime

from django.db import connection

from access import ledger
from access.models import BreakGlassAccess, Reason
from access.permissions import coordination_group
from access.services import break_glass_open
from audit import chain
from audit.registry import encrypted_field_names
from casework import services
from casework.models import Note, Person, Situation
from tests.casework.test_no_plaintext_at_rest import FORM
from tests.factories import identity

AUDIT_TABLES = ("audit_event", "audit_changeentry")
EDITED = {
    "last_name": "Quintal",
    "first_name": "Bérénice",
    "birth_date": datetime.date(2010, 2, 3),
    "address": "7 impasse des Glycines",
    "phone": "0698765432",
    "school": "Lycée professionnel des Ormes",
    "legal_representatives": "M. Quintal Aurélien (père)",
}


def _audit_cells() -> str:
    text = []
    with connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            text += [str(value) for row in cursor.fetchall() for value in row if value is not None]
    return "\n".join(text).lower()


def test_no_plaintext_in_the_audit_tables_after_editing_every_encrypted_field(client_for, alice, charlie):
    from casework.models import Motif, Source

    client = client_for(alice)
    client.post(
        "/situations/nouvelle/", {**FORM, "source": Source.objects.first().pk, "motifs": [Motif.objects.first().pk]}
    )
    situation = Situation.objects.get()
    client.get(f"/situations/{situation.pk}/")
    services.situation_update(
        situation_id=situation.pk,
        by=alice,
        expected_version=situation.version,
        changes={"motif_details": "Fugue du domicile signalée par la tante"},
        identity=identity(**EDITED),
    )
    client.post(
        f"/situations/{situation.pk}/notes/", {"body": "Rencontre avec Bérénice au foyer", "visibility": "groupe"}
    )
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    break_glass_open(situation=situation, user=charlie, reason="Signalement urgent concernant Bérénice Quintal ce soir")
    chain.seal_all()

    values = set(FORM.values()) | {str(v) for v in EDITED.values()}
    values |= {"Fugue du domicile signalée par la tante", "Rencontre avec Bérénice au foyer"}
    values |= {"Absences perlées signalées par la CPE", "Signalement urgent concernant Bérénice Quintal ce soir"}
    values.discard(FORM["received_on"])
    cells = _audit_cells()
    assert [value for value in values if value.lower() in cells] == []
    assert Person.objects.get().last_name == "Quintal"  # the edit did happen


def test_change_diffs_never_name_an_encrypted_field(alice):
    from tests.factories import make_situation

    situation = make_situation(alice)
    services.situation_update(
        situation_id=situation.pk,
        by=alice,
        expected_version=situation.version,
        changes={"motif_details": "Autre précision"},
        identity=identity(last_name="Autre"),
    )
    from audit.models import ChangeEntry

    hidden = set()
    for model in (Person, Situation, Note, BreakGlassAccess):
        hidden |= set(encrypted_field_names(model))
    changed = set()
    for entry in ChangeEntry.objects.all():
        changed |= set((entry.changes or {}).keys())
    assert changed and not changed & hidden
