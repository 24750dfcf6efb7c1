"""Builders for test data. Everything goes through the real services, as the app does."""

import datetime

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from access.models import CharterAcceptance, CharterVersion, Membership, Partner, Role
from access.permissions import sync_membership_groups
from casework import services
from casework.models import Motif, Source

PASSWORD = "Correct-horse-battery-9"


def make_partner(name: str, kind: str = Partner.Kind.OTHER, signed: bool = True) -> Partner:
    return Partner.objects.create(
        name=name, kind=kind, charter_signed_on=datetime.date(2026, 1, 15) if signed else None
    )


def make_user(username: str, partner: Partner, role: str = Role.STAFF, accept_charter: bool = True):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.capitalize(),
        last_name="Test",
        email=f"{username}@example.org",
    )
    membership = Membership.objects.create(user=user, partner=partner, role=role)
    sync_membership_groups(membership)
    if accept_charter:
        CharterAcceptance.objects.create(user=user, charter=CharterVersion.current())
    return user


def verified_login(client, user):
    """Log in as after password + TOTP: the session carries a verified OTP device."""
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def identity(last_name="Durand", first_name="Léa", birth_date=datetime.date(2011, 3, 4), **extra):
    return services.Identity(last_name=last_name, first_name=first_name, birth_date=birth_date, **extra)


def make_situation(by, *, anonymous: bool = False, motifs=("absenteisme-scolaire",), **identity_fields):
    return services.situation_create(
        by=by,
        source=Source.objects.get(code="education-nationale"),
        received_on=datetime.date(2026, 10, 1),
        motifs=Motif.objects.filter(code__in=motifs),
        motif_details="Absences répétées depuis la rentrée",
        identity=None if anonymous else identity(**identity_fields),
    )


def make_scheme(operator: Partner, name: str = "Contrat d'engagement jeune", *, territories=(), motifs=(), **fields):
    """A scheme of the catalogue; `territories` and `motifs` are codes (none: all)."""
    from casework.models import Territory
    from referrals.models import Scheme

    scheme = Scheme.objects.create(name=name, operator=operator, **fields)
    scheme.territories.set(Territory.objects.filter(code__in=territories))
    scheme.motifs.set(Motif.objects.filter(code__in=motifs))
    return scheme


def make_action(pilot: Partner, code: str = "2.1", *, strategy=None, motifs=(), title: str = "", active: bool = True):
    """A fiche-action (and its strategy and axis when missing); `motifs` are codes it is proposed for."""
    from strategy.models import Action, Axis, Strategy

    if strategy is None:
        strategy, _ = Strategy.objects.get_or_create(
            title="Stratégie de test 2026 – 2028",
            defaults={"starts_on": datetime.date(2026, 1, 1), "ends_on": datetime.date(2028, 12, 31)},
        )
    number = int(code.split(".")[0])
    axis, _ = Axis.objects.get_or_create(strategy=strategy, number=number, defaults={"title": f"Axe de test {number}"})
    action = Action(axis=axis, code=code, title=title or f"Fiche-action {code}", pilot=pilot, active=active)
    action.save()
    action.suggested_for_motifs.set(Motif.objects.filter(code__in=motifs))
    return action
