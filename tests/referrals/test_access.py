"""The operator partner reads the situation while the referral needs it, and only then (invariant 4)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from access.models import Reason
from audit.models import Event, Kind, Purpose
from casework import services as casework_services
from referrals import services
from referrals.models import DeclineReason, Outcome
from tests.factories import make_scheme, make_user


def days_later(days: float):
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=False)


def detail(situation):
    return reverse("casework:situation_detail", args=[situation.pk])


def action(referral, verb):
    return reverse("referrals:referral_action", args=[referral.pk, verb])


def decline_through_the_view(client, referral):
    reason = DeclineReason.objects.get(code="pas-de-place")
    return client.post(action(referral, "refuser"), {"confirm": "1", "reason": reason.pk})


def test_operator_gets_404_before_the_referral_is_sent(client_for, propose, situation, scheme, maya):
    propose(situation, scheme)
    assert client_for(maya).get(detail(situation)).status_code == 404


def test_operator_sees_the_situation_once_sent(client_for, sent, situation, maya):
    page = client_for(maya).get(detail(situation))
    assert page.status_code == 200
    assert "MARTINEZ Inès" in page.content.decode()


def test_operator_gets_404_after_decline(client_for, sent, situation, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 0
    client = client_for(maya)
    assert client.get(detail(situation)).status_code == 200
    decline_through_the_view(client, sent)
    assert client.get(detail(situation)).status_code == 404
    assert client.get(reverse("referrals:referral_detail", args=[sent.pk])).status_code == 404


def test_operator_keeps_access_during_the_grace_period_then_gets_404(client_for, sent, situation, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 7
    client = client_for(maya)
    decline_through_the_view(client, sent)
    # No task runs: the grant's end is checked by the read itself (a fresh session each time).
    with days_later(7 - 1 / 86400):
        assert client_for(maya).get(detail(situation)).status_code == 200
    with days_later(7 + 1 / 86400):
        assert client_for(maya).get(detail(situation)).status_code == 404
    read = Event.objects.filter(kind=Kind.READ, user=maya, screen="situation_detail").latest("id")
    assert (read.purpose, read.grant_reason) == (Purpose.REFERRAL, Reason.SCHEME_OPERATOR)


def test_operator_gets_404_after_ending(client_for, sent, situation, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 0
    client = client_for(maya)
    client.post(action(sent, "accepter"))
    client.post(action(sent, "commencer"))
    outcome = Outcome.objects.get(code="relais-droit-commun")
    client.post(action(sent, "terminer"), {"confirm": "1", "outcome": outcome.pk})
    assert client.get(detail(situation)).status_code == 404


def test_abandoning_a_sent_referral_revokes_access(client_for, sent, situation, alice, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 0
    client_for(alice).post(action(sent, "abandonner"), {"confirm": "1"})
    assert client_for(maya).get(detail(situation)).status_code == 404


def test_revocation_spares_the_partner_that_recorded_the_situation(
    client_for, propose, situation, alice, azimuts, settings
):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 0
    own_scheme = make_scheme(azimuts, "Chantiers éducatifs")
    referral = propose(situation, own_scheme)
    services.referral_send(referral_id=referral.pk, by=alice)
    colleague = make_user("alice2", azimuts)
    decline_through_the_view(client_for(colleague), referral)
    assert client_for(alice).get(detail(situation)).status_code == 200
    assert client_for(alice).get(reverse("casework:situation_edit", args=[situation.pk])).status_code == 200


def test_revocation_spares_access_held_by_another_open_referral(
    client_for, sent, propose, situation, alice, maya, mission_locale, settings
):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 0
    other = propose(situation, make_scheme(mission_locale, "Parrainage vers l'emploi"))
    services.referral_send(referral_id=other.pk, by=alice)
    client = client_for(maya)
    decline_through_the_view(client, sent)
    assert client.get(detail(situation)).status_code == 200
    decline_through_the_view(client, other)
    assert client.get(detail(situation)).status_code == 404


def test_revocation_waits_for_the_other_referrals_grace_period(
    client_for, sent, propose, situation, alice, maya, mission_locale, settings
):
    other = propose(situation, make_scheme(mission_locale, "Parrainage vers l'emploi"))
    services.referral_send(referral_id=other.pk, by=alice)
    client = client_for(maya)
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 7
    decline_through_the_view(client, sent)
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 14
    decline_through_the_view(client, other)
    with days_later(8):
        assert client_for(maya).get(detail(situation)).status_code == 200
    with days_later(15):
        assert client_for(maya).get(detail(situation)).status_code == 404


def test_the_referent_keeps_access_when_their_partner_loses_it(
    client_for, sent, situation, alice, maya, mission_locale, settings
):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 0
    referent = make_user("remi", mission_locale)
    casework_services.situation_update(
        situation_id=situation.pk, by=alice, expected_version=situation.version, changes={"referent": referent}
    )
    decline_through_the_view(client_for(maya), sent)
    assert client_for(maya).get(detail(situation)).status_code == 404
    assert client_for(referent).get(detail(situation)).status_code == 200


def test_operator_reads_but_cannot_edit_the_situation(client_for, sent, situation, maya):
    client = client_for(maya)
    assert client.get(reverse("casework:situation_edit", args=[situation.pk])).status_code == 404
    response = client.post(reverse("casework:note_create", args=[situation.pk]), {"body": "x", "visibility": "groupe"})
    assert response.status_code == 404


def test_operator_does_not_see_another_partners_private_notes(client_for, sent, situation, alice, maya):
    casework_services.note_create(situation=situation, by=alice, body="Note interne Azimuts", visibility="partenaire")
    casework_services.note_create(situation=situation, by=alice, body="Note partagée au groupe", visibility="groupe")
    page = client_for(maya).get(detail(situation)).content.decode()
    assert "Note partagée au groupe" in page
    assert "Note interne Azimuts" not in page


def test_operator_sees_only_its_own_referrals_of_the_situation(client_for, sent, propose, situation, bob, rabelais):
    propose(situation, make_scheme(rabelais, "Cellule de veille du collège"))
    page = client_for(sent.scheme.operator.memberships.get().user).get(
        reverse("referrals:situation_referrals", args=[situation.pk])
    )
    content = page.content.decode()
    assert "Contrat d&#x27;engagement jeune" in content
    assert "Cellule de veille du collège" not in content


def test_operator_writes_a_closing_note_during_the_grace_period(client_for, sent, situation, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 7
    client = client_for(maya)
    decline_through_the_view(client, sent)
    client.post(
        reverse("referrals:referral_note", args=[sent.pk]), {"body": "Orienté vers le PAEJ", "visibility": "groupe"}
    )
    assert situation.notes.filter(partner=maya.membership.partner).count() == 1


@pytest.mark.parametrize("grace", [0, 7])
def test_no_closing_note_once_access_is_revoked(client_for, sent, situation, maya, settings, grace):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = grace
    client = client_for(maya)
    decline_through_the_view(client, sent)
    with days_later(8):
        response = client_for(maya).post(
            reverse("referrals:referral_note", args=[sent.pk]), {"body": "x", "visibility": "groupe"}
        )
    assert response.status_code == 404
    assert not situation.notes.exists()
