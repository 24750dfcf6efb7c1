from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from referrals.models import Referral, Scheme
from referrals.selectors import referrals_incoming


def load_demo():
    call_command("load_demo", "--force", stdout=StringIO())


def test_demo_loads_the_catalogue_and_referrals_in_every_state_once(db):
    load_demo()
    assert Scheme.objects.count() == 11
    assert set(Referral.objects.values_list("state", flat=True)) == set(Referral.State.values)
    overdue = Referral.objects.get(state=Referral.State.SENT, deadline__lt=timezone.localdate())
    assert overdue.reminder_count == 1
    counts = (Scheme.objects.count(), Referral.objects.count(), Notification.objects.count())
    load_demo()
    assert (Scheme.objects.count(), Referral.objects.count(), Notification.objects.count()) == counts


def test_demo_operators_find_referrals_to_answer(db):
    load_demo()
    waiting = Referral.objects.filter(state=Referral.State.SENT).select_related("scheme__operator")
    for referral in waiting:
        operator = get_user_model().objects.filter(membership__partner=referral.scheme.operator).first()
        assert referral in referrals_incoming(operator)
