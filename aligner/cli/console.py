"""What the commands show: progress bars, warnings, the run summary, the batch table, and signals.

The library never prints; everything a user sees on the terminal is made
here. Library warnings (an unreadable cache entry) become one ``Warning:``
line each on stderr, notices (a resumed recognition) plain lines; SIGINT and
SIGTERM end a command with one ``Error:`` line and status 128+N, after every
clean-up has run, so no output file is left partial.
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

import click

from aligner.batch import Outcome, Status, Unpaired
from aligner.report import body_summary, moved_passages
from aligner.timecode import format_clock
from aligner.types import Result
from aligner.writers import find_chapters

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from aligner.cut import CutResult
    from aligner.cut.plan import Cut

__all__ = [
    "BatchProgress",
    "Interrupted",
    "Progress",
    "batch_table",
    "chapter_lines",
    "exit_on_signal",
    "show_warnings",
    "summary_lines",
]

F = TypeVar("F", bound=Callable[..., Any])

LIST_LIMIT = 10
"""Passages and regions listed in the summary before "... and N more"."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM, raised in the main thread so every clean-up (``finally``) runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def exit_on_signal(command: F) -> F:
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
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caught: list[int] = []

        def handler(signum: int, _frame: FrameType | None) -> None:
            if not caught:
                caught.append(signum)
                raise Interrupted(signum)

        previous: dict[signal.Signals, Any] = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                if signal.getsignal(sig) is not signal.SIG_IGN:
                    previous[sig] = signal.signal(sig, handler)
            except ValueError:  # not the main thread (embedded use): keep Python's defaults
                break
        try:
            return command(*args, **kwargs)
        except (Interrupted, KeyboardInterrupt) as exc:
            caught.append(signal.SIGINT)  # from here on, further signals are ignored
            signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
            name = signal.Signals(signum).name
            click.echo(f"Error: interrupted by {name}; no output file was left partial", err=True)
            sys.exit(128 + signum)
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)

    return wrapper  # type: ignore[return-value]


class WarningLines(logging.Handler):
    """The library's warnings (an unreadable cache entry, ...) as one ``Warning:`` line each on stderr,
    and its notices (a resumed recognition) as plain lines."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            prefix = "Warning: " if record.levelno >= logging.WARNING else ""
            click.echo(f"{prefix}{' '.join(self.format(record).split())}", err=True)
        except Exception:  # logging must never end the run
            self.handleError(record)


def show_warnings(quiet: bool = False) -> None:
    """Route the library's log records to stderr: warnings always, notices unless ``quiet``."""
    logger = logging.getLogger("aligner")
    level = logging.WARNING if quiet else logging.INFO
    logger.setLevel(min(logger.getEffectiveLevel(), level))
    for handler in logger.handlers:
        if isinstance(handler, WarningLines):
            handler.setLevel(level)
            return
    handler = WarningLines(level)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)


