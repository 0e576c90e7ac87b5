"""Seeded sentences: fill the phrase bank's slots and apply the edits an editor makes to a transcript.

A sentence is built as a list of :class:`Piece` (what is said, what is written) and rendered to the markup
that fixtures/make_episode.py's ``parse_turn`` reads: a plain token is said and written; ``{said|written|kind}``
is an edit. Every random choice comes from the one ``random.Random`` given, so a seed fixes the episode.

Edits, each a kind recorded in the truth:

- ``numeral``: numbers are said as words and written as digits ("forty percent" -> "40%", "twenty nineteen"
  -> "2019"); numbers under ten stay words, as editors write them.
- ``substitution``: a word lightly edited ("big" -> "large"); ``contraction``: "it is" said, "it's" written;
  ``hyphenated``: "hand drawn" said, "hand-drawn" written (from the phrase bank).
- ``filler`` ("um", "uh", "you know", "I mean") and ``repetition`` ("the the") are said, not written.
- ``*emphasis*`` is written and said plainly (not an edit: the word is the same).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from synth import phrases
from synth.phrases import Topic

SLOT = re.compile(r"<([a-z_0-9]+)>")
_EDIT = re.compile(r"\{([^|}]*)\|([^|}]*)\|([a-z]+)\}(\S*)|(\S+)")
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


@dataclass(frozen=True)
class Piece:
    """One token of a sentence: what the voice says and what the transcript shows.

    ``kind`` is None for a plain token (said as written, Markdown aside), else the edit's kind. ``suffix``
    is punctuation after an edit, shared by both sides.
    """

    said: str
    written: str
    kind: str | None = None
    suffix: str = ""

    def markup(self) -> str:
        if self.kind is None:
            return self.written
        return f"{{{self.said}|{self.written}|{self.kind}}}{self.suffix}"


def number_words(n: int) -> str:
    """Cardinal words for 0 <= n < 10000, without "and" ("three hundred twelve")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} hundred" + (f" {number_words(rest)}" if rest else "")
    rest = n % 1000
    return f"{number_words(n // 1000)} thousand" + (f" {number_words(rest)}" if rest else "")


def year_words(year: int) -> str:
    """A year as said: 1998 "nineteen ninety eight", 2005 "two thousand five", 2019 "twenty nineteen"."""
    if 2000 <= year < 2010:
        return number_words(year)
    high, low = divmod(year, 100)
    return f"{number_words(high)} {number_words(low) if low >= 10 else 'oh ' + number_words(low)}"


