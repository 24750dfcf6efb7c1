"""Which schemes fit a situation, and why (routing).

Age and territory are hard criteria: a scheme that excludes the young person on either is never
marked eligible. Motifs only rank: a scheme that serves none of the situation's motifs may still be
the right one, with a justification. An anonymous situation has no age and no quartier: those
criteria are shown as to be checked, not guessed.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Motif, Situation, Territory
from referrals.models import Scheme

MET, UNKNOWN, EXCLUDED, SOFT_MISS = "met", "unknown", "excluded", "soft_miss"


@dataclass(frozen=True)
class Criterion:
    outcome: str
    text: str


@dataclass(frozen=True)
class SchemeFit:
    scheme: Scheme
    criteria: tuple[Criterion, ...]
    score: int

    @property
    def eligible(self) -> bool:
        return all(criterion.outcome != EXCLUDED for criterion in self.criteria)

    @property
    def recommended(self) -> bool:
        """Eligible, and serving at least one of the situation's motifs (or all motifs)."""
        return self.eligible and all(criterion.outcome != SOFT_MISS for criterion in self.criteria)


@dataclass(frozen=True)
class Profile:
    """What routing knows of a situation: the young person's age and quartier, the situation's motifs."""

    age: int | None
    territory: Territory | None
    motif_ids: frozenset[int]
    anonymous: bool


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def situation_profile(situation: Situation, today: datetime.date | None = None) -> Profile:
    today = today or timezone.localdate()
    person = situation.person
    return Profile(
        age=age_on(person.birth_date, today) if person else None,
        territory=person.territory if person else None,
        motif_ids=frozenset(m.pk for m in situation.motifs.all()),
        anonymous=person is None,
    )


def _age_range(scheme: Scheme) -> str:
    if scheme.min_age is not None and scheme.max_age is not None:
        return _("de %(min)s à %(max)s ans") % {"min": scheme.min_age, "max": scheme.max_age}
    if scheme.min_age is not None:
        return _("à partir de %(min)s ans") % {"min": scheme.min_age}
    return _("jusqu'à %(max)s ans") % {"max": scheme.max_age}


def _age(scheme: Scheme, profile: Profile) -> tuple[Criterion, int]:
    if scheme.min_age is None and scheme.max_age is None:
        return Criterion(MET, _("Tous âges")), 0
    bounds = _age_range(scheme)
    if profile.age is None:
        text = _("Situation anonyme : âge inconnu, tranche %(range)s à vérifier") % {"range": bounds}
        return Criterion(UNKNOWN, text), 0
    values = {"age": profile.age, "range": bounds}
    too_young = scheme.min_age is not None and profile.age < scheme.min_age
    too_old = scheme.max_age is not None and profile.age > scheme.max_age
    if too_young or too_old:
        return Criterion(EXCLUDED, _("%(age)s ans : hors de la tranche %(range)s") % values), 0
    return Criterion(MET, _("%(age)s ans : dans la tranche %(range)s") % values), 1


def _territory(scheme: Scheme, profile: Profile) -> tuple[Criterion, int]:
    served = list(scheme.territories.all())
    if not served:
        return Criterion(MET, _("Tous les quartiers")), 0
    names = ", ".join(t.label for t in served)
    if profile.territory is None:
        if profile.anonymous:
            text = _("Situation anonyme : quartier inconnu, à vérifier (%(list)s)")
        else:
            text = _("Quartier non renseigné : à vérifier (%(list)s)")
        return Criterion(UNKNOWN, text % {"list": names}), 0
    if profile.territory.pk in {t.pk for t in served}:
        return Criterion(MET, _("Quartier %(name)s couvert") % {"name": profile.territory.label}), 1
    return Criterion(
        EXCLUDED,
        _("Quartier %(name)s non couvert (%(list)s)") % {"name": profile.territory.label, "list": names},
    ), 0


def _motifs(scheme: Scheme, profile: Profile) -> tuple[Criterion, int]:
    served = list(scheme.motifs.all())
    if not served:
        return Criterion(MET, _("Tous motifs")), 1
    common = [m.label for m in served if m.pk in profile.motif_ids]
    if common:
        return Criterion(MET, _("Motifs en commun : %(list)s") % {"list": ", ".join(common)}), 2 * len(common)
    return Criterion(
        SOFT_MISS,
        _("Aucun motif de la situation n'est pris en charge (%(list)s)") % {"list": ", ".join(m.label for m in served)},
    ), 0


def scheme_fit(scheme: Scheme, profile: Profile) -> SchemeFit:
    results = [_age(scheme, profile), _territory(scheme, profile), _motifs(scheme, profile)]
    return SchemeFit(scheme, tuple(c for c, _score in results), sum(score for _c, score in results))


def schemes_catalogue():
    """Active schemes with what routing reads, in three queries whatever their number."""
    return (
        Scheme.objects.filter(active=True)
        .select_related("operator")
        .prefetch_related(
            Prefetch("territories", queryset=Territory.objects.order_by("position")),
            Prefetch("motifs", queryset=Motif.objects.order_by("position")),
        )
    )


def scheme_routing(situation: Situation, today: datetime.date | None = None) -> list[SchemeFit]:
    """Every active scheme, eligible ones first, best fit first; each with its reasons."""
    profile = situation_profile(situation, today)
    fits = [scheme_fit(scheme, profile) for scheme in schemes_catalogue()]
    return sorted(fits, key=lambda fit: (not fit.eligible, -fit.score, fit.scheme.name))
