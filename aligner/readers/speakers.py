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
  evidence (used twice, or the transcript's structure), which each reader
  weighs its own way.
- **Roles** (:func:`speaker_label`): a label may carry the speaker's role or
  a note after the name, kept apart from it: ``Casey (caller)`` is the
  speaker "Casey" with the role "caller", and so is ``Priya Mehta, host``
  ("Priya Mehta", "host"). The parenthesised form takes any short words
  (``Casey (voicemail)``, ``Dr. Lee (guest)``), because a name and then
  words in parentheses is no way to open a sentence; the comma form only
  takes a known role word (:data:`ROLE_WORDS`: "host", "guest host",
  "co-host", "caller 2"), because "Kim, listen: ..." is a sentence. A label
  naming a role only (:func:`role_label`: ``[caller]`` alone on a line) is
  a turn by someone the transcript names by role: the speaker is the role
  with a capital ("Caller") and the role is as written ("caller").
- **Pronouns** in parentheses (``Sam Carter (she/her)``, as Zoom shows a
  display name whose owner has set them) are neither part of the name nor a
  role: the speaker is "Sam Carter", with no role. Every piece between the
  slashes must be a pronoun (:data:`PRONOUNS`), so "(and/or)" is no label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NOT_NAMES",
    "PRONOUNS",
    "ROLE_WORDS",
    "Label",
    "is_distinctive",
    "role_label",
    "speaker_label",
    "speaker_name",
]

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
    remember look listen see imagine consider think first second third finally next last lastly again
    honestly seriously basically actually anyway meanwhile besides still yet plus tip hint caution caveat
    reminder spoiler fact truth point lesson moral rule step goal problem solution reason takeaway bonus
    edit ps translation definition verdict recap context premise idea thesis claim myth alert exactly right
    sure true agreed wait hey hi hello oh um uh yeah yep nope because result results
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
) | {"show notes", "editor's note", "editor\u2019s note", "further reading", "full transcript", "bottom line"}
"""Name-shaped words (casefolded) that open ordinary lines or title sections, not turns.

Sentence openers ("Remember:", "Look:", "Honestly:") and weekdays (a diary's
"Monday: ...") are here because a one-word ``Name:`` opening a paragraph can
be a label on structure alone (see :mod:`aligner.readers.markdown`): this
list is what keeps such prose text.
"""

ROLE_WORDS = frozenset(
    """host co-host cohost guest caller interviewer interviewee moderator narrator announcer presenter anchor
    producer reporter correspondent panelist panellist listener translator interpreter speaker participant
    expert contributor commentator audience""".split()
)
"""Role words (casefolded) that ``Name, role:`` and a role-only ``[role]`` line may end in."""

PRONOUNS = frozenset(
    "he him his she her hers they them their theirs xe xem xyr ze zir hir fae faer it its any all".split()
)
"""Pronouns (casefolded) that a ``(she/her)`` after a name is made of: the owner's pronouns, not a role."""

_MAX_ROLE_CHARS = 30
_MAX_ROLE_WORDS = 3
_PAREN_ROLE = re.compile(r"^(?P<name>[^()]+?) ?\((?P<role>[^()]+)\)$")


@dataclass(frozen=True, slots=True)
class Label:
    """A speaker label's name and, where the label gives one, the speaker's role ("caller")."""

    name: str
    role: str | None = None


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


def speaker_label(raw: str) -> Label | None:
    """``raw`` (a label's text without its colon) as a name and a role, or None if it is no label.

    ``"Casey (caller)"`` -> ("Casey", "caller"); ``"Priya Mehta, host"`` ->
    ("Priya Mehta", "host"); ``"Kim"`` -> ("Kim", None); ``"Sam Carter
    (she/her)"`` -> ("Sam Carter", None), pronouns dropped. The name must pass
    :func:`speaker_name`; the role is 1-3 words of letters, digits, hyphens,
    apostrophes and dots, at most 30 characters, kept as written
    (whitespace collapsed). After a comma it must end in a role word
    (:data:`ROLE_WORDS`, "guest host", "caller 2"), so "Kim, listen" fails.
    """
    text = " ".join(raw.split())
    paren = _PAREN_ROLE.match(text)
    if paren:
        name = speaker_name(paren.group("name"))
        if name and _is_pronouns(paren.group("role")):
            return Label(name)
        role = _role(paren.group("role"), known=False)
        return Label(name, role) if name and role else None
    if "," in text:
        before, _, after = text.partition(",")
        name, role = speaker_name(before), _role(after, known=True)
        return Label(name, role) if name and role else None
    name = speaker_name(text)
    return Label(name) if name else None


def role_label(raw: str) -> Label | None:
    """A role-only label's text (``[caller]`` without its brackets) as a Label, or None.

    The text must be a known role, 1-3 words ending in a role word
    (:data:`ROLE_WORDS`; a number may follow: "caller 2"). The speaker is
    the role with its first letter capitalised, so captions and the WebVTT
    voice read "Caller"; the role stays as written:

    >>> role_label("caller")
    Label(name='Caller', role='caller')
    >>> role_label("laughs") is None
    True
    """
    role = _role(raw, known=True)
    return Label(role[0].upper() + role[1:], role) if role else None


def _role(raw: str, *, known: bool) -> str | None:
    """``raw`` as a role (see :func:`speaker_label`), or None; ``known``: it must end in a role word."""
    role = " ".join(raw.split())
    words = role.split(" ")
    if not role or len(role) > _MAX_ROLE_CHARS or len(words) > _MAX_ROLE_WORDS:
        return None
    if not all(word[0].isalnum() and all(c.isalnum() or c in "-'\u2019." for c in word) for word in words):
        return None
    if not any(c.isalpha() for c in role):
        return None
    if known:
        head = words[-2] if len(words) > 1 and words[-1].isdigit() else words[-1]
        if head.casefold() not in ROLE_WORDS:
            return None
    return role


def _is_pronouns(raw: str) -> bool:
    """Whether ``raw`` is a set of pronouns: two or three of :data:`PRONOUNS` between slashes ("she/her")."""
    pieces = [piece.strip().casefold() for piece in raw.split("/")]
    return 2 <= len(pieces) <= 3 and all(piece in PRONOUNS for piece in pieces)


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
