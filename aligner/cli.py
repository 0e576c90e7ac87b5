"""The ``aligner`` command: the only code that reads argv, prints or exits.

Library errors (AlignerError) become one ``Error: ...`` line on stderr and
exit status 1; anything else escaping is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from aligner import __version__
from aligner.errors import AlignerError
from aligner.options import CaptionOptions, RecognizeOptions
from aligner.pipeline import align
from aligner.timecode import format_clock
from aligner.types import Result
from aligner.writers import FORMATS, write_outputs

_LIST_LIMIT = 10  # passages / regions listed in the summary before "... and N more"


def _parse_formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip().lower() for n in value.split(",") if n.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        known = ", ".join(sorted(FORMATS))
        raise click.ClickException(f"unknown format {', '.join(unknown) or repr(value)}: choose from {known}")
    return names


class _Progress:
    """A progress bar in audio time on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.bar = None
        self.enabled = enabled
        self.done = 0

    def __call__(self, done_ms: int, total_ms: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=max(total_ms, 1),
                label="Recognising",
                file=sys.stderr,
                show_eta=True,
                show_percent=True,
                item_show_func=lambda _: f"{format_clock(self.done)} / {format_clock(total_ms)}",
            )
            self.bar.__enter__()
        step = max(0, min(done_ms, total_ms) - self.done)
        self.done += step
        self.bar.update(step)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _summary_lines(result: Result, paths: list[Path]) -> list[str]:
    s = result.summary
    total = max(s.words, 1)
    lines = [f"Wrote {', '.join(str(p) for p in paths)}"]
    lines.append(
        f"Words: {s.words} | matched {s.matched} ({s.matched / total:.1%}) | "
        f"interpolated {s.interpolated} ({s.interpolated / total:.1%}) | "
        f"not in audio {s.not_in_audio} ({s.not_in_audio / total:.1%}) | low confidence {s.low_confidence}"
    )
    if result.missing:
        lines.append(f"Transcript text not found in the audio ({len(result.missing)}):")
        for passage in result.missing[:_LIST_LIMIT]:
            where = f"after {format_clock(passage.after_ms)}" if passage.after_ms is not None else "at the start"
            text = passage.text if len(passage.text) <= 70 else passage.text[:67] + "..."
            lines.append(f"  {where}: {text}")
        if len(result.missing) > _LIST_LIMIT:
            lines.append(f"  ... and {len(result.missing) - _LIST_LIMIT} more (see the JSON)")
    if result.audio_only:
        lines.append(f"Speech not in the transcript ({len(result.audio_only)}):")
        for region in result.audio_only[:_LIST_LIMIT]:
            text = region.text if len(region.text) <= 60 else region.text[:57] + "..."
            lines.append(f"  {format_clock(region.start_ms)}-{format_clock(region.end_ms)}: {text}")
        if len(result.audio_only) > _LIST_LIMIT:
            lines.append(f"  ... and {len(result.audio_only) - _LIST_LIMIT} more (see the JSON)")
    return lines


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli() -> None:
    """Align an edited podcast transcript to its episode audio.

    Writes captions (SRT, WebVTT) and a word-level JSON transcript that play
    in sync with the audio, and says where the transcript and the audio
    disagree.
    """


@cli.command("align")
@click.argument("audio", type=click.Path(path_type=Path))
@click.argument("transcript", type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), help="Folder for the outputs [default: the audio's folder].")
@click.option("--formats", default="srt,vtt,json", show_default=True, help="Comma-separated outputs: srt, vtt, json.")
@click.option("--model", default=None, help="Local CTranslate2 model folder or faster-whisper model name [default: bundled tiny.en].")
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda or auto.")
@click.option("--compute-type", default="int8", show_default=True, help="CTranslate2 compute type.")
@click.option("--beam-size", default=5, show_default=True, type=click.IntRange(1, 20), help="Beam width (1 = greedy).")
@click.option("--language", default="en", show_default=True, help="Spoken language (English-only models use en).")
@click.option("--no-vad", is_flag=True, help="Recognise the whole audio instead of the speech VAD finds.")
@click.option("--no-cache", is_flag=True, help="Neither reuse nor store the recognition result.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="Where recognition results are cached [default: ~/.cache/aligner].")
@click.option("--force", is_flag=True, help="Align even if the transcript seems to belong to other audio.")
@click.option("--max-line-chars", default=42, show_default=True, type=int, help="Caption line length, characters.")
@click.option("--max-lines", default=2, show_default=True, type=int, help="Lines per caption.")
@click.option("--min-duration", default=0.833, show_default=True, type=float, help="Shortest caption, seconds (where speech allows).")
@click.option("--max-duration", default=7.0, show_default=True, type=float, help="Longest caption, seconds.")
@click.option("--max-cps", default=20.0, show_default=True, type=float, help="Reading speed, characters per second (where timing allows).")
@click.option("--max-gap", default=1.5, show_default=True, type=float, help="A pause longer than this (seconds) ends a caption.")
@click.option("--no-speaker-prefix", is_flag=True, help="SRT: don't start a new speaker's caption with 'Name: '.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def align_command(
    audio: Path,
    transcript: Path,
    output_dir: Path | None,
    formats: str,
    model: str | None,
    device: str,
    compute_type: str,
    beam_size: int,
    language: str,
    no_vad: bool,
    no_cache: bool,
    cache_dir: Path | None,
    force: bool,
    max_line_chars: int,
    max_lines: int,
    min_duration: float,
    max_duration: float,
    max_cps: float,
    max_gap: float,
    no_speaker_prefix: bool,
    quiet: bool,
) -> None:
    """Align TRANSCRIPT (Markdown or text) to AUDIO; write captions and JSON.

    Outputs are named after the audio file: episode.mp3 gives episode.srt,
    episode.vtt and episode.json.

    \b
    Examples:
      aligner align episode.mp3 transcript.md
      aligner align episode.mp3 transcript.md -o out/ --formats vtt,json
      aligner align episode.m4a notes.txt --model base.en --beam-size 1
    """
    chosen = _parse_formats(formats)
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        caption_options = CaptionOptions(
            max_line_chars=max_line_chars,
            max_lines=max_lines,
            min_duration_ms=round(min_duration * 1000),
            max_duration_ms=round(max_duration * 1000),
            max_chars_per_second=max_cps,
            max_gap_ms=round(max_gap * 1000),
            speaker_prefix=not no_speaker_prefix,
        )
        recognize_options = RecognizeOptions(
            model=model,
            device=device,
            compute_type=compute_type,
            beam_size=beam_size,
            language=language,
            vad=not no_vad,
        )
        try:
            result = align(
                audio,
                transcript,
                recognize_options=recognize_options,
                caption_options=caption_options,
                use_cache=not no_cache,
                cache_dir=cache_dir,
                force=force,
                on_progress=progress,
            )
        finally:
            progress.close()
        out_dir = output_dir if output_dir is not None else audio.parent
        paths = write_outputs(result, out_dir=out_dir, stem=audio.stem, formats=chosen, options=caption_options)
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    if not quiet:
        for line in _summary_lines(result, paths):
            click.echo(line)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="aligner")
