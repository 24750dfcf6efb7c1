"""A deployment-sized data set, written in bulk but valid for the application.

Nothing here goes through the services one object at a time (100,000 situations would take hours),
yet every row is one the application could have written: data keys are random and wrapped by the
master key, identities and notes are encrypted by the real `EncryptedField.pre_save` with those
keys, blind indexes come from the keyring, grants are rows of the direct-FK guardian tables, and
read events carry their content MAC and their place in the HMAC chain, so that `verify` accepts
them. Everything but key material and nonces comes from a seeded `random.Random`: the same sizes
give the same deployment on every machine.

Read events are the bulk of the volume (5 million at full size). They are written with PostgreSQL
COPY, their MACs computed in a tight loop, and chained as they are written: the batch sealer
(`audit.chain.seal`) would reach the same chain, but at a few thousand rows a second.
"""

import datetime
import hashlib
import hmac
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.utils import timezone

from access.ledger import ANNOTATE, CHANGE, VIEW
from access.models import (
    CharterAcceptance,
    CharterVersion,
    DataKey,
    Membership,
    Partner,
    Reason,
    Role,
    SituationGroupGrant,
    SituationUserGrant,
)
from access.permissions import coordination_group
from audit import chain
from audit import mac as audit_mac
from audit.models import ChainHead, Event, Kind, Purpose
from casework.matching import person_match_fields
from casework.models import (
    Association,
    Gender,
    Motif,
    Note,
    Person,
    ReferenceCounter,
    Situation,
    Source,
    Territory,
)
from core.keyring import KEY_BYTES, data_key_cache, get_keyring
from referrals.models import DeclineReason, Outcome, Referral, Scheme

SEED = 8
FULL = {"situations": 100_000, "partners": 300, "users": 5_000, "events": 5_000_000, "referrals": 20_000}
NOTES_PER_SITUATION = 5
ANONYMOUS_SHARE = 0.1
CHUNK = 2_000
EVENT_CHUNK = 50_000
# Read events span the CNIL retention period: the DPO's "last month" holds one twelfth of them.
EVENT_SPAN_DAYS = 365
BENCH_PASSWORD = "Bench-only-password-2026!"

