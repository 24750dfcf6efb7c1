"""Information, closure, reopening, the danger flag and restriction of a situation."""

import datetime

import pytest
from django.utils import timezone

from audit.models import Event, Kind
from casework import services
from casework.models import ClosureReason, Information, Motif, Situation, Source
from casework.services import (
    ClosedSituationError,
    RestrictedSituationError,
    information_record,
    note_create,
    situation_close,
    situation_reopen,
    situation_restrict,
    situation_update,
)
from tests.factories import make_situation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def active(situation, by):
    for status in ("examinee", "suivi_actif"):
        situation = situation_update(
            situation_id=situation.pk, by=by, expected_version=situation.version, changes={"status": status}
        )
    return situation


def closed(situation, by):
    situation = active(situation, by)
    return situation_close(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version,
        reason=ClosureReason.objects.get(code="objectifs-atteints"),
        closed_on=TODAY,
        outcome="scolarite",
    )


def inform(situation, by, recipient=Information.Recipient.YOUNG_PERSON):
    return information_record(
        situation=situation,
        by=by,
        recipient=recipient,
        informed_on=TODAY,
        mode=Information.Mode.MEETING,
        response=Information.Response.AGREED,
    )


def test_a_followed_situation_without_information_of_the_young_person_is_flagged(client_for, alice, charlie):
    situation = active(make_situation(alice), charlie)
    inform(situation, alice, Information.Recipient.LEGAL_REPRESENTATIVE)

    page = client_for(charlie).get("/situations/?to_inform=on").content.decode()

    assert situation.reference in page and "à informer" in page
    inform(situation, alice)
    assert situation.reference not in client_for(charlie).get("/situations/?to_inform=on").content.decode()


def test_an_anonymous_situation_has_no_one_to_inform(client_for, alice, charlie):
    situation = active(make_situation(alice, anonymous=True), charlie)

    assert situation.reference not in client_for(charlie).get("/situations/?to_inform=on").content.decode()


def test_the_flag_is_not_shown_to_other_staff(client_for, alice, charlie):
    active(make_situation(alice), charlie)

    assert "à informer" not in client_for(alice).get("/situations/").content.decode()


def test_an_information_is_recorded_from_its_screen(client_for, alice):
    situation = make_situation(alice)

    response = client_for(alice).post(
        f"/situations/{situation.pk}/information/",
        {
            "recipient": "representant",
            "label": "mère",
            "informed_on": "2026-10-03",
            "mode": "courrier",
            "response": "accord",
        },
    )

    assert response.status_code == 302
    information = Information.objects.get()
    assert (information.label, information.recorded_by) == ("mère", alice)


def test_an_information_dated_1900_is_refused(client_for, alice):
    situation = make_situation(alice)

    response = client_for(alice).post(
        f"/situations/{situation.pk}/information/",
        {"recipient": "jeune", "informed_on": "1900-01-01", "mode": "courrier", "response": "accord"},
    )

    assert response.status_code == 200
    assert not Information.objects.exists()


def test_closing_records_reason_date_and_the_start_of_retention(client_for, alice, charlie):
    situation = active(make_situation(alice), charlie)

    response = client_for(alice).post(
        f"/situations/{situation.pk}/cloture/",
        {
            "reason": ClosureReason.objects.first().pk,
            "closed_on": "2026-10-20",
            "outcome": "formation",
            "version": situation.version,
            "confirm": "on",
        },
    )

    situation.refresh_from_db()
    assert response.status_code == 302
    assert (situation.status, situation.closed_on, situation.status_since) == (
        "cloturee",
        datetime.date(2026, 10, 20),
        datetime.date(2026, 10, 20),
    )


def test_a_closure_dated_before_the_saisine_is_refused(client_for, alice, charlie):
    situation = active(make_situation(alice), charlie)

    response = client_for(alice).post(
        f"/situations/{situation.pk}/cloture/",
        {
            "reason": ClosureReason.objects.first().pk,
            "closed_on": "1900-01-01",
            "outcome": "formation",
            "version": situation.version,
            "confirm": "on",
        },
    )

    assert response.status_code == 200
    assert Situation.objects.get(pk=situation.pk).status == "suivi_actif"


def test_a_double_submitted_closure_closes_once(client_for, alice, charlie):
    situation = active(make_situation(alice), charlie)
    data = {
        "reason": ClosureReason.objects.first().pk,
        "closed_on": "2026-10-20",
        "outcome": "formation",
        "version": situation.version,
        "confirm": "on",
    }
    client = client_for(alice)

    client.post(f"/situations/{situation.pk}/cloture/", data)
    second = client.post(f"/situations/{situation.pk}/cloture/", data)

    assert second.status_code == 302
    assert Situation.objects.get(pk=situation.pk).version == situation.version + 1


def test_only_an_active_follow_up_closes(alice):
    situation = make_situation(alice)

    with pytest.raises(ValueError):
        situation_close(
            situation_id=situation.pk,
            by=alice,
            expected_version=situation.version,
            reason=ClosureReason.objects.first(),
            closed_on=TODAY,
            outcome="scolarite",
        )


def test_the_edit_form_cannot_close(alice, charlie):
    situation = active(make_situation(alice), charlie)

    with pytest.raises(ValueError, match="Clôturer"):
        situation_update(
            situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"status": "cloturee"}
        )


def test_a_closed_situation_refuses_every_write(client_for, alice, charlie):
    situation = closed(make_situation(alice), charlie)

    with pytest.raises(ClosedSituationError):
        note_create(situation=situation, by=alice, body="x", visibility="groupe")
    with pytest.raises(ClosedSituationError):
        inform(situation, alice)
    with pytest.raises(ClosedSituationError):
        situation_update(situation_id=situation.pk, by=alice, expected_version=situation.version, changes={})
    client = client_for(alice)
    assert client.post(f"/situations/{situation.pk}/notes/", {"body": "x", "visibility": "groupe"}).status_code == 302
    assert client.get(f"/situations/{situation.pk}/information/").status_code == 302
    assert situation.notes.count() == 0