class Grammar:
    """Fills templates for one episode: its topic, cast and show, with one random generator."""

    def __init__(self, rng: random.Random, topic: Topic, names: dict[str, str]) -> None:
        self.rng = rng
        self.topic = topic
        self.names = names  # host, host_first, guest, guest_first, guest2, ..., show, role, role2, brand, ...
        self._decks: dict[str, list[str]] = {}

    # --- drawing without early repeats --------------------------------------------------------------

    def draw(self, name: str, options: Sequence[str]) -> str:
        """The next option from a shuffled deck, reshuffled when used up: no repeat until all were used."""
        deck = self._decks.get(name)
        if not deck:
            deck = list(options)
            self.rng.shuffle(deck)
            self._decks[name] = deck
        return deck.pop()

    # --- slots ------------------------------------------------------------------------------------

    def _numeral(self, said: str, written: str) -> list[Piece]:
        return [Piece(said, written, "numeral")]

    def _slot(self, name: str) -> list[Piece]:
        rng = self.rng
        if name in ("thing", "things", "people", "doing", "place"):
            return pieces(self.draw(name, getattr(self.topic, name)))
        if name == "topic":
            return pieces(self.topic.topic)
        if name == "year":
            year = rng.choice([rng.randint(1985, 1999), rng.randint(2001, 2009), rng.randint(2011, 2023)])
            return self._numeral(year_words(year), str(year))
        if name == "pct":
            value = rng.choice([10, 15, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90])
            return self._numeral(f"{number_words(value)} percent", f"{value}%")
        if name == "count":
            value = rng.choice([12, 20, 30, 40, 50, 60, 80, 100, 200, 300, 500, 1000, 2000, 5000])
            written = f"{value:,}" if value >= 1000 and rng.random() < 0.5 else str(value)
            if value >= 100 and rng.random() < 0.3:  # written as said, no edit
                return pieces(number_words(value))
            return self._numeral(number_words(value), written)
        if name == "few":
            value = rng.choice([2, 3, 5, 10, 15, 20])
            if value < 10:
                return pieces(number_words(value))
            return self._numeral(number_words(value), str(value))
        if name == "episode":
            value = rng.randint(112, 298)
            said = f"{number_words(value // 100)} {number_words(value % 100)}"  # "one ninety three"
            return self._numeral(said, str(value))
        if name == "price":
            value = rng.choice([20, 30, 40, 50, 100])
            return self._numeral(f"{number_words(value)} dollars", f"${value}")
        if name == "month":
            return pieces(rng.choice(phrases.MONTHS))
        if name in self.names:
            return pieces(self.names[name])
        raise KeyError(f"unknown slot <{name}>")

    def fill(self, template: str) -> list[Piece]:
        """Replace every slot of ``template`` by its pieces; punctuation after a slot sticks to its last piece."""
        out: list[Piece] = []
        for token in template.split(" "):
            match = SLOT.fullmatch(token.rstrip(".,?!:;")) if token.startswith("<") else None
            if match is None:
                out += pieces(token)
                continue
            filled = self._slot(match.group(1))
            tail = token[len(match.group(0)) :]
            if tail:
                last = filled[-1]
                filled[-1] = (
                    Piece(last.said + tail, last.written + tail)
                    if last.kind is None
                    else Piece(last.said, last.written, last.kind, last.suffix + tail)
                )
            out += filled
        return capitalize(out)

    # --- edits ------------------------------------------------------------------------------------

    def edit(self, sentence: list[Piece], *, fillers: float, repetitions: float, light_edits: float) -> list[Piece]:
        """Apply an editor's changes at the given rates (per sentence for fillers and repetitions, per
        candidate word for substitutions, contractions and emphasis)."""
        rng = self.rng
        out: list[Piece] = []
        for piece in sentence:
            bare, suffix = split_punctuation(piece.said) if piece.kind is None else ("", "")
            lower = bare.casefold()
            if piece.kind is None and piece.said == piece.written and bare:
                if lower in phrases.SUBSTITUTIONS and rng.random() < light_edits:
                    written = match_case(phrases.SUBSTITUTIONS[lower], bare)
                    out.append(Piece(bare, written, "substitution", suffix))
                    continue
                full = next((v for k, v in phrases.CONTRACTIONS.items() if k.casefold() == lower), None)
                if full is not None and rng.random() < light_edits:
                    out.append(Piece(match_case(full, bare), bare, "contraction", suffix))
                    continue
                if lower in phrases.EMPHASIS and rng.random() < light_edits / 3:
                    out.append(Piece(piece.said, f"*{bare}*{suffix}"))
                    continue
            out.append(piece)
        if rng.random() < repetitions:
            repeatable = {w.casefold() for w in phrases.REPEATABLE}
            spots = [
                i for i, p in enumerate(out) if p.kind is None and split_punctuation(p.said)[0].casefold() in repeatable
            ]
            if spots:
                i = rng.choice(spots)
                word = split_punctuation(out[i].said)[0]
                said = word if word == "I" else word.lower()
                out.insert(i, Piece(said, "", "repetition"))
        if rng.random() < fillers:
            spots = [0] + [i + 1 for i, p in enumerate(out[:-1]) if (p.written + p.suffix).endswith(",")]
            i = rng.choice(spots)
            filler = rng.choice(phrases.FILLERS)
            if i > 0:
                filler = filler[0].lower() + filler[1:] if not filler.startswith("I ") else filler
            out.insert(i, Piece(filler, "", "filler"))
        return out


def pieces(text: str) -> list[Piece]:
    """Split phrase-bank text into pieces: plain tokens and ``{said|written|kind}`` edits."""
    out = []
    for said, written, kind, suffix, plain in _EDIT.findall(text):
        out.append(Piece(plain, plain) if plain else Piece(said, written, kind, suffix))
    return out


def split_punctuation(token: str) -> tuple[str, str]:
    """("word", ",") from "word,"; leading Markdown/quotes stay on the word."""
    match = re.match(r"^(.*?[\w%])([^\w%]*)$", token)
    return (match.group(1), match.group(2)) if match else (token, "")


def match_case(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def capitalize(sentence: list[Piece]) -> list[Piece]:
    if not sentence:
        return sentence
    first = sentence[0]
    up = lambda s: s[:1].upper() + s[1:]
    return [Piece(up(first.said), up(first.written), first.kind, first.suffix), *sentence[1:]]


def markup(sentence: list[Piece]) -> str:
    """The sentence in make_episode's edit syntax."""
    return " ".join(p.markup() for p in sentence)


def said_text(sentence: list[Piece]) -> str:
    return " ".join(p.said for p in sentence if p.said)