# fmt: off
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
    "Girard", "Andre", "Lefevre", "Mercier", "Dupont", "Lambert", "Bonnet", "Francois", "Martinez", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guerin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin",
    "Mathieu", "Clement", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez",
    "Gerard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noel",
    "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun",
    "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron",
    "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe",
    "Leclercq", "Lacroix", "Fabre", "Dupuis"
]
FIRST_NAMES = [
    "Léa", "Emma", "Chloé", "Inès", "Jade", "Louise", "Manon", "Lina", "Zoé", "Camille", "Sarah", "Lou", "Eva",
    "Rose", "Anna", "Mila", "Ambre", "Julia", "Nina", "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules",
    "Adam", "Raphaël", "Nathan", "Ethan", "Noah", "Sacha", "Tom", "Mohamed", "Yanis", "Rayan", "Enzo", "Mathis",
    "Théo", "Nolan", "Amir", "Ilyes", "Kylian", "Bilal", "Maël", "Aya", "Yasmine", "Naël", "Timéo", "Lyam", "Soan",
    "Imran", "Ayoub"
]
# fmt: on
STREETS = "rue de la Paix|avenue de Dunkerque|rue Victor-Hugo|allée des Tilleuls|rue du Marais|place de la Mairie"
SCHOOLS = ("Collège Rabelais", "Collège Jean-Macé", "Lycée Jean-Perrin", "École Pasteur", "Mission locale", "")
# fmt: off
NOTE_WORDS = [
    "entretien", "avec", "la", "famille", "absences", "répétées", "orientation", "proposée", "rendez-vous",
    "accompagnement", "éducatif", "point", "de", "situation", "établissement", "scolaire", "suivi", "renforcé",
    "contact", "pris", "partenaire", "informé", "accord", "de", "la", "mère", "prochaine", "séance", "bilan",
    "positif", "décrochage", "rappel", "à", "l'ordre", "démarches", "engagées"
]
# fmt: on
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
    "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
)
SCREENS = (("situation_list", 0.6), ("situation_detail", 0.35), ("situation_edit", 0.05))
PARTNER_KINDS = [kind for kind in Partner.Kind if kind != Partner.Kind.CITY]
STATUSES = (
    (Situation.Status.RECEIVED, 0.1),
    (Situation.Status.EXAMINED, 0.1),
    (Situation.Status.NOT_RETAINED, 0.1),
    (Situation.Status.ACTIVE, 0.5),
    (Situation.Status.CLOSED, 0.2),
)
# Referrals go to situations the group follows (active) or followed (closed, where they are over).
REFERRED_STATUSES = {Situation.Status.ACTIVE: 0.5, Situation.Status.CLOSED: 0.2}
State = Referral.State
REFERRAL_STATES = {
    Situation.Status.ACTIVE: (
        (State.PROPOSED, 0.1),
        (State.SENT, 0.15),
        (State.ACCEPTED, 0.1),
        (State.IN_PROGRESS, 0.3),
        (State.DECLINED, 0.1),
        (State.ENDED, 0.15),
        (State.ABANDONED, 0.1),
    ),
    Situation.Status.CLOSED: ((State.DECLINED, 0.25), (State.ENDED, 0.6), (State.ABANDONED, 0.15)),
}


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Sizes:
    situations: int
    partners: int
    users: int
    events: int
    referrals: int

    @classmethod
    def scaled(cls, fraction: float) -> "Sizes":
        """`fraction` of the full deployment of issue 8, with floors so that every role exists."""
        return cls(
            situations=max(50, round(FULL["situations"] * fraction)),
            partners=max(4, round(FULL["partners"] * fraction)),
            users=max(30, round(FULL["users"] * fraction)),
            events=max(500, round(FULL["events"] * fraction)),
            referrals=max(10, round(FULL["referrals"] * fraction)),
        )

    @property
    def referral_share(self) -> float:
        """Chance that a situation of a referred status gets a referral, for `referrals` in all."""
        return min(1.0, self.referrals / self.situations / sum(REFERRED_STATUSES.values()))


@dataclass
class Probes:
    """Known rows the measurements ask for: a busy staff user, a coordinator, the DPO, identities."""

    staff: object = None
    coordinator: object = None
    dpo: object = None
    situation_id: uuid.UUID | None = None
    # (last name, first name, birth date) of people whose situation `staff` may read.
    identities: list = field(default_factory=list)
    references: list = field(default_factory=list)


