import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import ChangeEntry, Event
from referrals import services
from referrals.models import Referral, Scheme
from tests.factories import make_action, make_scheme, make_situation

State = Referral.State


def situation_referrals(situation):
    return reverse("referrals:situation_referrals", args=[situation.pk])


def detail(referral):
    return reverse("referrals:referral_detail", args=[referral.pk])


def action(referral, verb):
    return reverse("referrals:referral_action", args=[referral.pk, verb])


# --- the situation's "Orientations" tab -------------------------------------------------------------


def test_it_ranks_the_schemes_with_their_reasons(client_for, alice, situation, scheme, mission_locale):
    make_scheme(mission_locale, "Garantie jeunes adultes", min_age=18, max_age=25)
    page = client_for(alice).get(situation_referrals(situation)).content.decode()
    assert page.index("Contrat d&#x27;engagement jeune") < page.index("Garantie jeunes adultes")
    assert "dans la tranche de 12 à 25 ans" in page
    assert "hors de la tranche de 18 à 25 ans" in page


def test_the_group_side_proposes_a_referral(client_for, alice, situation, scheme):
    response = client_for(alice).post(situation_referrals(situation), {"scheme": scheme.pk, "justification": ""})
    referral = Referral.objects.get()
    assert response["Location"] == detail(referral)
    assert referral.state == State.PROPOSED and referral.proposed_by == alice


def test_an_excluded_scheme_without_justification_shows_the_error_on_the_field(
    client_for, alice, situation, mission_locale
):
    adults = make_scheme(mission_locale, "Garantie jeunes adultes", min_age=18, max_age=25)
    response = client_for(alice).post(situation_referrals(situation), {"scheme": adults.pk})
    assert response.status_code == 400
    assert "justifiez ce choix" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_forged_inactive_scheme_id_is_refused(client_for, alice, situation, scheme):
    scheme.active = False
    scheme.save()
    response = client_for(alice).post(situation_referrals(situation), {"scheme": scheme.pk})
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_another_partner_cannot_propose_on_a_situation_it_does_not_follow(client_for, bob, situation, scheme):
    assert client_for(bob).post(situation_referrals(situation), {"scheme": scheme.pk}).status_code == 404
    assert client_for(bob).get(situation_referrals(situation)).status_code == 404
    assert not Referral.objects.exists()


def test_a_reader_without_change_right_cannot_propose(client_for, sent, situation, scheme, maya, mission_locale):
    other = make_scheme(mission_locale, "Parrainage")
    assert client_for(maya).post(situation_referrals(situation), {"scheme": other.pk}).status_code == 404


def test_the_tab_records_reads_with_the_referral_purpose(client_for, alice, sent, situation):
    client_for(alice).get(situation_referrals(situation))
    events = Event.objects.filter(screen="situation_referrals", user=alice)
    assert {(e.object_type, e.purpose) for e in events} == {
        ("casework.situation", "orientation"),
        ("referrals.referral", "orientation"),
    }


def test_an_anonymous_situation_says_age_and_quartier_are_unknown(client_for, alice, scheme):
    situation = make_situation(alice, anonymous=True)
    page = client_for(alice).get(situation_referrals(situation)).content.decode()
    assert "Situation anonyme : âge inconnu" in page


# --- one referral --------------------------------------------------------------------------------------


def test_another_partners_referral_id_gets_404(client_for, sent, bob):
    client = client_for(bob)
    assert client.get(detail(sent)).status_code == 404
    for verb in ("accepter", "refuser", "abandonner", "envoyer"):
        assert client.post(action(sent, verb), {"confirm": "1"}).status_code == 404
    assert Referral.objects.get().state == State.SENT


def test_an_unknown_referral_id_gets_404(client_for, alice):
    assert client_for(alice).get(reverse("referrals:referral_detail", args=[uuid.uuid4()])).status_code == 404


def test_an_unknown_action_gets_404(client_for, alice, sent):
    assert client_for(alice).post(action(sent, "supprimer")).status_code == 404


def test_operator_accepts_through_the_view_and_the_change_names_the_actor(client_for, sent, maya):
    response = client_for(maya).post(action(sent, "accepter"))
    assert response["Location"] == detail(sent)
    sent.refresh_from_db()
    assert sent.state == State.ACCEPTED
    latest = ChangeEntry.objects.get_for_object(sent).latest("timestamp")
    assert latest.changes_dict["state"] == ["envoyee", "acceptee"]
    assert latest.actor == maya


def test_an_illegal_transition_shows_its_message(client_for, sent, maya):
    client = client_for(maya)
    response = client.post(action(sent, "commencer"), follow=True)
    assert "Cette orientation est envoyée : elle ne peut pas être commencée." in response.content.decode()


