"""Fictional demonstration data, loaded by `manage.py load_demo` (the embedded `make run`).

Each app loads its own part through its real services (casework: partners, accounts, situations;
strategy: the Lomme 2019–2021 strategy; referrals: schemes and orientations; séances); this module
orders them, in one transaction. A second call changes nothing.
"""

import datetime
import random

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from access.models import CharterVersion
from casework import demo as casework_demo
from casework.models import Situation
from core.keyring import data_key_cache
from referrals.demo import referrals_demo_load
from seances.demo import seances_demo_load
from strategy.demo import situation_actions_demo_load, steering_demo_load, strategy_demo_load


def demo_load(*, today: datetime.date | None = None) -> casework_demo.DemoResult:
    """Create what is missing of the demonstration data; a second call changes nothing."""
    today = today or timezone.localdate()
    charter = CharterVersion.current()
    if charter is None:
        raise casework_demo.DemoDataError("Aucune charte publiée : lancez d'abord `manage.py migrate`.")
    result = casework_demo.DemoResult()
    # Demo accounts have undeliverable addresses: their notifications stay in the app, not in the terminal.
    with override_settings(EMAIL_BACKEND=casework_demo.DUMMY_EMAIL_BACKEND), transaction.atomic(), data_key_cache():
        partners = casework_demo.partners_load(result)
        users = casework_demo.users_load(partners, charter, result)
        strategy = strategy_demo_load(partners=partners)
        if not Situation.objects.filter(created_by__in=users.values()).exists():
            casework_demo.situations_load(random.Random(casework_demo.SEED), today, users, result)
        result.schemes_created, result.referrals_created = referrals_demo_load(
            rng=random.Random(casework_demo.SEED), today=today, partners=partners, users=users
        )
        casework_demo.break_glass_load(users)
        casework_demo.lifecycle_load(today, users)
        seances_demo_load(today=today, users=users)
        situation_actions_demo_load(
            strategy=strategy,
            coordinator=users["coordination"],
            demo_situations=Situation.objects.filter(created_by__in=users.values()),
        )
        steering_demo_load(strategy=strategy, coordinator=users["coordination"], today=today, seed=casework_demo.SEED)
    return result
