"""Only members of partners bound by the signed charter sit in a séance, each after the pledge."""

import pytest

from access import ledger
from access.models import Partner, Role, SituationUserGrant
from audit.models import Event, Kind
from core.refusal import Refusal
from seances import services
from seances.models import Attendance
from tests.factories import make_partner, make_situation, make_user
from tests.seances.helpers import make_seance, running_seance

pytestmark = pytest.mark.django_db


@pytest.fixture
def bailleur(db):
    """A partner that has not signed the charter."""
    return make_partner("Bailleur Habitat", Partner.Kind.LANDLORD, signed=False)


@pytest.fixture
def basile(bailleur):
    return make_user("basile", bailleur)


def test_a_member_of_a_partner_without_signed_charter_cannot_be_marked_present(alice, charlie, basile):
    seance = running_seance(charlie, [make_situation(alice)])

    with pytest.raises(Refusal, match="n'a pas signé la charte"):
        services.attendance_record(seance_id=seance.pk, user=basile, by=charlie, pledge=True)

    assert not Attendance.objects.exists()
    assert not SituationUserGrant.objects.filter(user=basile).exists()


def test_a_member_of_a_partner_without_signed_charter_sees_nothing(alice, charlie, basile, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    with pytest.raises(Refusal):
        services.attendance_record(seance_id=seance.pk, user=basile, by=charlie, pledge=True)
    client = client_for(basile)

    assert not ledger.holds(basile, situation)
    assert client.get(f"/situations/{situation.pk}/").status_code == 403
    assert client.get(f"/seances/{seance.pk}/").status_code == 403
    assert client.get("/seances/").status_code == 403


def test_a_member_who_did_not_accept_the_charter_cannot_be_marked_present(alice, charlie, azimuts):
    newcomer = make_user("nina", azimuts, accept_charter=False)
    seance = running_seance(charlie, [make_situation(alice)])

    with pytest.raises(Refusal, match="n'a pas encore accepté la charte"):
        services.attendance_record(seance_id=seance.pk, user=newcomer, by=charlie, pledge=True)


def test_the_dpo_cannot_sit(alice, charlie, dora):
    seance = make_seance(charlie)

    with pytest.raises(Refusal, match="pas de rôle"):
        services.attendance_record(seance_id=seance.pk, user=dora, by=charlie, pledge=True)


def test_the_pledge_is_required_and_recorded(alice, bob, charlie):
    seance = make_seance(charlie)
    with pytest.raises(Refusal, match="engagement de confidentialité"):
        services.attendance_record(seance_id=seance.pk, user=bob, by=charlie, pledge=False)

    attendance = services.attendance_record(seance_id=seance.pk, user=bob, by=charlie, pledge=True)

    assert attendance.pledge_confirmed_at is not None
    assert attendance.partner == bob.membership.partner
    assert Event.objects.filter(kind=Kind.SEANCE_PLEDGE, user=bob, object_id=str(seance.pk)).exists()


def test_an_invited_member_records_their_own_presence(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    response = client_for(bob).post(f"/seances/{seance.pk}/presences/", {"pledge": "on"})

    assert response.status_code == 302
    assert Attendance.objects.filter(seance=seance, user=bob).exists()
    assert ledger.holds(bob, situation)


def test_a_member_not_invited_cannot_record_their_presence(alice, bob, charlie):
    seance = running_seance(charlie, [make_situation(alice)])

    with pytest.raises(Refusal, match="pas invité"):
        services.attendance_record(seance_id=seance.pk, user=bob, by=bob, pledge=True)


def test_a_member_cannot_mark_someone_else_present(alice, bob, charlie):
    seance = running_seance(charlie, [make_situation(alice)])
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    with pytest.raises(Refusal, match="Seule la coordination"):
        services.attendance_record(seance_id=seance.pk, user=alice, by=bob, pledge=True)


def test_inviting_notifies_without_personal_data(alice, bob, charlie):
    from notifications.models import Notification

    seance = make_seance(charlie)

    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    notification = Notification.objects.get(recipient=bob)
    assert notification.kind == Notification.Kind.SEANCE_INVITATION
    assert notification.link == f"/seances/{seance.pk}/"
    assert notification.summary == ""


def test_a_member_without_signed_charter_cannot_be_invited(charlie, basile):
    seance = make_seance(charlie)

    with pytest.raises(Refusal, match="n'a pas signé la charte"):
        services.invitation_create(seance_id=seance.pk, user=basile, by=charlie)


def test_a_coordinator_of_another_role_cannot_manage(alice, charlie, city):
    staff = make_user("sam", city, Role.STAFF)
    seance = make_seance(charlie)

    with pytest.raises(Refusal, match="Seule la coordination"):
        services.seance_start(seance_id=seance.pk, by=staff)
