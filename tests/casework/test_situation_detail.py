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


def history_url(situation):
    return reverse("casework:situation_history", args=[situation.pk])


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
    panel = client_for(alice).get(history_url(situation), headers={"HX-Request": "true"}).content.decode()
    assert "modification (" in panel and "création" in panel
    assert "motif_details" not in panel and "Martinez-Lopez" not in panel and "<html" not in panel


def test_the_detail_page_offers_the_history_without_loading_it(client_for, alice, situation):
    page = client_for(alice).get(detail_url(situation)).content.decode()
    assert "Historique des modifications" in page
    assert f'href="{history_url(situation)}"' in page and f'hx-get="{history_url(situation)}"' in page
    assert "Aucune modification enregistrée." not in page and "création" not in page


def test_without_javascript_the_history_is_a_page_of_its_own(client_for, alice, situation):
    page = client_for(alice).get(history_url(situation)).content.decode()
    assert "<html" in page and "création" in page
    assert f'href="{detail_url(situation)}"' in page


def test_loading_the_history_records_a_read_of_the_situation(client_for, alice, situation):
    client_for(alice).get(history_url(situation), headers={"HX-Request": "true"})
    event = Event.objects.get(user=alice, screen="situation_history")
    assert (event.object_id, event.situation_reference) == (str(situation.pk), situation.reference)


def test_the_history_of_a_situation_another_partner_holds_is_404(client_for, bob, situation):
    response = client_for(bob).get(history_url(situation), headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert not Event.objects.filter(user=bob, screen="situation_history").exists()


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


def _detail_queries(client, situation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(situation))
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def test_detail_query_count_does_not_grow_with_notes_informations_and_signalements(client_for, alice, situation):
    """One note, then twelve notes, three informations and two signalements: the same queries."""
    import datetime

    client = client_for(alice)
    services.note_create(situation=situation, by=alice, body="Première note", visibility="groupe")
    services.signalement_record(
        situation_id=situation.pk, by=alice, sent_on=datetime.date.today(), recipient="crip", mode="formulaire"
    )
    client.get(detail_url(situation))
    few = _detail_queries(client, situation)
    for n in range(11):
        services.note_create(situation=situation, by=alice, body=f"Note {n}", visibility="groupe")
    for _ in range(3):
        services.information_record(
            situation=situation,
            by=alice,
            recipient="jeune",
            informed_on=datetime.date.today(),
            mode="entretien",
            response="accord",
        )
    services.signalement_record(
        situation_id=situation.pk, by=alice, sent_on=datetime.date.today(), recipient="crip", mode="formulaire"
    )
    many = _detail_queries(client, situation)
    assert len(many) == len(few), "\n".join(many)


def test_a_situation_without_signalement_or_justification_skips_their_queries(client_for, alice, situation):
    client = client_for(alice)
    client.get(detail_url(situation))
    queries = _detail_queries(client, situation)
    assert not [sql for sql in queries if "casework_signalement" in sql.split(" WHERE ")[0]]
    assert not [sql for sql in queries if "casework_consentjustification" in sql.split(" WHERE ")[0]]


def test_the_motifs_are_listed_in_the_coded_order_without_building_them(client_for, alice):
    """The page reads the motifs' labels alone (one query, as the prefetch it replaces): no motif is
    built as a model instance."""
    import collections

    from django.db.models.signals import pre_init

    situation = make_situation(alice, motifs=("fugue-errance", "absenteisme-scolaire"))
    client = client_for(alice)
    client.get(detail_url(situation))
    built = collections.Counter()

    def count(sender, **kwargs):
        built[sender.__name__] += 1

    pre_init.connect(count)
    try:
        page = client.get(detail_url(situation)).content.decode()
    finally:
        pre_init.disconnect(count)
    assert "Absentéisme scolaire<br>Fugue / errance</dd>" in page
    assert built["Motif"] == 0
