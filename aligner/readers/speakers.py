"""What a speaker name looks like, the same in every format.

A label is only as good as the test of its name: ordinary lines look like
labels all the time ("Remember: ...", "# Brain Inspired", "So what I think
is: ..."). Every reader asks :func:`speaker_name` before taking a line's
first words as a speaker, so a name that is a label in Markdown is one in a
timestamped export, an SRT cue or a Word document too.

Decisions worth knowing:

- A name is 1-4 words, at most 40 characters, at least one capitalised word
  (letters, hyphens, apostrophes, initials' dots: "J. R. Smith",
  "Damian Kelty-Stephen", "Bence Ölveczky"); the others may be particles
  ("Ana de la Cruz", "Ludwig van Beethoven"). A trailing number is allowed
  after a role word only ("Speaker 2", "Guest 1"; not "Episode 193").
- Section words that are shaped like names ("Transcript", "Show Notes",
  "Sponsors", "Yes", "However") are never names: they open ordinary lines
  and title sections, not turns.
- A ``Name:`` seen once is a name only when it is *distinctive*
  (:func:`is_distinctive`): several words ("Paul Middlebrooks") or all in
  capitals ("PAUL"). A single capitalised word and a colon is far more often
  a sentence ("Remember: ...") than a speaker, so "Paul:" needs other
  evidence (used twice), which each reader weighs its own way.
"""

from __future__ import annotations

__all__ = ["NOT_NAMES", "is_distinctive", "speaker_name"]

_MAX_NAME_CHARS = 40
_MAX_NAME_WORDS = 4
_PARTICLES = frozenset("de da di del della der den van von du la le el al bin ibn ben dos das do ter ten y".split())
_ROLE_WORDS = frozenset("speaker guest host interviewer interviewee participant caller voice person".split())
NOT_NAMES = frozenset(
    """transcript introduction intro outro summary notes contents episode chapter part conclusion
    references links credits sponsors sponsor advertisement ad acknowledgements acknowledgments note
    update correction related resources about abstract overview background music yes no ok okay so
    well now then also and but or however today here there why what how when where who important
    warning example source sources bio highlights timestamps quote disclaimer subscribe
    """.split()
) | {"show notes", "editor's note", "editor\u2019s note", "further reading", "full transcript"}
"""Name-shaped words (casefolded) that open ordinary lines or title sections, not turns."""


def speaker_name(raw: str) -> str | None:
    """``raw`` as a speaker name (whitespace collapsed), or None if it is not name-shaped.

    A name is 1-4 words, at least one capitalised, the others particles ("de",
    "van"); a trailing number is allowed after a role word ("Speaker 2"). Words
    hold letters, hyphens, apostrophes and initials' dots only, so a sentence
    ("So what I think is") or a title ("Kim Stachenfeld on the dance...") fails.
    """
    name = " ".join(raw.split())
    if not name or len(name) > _MAX_NAME_CHARS:
        return None
    words = name.split(" ")
    if len(words) > _MAX_NAME_WORDS or name.casefold() in NOT_NAMES:
        return None
    capitalised = 0
    for position, word in enumerate(words):
        if word.isascii() and word.isdigit():
            if position == len(words) - 1 and position > 0 and words[0].casefold() in _ROLE_WORDS:
                continue
            return None
        if word in _PARTICLES:
            continue
        if not _is_name_word(word):
            return None
        capitalised += 1
    return name if capitalised else None


def is_distinctive(name: str) -> bool:
    """Whether a name is unlike a capitalised word opening a sentence: several words, or all capitals."""
    return " " in name or name.isupper()


def _is_name_word(word: str) -> bool:
    if not (word[0].isalpha() and word[0].isupper()):
        return False
    if not all(c.isalpha() or c in "-'\u2019." for c in word):
        return False
    if "." in word:  # initials and abbreviations only: "J.", "J.R.", "Jr."
        pieces = word.rstrip(".").split(".")
        return all(0 < len(piece) <= 3 for piece in pieces)
    return word[-1].isalpha()