def test_reopening_creates_a_linked_saisine_of_the_same_person(client_for, alice, charlie):
    old = closed(make_situation(alice), charlie)

    response = client_for(alice).post(
        f"/situations/{old.pk}/nouvelle-saisine/",
        {
            "source": Source.objects.get(code="education-nationale").pk,
            "received_on": TODAY.isoformat(),
            "motifs": [Motif.objects.get(code="absenteisme-scolaire").pk],
        },
    )

    new = Situation.objects.get(previous=old)
    assert response.status_code == 302
    assert (new.person_id, new.data_key_id, new.status) == (old.person_id, old.data_key_id, "recue")
    old_page = client_for(alice).get(f"/situations/{old.pk}/").content.decode()
    new_page = client_for(alice).get(f"/situations/{new.pk}/").content.decode()
    assert new.reference in old_page and old.reference in new_page


def test_a_situation_is_reopened_once(alice, charlie):
    old = closed(make_situation(alice), charlie)
    kwargs = {"situation_id": old.pk, "by": alice, "source": old.source, "received_on": TODAY, "motifs": []}
    situation_reopen(**kwargs)

    with pytest.raises(ValueError):
        situation_reopen(**kwargs)


def test_an_active_situation_cannot_be_reopened(alice, charlie):
    situation = active(make_situation(alice), charlie)

    with pytest.raises(ValueError):
        situation_reopen(situation_id=situation.pk, by=alice, source=situation.source, received_on=TODAY, motifs=[])


def test_another_partner_gets_404_on_the_lifecycle_screens(client_for, alice, bob, charlie):
    situation = active(make_situation(alice), charlie)
    client = client_for(bob)

    for url in ("cloture/", "nouvelle-saisine/", "information/"):
        assert client.get(f"/situations/{situation.pk}/{url}").status_code == 404


def test_the_danger_flag_reminds_the_crip_procedure(client_for, alice, charlie):
    situation = active(make_situation(alice), charlie)
    situation_update(situation_id=situation.pk, by=alice, expected_version=situation.version, changes={"danger": True})

    page = client_for(alice).get(f"/situations/{situation.pk}/").content.decode()

    assert "information préoccupante" in page and "CRIP" in page and "119" in page


def test_a_restricted_situation_is_read_by_the_coordination_only(client_for, alice, charlie, dora):
    situation = make_situation(alice)

    situation_restrict(situation_id=situation.pk, by=dora, restricted=True)

    assert client_for(alice).get(f"/situations/{situation.pk}/").status_code == 404
    assert situation.reference not in client_for(alice).get("/situations/").content.decode()
    assert client_for(charlie).get(f"/situations/{situation.pk}/").status_code == 200
    assert client_for(charlie).get(f"/situations/{situation.pk}/modifier/").status_code == 404
    assert Event.objects.filter(kind=Kind.RESTRICTED, situation_reference=situation.reference).exists()


def test_a_restricted_situation_refuses_writes_until_lifted(alice, charlie, dora):
    situation = make_situation(alice)
    situation = situation_restrict(situation_id=situation.pk, by=dora, restricted=True)

    with pytest.raises(RestrictedSituationError):
        note_create(situation=situation, by=charlie, body="x", visibility="groupe")
    situation = situation_restrict(situation_id=situation.pk, by=charlie, restricted=False)
    note_create(situation=situation, by=alice, body="x", visibility="groupe")
    assert Event.objects.filter(kind=Kind.RESTRICTION_LIFTED).count() == 1


def test_staff_cannot_restrict(alice):
    situation = make_situation(alice)

    with pytest.raises(PermissionError):
        services.situation_restrict(situation_id=situation.pk, by=alice, restricted=True)


def test_the_dpo_restricts_by_reference(client_for, alice, dora):
    situation = make_situation(alice)

    client_for(dora).post("/donnees/limitation/", {"reference": situation.reference, "restricted": "1"})

    assert Situation.objects.get(pk=situation.pk).restricted


def test_the_prebuilt_exists_answer_what_the_orm_exists_answer(alice, charlie):
    """`selectors.rows_exist` (SQL text built once per process) against the ORM's `Exists` it
    replaces, on situations with and without the rows: informed or not, reopened or not."""
    from django.db.models import Exists, OuterRef

    from casework import selectors

    informed, legal_only, bare = (active(make_situation(alice), charlie) for _ in range(3))
    inform(informed, alice)
    inform(legal_only, alice, Information.Recipient.LEGAL_REPRESENTATIVE)
    Situation.objects.filter(pk=bare.pk).update(previous=informed)
    orm = Situation.objects.annotate(
        informed=Exists(
            Information.objects.filter(situation_id=OuterRef("pk"), recipient=Information.Recipient.YOUNG_PERSON)
        ),
        reopened=Exists(Situation.objects.filter(previous_id=OuterRef("pk"))),
    )
    prebuilt = Situation.objects.annotate(
        informed=selectors.young_person_informed(), reopened=selectors.rows_exist(Situation, "previous")
    )
    expected = {(informed.pk, True, True), (legal_only.pk, False, False), (bare.pk, False, False)}
    assert set(orm.values_list("pk", "informed", "reopened")) == expected
    assert set(prebuilt.values_list("pk", "informed", "reopened")) == expected
    to_inform = set(Situation.objects.filter(selectors.to_inform_filter()).values_list("pk", flat=True))
    assert to_inform == {legal_only.pk, bare.pk}
