"""A known dataset for the evaluation tests, built through the services, with its raw rows at hand."""

import datetime
import random

from django.utils import timezone

from casework import services
from casework.models import ClosureReason, Gender, Motif, Situation, Source, Territory, YouthOutcome
from referrals import services as referral_services
from referrals.models import DeclineReason, Outcome, Referral
from strategy.services import situation_action_confirm
from tests.factories import identity, make_action, make_scheme

STATUS = Situation.Status
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 10, 31))


def build(alice, charlie, mission_locale, *, seed=7, situations=36):
    """Situations of varied ages, genders, sources, quartiers and statuses received in and around PERIOD,
    linked to fiches-actions 2.1, 2.2 and 3.1; referrals to two schemes with varied outcomes."""
    rng = random.Random(seed)
    gsn = make_action(alice.membership.partner, "2.1", motifs=("absenteisme-scolaire",))
    youth = make_action(mission_locale, "2.2", motifs=("neet",))
    justice = make_action(alice.membership.partner, "3.1")
    actions = [gsn, youth, justice]
    schemes = [
        make_scheme(mission_locale, "Contrat d'engagement jeune", action=youth),
        make_scheme(mission_locale, "Garantie jeunes adultes", action=gsn),
    ]
    sources = list(Source.objects.all()[:4])
    reasons = list(ClosureReason.objects.all()[:3])
    # Its own generator, so that adding quartiers left every other draw as it was.
    places = random.Random(seed + 1)
    territories = [*Territory.objects.values_list("pk", flat=True)[:3], None]
    for index in range(situations):
        received = datetime.date(2025, 11, 1) + datetime.timedelta(days=rng.randint(0, 360))
        anonymous = index % 9 == 0
        situation = services.situation_create(
            by=alice,
            source=rng.choice(sources),
            received_on=received,
            motifs=Motif.objects.filter(
                code__in=rng.choice((["absenteisme-scolaire"], ["neet"], ["neet", "incivilites"]))
            ),
            identity=None
            if anonymous
            else identity(
                last_name=f"Fictif{index}",
                birth_date=datetime.date(rng.randint(2003, 2015), rng.randint(1, 12), 1),
                gender=rng.choice([g.value for g in Gender]),
                territory_id=places.choice(territories),
            ),
        )
        for action in rng.sample(actions, rng.randint(0, 2)):
            situation_action_confirm(situation=situation, action=action, by=charlie)
        status = rng.choice(list(STATUS))
        if status in (STATUS.ACTIVE, STATUS.CLOSED) and not anonymous:
            _refer(rng, situation, rng.choice(schemes), alice, mission_locale)
        changes = {"status": status}
        if status == STATUS.CLOSED:
            closed_on = min(received + datetime.timedelta(days=rng.randint(10, 400)), timezone.localdate())
            changes |= {"closure_reason": rng.choice(reasons), "closed_on": closed_on, "status_since": closed_on}
            # One in five closed before the outcome was asked: « Non renseignée ».
            changes["youth_outcome"] = places.choice([*YouthOutcome.values[:4], ""])
        Situation.objects.filter(pk=situation.pk).update(**changes)
    return actions, schemes


def _refer(rng, situation, scheme, alice, mission_locale):
    from django.contrib.auth import get_user_model

    operator = get_user_model().objects.get(membership__partner=mission_locale)
    referral = referral_services.referral_propose(situation=situation, scheme=scheme, by=alice, justification="test")
    referral_services.referral_send(referral_id=referral.pk, by=alice)
    fate = rng.choice(("accept", "decline", "end", "wait"))
    if fate in ("accept", "end"):
        referral_services.referral_accept(referral_id=referral.pk, by=operator)
    if fate == "end":
        referral_services.referral_start(referral_id=referral.pk, by=operator)
        referral_services.referral_end(referral_id=referral.pk, by=operator, outcome=rng.choice(Outcome.objects.all()))
    if fate == "decline":
        referral_services.referral_decline(referral_id=referral.pk, by=operator, reason=DeclineReason.objects.first())
    sent = timezone.make_aware(datetime.datetime.combine(situation.received_on, datetime.time(10)))
    answered = sent + datetime.timedelta(days=rng.randint(0, 20)) if fate != "wait" else None
    Referral.objects.filter(pk=referral.pk).update(sent_at=sent, answered_at=answered)
