"""Referral fixtures: the Mission locale (tests/conftest.py, maya works there) runs a scheme; alice's
club records the situation; charlie coordinates."""

import pytest
from auditlog.context import set_actor

from referrals import services
from tests.factories import make_scheme, make_situation


@pytest.fixture
def scheme(mission_locale):
    return make_scheme(mission_locale, "Contrat d'engagement jeune", min_age=12, max_age=25)


@pytest.fixture
def situation(alice):
    return make_situation(alice, last_name="Martinez", first_name="Inès")


@pytest.fixture
def propose(alice):
    def run(situation, scheme, by=alice, justification=""):
        with set_actor(by):
            return services.referral_propose(situation=situation, scheme=scheme, by=by, justification=justification)

    return run


@pytest.fixture
def sent(propose, alice, situation, scheme, maya):
    """A referral proposed and sent by alice to maya's partner."""
    referral = propose(situation, scheme)
    return services.referral_send(referral_id=referral.pk, by=alice)
