"""Logins, failures, lockouts, logouts, MFA enrolment and permission changes are security events."""

from audit.models import Event, Kind
from casework import services
from tests.casework.test_situation_create import form_data
from tests.factories import PASSWORD, make_situation, verified_login


def _login(client, username, password):
    return client.post("/connexion/", {"username": username, "password": password}, REMOTE_ADDR="192.0.2.7")


def test_a_successful_login_is_recorded_with_its_address(client, alice):
    _login(client, "alice", PASSWORD)
    event = Event.objects.get(kind=Kind.LOGIN)
    assert event.user == alice and event.ip_address == "192.0.2.7" and event.partner == alice.membership.partner


def test_a_failed_login_is_recorded_without_the_password(client, alice):
    _login(client, "alice", "Wrong-password-42")
    event = Event.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.user == alice and event.username == "alice"
    assert "Wrong-password-42" not in str(list(Event.objects.values()))


def test_a_failed_login_for_an_unknown_identifier_is_recorded_as_identifiant_inconnu(client, db):
    _login(client, "nobody", "Wrong-password-42")
    event = Event.objects.get(kind=Kind.LOGIN_FAILED)
    assert event.user is None and event.username == "identifiant inconnu" and event.ip_address == "192.0.2.7"


def test_a_password_typed_into_the_identifier_field_is_kept_nowhere_in_the_trail(client, alice):
    _login(client, PASSWORD, PASSWORD)
    assert Event.objects.filter(kind=Kind.LOGIN_FAILED).exists()
    assert PASSWORD not in str(list(Event.objects.values()))


def test_a_lockout_is_recorded(client, alice):
    for _ in range(6):
        _login(client, "alice", "Wrong-password-42")
    assert Event.objects.filter(kind=Kind.LOCKOUT, username="alice").exists()


def test_a_lockout_of_an_unknown_identifier_does_not_keep_what_was_typed(client, db):
    for _ in range(6):
        _login(client, "Typed-password-77", "Wrong-password-42")
    lockouts = Event.objects.filter(kind=Kind.LOCKOUT)
    assert lockouts.exists()
    assert {(event.user, event.username) for event in lockouts} == {(None, "identifiant inconnu")}
    assert "Typed-password-77" not in str(list(Event.objects.values()))


def test_a_logout_is_recorded(client, alice):
    verified_login(client, alice)
    client.post("/deconnexion/")
    assert Event.objects.filter(kind=Kind.LOGOUT, user=alice).exists()


def test_mfa_enrolment_is_recorded(client, alice):
    from tests.access.test_invitations import code_for, complete, invite

    url = invite(alice)
    complete(client, url, code_for(client, url))

    assert Event.objects.filter(kind=Kind.MFA_ENROLLED, user=alice).exists()


def test_creating_a_situation_records_its_grants(alice):
    situation = make_situation(alice)
    grants = Event.objects.filter(kind=Kind.GRANT, situation_reference=situation.reference)
    details = sorted(grants.values_list("detail", flat=True))
    assert len(details) == 2
    assert any("Club de prévention Azimuts" in detail for detail in details)
    assert any("coordination" in detail for detail in details)


def test_replacing_the_referent_records_the_revocation_and_the_grant(alice, bob, charlie):
    situation = make_situation(alice)
    services.situation_update(
        situation_id=situation.pk, by=alice, expected_version=situation.version, changes={"referent": alice}
    )
    situation.refresh_from_db()
    services.situation_update(
        situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"referent": charlie}
    )
    revoked = Event.objects.get(kind=Kind.REVOKE, situation_reference=situation.reference)
    assert f"utilisateur n° {alice.pk}" in revoked.detail
    assert Event.objects.filter(kind=Kind.GRANT, detail__contains=f"utilisateur n° {charlie.pk}").exists()


def test_a_grant_made_in_a_request_names_the_acting_user(client_for, alice):
    client_for(alice).post("/situations/nouvelle/", form_data())
    assert Event.objects.filter(kind=Kind.GRANT, user=alice).count() == 2
