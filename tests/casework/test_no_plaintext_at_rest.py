"""Privacy invariant 1: a raw scan of every table finds no identity value, note or free text.

The database is read with SQL, not through the ORM, so nothing is decrypted on the way.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from access.models import Partner
from casework import services
from casework.models import Note, Person, Situation
from referrals.models import Referral
from seances.models import Addendum, AgendaItem, Objective, Step

FORM = {
    "received_on": "2026-10-02",
    "motif_details": "Absences perlées signalées par la CPE",
    "identity-last_name": "Zéphyrin",
    "identity-first_name": "Anaïs",
    "identity-birth_date": "2009-07-21",
    "identity-address": "12 rue des Tilleuls",
    "identity-phone": "0612345678",
    "identity-school": "Collège imaginaire des Lilas",
    "identity-legal_representatives": "Mme Zéphyrin Marguerite (mère)",
}


def raw_database_text() -> list[bytes]:
    """Every cell of every table, as bytes (text is encoded; binary kept as is), lower-cased."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, (bytes, memoryview)):
                        cells.append(bytes(value).lower())
                    else:
                        cells.append(str(value).encode().lower())
    return cells


def plaintext_values() -> set[str]:
    """What must never appear: read through the ORM (which decrypts) to know what to look for."""
    values = set()
    for person in Person.objects.select_related("data_key"):
        values |= {person.last_name, person.first_name, person.birth_date.isoformat()}
        values |= {v for v in (person.address, person.phone, person.school, person.legal_representatives) if v}
    for situation in Situation.objects.select_related("data_key").exclude(motif_details=None):
        values.add(situation.motif_details)
    for note in Note.objects.select_related("data_key"):
        values.add(note.body)
    # Séance summaries, actions asked of partners and addenda; referral justifications.
    values |= {item.summary for item in AgendaItem.objects.select_related("data_key").exclude(summary=None)}
    values |= {step.label for step in Step.objects.select_related("data_key")}
    values |= {objective.label for objective in Objective.objects.select_related("data_key")}
    values |= {addendum.text for addendum in Addendum.objects.select_related("data_key")}
    values |= {r.justification for r in Referral.objects.select_related("data_key").exclude(justification=None)}
    # Partners' and staff members' names are not personal data of young people and sit in plain tables:
    # a demo pupil whose school is "Collège Rabelais" must not make the partner table a leak.
    public = set(Partner.objects.values_list("name", flat=True))
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        public |= {first, last}
    return {value for value in values if len(value) >= 4 and value not in public}


@pytest.mark.django_db
def test_raw_scan_after_demo_data_and_ui_creation_finds_no_plaintext(client_for, alice, charlie, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0)
    from casework.models import Motif, Source

    client = client_for(alice)
    response = client.post(
        "/situations/nouvelle/",
        {**FORM, "source": Source.objects.first().pk, "motifs": [Motif.objects.first().pk]},
    )
    assert response.status_code == 302
    situation = Situation.objects.get(person__isnull=False, created_by=alice)
    client.post(
        f"/situations/{situation.pk}/notes/", {"body": "Entretien avec Anaïs et sa mère", "visibility": "groupe"}
    )

    client.post("/situations/", {"person-last_name": "Zefirin", "person-last_name_approximate": "on"})

    needles = plaintext_values()
    assert "Zéphyrin" in needles and "Entretien avec Anaïs et sa mère" in needles
    # A merge re-encrypts the merged record's rows and deletes its identity: nothing of it in clear.
    demo_person = Person.objects.exclude(pk=situation.person_id).first()
    services.person_merge(kept_id=demo_person.pk, merged_id=situation.person_id, by=charlie)
    assert "Point fait en séance : assiduité en progrès, lien avec la famille à consolider." in needles
    assert len(needles) > 100, "the demo data should give many values to look for"
    cells = raw_database_text()
    leaks = {needle for needle in needles if any(needle.lower().encode() in cell for cell in cells)}
    assert leaks == set()
