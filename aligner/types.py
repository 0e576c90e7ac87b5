"""Records passed between the pipeline stages.

Every stage returns new frozen records; nothing is mutated in place. All times
are integer milliseconds (``*_ms``): floats from the recognizer are converted
once, in :mod:`aligner.recognize`, and formatted only in :mod:`aligner.timecode`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16000
"""Samples per second of all decoded audio (mono float32): what Whisper, VAD and pocketsphinx take."""


class WordStatus(str, enum.Enum):
    """How a transcript word got its time.

    ``matched``: paired with recognized speech, which gives its time.
    ``interpolated``: not recognized, but its neighbours were and there is
    speech between them; its time is spread over that speech.
    ``not_in_audio``: no speech for it; it has no time.
    """

    MATCHED = "matched"
    INTERPOLATED = "interpolated"
    NOT_IN_AUDIO = "not_in_audio"


class TimingMethod(str, enum.Enum):
    """What placed a timed word's start and end (see :mod:`aligner.refine`).

    ``sphinx``: forced alignment of the recognized words to the audio
    (pocketsphinx, 10 ms frames). ``onset``: as ``sphinx``, with an edge
    next to a pause moved to where the signal's energy rises or falls.
    ``whisper``: the recognizer's own word times (refinement off, or it failed
    for this word). ``acoustic``: a transcript word the recognizer did not
    hear, found in the audio by the forced aligner (:mod:`aligner.confirm`).
    ``interpolated``: spread between timed neighbours.
    """

    SPHINX = "sphinx"
    ONSET = "onset"
    WHISPER = "whisper"
    ACOUSTIC = "acoustic"
    INTERPOLATED = "interpolated"


class TokenKind(str, enum.Enum):
    """What a transcript token is: a word to align or a non-speech note."""

    WORD = "word"
    NOTE = "note"  # [music], [laughs], ...: kept for captions, never aligned


@dataclass(frozen=True, slots=True)
class Audio:
    """Decoded audio: mono float32 samples at ``sample_rate`` Hz."""

    path: str
    samples: np.ndarray = field(repr=False)
    sample_rate: int
    duration_ms: int
    sha256: str


@dataclass(frozen=True, slots=True)
class AsrWord:
    """One word as the recognizer heard it."""

    text: str
    start_ms: int
    end_ms: int
    probability: float


@dataclass(frozen=True, slots=True)
class SpeechRegion:
    """A stretch of audio that voice activity detection found to hold speech."""

    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class Recognition:
    """What the recognizer produced for one audio file."""

    words: tuple[AsrWord, ...]
    speech: tuple[SpeechRegion, ...]
    duration_ms: int
    model: str
    language: str


@dataclass(frozen=True, slots=True)
class PartialRecognition:
    """The first windows of a recognition: what an interrupted run leaves for the next one to resume from.

    Recognition is nearly all of a run's time; on a 3-hour episode an
    interruption near the end would otherwise cost the whole of it again.
    ``done_samples`` counts 16 kHz samples, not ms, because the next window
    must start at exactly the sample where this one was cut (a pause found by
    VAD), for the resumed run to hear exactly what an uninterrupted one would.
    """

    window_ms: int
    done_samples: int
    words: tuple[AsrWord, ...]
    speech: tuple[SpeechRegion, ...]

    @property
    def done_ms(self) -> int:
        return self.done_samples * 1000 // SAMPLE_RATE


@dataclass(frozen=True, slots=True)
class Refinement:
    """The recognized words re-timed against the audio (see :mod:`aligner.refine`).

    ``words[i]`` is the recognition's word ``i`` with new ``start_ms`` and
    ``end_ms`` (text and probability unchanged); ``methods[i]`` says what
    placed it: ``sphinx``, ``onset`` or ``whisper`` (kept, refinement failed).
    """

    words: tuple[AsrWord, ...]
    methods: tuple[TimingMethod, ...]


@dataclass(frozen=True, slots=True)
class Token:
    """One transcript token, exactly as written in the source.

    ``text`` keeps the original spelling and punctuation (``“Brain``,
    ``Inspired,”``); ``start_char``/``end_char`` are its span in the source
    text (Python string indices into the decoded file). ``paragraph`` counts
    paragraphs (blocks) from 0; a heading, byline or speaker turn starts a new
    one. ``is_heading`` marks text outside the spoken body (title, byline,
    dividers' neighbours, the closing line): it is aligned like any word but is
    expected to be absent from the audio. ``is_section_title`` marks the
    tokens of a Markdown heading line that is not a speaker label (the title,
    ``## Part two: memory``); such tokens are also ``is_heading``. Chapters
    are made from the section titles inside the body.
    """

    index: int
    text: str
    kind: TokenKind
    speaker: str | None
    paragraph: int
    start_char: int
    end_char: int
    is_heading: bool = False
    is_section_title: bool = False


@dataclass(frozen=True, slots=True)
class Stamp:
    """A time the transcript itself gives for one of its tokens.

    Timestamped speaker lines (``Jane (00:01:02):``) and caption cues say
    roughly when their first word is spoken: usually within a few seconds,
    but sometimes far off (captions made for an earlier cut, a typo). The
    aligner takes them as hints only, never over clear word matches (see
    :mod:`aligner.match`).
    """

    token_index: int  # index into Transcript.tokens of the first token it times
    time_ms: int


@dataclass(frozen=True, slots=True)
class Transcript:
    """A parsed transcript: its tokens in order, the speakers named, and any
    times the source gives (``stamps``, in token order; empty for Markdown).

    ``speaker_roles`` pairs a speaker with the role its label gives
    (``Casey (caller):`` -> ``("Casey", "caller")``), in the order of
    ``speakers``, one pair per speaker that has a role; the name alone is
    the speaker everywhere else. A tuple of pairs rather than a dict keeps
    the record frozen; ``dict(transcript.speaker_roles)`` looks roles up.
    """

    path: str
    tokens: tuple[Token, ...]
    speakers: tuple[str, ...]
    stamps: tuple[Stamp, ...] = ()
    speaker_roles: tuple[tuple[str, str], ...] = ()


class OpKind(str, enum.Enum):
    MATCH = "match"  # transcript token(s) paired with recognized word(s)
    DELETE = "delete"  # transcript token with no recognized counterpart
    INSERT = "insert"  # recognized word with no transcript counterpart


@dataclass(frozen=True, slots=True)
class AlignOp:
    """One step of the alignment between transcript words and recognized words.

    A MATCH may pair one transcript token with several recognized words
    ("neuroscience" heard as "neuro science") or several tokens with one word
    ("I am" heard as "I'm"). ``token_indices`` index ``Transcript.tokens``;
    ``asr_indices`` index ``Recognition.words``. ``similarity`` is 1.0 for an
    exact match of the normalised forms and lower for fuzzy matches.
    """

    kind: OpKind
    token_indices: tuple[int, ...]
    asr_indices: tuple[int, ...]
    similarity: float = 0.0


@dataclass(frozen=True, slots=True)
class TimedWord:
    """A transcript word (or note) with its time and how that time was found."""

    token: Token
    start_ms: int | None
    end_ms: int | None
    status: WordStatus
    confidence: float
    heard: str | None = None  # the recognized text it was matched to
    method: TimingMethod | None = TimingMethod.WHISPER  # what placed the time; None when untimed


@dataclass(frozen=True, slots=True)
class AudioOnlyRegion:
    """Speech in the audio that the transcript does not contain."""

    start_ms: int
    end_ms: int
    text: str
    word_count: int


@dataclass(frozen=True, slots=True)
class ExtraWord:
    """A recognized word that no transcript word took: a filler, a false start, a word of a cut sentence.

    Times are the (refined) recognizer's; what :mod:`aligner.cut` removes.
    """

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class Cue:
    """One caption: its lines as shown, its time and speaker."""

    index: int
    start_ms: int
    end_ms: int
    lines: tuple[str, ...]
    speaker: str | None
    word_indices: tuple[int, ...]  # indices into Result.words shown in this cue
    is_note: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts over the transcript's words (notes excluded)."""

    words: int
    matched: int
    interpolated: int
    not_in_audio: int
    low_confidence: int


@dataclass(frozen=True, slots=True)
class MissingPassage:
    """A run of transcript words not found in the audio."""

    first_word: int  # index into Result.words
    last_word: int
    text: str
    after_ms: int | None  # time of the last timed word before it, if any


@dataclass(frozen=True, slots=True)
class Result:
    """Everything an alignment run produced; what the writers take."""

    audio_path: str
    transcript_path: str
    duration_ms: int
    model: str
    language: str
    speakers: tuple[str, ...]
    words: tuple[TimedWord, ...]  # every transcript token (words and notes), in order
    cues: tuple[Cue, ...]
    audio_only: tuple[AudioOnlyRegion, ...]
    missing: tuple[MissingPassage, ...]
    summary: Summary
    speaker_roles: tuple[tuple[str, str], ...] = ()  # (speaker, role), as Transcript.speaker_roles
    extra_words: tuple[ExtraWord, ...] = ()  # recognized words no transcript word took, in time order