class Deployment:
    """Generates step by step, so that the curve can measure at 1k, 10k, then 100k situations."""

    def __init__(self, sizes: Sizes, seed: int = SEED):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.probes = Probes()
        self.situation_count = 0
        self.event_count = 0
        self.referral_count = 0
        self.timings: dict[str, float] = {}
        self.today = timezone.localdate()
        # Plain identities of the people in the chunk being written, for the probes.
        self._identity_of: dict[uuid.UUID, tuple] = {}

    def state(self) -> dict:
        """What `restore` needs to measure this deployment again in a later run (`--keep`, `--reuse`)."""
        probes = self.probes
        return {
            "sizes": self.sizes.__dict__,
            "counts": [self.situation_count, self.event_count, self.referral_count],
            "timings": self.timings,
            "probes": {
                "staff": probes.staff.pk,
                "coordinator": probes.coordinator.pk,
                "dpo": probes.dpo.pk,
                "situation_id": str(probes.situation_id),
                "identities": [[last, first, born.isoformat()] for last, first, born in probes.identities],
                "references": probes.references,
            },
            "situations": self.situations,
        }

    @classmethod
    def restore(cls, state: dict) -> "Deployment":
        User = get_user_model()
        deployment = cls(Sizes(**state["sizes"]))
        deployment.situation_count, deployment.event_count, deployment.referral_count = state["counts"]
        deployment.timings = state["timings"]
        saved = state["probes"]
        users = User.objects.select_related("membership__partner").in_bulk(
            [saved["staff"], saved["coordinator"], saved["dpo"]]
        )
        for user in users.values():
            user.partner = user.membership.partner
        deployment.probes = Probes(
            staff=users[saved["staff"]],
            coordinator=users[saved["coordinator"]],
            dpo=users[saved["dpo"]],
            situation_id=uuid.UUID(saved["situation_id"]),
            identities=[(last, first, datetime.date.fromisoformat(born)) for last, first, born in saved["identities"]],
            references=saved["references"],
        )
        deployment.situations = [tuple(row) for row in state["situations"]]
        return deployment

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    # --- people and organisations ---------------------------------------------------------------------
    def setup(self) -> None:
        started = time.perf_counter()
        self.sources = list(Source.objects.all())
        self.motifs = list(Motif.objects.all())
        self.territories = list(Territory.objects.all())
        self.perm_view = Permission.objects.get(codename=VIEW, content_type__app_label="casework")
        self.perm_change = Permission.objects.get(codename=CHANGE, content_type__app_label="casework")
        self.perm_annotate = Permission.objects.get(codename=ANNOTATE, content_type__app_label="casework")
        self.coordination = coordination_group()
        self.decline_reasons = list(DeclineReason.objects.all())
        self.outcomes = list(Outcome.objects.all())
        self._partners()
        self._schemes()
        self._users()
        self._timed("people", started)
        progress(f"{len(self.partners)} partners, {len(self.users)} users")

    def _partners(self) -> None:
        self.partners = [
            Partner.objects.create(
                name="Ville (banc d'essai)" if n == 0 else f"Partenaire {n:03d}",
                kind=Partner.Kind.CITY if n == 0 else PARTNER_KINDS[n % len(PARTNER_KINDS)],
                charter_signed_on=datetime.date(2025, 1, 15),
            )
            for n in range(self.sizes.partners)
        ]

    def _schemes(self) -> None:
        """One dispositif per partner but the city, as the catalogue of a large deployment would hold."""
        self.schemes = Scheme.objects.bulk_create(
            Scheme(name=f"Dispositif {n:03d}", operator=partner, response_deadline_days=15)
            for n, partner in enumerate(self.partners[1:], start=1)
        )

    def _users(self) -> None:
        User = get_user_model()
        password = make_password(BENCH_PASSWORD)
        coordinators = max(2, self.sizes.users // 500)
        roles = [Role.DPO, Role.ADMIN] + [Role.COORDINATOR] * coordinators
        roles += [Role.STAFF] * (self.sizes.users - len(roles))
        users = User.objects.bulk_create(
            User(
                username=f"bench{n:05d}",
                password=password,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                email=f"bench{n:05d}@bench.invalid",
            )
            for n in range(len(roles))
        )
        # Staff go to partners 1..n in turn; the city (partner 0) holds the coordination, DPO and admin.
        memberships, through = [], []
        self.staff_by_partner: dict[int, list] = {p.pk: [] for p in self.partners}
        for n, (user, role) in enumerate(zip(users, roles, strict=True)):
            partner = self.partners[0] if role != Role.STAFF else self.partners[1 + n % (len(self.partners) - 1)]
            user.partner = partner
            memberships.append(Membership(user=user, partner=partner, role=role))
            if role in (Role.STAFF, Role.COORDINATOR):
                through.append(User.groups.through(user_id=user.pk, group_id=partner.group_id))
            if role == Role.STAFF:
                self.staff_by_partner[partner.pk].append(user)
            if role == Role.COORDINATOR:
                through.append(User.groups.through(user_id=user.pk, group_id=self.coordination.pk))
        Membership.objects.bulk_create(memberships)
        User.groups.through.objects.bulk_create(through)
        charter = CharterVersion.current()
        CharterAcceptance.objects.bulk_create(CharterAcceptance(user=user, charter=charter) for user in users)
        self.users = users
        self.roles = dict(zip((u.pk for u in users), roles, strict=True))
        self.probes.dpo = users[0]
        self.probes.coordinator = users[2]
        self.reader_ids = [u.pk for u in users if self.roles[u.pk] in (Role.STAFF, Role.COORDINATOR)]
        # Situations each partner's staff may read, by index into self.situations, for the read events.
        self.visible_by_partner: dict[int, list[int]] = {p.pk: [] for p in self.partners}
        self.situations: list[tuple[str, str]] = []
        self.probe_partner = self.partners[1]

    # --- situations, people, notes, grants ------------------------------------------------------------
    def add_situations(self, count: int) -> None:
        started = time.perf_counter()
        target = self.situation_count + count
        counters = dict(ReferenceCounter.objects.values_list("year", "last"))
        while self.situation_count < target:
            size = min(CHUNK, target - self.situation_count)
            with transaction.atomic(), data_key_cache():
                self._situation_chunk(size, counters)
            self.situation_count += size
            if self.situation_count % (CHUNK * 10) == 0 or self.situation_count == target:
                progress(f"situations {self.situation_count:,}/{target:,} ({time.perf_counter() - started:.0f} s)")
        for year, last in counters.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
        self._timed("situations", started)

    def _situation_chunk(self, size: int, counters: dict[int, int]) -> None:
        rng = self.rng
        keyring = get_keyring()
        keys, people, situations, motif_rows, notes, group_perms, user_perms = [], [], [], [], [], [], []
        referrals, associations = [], []
        staff_partners = self.partners[1:]
        for _ in range(size):
            key = DataKey(id=self._uuid())
            key.wrapped, key.master_version = keyring.wrap(str(key.id), os.urandom(KEY_BYTES))
            keys.append(key)
            received_on = self.today - datetime.timedelta(days=rng.randrange(6 * 365))
            counters[received_on.year] = number = counters.get(received_on.year, 0) + 1
            author_partner = rng.choice(staff_partners)
            staff = self.staff_by_partner[author_partner.pk] or [self.probes.coordinator]
            author = rng.choice(staff)
            person = None
            if rng.random() >= ANONYMOUS_SHARE:
                person = self._person(key)
                people.append(person)
            status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
            situation = Situation(
                id=self._uuid(),
                reference=f"GSN-{received_on.year}-{number:04d}",
                person=person,
                data_key=key,
                referring_partner=author_partner,
                source=rng.choice(self.sources),
                received_on=received_on,
                motif_details="Absences répétées, voir note de l'établissement" if rng.random() < 0.5 else None,
                status=status,
                status_since=received_on,
                referent=author if rng.random() < 0.5 else None,
                created_by=author,
                created_at=timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(10))),
            )
            if status == Situation.Status.CLOSED:
                situation.closed_on = min(self.today, received_on + datetime.timedelta(days=rng.randrange(30, 400)))
                situation.status_since = situation.closed_on
            situations.append(situation)
            for motif in rng.sample(self.motifs, rng.randint(1, 3)):
                motif_rows.append(Situation.motifs.through(situation_id=situation.id, motif_id=motif.pk))
            # Grants as situation_create and situation_update give them, plus a second partner's read
            # grant for half of them (the partner a referral went to).
            granted = {"granted_by": author, "granted_at": situation.created_at}
            groups = [(author_partner.group_id, (self.perm_view, self.perm_change), Reason.AUTHOR_PARTNER, {})]
            groups.append((self.coordination.pk, (self.perm_view, self.perm_change), Reason.COORDINATION, {}))
            index = len(self.situations)
            self.situations.append((str(situation.id), situation.reference))
            readers = {author_partner.pk}
            # A second partner for half of them, associated by the group as `partner_associate` does: an
            # Association row is the source of its read-and-annotate grant. Its id derives from the
            # situation's, so that the seeded sequence of the rest stays the same.
            if rng.random() < 0.5:
                other = rng.choice(staff_partners)
                if other.pk not in readers:
                    association = Association(
                        id=uuid.uuid5(situation.id, "association"),
                        situation=situation,
                        partner=other,
                        data_key=key,
                        motive="Partenaire associé par le groupe (banc d'essai).",
                        created_by=self.probes.coordinator,
                        created_at=situation.created_at,
                    )
                    associations.append(association)
                    source = {"source_type": "casework.association", "source_id": str(association.pk)}
                    perms = (self.perm_view, self.perm_annotate)
                    groups.append((other.group_id, perms, Reason.ASSOCIATED_PARTNER, source))
                    readers.add(other.pk)
            if status in REFERRED_STATUSES and rng.random() < self.sizes.referral_share:
                referral, operator = self._referral(situation, author)
                referrals.append(referral)
                # Sending grants the operator read-only access until the grace period after the end.
                if referral.sent_at is not None:
                    until = None
                    if referral.ended_at is not None:
                        until = referral.ended_at + datetime.timedelta(days=settings.PARCOURS_REFERRAL_GRACE_DAYS)
                    source = {"source_type": "referrals.referral", "source_id": str(referral.pk), "expires_at": until}
                    groups.append((operator.group_id, (self.perm_view,), Reason.SCHEME_OPERATOR, source))
                    if until is None or until > timezone.now():
                        readers.add(operator.pk)
            for partner_id in readers:
                self.visible_by_partner[partner_id].append(index)
            for group_id, perms, reason, extra in groups:
                group_perms.extend(
                    SituationGroupGrant(
                        content_object=situation, group_id=group_id, permission=perm, reason=reason, **granted, **extra
                    )
                    for perm in perms
                )
            if situation.referent is not None:
                user_perms.extend(
                    SituationUserGrant(
                        content_object=situation, user=author, permission=perm, reason=Reason.REFERENT, **granted
                    )
                    for perm in (self.perm_view, self.perm_change)
                )
            for n in range(NOTES_PER_SITUATION):
                note_author = rng.choice(staff)
                notes.append(
                    Note(
                        id=self._uuid(),
                        situation=situation,
                        data_key=key,
                        author=note_author,
                        partner=author_partner,
                        body=" ".join(rng.choices(NOTE_WORDS, k=rng.randint(20, 60))).capitalize() + ".",
                        visibility=Note.Visibility.PARTNER if rng.random() < 0.1 else Note.Visibility.GROUP,
                        created_at=situation.created_at + datetime.timedelta(days=7 * (n + 1)),
                    )
                )
            if author_partner.pk == self.probe_partner.pk and person is not None:
                self.probes.staff = self.probes.staff or author
                self.probes.situation_id = situation.id
                if len(self.probes.identities) < 50:
                    self.probes.identities.append(self._identity_of[person.id])
                    self.probes.references.append(situation.reference)
        DataKey.objects.bulk_create(keys)
        Person.objects.bulk_create(people)
        Situation.objects.bulk_create(situations)
        Situation.motifs.through.objects.bulk_create(motif_rows)
        Note.objects.bulk_create(notes, batch_size=1000)
        Association.objects.bulk_create(associations)
        SituationGroupGrant.objects.bulk_create(group_perms, batch_size=5000)
        SituationUserGrant.objects.bulk_create(user_perms, batch_size=5000)
        Referral.objects.bulk_create(referrals, batch_size=1000)
        self.referral_count += len(referrals)
        self._identity_of.clear()

    def _referral(self, situation: Situation, author) -> tuple[Referral, Partner]:
        """A referral in the state its situation allows, with the dates its lifecycle would have set."""
        rng = self.rng
        scheme = rng.choice(self.schemes)
        if scheme.operator_id == situation.referring_partner_id:
            scheme = self.schemes[(self.schemes.index(scheme) + 1) % len(self.schemes)]
        states = REFERRAL_STATES[situation.status]
        state = rng.choices([s for s, _w in states], [w for _s, w in states])[0]
        end = situation.closed_on or self.today
        span = max(1, (end - situation.received_on).days)
        proposed_at = situation.created_at + datetime.timedelta(days=rng.randrange(span), hours=rng.randrange(8))
        referral = Referral(
            id=self._uuid(),
            situation=situation,
            data_key=situation.data_key,
            scheme=scheme,
            state=state,
            proposed_by=author,
            proposed_at=proposed_at,
            justification="Orientation hors critères d'âge, accord de la famille." if rng.random() < 0.2 else None,
        )
        if state != State.PROPOSED and not (state == State.ABANDONED and rng.random() < 0.5):
            referral.sent_at = proposed_at + datetime.timedelta(days=rng.randint(0, 5))
            referral.deadline = referral.sent_at.date() + datetime.timedelta(days=scheme.response_deadline_days)
        if state in (State.ACCEPTED, State.DECLINED, State.IN_PROGRESS, State.ENDED):
            referral.answered_at = referral.sent_at + datetime.timedelta(days=rng.randint(1, 20))
        if state == State.DECLINED:
            referral.decline_reason = rng.choice(self.decline_reasons)
        if state in (State.IN_PROGRESS, State.ENDED):
            referral.started_at = referral.answered_at + datetime.timedelta(days=rng.randint(1, 30))
        if state == State.ENDED:
            referral.outcome = rng.choice(self.outcomes)
        if state in Referral.FINAL:
            latest = referral.started_at or referral.answered_at or referral.sent_at or proposed_at
            referral.ended_at = latest + datetime.timedelta(days=rng.randint(1, 200))
        # A lifecycle that would end in the future happened faster: every date stays in the past.
        now = timezone.now()
        for name in ("proposed_at", "sent_at", "answered_at", "started_at", "ended_at"):
            if getattr(referral, name) is not None and getattr(referral, name) > now:
                setattr(referral, name, now)
        if referral.deadline is not None:
            referral.deadline = referral.sent_at.date() + datetime.timedelta(days=scheme.response_deadline_days)
        return referral, scheme.operator

    def _person(self, key: DataKey) -> Person:
        rng = self.rng
        last_name, first_name = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
        # A second family name makes identities nearly unique, as real ones are.
        last_name = f"{last_name}-{rng.choice(LAST_NAMES)}" if rng.random() < 0.7 else last_name
        birth_date = self.today - datetime.timedelta(days=rng.randrange(11 * 365, 21 * 365))
        person = Person(
            id=self._uuid(),
            data_key=key,
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
            address=f"{rng.randint(1, 200)} {rng.choice(STREETS.split('|'))}, 59160 Lomme",
            phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            school=rng.choice(SCHOOLS) or None,
            legal_representatives=f"Mère : {rng.choice(FIRST_NAMES)} {last_name}" if rng.random() < 0.6 else None,
            birth_year=birth_date.year,
            gender=rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE]),
            territory=rng.choice(self.territories) if self.territories else None,
            **person_match_fields(last_name, first_name, birth_date),
        )
        self._identity_of[person.id] = (last_name, first_name, birth_date)
        return person

    # --- read events, with their MACs and their chain ---------------------------------------------------
    def add_events(self, count: int) -> None:
        """Read events over the last year, by case readers, on situations they may read."""
        started = time.perf_counter()
        label = Event._meta.label_lower
        fields = [field.attname for field in audit_mac.content_fields(Event)]
        columns = ["id", *fields, "mac", "seq", "chain"]
        content_prefix = b"content|" + label.encode() + b"|"
        key = audit_mac.audit_key()
        with transaction.atomic():
            # Whatever is pending goes first, so that the new rows extend a chain that is whole.
            chain.seal(Event)
            head, _ = ChainHead.objects.select_for_update().get_or_create(table=label)
            first_id = (Event.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
            now = timezone.now()
            start = now - datetime.timedelta(days=EVENT_SPAN_DAYS)
            step = EVENT_SPAN_DAYS * 86_400 / max(count, 1)
            all_indexes = range(len(self.situations))
            partner_of = {u.pk: u.partner.pk for u in self.users}
            addresses = {pk: f"10.{pk // 65536 % 256}.{pk // 256 % 256}.{pk % 256}" for pk in self.reader_ids}
            screens, weights = [s for s, _w in SCREENS], [w for _s, w in SCREENS]
            rng = self.rng
            written = 0
            while written < count:
                size = min(EVENT_CHUNK, count - written)
                rows = []
                readers = rng.choices(self.reader_ids, k=size)
                chosen_screens = rng.choices(screens, weights, k=size)
                for n in range(size):
                    row_id = first_id + written + n
                    user_id = readers[n]
                    partner_id = partner_of[user_id]
                    visible = (
                        all_indexes if self.roles[user_id] == Role.COORDINATOR else self.visible_by_partner[partner_id]
                    )
                    if not visible:
                        visible = all_indexes
                    object_id, reference = self.situations[visible[int(rng.random() * len(visible))]]
                    at = start + datetime.timedelta(seconds=(written + n) * step)
                    uid = uuid.UUID(int=rng.getrandbits(128), version=4)
                    values = {
                        "uid": str(uid),
                        "at": at.isoformat(timespec="microseconds"),
                        "kind": Kind.READ.value,
                        "user_id": user_id,
                        "username": "",
                        "partner_id": partner_id,
                        "object_type": "casework.situation",
                        "object_id": object_id,
                        "situation_reference": reference,
                        "screen": chosen_screens[n],
                        "purpose": Purpose.ROUTINE.value,
                        "grant_reason": "",
                        "detail": "",
                        "ip_address": addresses[user_id],
                        "user_agent": USER_AGENTS[user_id % len(USER_AGENTS)],
                    }
                    canonical = json.dumps(values, sort_keys=True, separators=(",", ":")).encode()
                    mac = hmac.new(key, content_prefix + canonical, hashlib.sha256).hexdigest()
                    head.seq += 1
                    head.chain = chain.chain_mac(label, head.seq, row_id, mac, head.chain)
                    values["uid"], values["at"] = uid, at
                    rows.append((row_id, *(values[name] for name in fields), mac, head.seq, head.chain))
                self._check_mac(columns, rows[0])
                self._write_events(columns, rows)
                written += size
                if written % (EVENT_CHUNK * 4) == 0 or written == count:
                    elapsed = time.perf_counter() - started
                    progress(f"events {written:,}/{count:,} ({elapsed:.0f} s, {written / elapsed:,.0f} rows/s)")
            head.mac = chain.head_mac(head)
            head.save(update_fields=["seq", "chain", "mac"])
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence('audit_event', 'id'), MAX(id)) FROM audit_event"
                    )
        self.event_count += count
        self._timed("events", started)

    @staticmethod
    def _check_mac(columns: list[str], row: tuple) -> None:
        """The fast MAC must be the one the application computes: checked on one row of each batch."""
        values = dict(zip(columns, row, strict=True))
        event = Event(**{field.attname: values[field.attname] for field in audit_mac.content_fields(Event)})
        if values["mac"] != chain.content_mac(event):
            raise AssertionError("bench event MAC differs from audit.chain.content_mac: update bench.generate")

    @staticmethod
    def _write_events(columns: list[str], rows: list[tuple]) -> None:
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY audit_event ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            Event.objects.bulk_create([Event(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500)

    def add_pending_events(self, count: int) -> None:
        """Events as requests write them (content MAC, no place in the chain yet), for the sealer."""
        reader = self.probes.staff or self.probes.coordinator
        events = []
        for n in range(count):
            object_id, reference = self.situations[n % len(self.situations)]
            event = Event(
                # Not from the seeded generator: a kept deployment restored twice would draw the same uids.
                uid=uuid.uuid4(),
                kind=Kind.READ,
                user_id=reader.pk,
                partner_id=reader.partner.pk,
                object_type="casework.situation",
                object_id=object_id,
                situation_reference=reference,
                screen="situation_list",
                purpose=Purpose.ROUTINE,
                ip_address="10.0.0.1",
                user_agent=USER_AGENTS[0],
            )
            event.mac = chain.content_mac(event)
            events.append(event)
        Event.objects.bulk_create(events, batch_size=2000)
        self.event_count += count

    def analyse(self) -> None:
        """Planner statistics and visibility map, as autovacuum would have left them on a live database."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