def test_decline_asks_for_confirmation_first(client_for, sent, maya):
    client = client_for(maya)
    page = client.get(action(sent, "refuser"))
    assert page.status_code == 200
    assert "Confirmer le refus" in page.content.decode()
    assert Referral.objects.get().state == State.SENT


def test_decline_without_a_reason_is_refused(client_for, sent, maya):
    response = client_for(maya).post(action(sent, "refuser"), {"confirm": "1", "reason": ""})
    assert response.status_code == 400
    assert "Choisissez le motif du refus." in response.content.decode()
    assert Referral.objects.get().state == State.SENT


def test_decline_with_a_forged_reason_id_is_refused(client_for, sent, maya):
    response = client_for(maya).post(action(sent, "refuser"), {"confirm": "1", "reason": "99999"})
    assert response.status_code == 400
    assert Referral.objects.get().state == State.SENT


def test_abandon_without_confirmation_changes_nothing(client_for, sent, alice):
    response = client_for(alice).post(action(sent, "abandonner"))
    assert response.status_code == 200
    assert "Confirmer l'abandon" in response.content.decode()
    assert Referral.objects.get().state == State.SENT


def test_abandon_with_confirmation(client_for, sent, alice):
    client_for(alice).post(action(sent, "abandonner"), {"confirm": "1"})
    assert Referral.objects.get().state == State.ABANDONED


def test_the_detail_shows_the_justification_and_records_the_read(client_for, propose, alice, situation, mission_locale):
    adults = make_scheme(mission_locale, "Garantie jeunes adultes", min_age=18, max_age=25)
    referral = propose(situation, adults, justification="Aura 18 ans avant l'entrée en formation")
    page = client_for(alice).get(detail(referral)).content.decode()
    assert "Aura 18 ans avant l" in page
    assert Event.objects.filter(screen="referral_detail", object_id=str(referral.pk), purpose="orientation").exists()


def test_the_operator_does_not_see_drafts(client_for, propose, situation, scheme, maya):
    referral = propose(situation, scheme)
    assert client_for(maya).get(detail(referral)).status_code == 404


# --- "Mes orientations" and the overdue list ------------------------------------------------------------


def test_my_referrals_lists_what_awaits_my_partner(client_for, sent, maya):
    page = client_for(maya).get(reverse("referrals:my_referrals")).content.decode()
    assert sent.situation.reference in page
    assert "MARTINEZ Inès" in page
    assert "Répondre" in page
    assert Event.objects.filter(screen="my_referrals", user=maya, purpose="orientation").count() == 1


def test_my_referrals_shows_an_empty_state(client_for, alice):
    assert (
        "Aucune orientation n'attend votre partenaire."
        in client_for(alice).get(reverse("referrals:my_referrals")).content.decode()
    )


def test_the_overdue_list_is_for_the_coordinator(client_for, sent, alice, charlie):
    Referral.objects.filter(pk=sent.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=4))
    assert client_for(alice).get(reverse("referrals:overdue")).status_code == 403
    page = client_for(charlie).get(reverse("referrals:overdue")).content.decode()
    assert sent.situation.reference in page
    assert "4 jours" in page
    assert Event.objects.filter(screen="overdue_referrals", user=charlie).count() == 1


def test_the_overdue_list_leaves_out_referrals_within_their_deadline(client_for, sent, charlie):
    assert "Aucune orientation en retard." in client_for(charlie).get(reverse("referrals:overdue")).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _send_many(alice, schemes, count):
    for i in range(count):
        situation = make_situation(alice, last_name=f"Nom{i}")
        for scheme in schemes:
            referral = services.referral_propose(situation=situation, scheme=scheme, by=alice)
            services.referral_send(referral_id=referral.pk, by=alice)
            Referral.objects.filter(pk=referral.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))


# Staff pay one more query than the coordination: whether their partner pilots a fiche-action (the
# navigation bar's « Évaluation » menu); the coordination always has it.
@pytest.mark.parametrize(("user", "url_name", "expected"), [("maya", "my_referrals", 11), ("charlie", "overdue", 10)])
def test_list_query_count_does_not_grow_with_rows(
    client_for, alice, scheme, request, user, url_name, expected, settings
):
    settings.PARCOURS_PAGE_SIZE = 25
    client = client_for(request.getfixturevalue(user))
    # The session is written at most once a minute: the first request writes it, the next ones do not.
    _queries(client, reverse(f"referrals:{url_name}"))
    _send_many(alice, [scheme], 3)
    with_3 = _queries(client, reverse(f"referrals:{url_name}"))
    _send_many(alice, [scheme], 30)
    # Snapshot: session, user, OTP device, charter acceptance, membership, page (referrals with
    # situation, person, key and scheme in one join, no COUNT), one INSERT for the access events, unread
    # notifications… Raise it only for a reason a reviewer accepts.
    assert _queries(client, reverse(f"referrals:{url_name}")) == with_3 == expected


