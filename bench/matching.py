"""Recall and precision of the intake duplicate warning on labelled French name variants.

`variant_pairs` builds pairs of (stored identity, typed identity) from the demo and bench name lists:
- true pairs, the same young person typed differently, by the transformations partners make
  (doubled or single consonant, silent ending, é/e, ph/f, y/i, c/k/qu, hyphen, space or particle,
  upper case, first and last name swapped, one-letter typo: substitution, omission or transposition),
  sometimes with a one-day slip or day and month swapped in the birth date;
- false pairs, two different young people a careless matcher would confuse: twins (same surname,
  same birth date, another first name), the same first name born the same day with another surname,
  a spelling variant of the name born another year, and the same names born another day of another
  year.

`evaluate` runs the warning's decision (`TypedIdentity.level`, the same code as at intake) on each
pair: no database, only the keyed digests. The candidate query of `casework.selectors.matching_people`
selects every person `level` can accept (same identity, a near birth date, or both names and year),
so the decision here is the warning's.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from types import SimpleNamespace

from casework.matching import TypedIdentity, person_match_fields
from core.matching import phonetic

Identity = tuple[str, str, datetime.date]


@dataclass(frozen=True)
class Pair:
    stored: Identity
    typed: Identity
    same: bool
    kind: str


def _names() -> tuple[list[str], list[str]]:
    from bench.generate import FIRST_NAMES as BENCH_FIRST
    from bench.generate import LAST_NAMES as BENCH_LAST
    from casework.demo import FIRST_NAMES as DEMO_FIRST
    from casework.demo import SURNAMES

    compound = ["Le Goff", "de La Fontaine", "Jean-Baptiste", "Marie-Claire", "d'Almeida", "N'Diaye", "Da Silva"]
    last = sorted({*BENCH_LAST, *SURNAMES, *compound[:2], "d'Almeida", "N'Diaye", "Da Silva"})
    first = sorted({*BENCH_FIRST, *(name for names in DEMO_FIRST.values() for name in names), *compound[2:4]})
    # One spelling per sound in the base lists: two base names that sound the same are variants of
    # each other, not different people (Lefebvre and Lefevre).
    return _one_per_sound(last), _one_per_sound(first)


def _one_per_sound(names: list[str]) -> list[str]:
    seen, kept = set(), []
    for name in names:
        if phonetic(name) not in seen:
            seen.add(phonetic(name))
            kept.append(name)
    return kept


ACCENTS = {"e": "é", "é": "e", "è": "e", "ë": "e", "ï": "i", "ô": "o", "o": "ô"}
SOUNDS = [("ph", "f"), ("f", "ph"), ("y", "i"), ("i", "y"), ("c", "k"), ("qu", "k"), ("k", "c"), ("au", "o")]
KEYBOARD = "azertyuiopqsdfghjklmwxcvbn"


def _double(rng, name):
    spots = [i for i in range(1, len(name) - 1) if name[i] in "lnrtsmfp" and name[i - 1] != name[i]]
    if spots:
        i = rng.choice(spots)
        if name[i + 1] == name[i]:
            return name[:i] + name[i + 1 :]
        return name[: i + 1] + name[i] + name[i + 1 :]
    return None


def _silent_ending(rng, name):
    if name.endswith("e") and len(name) > 3:
        return name[:-1]
    if name[-1] in "dt":
        return name[:-1] + ("t" if name[-1] == "d" else "d")
    if name[-1] in "lnr":
        return name + ("le" if name[-1] == "l" else "e")
    return name + rng.choice("st") if name[-1] not in "aeiouéy" else None


def _accent(rng, name):
    spots = [i for i, ch in enumerate(name) if ch in ACCENTS and i > 0]
    if spots:
        i = rng.choice(spots)
        return name[:i] + ACCENTS[name[i]] + name[i + 1 :]
    return None


def _sound(rng, name):
    options = [(a, b) for a, b in SOUNDS if a in name[1:].lower()]
    if options:
        a, b = rng.choice(options)
        i = name.lower().index(a, 1)
        return name[:i] + b + name[i + len(a) :]
    return None


def _spacing(rng, name):
    if "-" in name:
        return name.replace("-", rng.choice([" ", ""]))
    if " " in name or "'" in name:
        words = name.replace("'", " ").split()
        if words[0].lower() in ("de", "d"):
            return " ".join(words[1:])
        return "".join(words)
    return None


def _case(rng, name):
    return name.upper() if rng.random() < 0.5 else name.lower()


def _typo(rng, name):
    if len(name) < 5:
        return None
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(["substitute", "omit", "transpose"])
    if kind == "substitute":
        return name[:i] + rng.choice(KEYBOARD.replace(name[i].lower(), "")) + name[i + 1 :]
    if kind == "omit":
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


NAME_CHANGES = {
    "consonne doublée ou simple": _double,
    "finale muette": _silent_ending,
    "accent": _accent,
    "graphie d'un même son": _sound,
    "tiret, espace, particule": _spacing,
    "majuscules": _case,
    "faute de frappe": _typo,
}


def _born(rng) -> datetime.date:
    return datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(0, 12 * 365))


def _true_pair(rng, last_names, first_names) -> Pair:
    last, first, born = rng.choice(last_names), rng.choice(first_names), _born(rng)
    kind = rng.choice([*NAME_CHANGES, "prénom et nom inversés"])
    typed_last, typed_first = last, first
    if kind == "prénom et nom inversés":
        typed_last, typed_first = first, last
    else:
        change = NAME_CHANGES[kind]
        for _attempt in range(10):
            target = rng.choice(["last", "first"])
            changed = change(rng, typed_last if target == "last" else typed_first)
            if changed and changed != (typed_last if target == "last" else typed_first):
                if target == "last":
                    typed_last = changed
                else:
                    typed_first = changed
                break
    typed_born = born
    slip = rng.random()
    if slip < 0.15:
        typed_born = born + datetime.timedelta(days=rng.choice([-1, 1]))
        kind += " + date à un jour près"
    elif slip < 0.2 and born.day <= 12 and born.day != born.month:
        typed_born = born.replace(month=born.day, day=born.month)
        kind += " + jour et mois inversés"
    return Pair((last, first, born), (typed_last, typed_first, typed_born), True, kind)


def _false_pair(rng, last_names, first_names) -> Pair:
    last, first, born = rng.choice(last_names), rng.choice(first_names), _born(rng)
    other_first = rng.choice([name for name in first_names if name != first])
    other_last = rng.choice([name for name in last_names if name != last])
    other_year = born.replace(year=born.year + rng.choice([-3, -2, -1, 1, 2, 3]), day=min(born.day, 28))
    kind = rng.choice(["jumeau ou jumelle", "même prénom, même jour", "nom approchant, autre année", "homonyme"])
    if kind == "jumeau ou jumelle":
        typed = (last, other_first, born)
    elif kind == "même prénom, même jour":
        typed = (other_last, first, born)
    elif kind == "nom approchant, autre année":
        typed = (_typo(rng, last) or _silent_ending(rng, last) or last, first, other_year)
    else:
        typed = (last, first, other_year.replace(month=rng.randint(1, 12)))
    return Pair((last, first, born), typed, False, kind)


def variant_pairs(size: int, *, seed: int = 2026) -> list[Pair]:
    """`size` labelled pairs, half of them the same young person, half two different ones."""
    rng = random.Random(seed)
    last_names, first_names = _names()
    pairs = [_true_pair(rng, last_names, first_names) for _ in range(size // 2)]
    pairs += [_false_pair(rng, last_names, first_names) for _ in range(size - size // 2)]
    return pairs


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_negatives: int
    false_positives: int
    true_negatives: int
    misses: Counter
    false_alarms: Counter
    by_kind: Counter

    @property
    def recall(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_negatives)

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_positives)


def warns(pair: Pair) -> bool:
    """Whether the intake form warns when `pair.typed` is entered and `pair.stored` is recorded."""
    last, first, born = pair.stored
    stored = SimpleNamespace(birth_year=born.year, **person_match_fields(last, first, born))
    return TypedIdentity.of(*pair.typed).level(stored) is not None


def evaluate(pairs: list[Pair]) -> Scores:
    tp = fn = fp = tn = 0
    misses, false_alarms, by_kind = Counter(), Counter(), Counter()
    for pair in pairs:
        by_kind[pair.kind.split(" + ")[0]] += 1
        warned = warns(pair)
        if pair.same and warned:
            tp += 1
        elif pair.same:
            fn += 1
            misses[pair.kind] += 1
        elif warned:
            fp += 1
            false_alarms[pair.kind] += 1
        else:
            tn += 1
    return Scores(tp, fn, fp, tn, misses, false_alarms, by_kind)


def report(scores: Scores, size: int) -> str:
    lines = [
        f"## Duplicate warning on {size:,} labelled pairs of French name variants",
        "",
        f"- Recall on true variants: **{scores.recall:.1%}** ({scores.true_positives} warned, "
        f"{scores.false_negatives} missed); goal ≥ 95 %",
        f"- Precision of the warning: **{scores.precision:.1%}** ({scores.false_positives} false alarms "
        f"among {scores.true_positives + scores.false_positives} warnings); goal ≥ 90 %",
        f"- Different young people not warned: {scores.true_negatives}",
    ]
    if scores.misses:
        lines.append("- Missed: " + ", ".join(f"{kind} ({n})" for kind, n in scores.misses.most_common()))
    if scores.false_alarms:
        lines.append("- False alarms: " + ", ".join(f"{kind} ({n})" for kind, n in scores.false_alarms.most_common()))
    return "\n".join(lines) + "\n"
