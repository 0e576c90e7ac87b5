"""The ``aligner`` command: the only code that reads argv, prints or exits.

Library errors (AlignerError) become one ``Error: ...`` line on stderr and
exit status 1; anything else escaping is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import signal
import sys
from pathlib import Path

import click

from aligner import __version__
from aligner.batch import BatchOptions, Status, plan_source, run_batch
from aligner.errors import AlignerError
from aligner.options import CaptionOptions, OutputOptions, RecognizeOptions
from aligner.presets import DEFAULT_PRESET, PRESETS, preset_options
from aligner.readers import TRANSCRIPT_FORMATS
from aligner.report import moved_passages
from aligner.timecode import format_clock
from aligner.types import Result
from aligner.writers import FORMATS, check_output_dir, write_file
from aligner.writers.chapters import find_chapters
from aligner.writers.json import load_schema
from aligner.writers.podcast import render_rss_snippet

_LIST_LIMIT = 10  # passages / regions listed in the summary before "... and N more"


class _Interrupted(BaseException):
    """SIGINT or SIGTERM, raised in the main thread so every clean-up (``finally``) runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _exit_on_signal(command):
    """Make SIGINT and SIGTERM end the command with one ``Error:`` line and status 128+N.

    Python's default SIGTERM kills the process on the spot, skipping the
    clean-up that removes temporary output and cache files; its default SIGINT
    prints a traceback (click's, a bare "Aborted!"). Raising an exception
    instead lets the writers and the cache remove their temporary files (or,
    once the outputs are being renamed into place, finish that), so no file
    is left partial, and a second signal during that clean-up is ignored. A
    signal the parent set to be ignored stays ignored.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        caught: list[int] = []

        def handler(signum, _frame):
            if not caught:
                caught.append(signum)
                raise _Interrupted(signum)

        previous = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                if signal.getsignal(sig) is not signal.SIG_IGN:
                    previous[sig] = signal.signal(sig, handler)
            except ValueError:  # not the main thread (embedded use): keep Python's defaults
                break
        try:
            return command(*args, **kwargs)
        except (_Interrupted, KeyboardInterrupt) as exc:
            caught.append(signal.SIGINT)  # from here on, further signals are ignored
            signum = exc.signum if isinstance(exc, _Interrupted) else signal.SIGINT
            name = signal.Signals(signum).name
            click.echo(f"Error: interrupted by {name}; no output file was left partial", err=True)
            sys.exit(128 + signum)
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)

    return wrapper


class _WarningLines(logging.Handler):
    """The library's warnings (an unreadable cache entry, ...) as one ``Warning:`` line each on stderr,
    and its notices (a resumed recognition) as plain lines."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            prefix = "Warning: " if record.levelno >= logging.WARNING else ""
            click.echo(f"{prefix}{' '.join(self.format(record).split())}", err=True)
        except Exception:  # logging must never end the run
            self.handleError(record)


def _show_warnings(quiet: bool = False) -> None:
    """Route the library's log records to stderr: warnings always, notices unless ``quiet``."""
    logger = logging.getLogger("aligner")
    level = logging.WARNING if quiet else logging.INFO
    logger.setLevel(min(logger.getEffectiveLevel(), level))
    for handler in logger.handlers:
        if isinstance(handler, _WarningLines):
            handler.setLevel(level)
            return
    handler = _WarningLines(level)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)


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
    moved = moved_passages(result.missing, result.audio_only)
    if moved:
        lines.append(f"Transcript text spoken at another point in the audio (moved?) ({len(moved)}):")
        for passage_index, region_index in moved[:_LIST_LIMIT]:
            region = result.audio_only[region_index]
            text = result.missing[passage_index].text
            text = text if len(text) <= 50 else text[:47] + "..."
            lines.append(f"  {text} heard at {format_clock(region.start_ms)}-{format_clock(region.end_ms)}")
    return lines


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aligner")
def cli() -> None:
    """Align an edited podcast transcript to its episode audio.

    Writes captions (SRT, WebVTT) and a word-level JSON transcript that play
    in sync with the audio, and says where the transcript and the audio
    disagree.
    """


def _options(*decorators):
    """Several click options as one decorator, in the order given (as sqlite-utils does)."""

    def apply(function):
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


