"""Fixture people, as in Healthchecks: alice and bob work for two different partners, charlie
coordinates the group, dora is the DPO, adam the technical admin."""

import pytest
from django.test import Client

from access.models import Partner, Role
from core.keyring import get_keyring
from tests.factories import make_partner, make_user, verified_login


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Production settings hash static files at collectstatic time; tests serve them unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Argon2 is slow on purpose; tests that check hashing ask for it explicitly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _audit_tables_flushable():
    """Between transactional tests the runner empties every table, audit tables included, which the
    append-only triggers refuse: suspend them for that flush only."""
    from django.test.testcases import TransactionTestCase

    from tests.audit_triggers import triggers_suspended

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with triggers_suspended():
            original(self)

    TransactionTestCase._fixture_teardown = teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture
def master_keys(settings):
    """Load other master keys for one test; get_keyring() is cached, so clear it on both sides."""

    def use(value: str) -> None:
        settings.PARCOURS_MASTER_KEYS = value
        get_keyring.cache_clear()

    yield use
    get_keyring.cache_clear()


@pytest.fixture
def azimuts(db):
    return make_partner("Club de prévention Azimuts", Partner.Kind.YOUTH_WORK)


@pytest.fixture
def rabelais(db):
    return make_partner("Collège Rabelais", Partner.Kind.SCHOOL)


@pytest.fixture
def city(db):
    return make_partner("Ville de Lomme", Partner.Kind.CITY)


@pytest.fixture
def alice(azimuts):
    return make_user("alice", azimuts)


@pytest.fixture
def bob(rabelais):
    return make_user("bob", rabelais)


@pytest.fixture
def charlie(city):
    return make_user("charlie", city, Role.COORDINATOR)


@pytest.fixture
def dora(city):
    return make_user("dora", city, Role.DPO)


@pytest.fixture
def adam(city):
    user = make_user("adam", city, Role.ADMIN)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def _client_for(user):
    return verified_login(Client(), user)


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def mission_locale(db):
    return make_partner("Mission locale", Partner.Kind.MISSION_LOCALE)


@pytest.fixture
def maya(mission_locale):
    """Works for the Mission locale, which runs schemes the group refers young people to."""
    return make_user("maya", mission_locale)
