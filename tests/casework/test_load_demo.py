from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction

from access.models import CharterAcceptance, DataKey, Membership, Partner
from audit.models import ChangeEntry
from casework.demo import DEMO_PASSWORD
from casework.models import Note, Person, Situation
from casework.selectors import situations_for

pytestmark = pytest.mark.django_db


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    User = get_user_model()
    return {
        "partners": Partner.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "group_links": User.groups.through.objects.count(),
        "acceptances": CharterAcceptance.objects.count(),
        "people": Person.objects.count(),
        "situations": Situation.objects.count(),
        "notes": Note.objects.count(),
        "data_keys": DataKey.objects.count(),
        "audit_entries": ChangeEntry.objects.count(),
    }


def user(username):
    # A fresh instance each time: may_read_cases caches its answer on the user object.
    return get_user_model().objects.get(username=username)


def test_running_it_twice_changes_nothing(settings):
    settings.DEMO_MODE = True
    load_demo()
    first = counts()
    output = load_demo()
    assert counts() == first
    assert "rien n'a changé" in output


def test_it_is_refused_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="PARCOURS_DEMO"):
        load_demo()
    assert not Partner.objects.exists()
    assert not Situation.objects.exists()


def test_force_loads_without_demo_mode(settings):
    settings.DEMO_MODE = False
    load_demo("--force")
    assert Situation.objects.exists()


def test_demo_password_passes_the_password_policy():
    validate_password(DEMO_PASSWORD)


def test_demo_accounts_sign_in_with_the_shared_password(settings):
    settings.DEMO_MODE = True
    load_demo()
    assert user("azimuts1").check_password(DEMO_PASSWORD)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """One load shared by the read-only tests of a class, rolled back afterwards: loading takes seconds."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo("--force")
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestLoadedDemo:
    def test_it_loads_about_forty_situations_in_every_status(self):
        assert 35 <= Situation.objects.count() <= 45
        assert set(Situation.objects.values_list("status", flat=True)) == set(Situation.Status.values)

    def test_some_situations_are_anonymous_and_recorded_by_the_club(self):
        anonymous = Situation.objects.filter(person=None)
        assert 3 <= anonymous.count() <= 4
        authors = set(anonymous.values_list("referring_partner__name", flat=True))
        assert authors == {"Club de prévention Azimuts"}

    def test_staff_of_the_partner_without_signed_charter_see_no_situation(self):
        landlord = Partner.objects.get(charter_signed_on=None)
        staff = get_user_model().objects.filter(membership__partner=landlord)
        assert staff.count() == 2
        for person in staff:
            assert not situations_for(person).exists()

    def test_user_without_charter_acceptance_sees_no_situation(self):
        assert not situations_for(user("imagine2")).exists()
        assert situations_for(user("imagine1")).exists()

    def test_each_partner_sees_its_own_subset_and_the_coordinator_all(self):
        total = Situation.objects.count()
        assert situations_for(user("coordination")).count() == total
        rabelais = set(situations_for(user("rabelais2")).values_list("pk", flat=True))
        azimuts = set(situations_for(user("azimuts2")).values_list("pk", flat=True))
        assert rabelais and azimuts and rabelais != azimuts
        assert len(rabelais) < total and len(azimuts) < total

    def test_dpo_and_admin_see_no_situation(self):
        assert not situations_for(user("dpo")).exists()
        assert not situations_for(user("admin")).exists()

    def test_every_demo_person_is_fictional(self):
        assert Person.objects.exists()
        assert not Person.objects.filter(is_fictional=False).exists()

    def test_closed_situations_carry_a_closure_reason_and_date(self):
        closed = Situation.objects.filter(status=Situation.Status.CLOSED)
        assert closed.exists()
        assert not closed.filter(closure_reason=None).exists()
        assert not closed.filter(closed_on=None).exists()

    def test_every_situation_has_one_to_four_notes(self):
        for situation in Situation.objects.all():
            assert 1 <= situation.notes.count() <= 4

    def test_admin_account_is_a_superuser(self):
        admin = user("admin")
        assert admin.is_superuser and admin.is_staff

    def test_output_lists_accounts_but_no_young_person(self, demo):
        assert "http://127.0.0.1:8000" in demo
        assert DEMO_PASSWORD in demo
        assert "azimuts1" in demo and "coordination" in demo
        for person in Person.objects.all():
            assert person.last_name not in demo


def test_the_shared_load_was_rolled_back():
    assert not Situation.objects.exists()
    assert not Partner.objects.exists()