# Options shared by `align` and `batch`: each flag is spelled once, here.
_formats_option = click.option(
    "--formats",
    default="srt,vtt,json",
    show_default=True,
    help="Comma-separated outputs: srt, vtt, json, podcast (Podcasting 2.0 JSON), html (review page), "
    "textgrid (Praat), audacity (label track), chapters (Podcasting 2.0 chapters).",
)
_recognition_options = _options(
    click.option("--model", default=None, help="Local CTranslate2 model folder or faster-whisper model name [default: bundled tiny.en]."),
    click.option("--device", default="cpu", show_default=True, help="cpu, cuda or auto."),
    click.option("--compute-type", default="int8", show_default=True, help="CTranslate2 compute type."),
    click.option("--beam-size", default=RecognizeOptions().beam_size, show_default=True, type=click.IntRange(1, 20), help="Beam width (1 = greedy decoding; 5 is faster-whisper's default)."),
    click.option("--language", default="en", show_default=True, help="Spoken language (English-only models use en)."),
    click.option("--no-vad", is_flag=True, help="Recognise the whole audio instead of the speech VAD finds."),
    click.option(
        "--window-seconds",
        default=RecognizeOptions().window_s,
        show_default=True,
        type=click.IntRange(10, 3600),
        help="Audio recognised at a time; memory grows with it, not with the episode. An interrupted run resumes from its last window.",
    ),
    click.option(
        "--threads",
        default=RecognizeOptions().threads,
        show_default=True,
        type=click.IntRange(0, 256),
        help="CPU threads for the recognizer (0: faster-whisper's default, 4). Refinement runs beside it on one more.",
    ),
    click.option("--no-cache", is_flag=True, help="Neither reuse nor store the recognition and refinement results."),
    click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="Where recognition results are cached [default: ~/.cache/aligner]."),
    click.option("--force", is_flag=True, help="Align even if the transcript seems to belong to other audio."),
)
_caption_options = _options(
    click.option("--max-line-chars", default=42, show_default=True, type=int, help="Caption line length, characters."),
    click.option("--max-lines", default=2, show_default=True, type=int, help="Lines per caption."),
    click.option("--min-duration", default=0.833, show_default=True, type=float, help="Shortest caption, seconds (where speech allows)."),
    click.option("--max-duration", default=7.0, show_default=True, type=float, help="Longest caption, seconds."),
    click.option("--max-cps", default=20.0, show_default=True, type=float, help="Reading speed, characters per second (where timing allows)."),
    click.option("--max-gap", default=1.5, show_default=True, type=float, help="A pause longer than this (seconds) ends a caption."),
    click.option("--no-speaker-prefix", is_flag=True, help="SRT: don't start a new speaker's caption with 'Name: '."),
)
# How the transcript is read and the outputs shaped (align and batch).
_output_options = _options(
    click.option(
        "--transcript-format",
        type=click.Choice(TRANSCRIPT_FORMATS),
        default="auto",
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
    click.option("--podcast-words", is_flag=True, help="Podcasting 2.0 JSON: one segment per word instead of per caption."),
    click.option(
        "--no-refine",
        is_flag=True,
        help="Keep Whisper's own word times (about 0.1 s off) instead of re-timing words against the audio.",
    ),
)
# What the RSS lines of one episode need (align only).
_rss_options = _options(
    click.option("--base-url", metavar="URL", default=None, help="Where the files will be published, for the RSS lines' URLs."),
    click.option(
        "--rss-snippet",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write the <podcast:transcript> RSS lines to this file instead of printing them.",
    ),
)


def _run_options(
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
    transcript_format: str,
    preset: str,
    vtt_words: bool,
    podcast_words: bool,
    no_refine: bool,
) -> BatchOptions:
    """The options ``align`` and ``batch`` share, as click parsed them, in one record.

    Raises:
        AlignerError: a bad format name or impossible caption limits.
    """
    caption_options = _preset_caption_options(
        preset,
        {"max_line_chars": max_line_chars, "max_lines": max_lines, "min_duration": min_duration,
         "max_duration": max_duration, "max_cps": max_cps, "max_gap": max_gap},
        no_speaker_prefix,
    )
    return BatchOptions(
        formats=_parse_formats(formats),
        recognize_options=RecognizeOptions(
            model=model, device=device, compute_type=compute_type, beam_size=beam_size, language=language,
            vad=not no_vad, window_s=window_seconds, threads=threads,
        ),
        caption_options=caption_options,
        output_options=OutputOptions(vtt_words=vtt_words, podcast_words=podcast_words),
        use_cache=not no_cache,
        cache_dir=cache_dir.absolute() if cache_dir is not None else None,
        force=force,
        refine=not no_refine,
        transcript_format=transcript_format,
    )


def _preset_caption_options(preset: str, values: dict[str, float], no_speaker_prefix: bool) -> CaptionOptions:
    """The preset's caption limits, with each caption option given on the command line replacing its value.

    ``values`` holds the caption options as click parsed them; one counts as
    given when click says it came from the command line (or the
    environment), not from its default.
    """
    context = click.get_current_context()

    def given(name: str) -> float | None:
        source = context.get_parameter_source(name)
        if source is None or source in (click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP):
            return None
        return values[name]

    def ms(name: str) -> int | None:
        seconds = given(name)
        return None if seconds is None else round(seconds * 1000)

    line_chars, lines = given("max_line_chars"), given("max_lines")
    return preset_options(
        preset,
        max_line_chars=None if line_chars is None else int(line_chars),
        max_lines=None if lines is None else int(lines),
        min_duration_ms=ms("min_duration"),
        max_duration_ms=ms("max_duration"),
        max_chars_per_second=given("max_cps"),
        max_gap_ms=ms("max_gap"),
        speaker_prefix=False if no_speaker_prefix else None,
    )


def _chapter_lines(result: Result) -> list[str]:
    chapters = find_chapters(result.words)
    if not chapters:
        return ["Chapters: none (the transcript has no section headings inside the body)"]
    return [f"Chapters ({len(chapters)}):"] + [f"  {format_clock(c.start_ms)} {c.title}" for c in chapters]


@cli.command("align")
@click.argument("audio", type=click.Path(path_type=Path))
@click.argument("transcript", type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), help="Folder for the outputs [default: the audio's folder].")
@_formats_option
@_recognition_options
@_caption_options
@_output_options
@_rss_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@_exit_on_signal
def align_command(
    audio: Path,
    transcript: Path,
    output_dir: Path | None,
    base_url: str | None,
    rss_snippet: Path | None,
    quiet: bool,
    **shared,
) -> None:
    """Align TRANSCRIPT to AUDIO; write captions and JSON.

    TRANSCRIPT is Markdown, plain text, a timestamped export ("Name
    (00:01:02): ..."), SRT or WebVTT captions (say, of an earlier cut), or
    a .docx. Outputs are named after the audio file: episode.mp3 gives
    episode.srt, episode.vtt and episode.json.

    \b
    Examples:
      aligner align episode.mp3 transcript.md
      aligner align episode.mp3 transcript.md -o out/ --formats vtt,json
      aligner align episode.m4a notes.txt --model base.en --beam-size 5
      aligner align recut.mp3 old-captions.srt -o out/
      aligner align episode.mp3 transcript.md --formats vtt,podcast,html --preset bbc --base-url https://example.com/ep/
    """
    _show_warnings(quiet)
    progress = _Progress(enabled=not quiet and sys.stderr.isatty())
    out_dir = output_dir if output_dir is not None else audio.parent
    try:
        options = _run_options(**shared)
        if audio.exists():  # a missing audio file is reported by align, as such
            check_output_dir(out_dir)
        try:
            result = options.align(audio, transcript, on_progress=progress)
        finally:
            progress.close()
        paths = options.write(result, out_dir, audio.stem)
        snippet = render_rss_snippet(list(zip(options.formats, paths)), base_url=base_url, language=result.language)
        if rss_snippet is not None:
            paths.append(write_file(rss_snippet, snippet))
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    if not quiet:
        for line in _summary_lines(result, paths):
            click.echo(line)
        if "chapters" in options.formats:
            for line in _chapter_lines(result):
                click.echo(line)
        if snippet and rss_snippet is None:
            where = "" if base_url else " (add --base-url to make the URLs absolute)"
            click.echo(f"For the episode's <item> in your RSS feed{where}:")
            click.echo(snippet, nl=False)


