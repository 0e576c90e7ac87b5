"""The command-line options of ``align`` and ``batch``, and the one :class:`AlignOptions` they build.

Each flag is spelled once, here, as a decorator group (as sqlite-utils does),
and its default comes from the options records: nothing in this module
repeats a default. The caption flags default to None, meaning "the
preset's value", so ``--preset bbc --max-lines 3`` replaces one field of
the preset without asking click where a value came from.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from aligner.errors import AlignerError
from aligner.options import AlignOptions, OutputOptions, RecognizeOptions
from aligner.presets import DEFAULT_PRESET, PRESETS, preset_options
from aligner.readers import TRANSCRIPT_FORMATS
from aligner.writers import FORMATS

__all__ = ["alignment_options", "cut_alignment_options", "formats_option", "parse_formats"]

F = TypeVar("F", bound=Callable[..., Any])

_ALIGN = AlignOptions()
_RECOGNIZE = RecognizeOptions()
_OUTPUT = OutputOptions()
_CAPTIONS = PRESETS[DEFAULT_PRESET].options


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}"


def parse_formats(value: str) -> tuple[str, ...]:
    """``--formats`` as format names, each once, in the order given."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in value.split(",") if n.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        known = ", ".join(sorted(FORMATS))
        raise click.ClickException(f"unknown format {', '.join(unknown) or repr(value)}: choose from {known}")
    return names


