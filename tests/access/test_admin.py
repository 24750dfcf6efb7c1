import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.models import Membership, Partner, Role
from tests.factories import make_user, verified_login


@pytest.fixture
def admin_client(client, adam):
    return verified_login(client, adam)


def test_the_technical_admin_reaches_the_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.parametrize("model", ["source", "motif", "closurereason", "territory"])
def test_the_technical_admin_edits_coded_lists(admin_client, model):
    assert admin_client.get(f"/admin/casework/{model}/").status_code == 200


@pytest.mark.parametrize("model", ["person", "situation", "note"])
def test_case_contents_have_no_admin_page(admin_client, model):
    assert admin_client.get(f"/admin/casework/{model}/").status_code == 404


def test_the_admin_index_lists_no_case_model(admin_client):
    content = admin_client.get("/admin/").content.decode()
    assert "/admin/casework/situation/" not in content


def test_coded_list_positions_are_editable_in_the_list(admin_client):
    response = admin_client.get("/admin/casework/motif/")
    assert response.context["cl"].list_editable == ("position", "active")


def test_coded_entries_cannot_be_deleted(admin_client):
    assert admin_client.get("/admin/casework/source/1/delete/").status_code == 403


def test_staff_without_the_admin_role_cannot_use_the_admin(client, alice):
    alice.is_staff = True
    alice.save()
    verified_login(client, alice)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_the_admin_role_without_staff_status_cannot_use_the_admin(client, city):
    admin_user = make_user("ada", city, Role.ADMIN)
    verified_login(client, admin_user)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_an_unverified_admin_is_sent_to_the_second_factor(client, adam):
    client.force_login(adam)
    response = client.get("/admin/")
    assert response.url.startswith("/mfa/")


