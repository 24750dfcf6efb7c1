"""Invariant 6: the audit trail is append-only and tamper-evident."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit import chain, mac
from audit.models import ChainHead, ChangeEntry, Event, Kind
from audit.retention import trail_purge
from audit.services import security_record
from tests.audit_triggers import triggers_suspended
from tests.factories import make_situation

REFUSED = DatabaseError


def _events(n, **fields):
    return [security_record(Kind.LOGIN, username=f"user{i}", **fields) for i in range(n)]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _verify_message():
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    return str(error.value)


def test_sealed_chain_verifies(db):
    _events(5)
    assert chain.seal(Event) == 5
    report = chain.verify(Event)
    assert report.intact and report.checked == 5 and report.pending == 0


def test_sealing_gives_contiguous_sequence_numbers(db):
    _events(3)
    chain.seal(Event)
    _events(2)
    chain.seal(Event)
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_change_entries_are_chained_too(alice):
    make_situation(alice)
    assert chain.seal(ChangeEntry) > 0
    assert chain.verify(ChangeEntry).intact


def test_verify_audit_exits_zero_when_intact(db, capsys):
    _events(3)
    call_command("verify_audit", "--seal")
    assert "chaîne intacte, 3 entrées vérifiées" in capsys.readouterr().out


def test_update_of_an_audit_row_is_refused(db):
    (event,) = _events(1)
    with pytest.raises(REFUSED), transaction.atomic():
        _raw("UPDATE audit_event SET username = 'mallory' WHERE id = %s", [event.pk])


def test_delete_of_an_audit_row_is_refused(db):
    (event,) = _events(1)
    with pytest.raises(REFUSED), transaction.atomic():
        _raw("DELETE FROM audit_event WHERE id = %s", [event.pk])


def test_delete_of_a_change_entry_is_refused(alice):
    make_situation(alice)
    with pytest.raises(REFUSED), transaction.atomic():
        _raw("DELETE FROM audit_changeentry")


def test_truncate_is_refused(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _events(1)
    with pytest.raises(REFUSED), transaction.atomic():
        _raw("TRUNCATE audit_event")


def test_a_sealed_row_cannot_be_resealed(db):
    (event,) = _events(1)
    chain.seal(Event)
    with pytest.raises(REFUSED), transaction.atomic():
        _raw("UPDATE audit_event SET seq = 99, chain = 'x' WHERE id = %s", [event.pk])


def test_sealing_cannot_smuggle_a_content_change(db):
    (event,) = _events(1)
    with pytest.raises(REFUSED), transaction.atomic():
        _raw("UPDATE audit_event SET seq = 1, chain = 'x', detail = 'forged' WHERE id = %s", [event.pk])


def test_changed_entry_is_named(db):
    events = _events(4)
    chain.seal(Event)
    with triggers_suspended():
        _raw("UPDATE audit_event SET username = 'mallory' WHERE id = %s", [events[2].pk])
    message = _verify_message()
    assert f"entrée id {events[2].pk}" in message and "modifiée" in message


def test_deleted_entry_is_named(db):
    events = _events(4)
    chain.seal(Event)
    with triggers_suspended():
        _raw("DELETE FROM audit_event WHERE id = %s", [events[1].pk])
    assert "entrée 2 supprimée" in _verify_message()


def test_entries_cut_off_the_end_are_named(db):
    events = _events(4)
    chain.seal(Event)
    with triggers_suspended():
        _raw("DELETE FROM audit_event WHERE id = %s", [events[3].pk])
    assert "entrée 4 supprimée (fin de chaîne)" in _verify_message()


def test_inserted_entry_is_named(db):
    """A row put in another's place: its content MAC holds, but the chain binds the row id."""
    events = _events(3)
    chain.seal(Event)
    with triggers_suspended():
        _raw("UPDATE audit_event SET uid = %s WHERE id = %s", ["00000000-0000-4000-8000-000000000001", events[2].pk])
        _raw(
            "INSERT INTO audit_event (uid, mac, seq, chain, at, kind, username, object_type, object_id, "
            "situation_reference, screen, purpose, detail, user_agent) "
            "SELECT %s, mac, 99, chain, at, kind, username, object_type, object_id, situation_reference, screen, "
            "purpose, detail, user_agent FROM audit_event WHERE id = %s",
            [str(events[2].uid), events[2].pk],
        )
        _raw("DELETE FROM audit_event WHERE id = %s", [events[2].pk])
        _raw("UPDATE audit_event SET seq = 3 WHERE seq = 99")
    inserted = Event.objects.get(seq=3)
    assert f"entrée id {inserted.pk} (séquence 3) insérée ou déplacée" in _verify_message()


