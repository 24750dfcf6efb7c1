"""Approximate matching of French names without plaintext at rest (privacy invariant 2).

Pure functions over text, no key and no model: `casework` turns their output into keyed digests
(HMAC with a subkey derived from the blind-index key), and only the digests are stored.

- `compact` is the name as a careful human compares it: case, accents, spaces, hyphens and
  apostrophes do not count; the separated particles « de », « du », « des », « d' » are dropped,
  and « le », « la », « l' » are glued to what follows (« Le Goff » = « Legoff »).
- `phonetic` is a French phonetic code, a variant of Frédéric Brouard's Phonex rewritten to give a
  short string instead of a real number: French spellings of one sound collapse (ph/f, y/i, qu/c/k,
  eau/au/o, ai/ei/é, an/en/am/em, in/ain/ein/un, ch/sh/sch, soft c and g), mute h goes, doubled
  letters count once and silent endings (-e, -s, -t, -d, -x, -z, -p, -er, -ez, -et) are dropped.
  Why not Soundex (English consonant classes: it merges Durand and Dorin) nor a full Soundex-FR
  library (none is maintained, and the rules fit in this page, so they can be read and tested).
- `bigrams` feed a Bloom filter (built with a keyed hash by the caller) compared by `dice`: this
  catches what a phonetic code cannot, a one-letter typo (« Moucheval » / « Mouchaval »), as the
  privacy-preserving record linkage literature does (Schnell et al. 2009; clkhash).
"""

import re
import unicodedata
from collections.abc import Callable

# Separated particles that people drop or keep at will (« de La Fontaine », « d'Almeida »).
DROPPED_PARTICLES = frozenset({"de", "du", "des", "d"})
# Articles that belong to the name and are written glued or apart (« Le Goff », « Legoff »).
GLUED_ARTICLES = frozenset({"le", "la", "l"})

BLOOM_BITS = 512
BLOOM_HASHES = 6


def _words(value: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return re.findall(r"[a-z]+", stripped)


def compact(value: str) -> str:
    """The name in lower-case letters only, particles handled as a person would (see module doc)."""
    words = _words(value)
    kept: list[str] = []
    for position, word in enumerate(words):
        last = position == len(words) - 1
        if word in DROPPED_PARTICLES and not last:
            continue
        kept.append(word)
    return "".join(kept)


# Order matters: each rule sees the result of the previous ones. Digits are sounds, not letters:
# 1 = an/en, 2 = on, 3 = in/un, 4 = ch, 8 = ou.
_PHONETIC_RULES: list[tuple[str, str]] = [
    (r"Y", "I"),
    (r"PH", "F"),
    (r"BV", "V"),
    (r"CH(?=[LR])", "K"),
    (r"S?CH|SH", "4"),
    (r"(?<=[^4])H|^H", ""),
    (r"GE(?=[AOU])", "J"),
    (r"G(?=[EI])", "J"),
    (r"GU(?=[AEI])", "G"),
    (r"QU|Q|CK", "K"),
    (r"C(?=[EI])", "S"),
    (r"C", "K"),
    (r"W", "V"),
    # Silent endings, before the vowels are rewritten.
    (r"(?<=.)E[RZT]$", "E"),
    (r"(?<=..)[ESTDXZP]+$", ""),
    (r"X", "KS"),
    (r"Z", "S"),
    (r"EAU|AU", "O"),
    (r"OU", "8"),
    (r"OI", "OA"),
    (r"(?:AI|EI)(?=[NM])(?![NM][AEIOU8])", "3"),
    (r"[AE][NM](?![AEIOUNM8])", "1"),
    (r"O[NM](?![AEIOUNM8])", "2"),
    (r"(?:I|U)[NM](?![AEIOUNM8])", "3"),
    (r"AI|EI", "E"),
]
_COMPILED = [(re.compile(pattern), replacement) for pattern, replacement in _PHONETIC_RULES]


def phonetic(value: str) -> str:
    """French phonetic code of a name, empty for a name without letters."""
    text = re.sub(r"(.)\1+", r"\1", compact(value).upper())
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return re.sub(r"(.)\1+", r"\1", text)


def bigrams(value: str) -> set[str]:
    """Letter pairs of the compact name, padded so that first and last letters weigh as much."""
    text = f"_{compact(value)}_"
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 2 else set()


def bloom(value: str, keyed_hash: Callable[[str], bytes]) -> int:
    """A Bloom filter of the name's bigrams, as an integer of BLOOM_BITS bits.

    `keyed_hash` is an HMAC: without its key, the filter cannot be rebuilt from a guessed name."""
    bits = 0
    for gram in bigrams(value):
        digest = keyed_hash(gram)
        for n in range(BLOOM_HASHES):
            bits |= 1 << (int.from_bytes(digest[2 * n : 2 * n + 2], "big") % BLOOM_BITS)
    return bits


def dice(a: int, b: int) -> float:
    """Dice coefficient of two Bloom filters: 1.0 for the same set of bigrams, 0.0 for none shared."""
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0