@override_settings(DEMO_MODE=True)
def test_demonstration_mode_lets_an_unverified_admin_in(client, adam):
    client.force_login(adam)
    assert client.get("/admin/").status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_parcours_sign_in(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/connexion/?next=/admin/"


def test_groups_are_not_edited_by_hand(admin_client):
    assert admin_client.get("/admin/auth/group/").status_code == 404


def test_charter_acceptances_are_read_only(admin_client):
    assert admin_client.get("/admin/access/charteracceptance/add/").status_code == 403


def test_saving_a_membership_in_the_admin_syncs_the_groups(admin_client, alice, rabelais):
    membership = alice.membership
    admin_client.post(
        f"/admin/access/membership/{membership.pk}/change/",
        {"user": alice.pk, "partner": rabelais.pk, "role": Role.STAFF},
    )
    assert list(alice.groups.all()) == [rabelais.group]


def test_saving_a_user_with_a_membership_syncs_the_groups(admin_client, alice, azimuts):
    form = {
        "username": "alice",
        "first_name": "Alice",
        "last_name": "Test",
        "email": "alice@example.org",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "1",
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": alice.membership.pk,
        "membership-0-user": alice.pk,
        "membership-0-partner": azimuts.pk,
        "membership-0-role": Role.COORDINATOR,
    }
    response = admin_client.post(f"/admin/auth/user/{alice.pk}/change/", form)
    assert response.status_code == 302
    assert alice.groups.filter(name="GSN — coordination").exists()


def test_an_admin_cannot_change_their_own_membership(admin_client, adam, azimuts):
    membership = adam.membership
    admin_client.post(
        f"/admin/access/membership/{membership.pk}/change/",
        {"user": adam.pk, "partner": azimuts.pk, "role": Role.COORDINATOR},
    )
    assert Membership.objects.get(pk=membership.pk).role == Role.ADMIN


def test_the_admin_cannot_add_a_second_factor_to_someone(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_the_admin_cannot_read_a_totp_secret(admin_client, alice):
    device = TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    response = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert device.key not in response.content.decode()


def test_the_admin_cannot_delete_a_device_alone(admin_client, alice):
    device = TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_adding_a_partner_in_the_admin_creates_its_group(admin_client):
    admin_client.post(
        "/admin/access/partner/add/", {"name": "Mission locale", "kind": "mission_locale", "active": "on"}
    )
    assert Partner.objects.get(name="Mission locale").group.name == "Partenaire — Mission locale"


def test_admin_cannot_browse_the_change_history(client_for, adam):
    for url in ("/admin/auditlog/logentry/", "/admin/audit/changeentry/", "/admin/audit/event/"):
        assert client_for(adam).get(url).status_code == 404


# --- Every administrative act in the chained trail, and the DPO alerted of elevated roles ----------------


def _dpo_alerts(kind):
    from notifications.models import Notification

    return Notification.objects.filter(recipient__membership__role=Role.DPO, kind=kind)


def test_creating_a_coordinator_is_an_invitation_with_chained_events_and_a_dpo_alert(
    admin_client, adam, dora, city, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model
    from django.core import mail

    from audit import chain
    from audit.models import Event, Kind
    from notifications.models import Notification

    form = {
        "username": "claire",
        "first_name": "Claire",
        "last_name": "Nouvelle",
        "email": "claire@example.org",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "0",
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-partner": city.pk,
        "membership-0-role": Role.COORDINATOR,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/auth/user/add/", form)

    assert response.status_code == 302
    claire = get_user_model().objects.get(username="claire")
    assert not claire.has_usable_password()
    assert [message.to for message in mail.outbox if "invitation" in message.body] == [["claire@example.org"]]
    kinds = set(Event.objects.filter(user=adam).values_list("kind", flat=True))
    assert {Kind.ADMIN_ACT, Kind.ROLE_CHANGED, Kind.INVITATION_SENT} <= kinds
    assert _dpo_alerts(Notification.Kind.PRIVILEGE_GRANTED).filter(recipient=dora).count() == 1
    chain.seal_all()
    assert all(report.intact for report in chain.verify_all())


def test_promoting_an_existing_user_names_the_actor_and_alerts_the_dpo(admin_client, adam, dora, alice, azimuts):
    from audit.models import Event, Kind
    from notifications.models import Notification

    test_saving_a_user_with_a_membership_syncs_the_groups(admin_client, alice, azimuts)

    event = Event.objects.get(kind=Kind.ROLE_CHANGED, user=adam)
    assert f"utilisateur n° {alice.pk}" in event.detail and "coordonnateur" in event.detail
    assert _dpo_alerts(Notification.Kind.PRIVILEGE_GRANTED).count() == 1


def test_a_factor_reset_needs_a_second_person_then_is_recorded_and_alerts_the_dpo(
    admin_client, adam, dora, alice, client_for
):
    from audit.models import Event, Kind
    from notifications.models import Notification

    device = TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    admin_client.post("/admin/auth/user/", {"action": "request_factor_reset", "_selected_action": [alice.pk]})
    assert Event.objects.filter(kind=Kind.FACTOR_RESET_REQUESTED, user=adam).exists()
    reset = alice.factor_resets.get()
    form = {"reset": reset.pk, "confirm": "on"}

    admin_client.post("/comptes/reinitialisations/", form)  # the same administrator cannot confirm
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    client_for(dora).post("/comptes/reinitialisations/", form)

    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert Event.objects.get(kind=Kind.FACTOR_RESET).user == dora
    assert _dpo_alerts(Notification.Kind.FACTOR_REMOVED).count() == 1
    assert Notification.objects.filter(recipient=alice, kind=Notification.Kind.YOUR_FACTOR_RESET).exists()
    assert alice.account_invitations.filter(used_at__isnull=True).count() == 1


def test_a_password_set_in_the_admin_is_recorded_without_the_password(admin_client, adam, alice):
    from audit.models import Event, Kind

    admin_client.post(
        f"/admin/auth/user/{alice.pk}/password/",
        {
            "password1": "Un-autre-mot-de-passe-2026",
            "password2": "Un-autre-mot-de-passe-2026",
            "usable_password": "true",
        },
    )

    event = Event.objects.get(kind=Kind.ADMIN_ACT, user=adam)
    assert "Un-autre" not in event.detail and "pbkdf2" not in event.detail and "argon2" not in event.detail


def test_the_dpo_reads_accounts_and_rights(client_for, admin_client, dora, alice, azimuts):
    test_saving_a_user_with_a_membership_syncs_the_groups(admin_client, alice, azimuts)

    page = client_for(dora).get("/audit/comptes/").content.decode()

    assert "Rôle ou partenaire modifié" in page and "Acte d&#x27;administration" in page


def test_factor_resets_name_people_with_their_login(admin_client, adam, dora, alice, client_for):
    alice.first_name, alice.last_name = "Alice", "Aubert"
    alice.save()
    adam.first_name, adam.last_name = "Adam", "Durand"
    adam.save()
    admin_client.post("/admin/auth/user/", {"action": "request_factor_reset", "_selected_action": [alice.pk]})

    pending = client_for(dora).get("/comptes/reinitialisations/").content.decode()
    assert "Réinitialisation pour Alice Aubert (identifiant « alice »), demandée par Adam Durand" in pending

    client_for(dora).post("/comptes/reinitialisations/", {"reset": alice.factor_resets.get().pk, "confirm": "on"})
    done = client_for(dora).get("/comptes/reinitialisations/").content.decode()
    assert "Alice Aubert (« alice ») : demandée par Adam Durand, confirmée par" in done
