"""The options of a run: one :class:`AlignOptions` record, built once, passed down.

Each stage's choices are a frozen dataclass of their own, gathered in
:class:`AlignOptions`: recognition (:class:`RecognizeOptions`), caption
limits (:class:`CaptionOptions`) and what is written (:class:`OutputOptions`).
The defaults live here and only here: the command line takes its defaults
from these records. There are no string mini-languages and no ``**kwargs``;
every record checks its values when it is made (:class:`OptionsError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from aligner.errors import OptionsError


@dataclass(frozen=True, slots=True)
class RecognizeOptions:
    """How faster-whisper is run.

    Attributes:
        model: None for the bundled Whisper tiny.en, a local CTranslate2 model
            folder, or a faster-whisper model name (downloaded by
            faster-whisper only when asked for by name).
        device: "cpu", "cuda" or "auto".
        compute_type: CTranslate2 compute type ("int8" on CPU by default).
        beam_size: beam width; 1 is greedy decoding, the default: the
            transcript is known, so the recognizer only has to find the
            words, and on the benchmark greedy decoding timed as many words
            as beam 5, as precisely, in 14-20% less time (see README).
        language: spoken language code; English-only models force "en".
        vad: skip non-speech with Silero VAD (bundled with faster-whisper).
        window_s: seconds of audio decoded and recognised at a time. Memory
            grows with it, not with the episode; windows are cut in pauses,
            so the words do not depend on it. An interrupted run resumes
            from its last finished window.
        threads: CPU threads the recognizer computes with; 0: every core the
            process may use. A window's speech is recognised in two runs, cut
            in a pause (the cut depends on the audio alone), decoded side by
            side where there are two threads or more, each run on half of
            them (:func:`aligner.recognize.decoders`); word refinement runs
            beside recognition in a process of its own. Not part of the cache
            key: it changes the speed, not the words.
        streams: 1 (the default) recognises a window's speech in two runs
            (see ``threads``); 2 or more cut it in runs of about a minute
            instead and decode that many side by side, their decoder steps
            batched (:mod:`aligner.lockstep`, an experiment measured before
            the two runs: 0.85x the cold run's wall time on a 10-minute
            episode, but 1.1 GB peak memory at 90 minutes, and other
            segments, so other words; docs/accuracy.md, "Where the time goes"). The
            key of the cache holds whether runs are used, not their count:
            the words were the same at 2, 4 and 8.
    """

    model: str | None = None
    device: str = "cpu"
    compute_type: str = "int8"
    beam_size: int = 1
    language: str = "en"
    vad: bool = True
    window_s: int = 300
    threads: int = 0
    streams: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.streams <= 64:
            raise OptionsError(f"the recognizer's streams must be 1 to 64, not {self.streams}")
        if not 0 <= self.threads <= 256:
            raise OptionsError(f"the recognizer's threads must be 0 (its default) to 256, not {self.threads}")
        if not 10 <= self.window_s <= 3600:
            raise OptionsError(f"the recognition window must be 10 to 3600 seconds, not {self.window_s}")


@dataclass(frozen=True, slots=True)
class CaptionOptions:
    """Limits for caption cues.

    Defaults follow common subtitle guidance (42 characters a line, two lines,
    5/6 s to 7 s on screen, about 20 characters a second).

    Attributes:
        max_line_chars: characters per line, at most.
        max_lines: lines per cue, at most.
        min_duration_ms: shortest time a cue stays up, where the speech allows.
        max_duration_ms: longest time a cue stays up.
        max_chars_per_second: reading speed the cue's duration aims to allow.
        max_gap_ms: a pause longer than this between words always ends a cue.
    """

    max_line_chars: int = 42
    max_lines: int = 2
    min_duration_ms: int = 833
    max_duration_ms: int = 7000
    max_chars_per_second: float = 20.0
    max_gap_ms: int = 1500

    def __post_init__(self) -> None:
        if self.max_line_chars < 10:
            raise OptionsError(f"max line length must be at least 10 characters, not {self.max_line_chars}")
        if self.max_lines < 1:
            raise OptionsError(f"max lines must be at least 1, not {self.max_lines}")
        if self.min_duration_ms < 0 or self.max_duration_ms < 500:
            raise OptionsError("cue durations must be positive and the maximum at least 0.5 s")
        if self.min_duration_ms > self.max_duration_ms:
            raise OptionsError(f"min cue duration ({self.min_duration_ms} ms) exceeds max ({self.max_duration_ms} ms)")
        if self.max_chars_per_second <= 0:
            raise OptionsError("max characters per second must be positive")

    @property
    def max_cue_chars(self) -> int:
        return self.max_line_chars * self.max_lines


@dataclass(frozen=True, slots=True)
class OutputOptions:
    """What is written: which formats, and choices inside them beyond caption limits.

    Attributes:
        formats: output format names, keys of :data:`aligner.FORMATS`
            (checked where they are written); each is written once, in this
            order.
        srt_speaker_prefix: SRT: start the first cue of each new speaker
            with "Name: ".
        vtt_words: WebVTT: put a timestamp tag (``<00:00:01.250>``) before each
            word after a cue's first, for word-by-word ("karaoke") display.
        podcast_words: Podcasting 2.0 JSON: one segment per word instead of
            one per cue.
        audio_href: review page: the URL the page loads the audio from. None
            lets :func:`aligner.write_outputs` use the audio's path relative
            to the output folder, so the page and the audio can be moved
            together.
    """

    formats: tuple[str, ...] = ("srt", "vtt", "json")
    srt_speaker_prefix: bool = True
    vtt_words: bool = False
    podcast_words: bool = False
    audio_href: str | None = None


@dataclass(frozen=True, slots=True)
class AlignOptions:
    """Everything a run of the aligner is told: the one options record of a run.

    :func:`aligner.align` reads all of it but ``output``; the command line,
    :func:`aligner.write_outputs` and batch runs read ``output`` too.

    Attributes:
        recognize: model and decoding.
        captions: caption limits (see :func:`aligner.preset_options` for
            house styles).
        output: formats and what the writers put in them.
        refine: re-time the recognized words against the audio with a
            forced aligner (:mod:`aligner.refine`); off, words keep
            Whisper's own times (about 0.1 s off).
        refine_processes: processes the refinement beside recognition
            shares its chunks among; 0: one for every four cores the
            process may use, at least one
            (:func:`aligner.refine.alongside.refine_processes`). Not part of
            the cache key: the times are the same with any number.
        second_pass: recognise again, without VAD and prompted with the
            transcript's text, wherever the transcript's words were not
            found (:mod:`aligner.relisten`). Needs ``refine``: a re-heard
            word counts only where the forced aligner finds it too.
        relisten_prompt: prompt the second pass with the expected text (off:
            on the benchmark it made Whisper "hear" a sentence the producer
            added; see docs/accuracy.md).
        use_cache: reuse a stored recognition of the same audio, model and
            options, and a stored refinement of the same recognized words,
            and store new ones.
        cache_dir: where they are stored (None: ``$ALIGNER_CACHE_DIR``, else
            ``$XDG_CACHE_HOME/aligner``, else ``~/.cache/aligner``). On a
            Dask cluster each worker uses this path on its own machine.
        force: align even when under 30% of the transcript is found in the
            audio (it looks like another episode's).
        transcript_format: ``auto`` (detect from content and extension) or
            one of :data:`aligner.TRANSCRIPT_FORMATS`.
    """

    recognize: RecognizeOptions = field(default_factory=RecognizeOptions)
    captions: CaptionOptions = field(default_factory=CaptionOptions)
    output: OutputOptions = field(default_factory=OutputOptions)
    refine: bool = True
    refine_processes: int = 0
    second_pass: bool = True
    relisten_prompt: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None
    force: bool = False
    transcript_format: str = "auto"


CUT_KINDS = ("filler", "repetition", "passage", "ad", "pause")
"""What ``aligner cut`` can remove (:class:`CutOptions`); ``--remove`` takes their plurals."""

AUDIO_FORMATS = ("wav", "flac", "mp3", "m4a", "ogg")


@dataclass(frozen=True, slots=True)
class CutOptions:
    """What ``aligner cut`` removes and how it writes the edited audio (:mod:`aligner.cut`).

    Attributes:
        remove: the kinds of audio removed, from :data:`CUT_KINDS`: fillers and
            false starts the transcript leaves out ("filler", "repetition"),
            speech between transcript words that the transcript lacks (a cut
            sentence: "passage"), such speech of at least ``ad_min_seconds``
            ("ad"; a passage that long is an ad only, never a passage), and
            pauses over ``max_pause_s`` ("pause", shortened to ``keep_pause_s``).
        audio_format: the edited audio's format; None keeps the input's
            (a video container gives m4a).
    """

    remove: tuple[str, ...] = ("filler", "repetition", "passage")
    ad_min_seconds: float = 10.0
    max_pause_s: float = 1.0
    keep_pause_s: float = 0.5
    audio_format: str | None = None

    def __post_init__(self) -> None:
        unknown = [kind for kind in self.remove if kind not in CUT_KINDS]
        if unknown or not self.remove:
            what = repr(unknown[0]) if unknown else "nothing"
            raise OptionsError(f"cannot remove {what}: choose from {', '.join(k + 's' for k in CUT_KINDS)}")
        if not 0 < self.ad_min_seconds <= 3600:
            raise OptionsError(f"--ad-min-seconds must be above 0 and at most 3600, not {self.ad_min_seconds:g}")
        if not 0 <= self.keep_pause_s < self.max_pause_s <= 60:
            raise OptionsError(
                f"--keep-pause ({self.keep_pause_s:g} s) must be at least 0 and under --max-pause "
                f"({self.max_pause_s:g} s), at most 60"
            )
        if self.audio_format is not None and self.audio_format not in AUDIO_FORMATS:
            raise OptionsError(f"unknown audio format {self.audio_format!r}: choose from {', '.join(AUDIO_FORMATS)}")
