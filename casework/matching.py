"""Match keys of a young person: keyed digests that find the same person spelt differently.

Every key is an HMAC under a subkey derived from the blind-index key (core.keyring), over text made
by core.matching: no plaintext and no unkeyed hash is stored. Last and first names share their
subkeys so that a swapped first and last name can be compared. The plain `birth_year` already on
Person serves the year; the birth date has its own keyed digest.

Rotation: each person records the fingerprint of the blind-index key its digests were made with
(`index_key`). While a new key is loaded beside the old one, new people are written with the new
key, a typed identity is turned into digests under both, and each row is compared under its own;
`match_keys_rotate` rewrites the rows still under the old key.

A typed identity matches a stored person when:
- exact: the same identity index (the blind index of the full identity); or
- possible: both names close (equal compact form, equal phonetic code, or Bloom-filter Dice of at
  least NAME_DICE_THRESHOLD), in either order, with the same birth date or one day off, or day and
  month swapped; or the same birth date, one name alike and the other at least TYPO_DICE_THRESHOLD
  (a typo in a short name); or both names equal in compact form and the same birth year.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from core import matching
from core.keyring import IndexKey, get_keyring

NAME = "name"
PHONETIC = "phonetic"
BLOOM = "bigram-bloom"
BIRTH_DATE = "birth-date"

# Chosen on the labelled variants of `bench/matching.py` (recall and precision reported there).
NAME_DICE_THRESHOLD = 0.75
TYPO_DICE_THRESHOLD = 0.5
# The similarity of two names with the same phonetic code (or the same compact form, 1.0).
SAME_NAME = 0.95

EXACT = "exacte"
POSSIBLE = "approchante"


@dataclass(frozen=True)
class NameKeys:
    index: str
    phonetic: str
    bloom: int

    def similarity(self, other: "NameKeys") -> float:
        if self.index and self.index == other.index:
            return 1.0
        if self.phonetic and self.phonetic == other.phonetic:
            return SAME_NAME
        return matching.dice(self.bloom, other.bloom)


def _writing_key(key: IndexKey | None) -> IndexKey:
    return key or get_keyring().index_key


def name_keys(name: str, key: IndexKey | None = None) -> NameKeys:
    key = _writing_key(key)
    compact, code = matching.compact(name), matching.phonetic(name)
    return NameKeys(
        index=key.match_digest(NAME, compact) if compact else "",
        phonetic=key.match_digest(PHONETIC, code) if code else "",
        bloom=matching.bloom(name, key.match_hash(BLOOM)),
    )


def identity_index(last_name: str, first_name: str, birth_date: datetime.date, key: IndexKey | None = None) -> str:
    """The exact blind index of a full identity (case, accents and spacing ignored)."""
    return _writing_key(key).blind_index(last_name, first_name, birth_date.isoformat())


def birth_date_digest(day: datetime.date, key: IndexKey | None = None) -> str:
    return _writing_key(key).match_digest(BIRTH_DATE, day.isoformat())


def near_dates(day: datetime.date) -> list[datetime.date]:
    """The birth date as typed, a day before or after, and with day and month swapped: the slips a
    careful reader of two forms would still take for the same child."""
    dates = [day, day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)]
    if day.day <= 12 and day.day != day.month:
        # Always a valid date: the new day is a month number, at most 12.
        dates.append(day.replace(month=day.day, day=day.month))
    return dates


def bloom_hex(bits: int) -> str:
    return bits.to_bytes(matching.BLOOM_BITS // 8, "big").hex()


# The columns of Person written from an identity (besides the encrypted identity itself).
MATCH_FIELDS = (
    "identity_index",
    "index_key",
    "last_name_key",
    "first_name_key",
    "last_name_phonetic",
    "first_name_phonetic",
    "last_name_bloom",
    "first_name_bloom",
    "birth_date_key",
)


def person_match_fields(last_name: str, first_name: str, birth_date: datetime.date) -> dict[str, str]:
    """The blind index and match keys of Person for this identity, under the writing key."""
    key = get_keyring().index_key
    last, first = name_keys(last_name, key), name_keys(first_name, key)
    return {
        "identity_index": identity_index(last_name, first_name, birth_date, key),
        "index_key": key.fingerprint,
        "last_name_key": last.index,
        "first_name_key": first.index,
        "last_name_phonetic": last.phonetic,
        "first_name_phonetic": first.phonetic,
        "last_name_bloom": bloom_hex(last.bloom),
        "first_name_bloom": bloom_hex(first.bloom),
        "birth_date_key": birth_date_digest(birth_date, key),
    }


def stored_names(person) -> tuple[NameKeys, NameKeys]:
    def keys(prefix: str) -> NameKeys:
        bloom = getattr(person, f"{prefix}_bloom")
        return NameKeys(
            index=getattr(person, f"{prefix}_key"),
            phonetic=getattr(person, f"{prefix}_phonetic"),
            bloom=int(bloom, 16) if bloom else 0,
        )

    return keys("last_name"), keys("first_name")


def name_similarity(typed: tuple[NameKeys, NameKeys], stored: tuple[NameKeys, NameKeys]) -> tuple[float, float]:
    """How close two (last, first) names are, in the order typed or swapped, whichever fits best:
    (the closer name's similarity, the other's), each from 0 to 1."""
    (last, first), (stored_last, stored_first) = typed, stored
    orders = [
        (last.similarity(stored_last), first.similarity(stored_first)),
        (last.similarity(stored_first), first.similarity(stored_last)),
    ]
    return max((max(pair), min(pair)) for pair in orders)


@dataclass(frozen=True)
class _KeyedIdentity:
    """A typed identity's digests under one blind-index key."""

    names: tuple[NameKeys, NameKeys]
    index: str
    birth_date_key: str
    near_date_keys: tuple[str, ...]

    def candidates(self, birth_year: int) -> Q:
        names = [keys.index for keys in self.names if keys.index]
        return (
            Q(identity_index=self.index)
            | Q(birth_date_key__in=self.near_date_keys)
            | Q(birth_year=birth_year, last_name_key__in=names, first_name_key__in=names)
        )


