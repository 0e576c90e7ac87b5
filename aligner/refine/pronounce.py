"""Pronunciations (ARPAbet phones) for recognized words, for the forced aligner.

The forced aligner needs every word's phones. Most words are in its
pronouncing dictionary; the rest are recognizer spellings the dictionary
lacks, and they are still said aloud, so each gets a pronunciation by the
first of these that works:

1. a symbol said as a word ("%" -> "percent");
2. the dictionary itself, for the word as written ("can't", "that's");
3. the word's spoken forms from :func:`aligner.normalize.word_keys`, split
   into dictionary words: digits become number words ("193" -> "one ninety
   three" and "one hundred ninety three", each a separate alternative: the
   aligner picks whichever was said), hyphenated and run-together words
   become their parts ("deep-learning" -> "deep learning"), a possessive or
   plural "s" after a dictionary word is a final Z;
4. a guess from the spelling (:func:`guess_phones`), rough but with about the
   right number and kind of sounds, which is what timing needs.

The dictionary is passed in as a lookup function, so this module has no
dependency on the aligner that owns it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aligner.normalize import APOSTROPHES, word_keys

__all__ = ["guess_phones", "pronunciations", "split_into_words"]

Lookup = Callable[[str], "str | None"]
"""A pronouncing dictionary: word -> space-separated phones, or None."""

MAX_ALTERNATIVES = 4
"""Spoken forms kept per word (numbers have several)."""

_SYMBOLS = {
    "%": "percent",
    "&": "and",
    "+": "plus",
    "=": "equals",
    "@": "at",
    "#": "number",
    "$": "dollars",
    "£": "pounds",
    "€": "euros",
}
_EDGE = re.compile(r"^[^\w%&+=@#$£€]+|[^\w%]+$")
_MIN_PART = 3  # shortest dictionary word used as a part, beyond "a" and "i" (no letter names)


def _fold(text: str) -> str:
    return _EDGE.sub("", text.casefold().translate(APOSTROPHES))


def split_into_words(key: str, lookup: Lookup) -> list[str] | None:
    """The fewest dictionary words that spell ``key`` end to end, or None.

    Parts are at least three letters long (or "a", "i"), so a name is not
    spelled out of letter names and abbreviations; a final "s" after a part
    is allowed (kept as the part "s", pronounced Z by :func:`pronunciations`).

    >>> words = {"one": "W AH N", "ninety": "N AY N T IY", "three": "TH R IY"}
    >>> split_into_words("oneninetythree", words.get)
    ['one', 'ninety', 'three']
    """
    n = len(key)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        here = best[i]
        if here is None:
            continue
        for j in range(i + 1, n + 1):
            part = key[i:j]
            is_word = (len(part) >= _MIN_PART or part in ("a", "i")) and lookup(part) is not None
            is_final_s = part == "s" and j == n and i > 0
            there = best[j]
            if (is_word or is_final_s) and (there is None or len(here) + 1 < len(there)):
                best[j] = [*here, part]
    return best[n]


def _phones_of(parts: list[str], lookup: Lookup) -> str:
    return " ".join("Z" if part == "s" and k > 0 else lookup(part) or "" for k, part in enumerate(parts)).strip()


def pronunciations(text: str, lookup: Lookup) -> tuple[str, ...]:
    """Alternative pronunciations of a recognized word, best first; () if it has no letters or digits.

    See the module docstring for the order of attempts. A dictionary word
    returns its own first entry only: the aligner's dictionary adds the
    word's listed alternatives itself.
    """
    folded = _fold(text)
    if not folded:
        return ()
    if folded in _SYMBOLS:
        folded = _SYMBOLS[folded]
    direct = lookup(folded)
    if direct:
        return (direct,)
    found: list[str] = []
    keys = word_keys(text) or word_keys(folded)
    for key in (*keys[1:], *keys[:1]):  # spoken forms first; the primary key may hold digits
        if re.search(r"[0-9]", key):
            continue
        parts = split_into_words(key, lookup)
        if parts:
            phones = _phones_of(parts, lookup)
            if phones and phones not in found:
                found.append(phones)
    if not found:
        letters = re.sub(r"[^a-z]", "", keys[0] if keys else folded)
        guess = guess_phones(letters)
        if guess:
            found.append(guess)
    return tuple(found[:MAX_ALTERNATIVES])


# Letter-to-sound rules, longest spelling first at each position. Rough on
# purpose: the aligner only needs sounds of the right kind and number.
_RULES: tuple[tuple[str, str], ...] = (
    ("tch", "CH"),
    ("sch", "S K"),
    ("igh", "AY"),
    ("ough", "OW"),
    ("augh", "AO"),
    ("tion", "SH AH N"),
    ("sion", "ZH AH N"),
    ("ch", "CH"),
    ("sh", "SH"),
    ("th", "TH"),
    ("ph", "F"),
    ("wh", "W"),
    ("ck", "K"),
    ("ng", "NG"),
    ("qu", "K W"),
    ("gh", "G"),
    ("ee", "IY"),
    ("ea", "IY"),
    ("oo", "UW"),
    ("ou", "AW"),
    ("ow", "OW"),
    ("ai", "EY"),
    ("ay", "EY"),
    ("oi", "OY"),
    ("oy", "OY"),
    ("au", "AO"),
    ("aw", "AO"),
    ("ie", "IY"),
    ("ei", "EY"),
    ("ey", "IY"),
    ("ue", "UW"),
    ("ew", "UW"),
    ("oa", "OW"),
    ("er", "ER"),
    ("ir", "ER"),
    ("ur", "ER"),
    ("ar", "AA R"),
    ("or", "AO R"),
    ("a", "AE"),
    ("b", "B"),
    ("d", "D"),
    ("e", "EH"),
    ("f", "F"),
    ("h", "HH"),
    ("i", "IH"),
    ("j", "JH"),
    ("k", "K"),
    ("l", "L"),
    ("m", "M"),
    ("n", "N"),
    ("o", "AA"),
    ("p", "P"),
    ("q", "K"),
    ("r", "R"),
    ("s", "S"),
    ("t", "T"),
    ("u", "AH"),
    ("v", "V"),
    ("w", "W"),
    ("x", "K S"),
    ("z", "Z"),
)
_VOWEL_LETTERS = frozenset("aeiouy")


def guess_phones(word: str) -> str:
    """A rough pronunciation from the spelling of a lowercase ASCII word ("" if none).

    Knows common digraphs, soft c and g before e/i/y, a silent final e,
    silent initial k/w before n/r, doubled consonants said once, and y as a
    consonant at the start and a vowel elsewhere.

    >>> guess_phones("olveczky")
    'AA L V EH K Z K IY'
    >>> guess_phones("shane")
    'SH AE N'
    """
    word = re.sub(r"[^a-z]", "", word)
    if len(word) > 1 and word[:2] in ("kn", "wr", "gn"):
        word = word[1:]
    if (
        len(word) > 2
        and word.endswith("e")
        and word[-2] not in _VOWEL_LETTERS
        and any(c in _VOWEL_LETTERS for c in word[:-2])
    ):
        word = word[:-1]
    phones: list[str] = []
    i = 0
    while i < len(word):
        c = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        if c == nxt and c not in _VOWEL_LETTERS:
            i += 1  # a doubled consonant is said once
            continue
        if c == "c":
            phones.append("S" if nxt in ("e", "i", "y") else "K")
            i += 1
            continue
        if c == "g" and nxt in ("e", "i", "y"):
            phones.append("JH")
            i += 1
            continue
        if c == "y":
            phones.append("Y" if i == 0 and nxt in _VOWEL_LETTERS else "IY" if i == len(word) - 1 else "IH")
            i += 1
            continue
        for spelling, sound in _RULES:
            if word.startswith(spelling, i):
                phones.extend(sound.split())
                i += len(spelling)
                break
        else:
            i += 1
    return " ".join(phones)