def test_the_situation_tab_query_count_does_not_grow_with_referrals(client_for, alice, situation, mission_locale):
    client = client_for(alice)
    # The session is written at most once a minute: the first request writes it, the next ones do not.
    _queries(client, situation_referrals(situation))
    schemes = [make_scheme(mission_locale, f"Dispositif {i}", motifs=("neet",)) for i in range(12)]
    for scheme in schemes[:2]:
        services.referral_propose(situation=situation, scheme=scheme, by=alice)
    with_2 = _queries(client, situation_referrals(situation))
    for scheme in schemes[2:]:
        services.referral_propose(situation=situation, scheme=scheme, by=alice)
    assert _queries(client, situation_referrals(situation)) == with_2


# --- the catalogue ----------------------------------------------------------------------------------------


SCHEME_FORM = {
    "name": "Point Accueil Écoute Jeunes",
    "description": "Écoute anonyme des 12–25 ans et de leurs parents",
    "min_age": "12",
    "max_age": "25",
    "response_deadline_days": "10",
    "contact_role": "intervenant",
}


def test_staff_read_the_catalogue_without_managing_it(client_for, alice, scheme):
    page = client_for(alice).get(reverse("referrals:scheme_list")).content.decode()
    assert "Contrat d&#x27;engagement jeune" in page
    assert "Nouveau dispositif" not in page
    assert client_for(alice).get(reverse("referrals:scheme_create")).status_code == 403
    assert client_for(alice).post(reverse("referrals:scheme_deactivate", args=[scheme.pk])).status_code == 403


@pytest.mark.parametrize("role_user", ["dora", "adam"])
def test_dpo_and_admin_do_not_manage_the_catalogue_here(client_for, scheme, role_user, request):
    assert client_for(request.getfixturevalue(role_user)).get(reverse("referrals:scheme_create")).status_code == 403


def test_the_coordinator_creates_a_scheme(client_for, charlie, mission_locale):
    action = make_action(mission_locale, "2.3")
    form = {**SCHEME_FORM, "operator": mission_locale.pk, "action": action.pk}
    response = client_for(charlie).post(reverse("referrals:scheme_create"), form)
    assert response["Location"] == reverse("referrals:scheme_list")
    scheme = Scheme.objects.get()
    assert (scheme.min_age, scheme.max_age, scheme.operator, scheme.action) == (12, 25, mission_locale, action)


def test_an_inactive_fiche_action_is_not_offered_to_a_new_scheme(client_for, charlie, mission_locale):
    action = make_action(mission_locale, "2.3", active=False)
    form = {**SCHEME_FORM, "operator": mission_locale.pk, "action": action.pk}
    response = client_for(charlie).post(reverse("referrals:scheme_create"), form)
    assert response.status_code == 200
    assert not Scheme.objects.exists()


def test_an_inverted_age_range_is_refused(client_for, charlie, mission_locale):
    form = {**SCHEME_FORM, "operator": mission_locale.pk, "min_age": "20", "max_age": "12"}
    response = client_for(charlie).post(reverse("referrals:scheme_create"), form)
    assert "L&#x27;âge maximum doit être supérieur" in response.content.decode()
    assert not Scheme.objects.exists()


def test_the_coordinator_edits_a_scheme(client_for, charlie, scheme):
    form = {**SCHEME_FORM, "name": "CEJ", "operator": scheme.operator_id}
    client_for(charlie).post(reverse("referrals:scheme_edit", args=[scheme.pk]), form)
    scheme.refresh_from_db()
    assert scheme.name == "CEJ" and scheme.response_deadline_days == 10


def test_deactivation_is_confirmed_then_hides_the_scheme_from_routing(client_for, charlie, alice, scheme, situation):
    client = client_for(charlie)
    assert (
        "ne sera plus proposé" in client.get(reverse("referrals:scheme_deactivate", args=[scheme.pk])).content.decode()
    )
    assert Scheme.objects.get().active
    client.post(reverse("referrals:scheme_deactivate", args=[scheme.pk]))
    assert not Scheme.objects.get().active
    assert (
        "Contrat d&#x27;engagement jeune" not in client_for(alice).get(situation_referrals(situation)).content.decode()
    )
    client.post(reverse("referrals:scheme_reactivate", args=[scheme.pk]))
    assert Scheme.objects.get().active
