"""State changes on situations, people and notes. Each function is atomic and grants what it must."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access.keyring import get_keyring
from access.models import DataKey
from access.permissions import (
    grant_on_creation,
    grant_situation_access,
    membership_of,
    revoke_situation_access,
)
from casework.models import Note, Person, ReferenceCounter, Situation


class ConflictError(Exception):
    """The situation changed since the form was displayed."""


class ClosedSituationError(Exception):
    """A closed situation is read-only."""


@dataclass(frozen=True)
class Identity:
    last_name: str
    first_name: str
    birth_date: datetime.date
    address: str = ""
    phone: str = ""
    school: str = ""
    legal_representatives: str = ""
    gender: str = ""
    territory_id: int | None = None


def identity_index(last_name: str, first_name: str, birth_date: datetime.date) -> str:
    return get_keyring().blind_index(last_name, first_name, birth_date.isoformat())


def _apply_identity(person: Person, identity: Identity) -> None:
    person.last_name = identity.last_name.strip()
    person.first_name = identity.first_name.strip()
    person.birth_date = identity.birth_date
    person.address = identity.address or None
    person.phone = identity.phone or None
    person.school = identity.school or None
    person.legal_representatives = identity.legal_representatives or None
    person.birth_year = identity.birth_date.year
    person.gender = identity.gender
    person.territory_id = identity.territory_id
    person.identity_index = identity_index(identity.last_name, identity.first_name, identity.birth_date)


def person_create(*, identity: Identity, data_key: DataKey, is_fictional: bool = False) -> Person:
    person = Person(data_key=data_key, is_fictional=is_fictional)
    _apply_identity(person, identity)
    person.save(force_insert=True)
    return person


def _next_reference(year: int) -> str:
    ReferenceCounter.objects.get_or_create(year=year)
    ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(year=year).last
    return f"GSN-{year}-{number:04d}"


@transaction.atomic
def situation_create(
    *,
    by,
    source,
    received_on: datetime.date,
    motifs,
    identity: Identity | None,
    motif_details: str = "",
    family_informed_on: datetime.date | None = None,
    family_information_mode: str = "",
    family_response: str = "",
    is_fictional: bool = False,
) -> Situation:
    """Record a saisine. Without `identity` the situation is anonymous (no Person)."""
    membership = membership_of(by)
    if membership is None:
        raise PermissionError("only a member of a partner can record a situation")
    data_key = DataKey.generate()
    person = person_create(identity=identity, data_key=data_key, is_fictional=is_fictional) if identity else None
    situation = Situation(
        reference=_next_reference(received_on.year),
        person=person,
        data_key=data_key,
        referring_partner=membership.partner,
        source=source,
        received_on=received_on,
        motif_details=motif_details or None,
        family_informed_on=family_informed_on,
        family_information_mode=family_information_mode,
        family_response=family_response,
        created_by=by,
    )
    situation.save(force_insert=True)
    situation.motifs.set(motifs)
    grant_on_creation(situation, author_partner=membership.partner)
    return situation


SITUATION_EDITABLE = (
    "source",
    "received_on",
    "motif_details",
    "status",
    "referent",
    "next_review_on",
    "family_informed_on",
    "family_information_mode",
    "family_response",
)


@transaction.atomic
def situation_update(
    *, situation_id, by, expected_version: int, changes: dict, motifs=None, identity: Identity | None = None
) -> Situation:
    """Apply an edit if nobody saved the situation since `expected_version` was read."""
    situation = (
        Situation.objects.select_for_update(of=("self",)).select_related("person", "data_key").get(pk=situation_id)
    )
    if situation.version != expected_version:
        raise ConflictError(situation.reference)
    if situation.is_closed:
        raise ClosedSituationError(situation.reference)
    unknown = set(changes) - set(SITUATION_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    new_status = changes.get("status", situation.status)
    if new_status not in situation.allowed_statuses():
        raise ValueError(
            _("Le statut « %(from)s » ne peut pas passer à « %(to)s ».")
            % {"from": situation.get_status_display(), "to": Situation.Status(new_status).label}
        )
    previous_referent = situation.referent
    for field, value in changes.items():
        setattr(situation, field, value)
    situation.version += 1
    situation.save()
    if motifs is not None:
        situation.motifs.set(motifs)
    if identity is not None and situation.person is not None:
        _apply_identity(situation.person, identity)
        situation.person.save()
    if situation.referent != previous_referent:
        if previous_referent is not None:
            revoke_situation_access(situation, user=previous_referent)
        if situation.referent is not None:
            grant_situation_access(situation, user=situation.referent)
    return situation


@transaction.atomic
def note_create(*, situation: Situation, by, body: str, visibility: str) -> Note:
    if situation.is_closed:
        raise ClosedSituationError(situation.reference)
    membership = membership_of(by)
    note = Note(
        situation=situation,
        data_key=situation.data_key,
        author=by,
        partner=membership.partner,
        body=body,
        visibility=visibility,
        created_at=timezone.now(),
    )
    note.save(force_insert=True)
    return note
