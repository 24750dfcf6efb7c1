import pytest

from access.models import Role
from access.permissions import coordination_group
from access.services import membership_set


def test_membership_set_moves_a_person_to_their_new_partner_group(alice, rabelais):
    membership_set(user=alice, partner=rabelais, role=Role.STAFF)
    assert list(alice.groups.all()) == [rabelais.group]


def test_membership_set_gives_a_coordinator_the_coordination_group(alice, azimuts):
    membership_set(user=alice, partner=azimuts, role=Role.COORDINATOR)
    assert alice.groups.filter(pk=coordination_group().pk).exists()


def test_membership_set_gives_the_dpo_no_group(alice, azimuts):
    membership_set(user=alice, partner=azimuts, role=Role.DPO)
    assert not alice.groups.exists()


def test_membership_set_keeps_one_membership_per_person(alice, rabelais):
    first = alice.membership
    assert membership_set(user=alice, partner=rabelais, role=Role.STAFF).pk == first.pk


def test_membership_set_refuses_an_unknown_role(alice, azimuts):
    with pytest.raises(ValueError):
        membership_set(user=alice, partner=azimuts, role="superhero")