@dataclass(frozen=True)
class TypedIdentity:
    """The digests of an identity typed in a form, under every loaded blind-index key; computed once
    per request and never stored."""

    by_key: dict[str, _KeyedIdentity]
    birth_year: int

    @classmethod
    def of(cls, last_name: str, first_name: str, birth_date: datetime.date) -> "TypedIdentity":
        by_key = {
            key.fingerprint: _KeyedIdentity(
                names=(name_keys(last_name, key), name_keys(first_name, key)),
                index=identity_index(last_name, first_name, birth_date, key),
                birth_date_key=birth_date_digest(birth_date, key),
                near_date_keys=tuple(birth_date_digest(day, key) for day in near_dates(birth_date)),
            )
            for key in get_keyring().index_keys
        }
        return cls(by_key=by_key, birth_year=birth_date.year)

    def candidate_filter(self) -> Q:
        """The people worth scoring: same identity, a near birth date, or both names and the year."""
        condition = Q(pk__in=[])
        for fingerprint, keyed in self.by_key.items():
            condition |= Q(index_key=fingerprint) & keyed.candidates(self.birth_year)
        return condition

    def level(self, person) -> tuple[str, float] | None:
        """(EXACT or POSSIBLE, score) for a candidate person, or None when it is not the same child."""
        keyed = self.by_key.get(person.index_key)
        if keyed is None:
            return None
        if person.identity_index == keyed.index:
            return EXACT, 1.0
        closer, other = name_similarity(keyed.names, stored_names(person))
        same_day = person.birth_date_key == keyed.birth_date_key
        if person.birth_date_key in keyed.near_date_keys and other >= NAME_DICE_THRESHOLD:
            return POSSIBLE, (closer + other) / 2 - (0 if same_day else 0.1)
        # Born the same day with one name alike: the other may carry a typo too bad for its sound.
        if same_day and closer >= SAME_NAME and other >= TYPO_DICE_THRESHOLD:
            return POSSIBLE, (closer + other) / 2 - 0.1
        if person.birth_year == self.birth_year and other == 1.0:
            return POSSIBLE, 0.8
        return None


@dataclass(frozen=True)
class PersonCriteria:
    """A person search: any combination of names and birth date or year, each exact or approximate
    (« approchant »). Typed values live only in the request; the query compares digests."""

    last_name: str = ""
    last_name_approximate: bool = False
    first_name: str = ""
    first_name_approximate: bool = False
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    birth_approximate: bool = False

    def person_filter(self, prefix: str = "") -> Q:
        """A condition on Person (through `prefix`, e.g. "person__"), made of keyed digests only,
        under every loaded blind-index key, each row compared under its own."""
        condition = Q(pk__in=[])
        for key in get_keyring().index_keys:
            condition |= Q(**{f"{prefix}index_key": key.fingerprint}) & self._keyed_filter(key, prefix)
        return condition

    def _keyed_filter(self, key: IndexKey, prefix: str) -> Q:
        condition = Q()
        for field, name, approximate in (
            ("last_name", self.last_name, self.last_name_approximate),
            ("first_name", self.first_name, self.first_name_approximate),
        ):
            if name:
                keys = name_keys(name, key)
                wanted = Q(**{f"{prefix}{field}_key": keys.index or "-"})
                if approximate and keys.phonetic:
                    wanted |= Q(**{f"{prefix}{field}_phonetic": keys.phonetic})
                condition &= wanted
        if self.birth_date:
            days = near_dates(self.birth_date) if self.birth_approximate else [self.birth_date]
            condition &= Q(**{f"{prefix}birth_date_key__in": [birth_date_digest(day, key) for day in days]})
        elif self.birth_year:
            years = [self.birth_year - 1, self.birth_year, self.birth_year + 1]
            condition &= Q(**{f"{prefix}birth_year__in": years if self.birth_approximate else [self.birth_year]})
        return condition