class _BatchProgress:
    """Episodes done out of the batch, on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar = None
        if enabled:
            self.bar = click.progressbar(
                length=total, label="Aligning", file=sys.stderr, show_pos=True, show_eta=True,
                item_show_func=lambda outcome: outcome.episode.name if outcome is not None else "",
            )
            self.bar.__enter__()

    def __call__(self, outcome) -> None:
        if self.bar is not None:
            self.bar.update(1, outcome)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _batch_table(outcomes, unpaired, *, failures_only: bool) -> list[str]:
    """One line per episode (done, skipped, failed) and per unpaired file, then the counts."""
    rows = []
    for outcome in outcomes:
        if failures_only and outcome.status is not Status.FAILED:
            continue
        if outcome.status is Status.DONE:
            detail = f"matched {outcome.matched_percent:.1f}%, {outcome.seconds:.1f} s"
            if outcome.attempts > 1:
                detail += f", attempt {outcome.attempts}"
        else:
            detail = outcome.detail
        rows.append((outcome.status.value, outcome.episode.name, detail))
    if not failures_only:
        rows.extend(("unpaired", item.path.name, item.reason) for item in unpaired)
    width = max((len(name) for _, name, _ in rows), default=0)
    lines = [f"{status:<8} {name:<{width}}  {detail}" for status, name, detail in rows]
    counts = {status: sum(o.status is status for o in outcomes) for status in Status}
    summary = f"{counts[Status.DONE]} done, {counts[Status.SKIPPED]} skipped, {counts[Status.FAILED]} failed"
    if unpaired:
        summary += f", {len(unpaired)} unpaired file{'' if len(unpaired) == 1 else 's'}"
    if not failures_only:
        lines.append(summary)
    return lines


@cli.command("batch")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), help="Folder for every output [default: a folder batch's own folder; a manifest's output_dir, else each audio's folder].")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 256), help="Worker processes on this machine; each loads the model once.")
@click.option("--scheduler", metavar="ADDRESS", default=None, help="Run on the Dask cluster of this scheduler (tcp://host:8786) instead; needs aligner[dask].")
@click.option("--retries", default=2, show_default=True, type=click.IntRange(0, 100), help="Extra attempts after a failure that may pass (a worker lost, an output not written); bad inputs fail at once.")
@click.option("--force-rerun", is_flag=True, help="Align every episode, even those whose outputs are up to date.")
@_formats_option
@_recognition_options
@_caption_options
@_output_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; list only the failures.")
@_exit_on_signal
def batch_command(
    source: Path,
    output_dir: Path | None,
    jobs: int,
    scheduler: str | None,
    retries: int,
    force_rerun: bool,
    quiet: bool,
    **shared,
) -> None:
    """Align every episode of a folder or a manifest; skip those already done.

    SOURCE is a folder, where audio (.mp3 .m4a .wav .ogg .opus .flac) pairs
    with the transcript of the same name (.md .markdown .txt .docx), or a manifest:
    a CSV file with the header audio,transcript,output_dir, or JSON lines
    with those keys; relative paths are relative to the manifest.

    An episode is skipped when all its requested outputs exist and are newer
    than its audio and its transcript, so after a crash or Ctrl-C the same
    command carries on where it stopped (--force-rerun redoes everything,
    as after changing options). A failed episode does not stop the others;
    the run ends with one line per episode and exits 1 if any failed.

    \b
    Examples:
      aligner batch episodes/
      aligner batch episodes/ -o captions/ --jobs 2 --formats vtt,json
      aligner batch catalogue.csv --scheduler tcp://10.0.0.5:8786
    """
    _show_warnings(quiet)
    if scheduler and jobs != 1:
        raise click.UsageError("Use --jobs or --scheduler, not both (Dask workers set their own processes)")
    try:
        options = _run_options(**shared)
        plan = plan_source(source, out_dir=output_dir)
        if not scheduler:
            from aligner.recognize import resolve_model

            resolve_model(options.recognize_options.model)  # a bad --model fails once here, not once per episode
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    if scheduler:
        try:
            from aligner.batch_dask import run_batch_dask
        except ModuleNotFoundError as error:
            if (error.name or "").split(".")[0] in {"dask", "distributed"}:
                raise click.ClickException("--scheduler needs Dask: pip install 'aligner[dask]'") from None
            raise
        runner = functools.partial(run_batch_dask, scheduler=scheduler)
    else:
        runner = functools.partial(run_batch, jobs=jobs)

    progress = _BatchProgress(len(plan.episodes), enabled=not quiet and sys.stderr.isatty())
    finished = []

    def on_outcome(outcome) -> None:
        finished.append(outcome)
        progress(outcome)

    try:
        outcomes = runner(plan.episodes, options, retries=retries, force_rerun=force_rerun, on_outcome=on_outcome)
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    except (_Interrupted, KeyboardInterrupt):
        progress.close()
        for line in _batch_table(finished, plan.unpaired, failures_only=quiet):
            click.echo(line)
        left = len(plan.episodes) - len(finished)
        click.echo(f"{left} episode{'' if left == 1 else 's'} not finished; run the same command again to resume", err=True)
        raise
    finally:
        progress.close()
    for line in _batch_table(outcomes, plan.unpaired, failures_only=quiet):
        click.echo(line)
    failed = sum(outcome.status is Status.FAILED for outcome in outcomes)
    if failed:
        raise click.ClickException(f"{failed} of {len(outcomes)} episode{'' if len(outcomes) == 1 else 's'} failed")


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the JSON output.

    It is the schema shipped inside the package; the JSON names its version
    in "schema_version".

    \b
    Example:
      aligner schema > result.schema.json
    """
    click.echo(json.dumps(load_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="aligner")
