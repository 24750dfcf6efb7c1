import uuid

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from access.models import CharterAcceptance, Role
from audit.models import Event
from casework import services
from casework.models import Note
from tests.factories import make_partner, make_situation, make_user


@pytest.fixture
def situation(alice):
    return make_situation(alice, last_name="Martinez", first_name="Inès")


def detail_url(situation):
    return reverse("casework:situation_detail", args=[situation.pk])


def test_author_partner_sees_identity(client_for, alice, situation):
    response = client_for(alice).get(detail_url(situation))
    assert response.status_code == 200
    assert "MARTINEZ Inès" in response.content.decode()


def test_colleague_of_same_partner_sees_it(client_for, azimuts, situation):
    colleague = make_user("alice2", azimuts)
    assert client_for(colleague).get(detail_url(situation)).status_code == 200


def test_other_partner_gets_404(client_for, bob, situation):
    response = client_for(bob).get(detail_url(situation))
    assert response.status_code == 404
    assert "Martinez" not in response.content.decode()


def test_coordinator_sees_it(client_for, charlie, situation):
    assert client_for(charlie).get(detail_url(situation)).status_code == 200


@pytest.mark.parametrize("role_user", ["dora", "adam"])
def test_dpo_and_admin_see_no_content(client_for, role_user, situation, request):
    user = request.getfixturevalue(role_user)
    response = client_for(user).get(detail_url(situation))
    assert response.status_code in (403, 404)
    assert "Martinez" not in response.content.decode()


def test_superuser_flag_grants_nothing(client_for, bob, situation):
    bob.is_superuser = True
    bob.is_staff = True
    bob.save()
    assert client_for(bob).get(detail_url(situation)).status_code == 404


def test_unknown_id_gets_404(client_for, alice, situation):
    url = reverse("casework:situation_detail", args=[uuid.uuid4()])
    assert client_for(alice).get(url).status_code == 404


def test_user_without_charter_acceptance_sees_nothing(client_for, alice, situation):
    CharterAcceptance.objects.filter(user=alice).delete()
    response = client_for(alice).get(detail_url(situation))
    assert response.status_code in (302, 403, 404)
    assert "Martinez" not in response.content.decode()


def test_partner_without_signed_charter_sees_nothing(client_for, alice, azimuts, situation):
    azimuts.charter_signed_on = None
    azimuts.save()
    response = client_for(alice).get(detail_url(situation))
    assert response.status_code in (403, 404)
    assert "Martinez" not in response.content.decode()


def test_inactive_partner_sees_nothing(client_for, alice, azimuts, situation):
    azimuts.active = False
    azimuts.save()
    assert client_for(alice).get(detail_url(situation)).status_code in (403, 404)


def test_dpo_put_in_a_partner_group_still_sees_nothing(client_for, dora, alice, azimuts, situation):
    dora.groups.add(azimuts.group, Group.objects.get(name="GSN — coordination"))
    assert client_for(dora).get(detail_url(situation)).status_code in (403, 404)


def test_anonymous_visitor_is_sent_to_login(client, situation):
    response = client.get(detail_url(situation))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_it_records_a_read_of_the_situation_and_each_note_shown(client_for, alice, situation):
    services.note_create(situation=situation, by=alice, body="Entretien au collège", visibility="groupe")
    client_for(alice).get(detail_url(situation), REMOTE_ADDR="10.1.2.3")
    events = Event.objects.filter(screen="situation_detail", user=alice)
    assert {e.object_type for e in events} == {"casework.situation", "casework.note"}
    assert all(e.situation_reference == situation.reference and e.ip_address == "10.1.2.3" for e in events)


def test_partner_only_note_is_hidden_from_other_partners(client_for, alice, charlie, situation):
    services.note_create(situation=situation, by=alice, body="Note interne Azimuts", visibility="partenaire")
    services.note_create(situation=situation, by=alice, body="Note partagée au groupe", visibility="groupe")
    page = client_for(charlie).get(detail_url(situation)).content.decode()
    assert "Note partagée au groupe" in page
    assert "Note interne Azimuts" not in page


def test_partner_only_note_is_shown_to_own_partner(client_for, alice, situation):
    services.note_create(situation=situation, by=alice, body="Note interne Azimuts", visibility="partenaire")
    assert "Note interne Azimuts" in client_for(alice).get(detail_url(situation)).content.decode()


def test_history_shows_changed_fields_but_never_encrypted_values(client_for, alice, situation):
    services.situation_update(
        situation_id=situation.pk,
        by=alice,
        expected_version=1,
        changes={"status": "examinee"},
        identity=services.Identity(
            last_name="Martinez-Lopez", first_name="Inès", birth_date=situation.person.birth_date
        ),
    )
    page = client_for(alice).get(detail_url(situation)).content.decode()
    assert "Historique des modifications" in page
    assert "motif_details" not in page


def test_staff_of_other_partner_cannot_add_a_note(client_for, bob, situation):
    url = reverse("casework:note_create", args=[situation.pk])
    response = client_for(bob).post(url, {"body": "intrusion", "visibility": "groupe"})
    assert response.status_code == 404
    assert not Note.objects.filter(situation=situation).exists()


def test_staff_role_user_of_dpo_partner_without_membership_sees_nothing(client_for, situation, city):
    user = make_user("eve", city, Role.ADMIN)
    assert client_for(user).get(detail_url(situation)).status_code in (403, 404)


def test_referent_from_another_partner_gets_access(client_for, alice, bob, situation):
    services.situation_update(situation_id=situation.pk, by=alice, expected_version=1, changes={"referent": bob})
    assert client_for(bob).get(detail_url(situation)).status_code == 200


def test_replaced_referent_loses_access(client_for, alice, bob, situation, city):
    services.situation_update(situation_id=situation.pk, by=alice, expected_version=1, changes={"referent": bob})
    other = make_user("zoe", make_partner("Mission locale"))
    services.situation_update(situation_id=situation.pk, by=alice, expected_version=2, changes={"referent": other})
    assert client_for(bob).get(detail_url(situation)).status_code == 404
    assert client_for(other).get(detail_url(situation)).status_code == 200