def _group(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options as one decorator, in the order given."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def _formats_option(help_text: str) -> Callable[[F], F]:
    return click.option("--formats", default=",".join(_OUTPUT.formats), show_default=True, help=help_text)


formats_option = _formats_option(
    "Comma-separated outputs: srt, vtt, json, podcast (Podcasting 2.0 JSON), html (review page), "
    "textgrid (Praat), audacity (label track), chapters (Podcasting 2.0 chapters)."
)
cut_formats_option = _formats_option(
    "Comma-separated outputs, re-timed to the edited audio: srt, vtt, json, podcast, html, textgrid, "
    "chapters; and the edit list (source times) as audacity (label track) and edl (CMX 3600)."
)

_recognition = _group(
    click.option(
        "--model",
        default=_RECOGNIZE.model,
        help="Local CTranslate2 model folder or faster-whisper model name [default: bundled tiny.en].",
    ),
    click.option("--device", default=_RECOGNIZE.device, show_default=True, help="cpu, cuda or auto."),
    click.option(
        "--compute-type", default=_RECOGNIZE.compute_type, show_default=True, help="CTranslate2 compute type."
    ),
    click.option(
        "--beam-size",
        default=_RECOGNIZE.beam_size,
        show_default=True,
        type=click.IntRange(1, 20),
        help="Beam width (1 = greedy decoding; 5 is faster-whisper's default).",
    ),
    click.option(
        "--language",
        default=_RECOGNIZE.language,
        show_default=True,
        help="Spoken language (English-only models use en).",
    ),
    click.option("--no-vad", is_flag=True, help="Recognise the whole audio instead of the speech VAD finds."),
    click.option(
        "--window-seconds",
        default=_RECOGNIZE.window_s,
        show_default=True,
        type=click.IntRange(10, 3600),
        help="Audio recognised at a time; memory grows with it, not with the episode. "
        "An interrupted run resumes from its last window.",
    ),
    click.option(
        "--threads",
        default=_RECOGNIZE.threads,
        show_default=True,
        type=click.IntRange(0, 256),
        help="CPU threads for the recognizer (0: every core); a window's speech is decoded in two runs side by side.",
    ),
    click.option(
        "--refine-processes",
        default=_ALIGN.refine_processes,
        show_default=True,
        type=click.IntRange(0, 256),
        help="Processes word refinement runs in beside recognition (0: one per four cores); the times are the same.",
    ),
    click.option("--no-cache", is_flag=True, help="Neither reuse nor store the recognition and refinement results."),
    click.option(
        "--cache-dir",
        type=click.Path(path_type=Path),
        default=_ALIGN.cache_dir,
        help="Where recognition and refinement results are cached "
        "[default: $ALIGNER_CACHE_DIR, else $XDG_CACHE_HOME/aligner, else ~/.cache/aligner].",
    ),
    click.option("--force", is_flag=True, help="Align even if the transcript seems to belong to other audio."),
)

_captions = _group(
    click.option(
        "--max-line-chars",
        type=int,
        default=None,
        show_default=str(_CAPTIONS.max_line_chars),
        help="Caption line length, characters.",
    ),
    click.option(
        "--max-lines", type=int, default=None, show_default=str(_CAPTIONS.max_lines), help="Lines per caption."
    ),
    click.option(
        "--min-duration",
        type=float,
        default=None,
        show_default=_seconds(_CAPTIONS.min_duration_ms),
        help="Shortest caption, seconds (where speech allows).",
    ),
    click.option(
        "--max-duration",
        type=float,
        default=None,
        show_default=_seconds(_CAPTIONS.max_duration_ms),
        help="Longest caption, seconds.",
    ),
    click.option(
        "--max-cps",
        type=float,
        default=None,
        show_default=f"{_CAPTIONS.max_chars_per_second:g}",
        help="Reading speed, characters per second (where timing allows).",
    ),
    click.option(
        "--max-gap",
        type=float,
        default=None,
        show_default=_seconds(_CAPTIONS.max_gap_ms),
        help="A pause longer than this (seconds) ends a caption.",
    ),
    click.option("--no-speaker-prefix", is_flag=True, help="SRT: don't start a new speaker's caption with 'Name: '."),
)

_reading_and_output = _group(
    click.option(
        "--transcript-format",
        type=click.Choice(TRANSCRIPT_FORMATS),
        default=_ALIGN.transcript_format,
        show_default=True,
        help="How to read the transcript; auto detects it from its content and extension.",
    ),
    click.option(
        "--preset",
        type=click.Choice(sorted(PRESETS)),
        default=DEFAULT_PRESET,
        show_default=True,
        help="Caption limits of a house style (netflix: 42 chars, 20 cps; bbc: 37 chars, 17 cps); "
        "caption options given explicitly override it.",
    ),
    click.option("--vtt-words", is_flag=True, help="WebVTT: a timestamp before each word, for word-by-word display."),
    click.option(
        "--podcast-words", is_flag=True, help="Podcasting 2.0 JSON: one segment per word instead of per caption."
    ),
    click.option(
        "--no-refine",
        is_flag=True,
        help="Keep Whisper's own word times (about 0.1 s off) instead of re-timing words against the audio.",
    ),
    click.option(
        "--no-second-pass",
        is_flag=True,
        help="Do not recognise again, without VAD, where transcript words were not found (always off with --no-refine).",
    ),
)


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def build_options(
    *,
    formats: str,
    model: str | None,
    device: str,
    compute_type: str,
    beam_size: int,
    language: str,
    no_vad: bool,
    window_seconds: int,
    threads: int,
    refine_processes: int,
    no_cache: bool,
    cache_dir: Path | None,
    force: bool,
    max_line_chars: int | None,
    max_lines: int | None,
    min_duration: float | None,
    max_duration: float | None,
    max_cps: float | None,
    max_gap: float | None,
    no_speaker_prefix: bool,
    transcript_format: str,
    preset: str,
    vtt_words: bool,
    podcast_words: bool,
    no_refine: bool,
    no_second_pass: bool,
) -> AlignOptions:
    """The run's options record from the flags as click parsed them.

    Raises:
        AlignerError: impossible caption limits (an :class:`OptionsError`).
        click.ClickException: an unknown output format.
    """
    return AlignOptions(
        recognize=RecognizeOptions(
            model=model,
            device=device,
            compute_type=compute_type,
            beam_size=beam_size,
            language=language,
            vad=not no_vad,
            window_s=window_seconds,
            threads=threads,
        ),
        captions=preset_options(
            preset,
            max_line_chars=max_line_chars,
            max_lines=max_lines,
            min_duration_ms=_ms(min_duration),
            max_duration_ms=_ms(max_duration),
            max_chars_per_second=max_cps,
            max_gap_ms=_ms(max_gap),
        ),
        output=OutputOptions(
            formats=parse_formats(formats),
            srt_speaker_prefix=not no_speaker_prefix,
            vtt_words=vtt_words,
            podcast_words=podcast_words,
        ),
        refine=not no_refine,
        refine_processes=refine_processes,
        second_pass=not no_second_pass,
        use_cache=not no_cache,
        cache_dir=cache_dir.absolute() if cache_dir is not None else None,
        force=force,
        transcript_format=transcript_format,
    )


def alignment_options(command: F) -> F:
    """Add every option ``align`` and ``batch`` share; the command gets them as one ``options: AlignOptions``."""
    return _alignment_options(command, formats_option, ())


def cut_alignment_options(command: F) -> F:
    """:func:`alignment_options` for ``aligner cut``, whose ``--formats`` also takes ``edl`` (the edit list).

    The command gets ``edl: bool`` besides ``options`` (whose formats leave it out).
    """
    return _alignment_options(command, cut_formats_option, ("edl",))


def _alignment_options(command: F, formats: Callable[[F], F], own: tuple[str, ...]) -> F:
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        shared = {name: kwargs.pop(name) for name in _SHARED_NAMES}
        names = [n.strip().lower() for n in shared["formats"].split(",")]
        mine = {n: n in names for n in own}
        if own:
            shared["formats"] = ",".join(n for n in names if n not in own) or ",".join(_OUTPUT.formats)
        try:
            options = build_options(**shared)
        except AlignerError as error:
            raise click.ClickException(" ".join(str(error).split())) from None
        return command(*args, options=options, **kwargs, **mine)

    return formats(_recognition(_captions(_reading_and_output(wrapper))))  # type: ignore[arg-type]


_SHARED_NAMES = tuple(inspect.signature(build_options).parameters)
"""The click parameters :func:`alignment_options` adds: exactly ``build_options``' keywords."""
