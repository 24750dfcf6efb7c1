"""The group side is told when a referral ends or is abandoned by someone else (a fixed sentence and a link)."""

import pytest

from casework.services import situation_update
from notifications.models import Notification
from referrals import services
from referrals.models import Outcome

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def test_the_proposer_and_the_referent_are_told_when_the_operator_ends_it(
    sent, situation, alice, bob, charlie, maya, mailoutbox, django_capture_on_commit_callbacks
):
    situation_update(
        situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"referent": bob}
    )
    assert not Notification.objects.filter(kind=Kind.REFERRAL_ENDED).exists()
    services.referral_accept(referral_id=sent.pk, by=maya)
    services.referral_start(referral_id=sent.pk, by=maya)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_end(referral_id=sent.pk, by=maya, outcome=Outcome.objects.get(code="objectifs-atteints"))
    told = Notification.objects.filter(kind=Kind.REFERRAL_ENDED)
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "bob"]
    mails = [m for m in mailoutbox if "pris fin" in m.subject]
    assert {m.to[0] for m in mails} == {alice.email, bob.email}
    for mail in mails:
        assert mail.subject == "Parcours : une orientation a pris fin ou a été abandonnée"
        for secret in ("Martinez", "Inès", situation.reference):
            assert secret not in mail.subject + mail.body


def test_whoever_abandons_it_is_not_told_of_their_own_act(sent, alice):
    services.referral_abandon(referral_id=sent.pk, by=alice)
    assert not Notification.objects.filter(kind=Kind.REFERRAL_ENDED).exists()