class Progress:
    """A progress bar in audio time on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.bar: ProgressBar[int] | None = None
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


def cut_lines(cuts: Sequence[Cut]) -> list[str]:
    """Each cut on a line: where (source times, to the millisecond), its kind and what was heard there."""
    lines = []
    for c in cuts:
        heard = " ".join(c.heard.split())
        heard = heard if len(heard) <= 50 else heard[:47] + "..."
        lines.append(f"  {_precise(c.start_ms)}-{_precise(c.end_ms)}  {c.kind:<10}  {heard}".rstrip())
    return lines


def _precise(ms: int) -> str:
    return f"{format_clock(ms)}.{ms % 1000:03d}"


def cut_summary_lines(done: CutResult, *, dry_run: bool) -> list[str]:
    """The files written (none on a dry run), and the cuts counted by kind with the time they save."""
    kinds: dict[str, int] = {}
    for c in done.cuts:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    counted = ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in kinds.items()) or "nothing to cut"
    verb = "Would cut" if dry_run else "Cut"
    lines = [] if dry_run else [f"Wrote {', '.join(str(p) for p in done.paths)}"]
    lines.append(
        f"{verb} {len(done.cuts)} stretch{'' if len(done.cuts) == 1 else 'es'} ({counted}): "
        f"{done.removed_ms / 1000:.1f} s removed, {format_clock(done.result.duration_ms)} -> "
        f"{format_clock(done.edited_duration_ms)}"
    )
    return lines


def summary_lines(result: Result, paths: list[Path]) -> list[str]:
    """The files written, the word counts, and what the transcript and the audio disagree on.

    The counts are the body's (:func:`aligner.report.body_summary`): the
    title, byline and other heading matter are not expected in the audio,
    so they are counted apart, not as "not in audio".
    """
    s = body_summary(result.words)
    heading = result.summary.words - s.words
    total = max(s.words, 1)
    lines = [f"Wrote {', '.join(str(p) for p in paths)}"]
    counts = (
        f"Words: {s.words} in the body | matched {s.matched} ({s.matched / total:.1%}) | "
        f"interpolated {s.interpolated} ({s.interpolated / total:.1%}) | "
        f"not in audio {s.not_in_audio} ({s.not_in_audio / total:.1%}) | low confidence {s.low_confidence}"
    )
    if heading:
        counts += f"; {heading} heading word{'' if heading == 1 else 's'} (title, byline) not expected in the audio"
    lines.append(counts)
    if result.missing:
        lines.append(f"Transcript text not found in the audio ({len(result.missing)}):")
        for passage in result.missing[:LIST_LIMIT]:
            where = f"after {format_clock(passage.after_ms)}" if passage.after_ms is not None else "at the start"
            text = passage.text if len(passage.text) <= 70 else passage.text[:67] + "..."
            lines.append(f"  {where}: {text}")
        if len(result.missing) > LIST_LIMIT:
            lines.append(f"  ... and {len(result.missing) - LIST_LIMIT} more (see the JSON)")
    if result.audio_only:
        lines.append(f"Speech not in the transcript ({len(result.audio_only)}):")
        for region in result.audio_only[:LIST_LIMIT]:
            text = region.text if len(region.text) <= 60 else region.text[:57] + "..."
            lines.append(f"  {format_clock(region.start_ms)}-{format_clock(region.end_ms)}: {text}")
        if len(result.audio_only) > LIST_LIMIT:
            lines.append(f"  ... and {len(result.audio_only) - LIST_LIMIT} more (see the JSON)")
    moved = moved_passages(result.missing, result.audio_only)
    if moved:
        lines.append(f"Transcript text spoken at another point in the audio (moved?) ({len(moved)}):")
        for passage_index, region_index in moved[:LIST_LIMIT]:
            region = result.audio_only[region_index]
            text = result.missing[passage_index].text
            text = text if len(text) <= 50 else text[:47] + "..."
            lines.append(f"  {text} heard at {format_clock(region.start_ms)}-{format_clock(region.end_ms)}")
    return lines


def chapter_lines(result: Result) -> list[str]:
    chapters = find_chapters(result.words)
    if not chapters:
        return ["Chapters: none (the transcript has no section headings inside the body)"]
    return [f"Chapters ({len(chapters)}):"] + [f"  {format_clock(c.start_ms)} {c.title}" for c in chapters]


class BatchProgress:
    """Episodes done out of the batch, on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bar: ProgressBar[Outcome] | None = None
        if enabled:
            self.bar = click.progressbar(
                length=total,
                label="Aligning",
                file=sys.stderr,
                show_pos=True,
                show_eta=True,
                item_show_func=lambda outcome: outcome.episode.name if outcome is not None else "",
            )
            self.bar.__enter__()

    def __call__(self, outcome: Outcome) -> None:
        if self.bar is not None:
            self.bar.update(1, outcome)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def batch_table(outcomes: Sequence[Outcome], unpaired: Sequence[Unpaired], *, failures_only: bool) -> list[str]:
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
