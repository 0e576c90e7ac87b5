"""The ``aligner`` command: the only code that reads argv, prints or exits.

Each command builds the run's :class:`~aligner.AlignOptions` once
(:mod:`aligner.cli.params`), makes one library call and prints what it
returned (:mod:`aligner.cli.console`). Library errors (AlignerError) become
one ``Error: ...`` line on stderr and exit status 1; anything else escaping
is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from pathlib import Path

import click

from aligner._version import __version__
from aligner.batch import Outcome, Status, plan_source, run_batch
from aligner.batch.plan import NothingToAlign
from aligner.batch.run import DEFAULT_RETRIES
from aligner.cli.console import (
    BatchProgress,
    Interrupted,
    Progress,
    batch_table,
    chapter_lines,
    cut_lines,
    cut_summary_lines,
    exit_on_signal,
    show_warnings,
    summary_lines,
)
from aligner.cli.params import alignment_options, cut_alignment_options
from aligner.cut import cut_episode
from aligner.errors import AlignerError
from aligner.options import AUDIO_FORMATS, CUT_KINDS, AlignOptions, CutOptions
from aligner.pipeline import align
from aligner.writers import check_output_dir, load_schema, render_rss_snippet, write_file, write_outputs

__all__ = ["cli", "main"]

_CUT = CutOptions()


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
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    help="Folder for the outputs, created if missing [default: the audio's folder].",
)
@alignment_options
@click.option(
    "--base-url", metavar="URL", default=None, help="Where the files will be published, for the RSS lines' URLs."
)
@click.option(
    "--rss-snippet",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the <podcast:transcript> RSS lines to this file instead of printing them.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@exit_on_signal
def align_command(
    audio: Path,
    transcript: Path,
    output_dir: Path | None,
    base_url: str | None,
    rss_snippet: Path | None,
    quiet: bool,
    options: AlignOptions,
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
    show_warnings(quiet)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    out_dir = output_dir if output_dir is not None else audio.parent
    formats = options.output.formats
    try:
        if audio.exists():  # a missing audio file is reported by align, as such
            check_output_dir(out_dir)
        try:
            result = align(audio, transcript, options, on_progress=progress)
        finally:
            progress.close()
        if "html" in formats:  # the review page lists what aligner cut would cut, unheard hesitations too
            from aligner.cut import with_unheard

            result = with_unheard(audio, result)
        paths = write_outputs(result, out_dir=out_dir, stem=audio.stem, output=options.output)
        snippet = render_rss_snippet(list(zip(formats, paths)), base_url=base_url, language=result.language)
        if rss_snippet is not None:
            paths.append(write_file(rss_snippet, snippet))
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    if not quiet:
        for line in summary_lines(result, paths):
            click.echo(line)
        if "chapters" in formats:
            for line in chapter_lines(result):
                click.echo(line)
        if snippet and rss_snippet is None:
            where = "" if base_url else " (add --base-url to make the URLs absolute)"
            click.echo(f"For the episode's <item> in your RSS feed{where}:")
            click.echo(snippet, nl=False)


@cli.command("cut")
@click.argument("audio", type=click.Path(path_type=Path))
@click.argument("transcript", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    help="Folder for the edited audio and its outputs, created if missing [default: the audio's folder].",
)
@click.option(
    "--remove",
    default="fillers,repetitions,passages",
    show_default=True,
    help="What goes, comma-separated: fillers, repetitions (false starts), passages (speech between "
    "transcript words that the transcript lacks), ads (such speech of --ad-min-seconds or more), pauses.",
)
@click.option("--ad-min-seconds", type=float, default=_CUT.ad_min_seconds, show_default=True, help="Shortest ad read.")
@click.option(
    "--max-pause",
    type=float,
    default=_CUT.max_pause_s,
    show_default=True,
    help="With --remove pauses: pauses longer than this (s) are shortened ...",
)
@click.option("--keep-pause", type=float, default=_CUT.keep_pause_s, show_default=True, help="... to this (s).")
@click.option(
    "--audio-format",
    type=click.Choice(AUDIO_FORMATS),
    default=None,
    help="The edited audio's format [default: the input's; m4a for a video].",
)
@click.option("--dry-run", is_flag=True, help="Print the cuts and the time saved; write nothing.")
@cut_alignment_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@exit_on_signal
def cut_command(
    audio: Path,
    transcript: Path,
    output_dir: Path | None,
    remove: str,
    ad_min_seconds: float,
    max_pause: float,
    keep_pause: float,
    audio_format: str | None,
    dry_run: bool,
    quiet: bool,
    options: AlignOptions,
    edl: bool,
) -> None:
    """Cut from AUDIO what TRANSCRIPT leaves out: fillers, false starts, cut sentences.

    Writes the edited audio (episode.mp3 gives episode.edited.mp3), the edit
    list episode.edits.json (source times), and the captions and JSON
    re-timed to the edited audio (episode.edited.srt, .vtt, .json). The
    inputs are never changed.

    \b
    Examples:
      aligner cut episode.mp3 transcript.md -o out/
      aligner cut episode.mp3 transcript.md --dry-run
      aligner cut episode.mp3 transcript.md -o out/ --remove fillers,repetitions,passages,ads,pauses
      aligner cut episode.wav transcript.md -o out/ --audio-format flac --formats srt,vtt,json,audacity,edl
    """
    show_warnings(quiet)
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    out_dir = output_dir if output_dir is not None else audio.parent
    try:
        cut = CutOptions(
            remove=_removals(remove),
            ad_min_seconds=ad_min_seconds,
            max_pause_s=max_pause,
            keep_pause_s=keep_pause,
            audio_format=audio_format,
        )
        try:
            done = cut_episode(
                audio, transcript, out_dir, options=options, cut=cut, edl=edl, dry_run=dry_run, on_progress=progress
            )
        finally:
            progress.close()
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    if dry_run:
        for line in cut_lines(done.cuts):
            click.echo(line)
    if not quiet or dry_run:
        for line in cut_summary_lines(done, dry_run=dry_run):
            click.echo(line)


def _removals(value: str) -> tuple[str, ...]:
    """``--remove`` as kinds: "fillers,pauses" -> ("filler", "pause"); :class:`CutOptions` checks them."""
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    return tuple(dict.fromkeys(n[:-1] if n.endswith("s") and n[:-1] in CUT_KINDS else n for n in names))


@cli.command("batch")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    help="Folder for every output [default: for a folder, that folder; for a manifest, each row's output_dir, else its audio's folder].",
)
@click.option(
    "-j",
    "--jobs",
    default=inspect.signature(run_batch).parameters["jobs"].default,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Worker processes on this machine; each loads the model once.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run on the Dask cluster of this scheduler (tcp://host:8786) instead; needs aligner[dask].",
)
@click.option(
    "--retries",
    default=DEFAULT_RETRIES,
    show_default=True,
    type=click.IntRange(0, 100),
    help="Extra attempts after a failure that may pass (a worker lost, an output not written); bad inputs fail at once.",
)
@click.option("--force-rerun", is_flag=True, help="Align every episode, even those whose outputs are up to date.")
@alignment_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; list only the failures.")
@exit_on_signal
def batch_command(
    source: Path,
    output_dir: Path | None,
    jobs: int,
    scheduler: str | None,
    retries: int,
    force_rerun: bool,
    quiet: bool,
    options: AlignOptions,
) -> None:
    """Align every episode of a folder or a manifest; skip those already done.

    SOURCE is a folder, where audio (.mp3 .m4a .wav .ogg .opus .flac .aac
    .m4b .oga .wma .aif .aiff) or video (.mp4 .m4v .mov .mkv .webm) pairs
    with the transcript of the same name (.md .markdown .txt .docx .rtf .htm), or a manifest:
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
    show_warnings(quiet)
    if scheduler and jobs != 1:
        raise click.UsageError("Use --jobs or --scheduler, not both (Dask workers set their own processes)")
    try:
        plan = plan_source(source, out_dir=output_dir)
        if not scheduler:
            from aligner.recognize import resolve_model

            resolve_model(options.recognize.model)  # a bad --model fails once here, not once per episode
    except NothingToAlign as error:  # say which files were found and why none pairs, then the error
        for line in batch_table([], error.unpaired, failures_only=False)[:-1]:  # the rows, not the counts
            click.echo(line)
        raise click.ClickException(" ".join(str(error).split())) from None
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    if scheduler:
        try:
            from aligner.batch.dask import run_batch_dask
        except ModuleNotFoundError as error:
            if (error.name or "").split(".")[0] in {"dask", "distributed"}:
                raise click.ClickException("--scheduler needs Dask: pip install 'aligner[dask]'") from None
            raise
        runner = functools.partial(run_batch_dask, scheduler=scheduler)
    else:
        runner = functools.partial(run_batch, jobs=jobs)

    progress = BatchProgress(len(plan.episodes), enabled=not quiet and sys.stderr.isatty())
    finished = []

    def on_outcome(outcome: Outcome) -> None:
        finished.append(outcome)
        progress(outcome)

    try:
        outcomes = runner(plan.episodes, options, retries=retries, force_rerun=force_rerun, on_outcome=on_outcome)
    except AlignerError as error:
        raise click.ClickException(" ".join(str(error).split())) from None
    except (Interrupted, KeyboardInterrupt):
        progress.close()
        for line in batch_table(finished, plan.unpaired, failures_only=quiet):
            click.echo(line)
        left = len(plan.episodes) - len(finished)
        click.echo(
            f"{left} episode{'' if left == 1 else 's'} not finished; run the same command again to resume", err=True
        )
        raise
    finally:
        progress.close()
    for line in batch_table(outcomes, plan.unpaired, failures_only=quiet):
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