def test_unsealed_forged_row_is_never_sealed_and_is_named(db):
    _events(2)
    with triggers_suspended():
        _raw(
            "INSERT INTO audit_event (uid, mac, chain, at, kind, username, object_type, object_id, "
            "situation_reference, screen, purpose, detail, user_agent) VALUES (%s, %s, '', %s, 'connexion', "
            "'mallory', '', '', '', '', '', '', '')",
            ["00000000-0000-4000-8000-000000000002", "0" * 64, timezone.now()],
        )
    assert chain.seal(Event) == 2
    message = _verify_message()
    assert "pas encore scellée" in message and "modifiée ou forgée" in message


def test_forged_chain_head_is_named(db):
    _events(2)
    chain.seal(Event)
    ChainHead.objects.filter(table="audit.event").update(seq=1)
    assert "tête de chaîne a été modifiée" in _verify_message()


def test_sealer_refuses_a_forged_head(db):
    _events(1)
    chain.seal(Event)
    ChainHead.objects.filter(table="audit.event").update(chain="0" * 64)
    _events(1)
    with pytest.raises(chain.AuditChainError):
        chain.seal(Event)


def test_retention_purge_deletes_only_old_entries_and_keeps_the_chain_whole(db, settings):
    settings.PARCOURS_AUDIT_RETENTION_DAYS = 365
    now = timezone.now()
    old = _events(3)
    with triggers_suspended():
        _raw("UPDATE audit_event SET at = %s", [now - datetime.timedelta(days=400)])
        for event in Event.objects.all():
            _raw("UPDATE audit_event SET mac = %s WHERE id = %s", [chain.content_mac(event), event.pk])
    recent = _events(2)

    counts = trail_purge(now=now)

    assert counts["audit.event"] == 3
    assert not Event.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert Event.objects.filter(pk__in=[e.pk for e in recent]).count() == 2
    purge = Event.objects.get(kind=Kind.AUDIT_PURGE)
    assert "audit.event : 3" in purge.detail
    chain.seal_all()
    assert all(report.intact for report in chain.verify_all())


def test_retention_purge_with_nothing_to_delete_records_nothing(db):
    _events(2)
    assert trail_purge() == {"audit.event": 0, "audit.changeentry": 0}
    assert not Event.objects.filter(kind=Kind.AUDIT_PURGE).exists()


def test_the_chain_key_is_not_the_database(db, settings):
    """A MAC made with another key does not verify: the key, not the data, proves integrity."""
    _events(2)
    chain.seal(Event)
    mac.audit_key.cache_clear()
    settings.PARCOURS_AUDIT_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDE="
    try:
        assert not chain.verify(Event).intact
    finally:
        mac.audit_key.cache_clear()


def test_change_entries_written_with_an_actor_are_sealed(alice):
    """django-auditlog sets the actor after save() starts: the MAC must cover it all the same."""
    from auditlog.context import set_actor

    with set_actor(alice, remote_addr="192.0.2.9"):
        make_situation(alice)
    entries = ChangeEntry.objects.all()
    assert entries and all(entry.actor_id == alice.pk for entry in entries)
    assert chain.seal(ChangeEntry) == entries.count()
    assert chain.verify(ChangeEntry).intact


def test_nightly_verification_alerts_the_dpo_when_the_chain_is_broken(dora, django_capture_on_commit_callbacks):
    from django.core import mail

    from dpo.tasks import audit_verify

    events = _events(3)
    chain.seal(Event)
    with triggers_suspended():
        _raw("DELETE FROM audit_event WHERE id = %s", [events[1].pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_verify() is False
    alert = Event.objects.get(kind=Kind.AUDIT_ALERT)
    assert "supprimée" in alert.detail
    (message,) = mail.outbox
    assert message.to == [dora.email] and "journal d'audit a échoué" in message.subject


def test_nightly_verification_of_an_intact_chain_alerts_nobody(dora, django_capture_on_commit_callbacks):
    from django.core import mail

    from dpo.tasks import audit_verify

    _events(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_verify() is True
    assert mail.outbox == [] and not Event.objects.filter(kind=Kind.AUDIT_ALERT).exists()


def test_change_entries_of_integer_keyed_models_are_sealed(maya):
    """django-auditlog writes an integer primary key into the text column `object_pk`."""
    from tests.factories import make_scheme

    make_scheme(maya.membership.partner, motifs=("decrochage-scolaire",))
    assert ChangeEntry.objects.filter(content_type__model="scheme").exists()
    assert chain.seal(ChangeEntry) == ChangeEntry.objects.count()
    assert chain.verify(ChangeEntry).intact
