"""A back catalogue on one machine: many episodes, worker processes, resumable.

A batch is a list of :class:`Episode` records (audio, transcript, output
folder), planned from a folder (:func:`plan_folder`, pairing files by stem) or
a manifest (:func:`read_manifest`, CSV or JSON lines). :func:`run_batch` runs
them in worker processes and returns one :class:`Outcome` per episode, in the
plan's order; :mod:`aligner.batch_dask` runs the same episodes on a Dask
cluster. This module never prints: progress goes to the caller's
``on_outcome`` callback.

Resuming. An episode is skipped when its outputs are up to date
(:func:`is_up_to_date`): every requested output exists and the oldest of them
is newer than both the audio and the transcript. Outputs are written all or
nothing (:func:`aligner.write_outputs`), so an episode interrupted by a crash
or Ctrl-C has either its new outputs or none, and the next run redoes exactly
the episodes not finished. Options are not part of the rule: after changing
the model or caption limits, rerun with ``force_rerun``.

Failures. An episode whose inputs the aligner rejects (unreadable audio, an
empty transcript, a transcript of other audio) fails at once: trying again
would give the same error. Anything else (an output that cannot be written, a
worker process that dies, an unexpected exception) is retried up to
``retries`` times. A worker process that dies takes down the episodes running
beside it too, so those are retried one at a time until the culprit is known.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.errors import AlignerError, BatchError, OutputError
from aligner.options import CaptionOptions, OutputOptions, RecognizeOptions
from aligner.pipeline import align
from aligner.recognize import ProgressCallback
from aligner.types import Result
from aligner.writers import FORMATS, write_outputs

__all__ = [
    "AUDIO_EXTENSIONS",
    "TRANSCRIPT_EXTENSIONS",
    "Attempt",
    "BatchOptions",
    "Episode",
    "Outcome",
    "Outcomes",
    "Plan",
    "Status",
    "Unpaired",
    "align_episode",
    "gave_up",
    "is_up_to_date",
    "plan_folder",
    "plan_source",
    "read_manifest",
    "run_batch",
    "triage",
]

log = logging.getLogger(__name__)

AUDIO_EXTENSIONS = (".mp3", ".m4a", ".wav", ".ogg", ".opus", ".flac")
"""Audio a folder batch picks up (any container PyAV reads works in a manifest)."""

TRANSCRIPT_EXTENSIONS = (".md", ".markdown", ".txt", ".docx")
"""Transcripts a folder batch picks up; other files (outputs, cover art) are ignored.

Not .srt or .vtt: in a folder they are what the batch writes, so an
episode's captions would pair with it as a second transcript on the next
run. Caption files as transcripts go through a manifest."""

MANIFEST_COLUMNS = ("audio", "transcript", "output_dir")
"""Manifest fields; ``output_dir`` may be left out or empty."""

OnOutcome = Callable[["Outcome"], None]


class Status(enum.Enum):
    """How an episode ended."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Episode:
    """One unit of a batch: its paths are absolute, so any worker can use them.

    Attributes:
        name: how reports name it: the stem in a folder batch, the audio as
            written in a manifest.
        audio: the audio file.
        transcript: the transcript file.
        out_dir: where ``<audio stem>.<ext>`` outputs are written.
    """

    name: str
    audio: Path
    transcript: Path
    out_dir: Path

    @property
    def stem(self) -> str:
        """Output file name without extension, as ``aligner align`` names it."""
        return self.audio.stem

    def outputs(self, formats: Iterable[str]) -> list[Path]:
        """The output files the formats give."""
        return [self.out_dir / f"{self.stem}.{FORMATS[name].extension}" for name in dict.fromkeys(formats)]


@dataclass(frozen=True, slots=True)
class Unpaired:
    """A file a folder batch found but cannot align, and why."""

    path: Path
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What a batch will do: episodes in order, and files left out."""

    episodes: tuple[Episode, ...]
    unpaired: tuple[Unpaired, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """What every episode of a batch shares (the options of ``aligner align``).

    Attributes:
        formats: output formats, names from :data:`aligner.writers.FORMATS`.
        recognize_options: model and decoding options.
        caption_options: caption limits.
        use_cache: reuse and store recognition results.
        cache_dir: recognition cache folder (None: the default); on a cluster
            each worker uses this path on its own machine.
        force: align even when a transcript looks like another episode's.
        output_options: what the writers add (word timestamps in VTT, ...).
        refine: re-time words against the audio (see :mod:`aligner.refine`).
        transcript_format: ``auto`` or one of :data:`aligner.readers.TRANSCRIPT_FORMATS`.
    """

    formats: tuple[str, ...] = ("srt", "vtt", "json")
    recognize_options: RecognizeOptions = RecognizeOptions()
    caption_options: CaptionOptions = CaptionOptions()
    use_cache: bool = True
    cache_dir: Path | None = None
    force: bool = False
    output_options: OutputOptions = OutputOptions()
    refine: bool = True
    transcript_format: str = "auto"

    def align(self, audio: Path, transcript: Path, *, on_progress: ProgressCallback | None = None) -> Result:
        """:func:`aligner.align` with these options (``aligner align`` runs one episode this way too)."""
        return align(
            audio,
            transcript,
            recognize_options=self.recognize_options,
            caption_options=self.caption_options,
            use_cache=self.use_cache,
            cache_dir=self.cache_dir,
            force=self.force,
            on_progress=on_progress,
            refine=self.refine,
            transcript_format=self.transcript_format,
        )

    def write(self, result: Result, out_dir: Path, stem: str) -> list[Path]:
        """:func:`aligner.write_outputs` with these formats and options."""
        return write_outputs(
            result,
            out_dir=out_dir,
            stem=stem,
            formats=self.formats,
            options=self.caption_options,
            output=self.output_options,
        )

    def __post_init__(self) -> None:
        unknown = [name for name in self.formats if name not in FORMATS]
        if unknown or not self.formats:
            raise BatchError(f"unknown output format {', '.join(unknown) or 'none given'}: choose from {', '.join(sorted(FORMATS))}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one episode ended.

    Attributes:
        episode: the episode.
        status: done, skipped or failed.
        detail: one line: why it failed or was skipped; empty when done.
        seconds: wall time of the last attempt (0 when skipped).
        attempts: how many times it was run (0 when skipped).
        matched_percent: share of transcript words matched, when done.
        outputs: files written, when done.
        worker: where the last attempt ran ("pid 1234", a Dask worker's
            address); empty when skipped.
    """

    episode: Episode
    status: Status
    detail: str = ""
    seconds: float = 0.0
    attempts: int = 0
    matched_percent: float | None = None
    outputs: tuple[Path, ...] = ()
    worker: str = ""


# ---------------------------------------------------------------- planning


def plan_source(source: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None) -> Plan:
    """Plan a folder (:func:`plan_folder`) or a manifest file (:func:`read_manifest`)."""
    path = Path(source)
    if path.is_dir():
        return plan_folder(path, out_dir=out_dir)
    if not path.exists():
        raise BatchError(f"{path}: no such folder or manifest")
    return read_manifest(path, out_dir=out_dir)


def plan_folder(folder: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None) -> Plan:
    """Pair the audio and transcripts of one folder by stem.

    ``interview.mp3`` pairs with ``interview.md`` (or ``.markdown``,
    ``.txt``). Only the folder itself is read, not subfolders; hidden files
    are ignored. A stem with an audio file but no transcript, a transcript but
    no audio, or two of either is reported in :attr:`Plan.unpaired`, not run.

    Args:
        folder: the folder.
        out_dir: where all outputs go (default: the folder itself, as
            ``aligner align`` writes beside the audio).

    Raises:
        BatchError: not a folder, or no pair in it.
    """
    root = Path(folder).absolute()
    if not root.is_dir():
        raise BatchError(f"{folder}: not a folder")
    audio: dict[str, list[Path]] = {}
    transcripts: dict[str, list[Path]] = {}
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in AUDIO_EXTENSIONS:
            audio.setdefault(path.stem, []).append(path)
        elif suffix in TRANSCRIPT_EXTENSIONS:
            transcripts.setdefault(path.stem, []).append(path)
    target = Path(out_dir).absolute() if out_dir is not None else root
    episodes: list[Episode] = []
    unpaired: list[Unpaired] = []
    for stem in sorted(audio.keys() | transcripts.keys()):
        sounds, texts = audio.get(stem, []), transcripts.get(stem, [])
        if len(sounds) == 1 and len(texts) == 1:
            episodes.append(Episode(name=stem, audio=sounds[0], transcript=texts[0], out_dir=target))
        elif len(sounds) > 1 or len(texts) > 1:
            many = sounds if len(sounds) > 1 else texts
            what = "audio files" if len(sounds) > 1 else "transcripts"
            names = ", ".join(p.name for p in many)
            for path in sounds + texts:
                unpaired.append(Unpaired(path, f"{len(many)} {what} named {stem} ({names}); keep one or use a manifest"))
        elif sounds:
            unpaired.append(Unpaired(sounds[0], f"no transcript named {stem}{{{','.join(TRANSCRIPT_EXTENSIONS)}}}"))
        else:
            unpaired.append(Unpaired(texts[0], f"no audio named {stem}{{{','.join(AUDIO_EXTENSIONS)}}}"))
    if not episodes:
        raise BatchError(
            f"{folder}: no audio file with a transcript of the same name "
            f"({len(unpaired)} unpaired file{'' if len(unpaired) == 1 else 's'})"
        )
    return Plan(episodes=tuple(episodes), unpaired=tuple(unpaired))


def read_manifest(path: str | os.PathLike[str], *, out_dir: str | os.PathLike[str] | None = None) -> Plan:
    """Read a manifest: one episode per row, in the manifest's order.

    A ``.csv`` file has a header row naming the columns ``audio``,
    ``transcript`` and optionally ``output_dir``; a ``.jsonl`` / ``.ndjson``
    / ``.json`` file has one JSON object per line with the same keys (blank
    lines are ignored). Relative paths are relative to the manifest's folder,
    so a manifest can move with its episodes.

    Args:
        path: the manifest.
        out_dir: the output folder of rows that give none (default: each
            audio's own folder).

    Raises:
        BatchError: unreadable, an unknown column, a row without audio or
            transcript, two rows writing the same outputs, or no rows; the
            message names the file and line.
    """
    manifest = Path(path)
    suffix = manifest.suffix.lower()
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BatchError(f"{manifest}: manifest is not UTF-8 text") from None
    except OSError as error:
        raise BatchError(f"{manifest}: cannot read manifest ({error.strerror or error})") from None
    if suffix == ".csv":
        rows = _csv_rows(manifest, text)
    elif suffix in {".jsonl", ".ndjson", ".json"}:
        rows = _json_rows(manifest, text)
    else:
        raise BatchError(f"{manifest}: unknown manifest type {suffix or '(no extension)'}: use .csv or .jsonl")
    base = manifest.absolute().parent
    default_out = Path(out_dir).absolute() if out_dir is not None else None
    episodes: list[Episode] = []
    seen: dict[tuple[Path, str], int] = {}
    for line, row in rows:
        unknown = sorted(set(row) - set(MANIFEST_COLUMNS))
        if unknown:
            raise BatchError(
                f"{manifest}, line {line}: unknown column {unknown[0]!r} (columns: {', '.join(MANIFEST_COLUMNS)})"
            )
        values = {}
        for key in MANIFEST_COLUMNS:
            value = row.get(key)
            if value is not None and not isinstance(value, str):
                raise BatchError(f"{manifest}, line {line}: {key} must be a path (a string)")
            values[key] = (value or "").strip()
        for key in ("audio", "transcript"):
            if not values[key]:
                raise BatchError(f"{manifest}, line {line}: no {key} given")
        audio = base / values["audio"]
        if values["output_dir"]:
            target = base / values["output_dir"]
        else:
            target = default_out if default_out is not None else audio.parent
        episode = Episode(name=values["audio"], audio=audio, transcript=base / values["transcript"], out_dir=target)
        key = (Path(os.path.normpath(episode.out_dir)), episode.stem)
        if key in seen:
            raise BatchError(
                f"{manifest}, line {line}: writes the same outputs as line {seen[key]} "
                f"({os.path.join(key[0], episode.stem)}.*)"
            )
        seen[key] = line
        episodes.append(episode)
    if not episodes:
        raise BatchError(f"{manifest}: manifest lists no episodes")
    return Plan(episodes=tuple(episodes))


def _csv_rows(manifest: Path, text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        raise BatchError(f"{manifest}: manifest is empty (a header row audio,transcript,output_dir comes first)")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                raise BatchError(f"{manifest}, line {reader.line_num}: more fields than the header has")
            if any((value or "").strip() for value in row.values()):
                rows.append((reader.line_num, {k: v for k, v in row.items() if k}))
    except csv.Error as error:
        raise BatchError(f"{manifest}, line {reader.line_num}: {error}") from None
    return rows


def _json_rows(manifest: Path, text: str) -> list[tuple[int, dict]]:
    rows = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise BatchError(f"{manifest}, line {line}: not JSON ({error.msg}); one object per line") from None
        if not isinstance(row, dict):
            raise BatchError(f"{manifest}, line {line}: expected a JSON object with audio and transcript")
        rows.append((line, row))
    return rows


# ---------------------------------------------------------------- resuming


def is_up_to_date(episode: Episode, formats: Iterable[str]) -> bool:
    """Whether an episode's outputs can be kept: the rule that makes a batch resumable.

    True when every requested output exists and the oldest of them was
    modified after both the audio and the transcript (strictly: on a file
    system with coarse times, an output as old as an input is redone). A
    missing input gives False, so the episode runs and reports the error.
    """
    try:
        newest_input = max(episode.audio.stat().st_mtime_ns, episode.transcript.stat().st_mtime_ns)
        oldest_output = min(path.stat().st_mtime_ns for path in episode.outputs(formats))
    except (OSError, ValueError):
        return False
    return oldest_output > newest_input


def triage(
    episodes: Sequence[Episode], formats: Iterable[str], *, force_rerun: bool = False
) -> tuple[list[Episode], list[Outcome]]:
    """Split episodes into those to run and those skipped as up to date."""
    formats = tuple(formats)
    todo: list[Episode] = []
    skipped: list[Outcome] = []
    for episode in episodes:
        if not force_rerun and is_up_to_date(episode, formats):
            skipped.append(Outcome(episode, Status.SKIPPED, "outputs up to date"))
        else:
            todo.append(episode)
    return todo, skipped


# ---------------------------------------------------------------- one episode


def one_line(error: BaseException) -> str:
    """An exception as one line: an AlignerError's own message, else its type and message."""
    text = " ".join(str(error).split())
    if isinstance(error, AlignerError):
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def align_episode(episode: Episode, options: BatchOptions) -> Outcome:
    """Align one episode and write its outputs: the unit of work a worker runs.

    Runs in a worker process (or a Dask worker), where the model is loaded
    once and kept (``aligner.recognize.load_model`` is cached per process).

    Returns:
        DONE with the outputs, or FAILED when the aligner rejects the inputs
        (the same inputs would fail again, so this is final).

    Raises:
        OutputError, and any exception that is not an AlignerError: the
        runner retries these.
    """
    started = time.perf_counter()
    worker = f"pid {os.getpid()}"
    try:
        result = options.align(episode.audio, episode.transcript)
        _make_parents(episode.out_dir)
        paths = options.write(result, episode.out_dir, episode.stem)
    except OutputError:
        raise
    except AlignerError as error:
        return Outcome(
            episode, Status.FAILED, one_line(error), seconds=time.perf_counter() - started, attempts=1, worker=worker
        )
    words = max(result.summary.words, 1)
    return Outcome(
        episode,
        Status.DONE,
        seconds=time.perf_counter() - started,
        attempts=1,
        matched_percent=round(100 * result.summary.matched / words, 1),
        outputs=tuple(paths),
        worker=worker,
    )


def _make_parents(out_dir: Path) -> None:
    """Create the folders above an output folder (a manifest may name a new tree)."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create output folder: {error.strerror or error}") from error


# ---------------------------------------------------------------- the local runner


@dataclass(slots=True)
class Attempt:
    """One try at an episode; every runner counts them against ``retries`` the same way."""

    episode: Episode
    number: int = 1
    alone: bool = False  # after a worker died beside it: run with nothing else


class Outcomes:
    """The outcomes of a run by episode, each passed on to ``on_outcome`` as it is known.

    Shared by the local and the Dask runner, so both skip, report and order
    episodes alike.
    """

    def __init__(self, on_outcome: OnOutcome | None) -> None:
        self._results: dict[Episode, Outcome] = {}
        self._on_outcome = on_outcome

    @classmethod
    def start(
        cls, episodes: Sequence[Episode], formats: Iterable[str], force_rerun: bool, on_outcome: OnOutcome | None
    ) -> tuple[list[Episode], "Outcomes"]:
        """The episodes to run, and the outcomes with the skipped ones already in (and reported)."""
        todo, skipped = triage(episodes, formats, force_rerun=force_rerun)
        outcomes = cls(on_outcome)
        for outcome in skipped:
            outcomes(outcome)
        return list(todo), outcomes

    def __call__(self, outcome: Outcome) -> None:
        self._results[outcome.episode] = outcome
        if self._on_outcome is not None:
            self._on_outcome(outcome)

    def in_order(self, episodes: Sequence[Episode]) -> list[Outcome]:
        return [self._results[episode] for episode in episodes]


def run_batch(
    episodes: Sequence[Episode],
    options: BatchOptions = BatchOptions(),
    *,
    jobs: int = 1,
    retries: int = 2,
    force_rerun: bool = False,
    on_outcome: OnOutcome | None = None,
) -> list[Outcome]:
    """Align many episodes with ``jobs`` worker processes, skipping those up to date.

    With ``jobs`` 1 the episodes run in this process, one after another.
    Otherwise each worker process is started once (spawned, so it holds no
    state of this process) and aligns episode after episode, loading the
    model on its first recognition and keeping it. At most ``jobs``
    episodes are in flight at a time, so an interruption leaves little
    unfinished.

    Args:
        episodes: what to align (see :func:`plan_source`).
        options: what every episode shares.
        jobs: worker processes, at least 1.
        retries: extra attempts for failures that may pass (see the module
            docstring); errors in an episode's inputs are never retried.
        force_rerun: align even the episodes whose outputs are up to date.
        on_outcome: called with each outcome as it is known (skipped ones
            first), for progress.

    Returns:
        One outcome per episode, in the order given.

    Raises:
        BatchError: ``jobs`` or ``retries`` out of range.
        KeyboardInterrupt: (or whatever a signal handler raises) after
            stopping the workers at once; the episodes finished so far have
            been passed to ``on_outcome``, and no output is left half written.
    """
    if jobs < 1:
        raise BatchError(f"jobs must be at least 1, not {jobs}")
    if retries < 0:
        raise BatchError(f"retries must be 0 or more, not {retries}")
    todo, finish = Outcomes.start(episodes, options.formats, force_rerun, on_outcome)
    if jobs == 1 or len(todo) <= 1:
        _run_here(todo, options, retries, finish)
    else:
        workers = min(jobs, len(todo))
        _run_in_pool(todo, _share_cores(options, workers), workers, retries, finish)
    return finish.in_order(episodes)


def _share_cores(options: BatchOptions, workers: int) -> BatchOptions:
    """Give each worker's recognizer its share of the cores, unless the threads were chosen.

    faster-whisper's default is 4 threads per model, so 2 workers on 2 cores
    ran 8 threads; one thread each was 6% faster on 4 fixture episodes
    (21.5-21.9 s against 22.8-23.3 s, ``aligner batch --jobs 2`` with and
    without ``--threads 1``).
    """
    recognize = options.recognize_options
    if recognize.threads != 0:
        return options
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return replace(options, recognize_options=replace(recognize, threads=max(1, cores // workers)))


def gave_up(attempt: Attempt, error: str) -> Outcome:
    """The FAILED outcome of an episode's last attempt."""
    detail = error if attempt.number == 1 else f"{error} (after {attempt.number} attempts)"
    return Outcome(attempt.episode, Status.FAILED, detail, attempts=attempt.number)


def _run_here(todo: Sequence[Episode], options: BatchOptions, retries: int, finish: OnOutcome) -> None:
    for episode in todo:
        attempt = Attempt(episode)
        while True:
            try:
                outcome = align_episode(episode, options)
            except Exception as error:  # retried, then reported with its type: never dropped
                log.debug("attempt %d of %s failed", attempt.number, episode.name, exc_info=True)
                if attempt.number > retries:
                    finish(gave_up(attempt, one_line(error)))
                    break
                attempt.number += 1
                continue
            finish(replace(outcome, attempts=attempt.number))
            break


def _ignore_interrupts() -> None:
    """Worker initializer: Ctrl-C is the parent's to handle, not every worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_interrupts
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: end the worker processes rather than wait for their episodes."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    pool.shutdown(wait=True, cancel_futures=True)  # the pool sees its workers gone and cleans up


_WORKER_DIED = "a worker process died while aligning it (killed, or out of memory?)"


def _run_in_pool(
    todo: Sequence[Episode],
    options: BatchOptions,
    workers: int,
    retries: int,
    finish: OnOutcome,
    task: Callable[[Episode, BatchOptions], Outcome] = align_episode,
) -> None:
    queue: deque[Attempt] = deque(Attempt(episode) for episode in todo)
    running: dict[Future, Attempt] = {}

    def collect(future: Future) -> bool:
        """Finish or requeue the episode of a completed future; True if its worker died."""
        attempt = running.pop(future)
        try:
            outcome = future.result()
        except BrokenProcessPool:
            died, error = True, _WORKER_DIED
        except Exception as exc:  # retried, then reported with its type: never dropped
            died, error = False, one_line(exc)
        else:
            finish(replace(outcome, attempts=attempt.number))
            return False
        if attempt.number > retries:
            finish(gave_up(attempt, error))
        elif died:  # it, or an episode beside it, killed the worker: run it alone next
            queue.appendleft(Attempt(attempt.episode, attempt.number + 1, alone=True))
        else:
            queue.append(Attempt(attempt.episode, attempt.number + 1, alone=attempt.alone))
        return died

    pool = _new_pool(workers)
    try:
        while queue or running:
            while queue and len(running) < workers:
                if any(a.alone for a in running.values()) or (queue[0].alone and running):
                    break
                attempt = queue.popleft()
                running[pool.submit(task, attempt.episode, options)] = attempt
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = any([collect(future) for future in done])  # a list: collect every one, no short cut
            if broken:
                # Every episode still in flight goes down with the pool: collect them, start afresh.
                rest, _ = wait(running)
                for future in rest:
                    collect(future)
                pool.shutdown(wait=True)
                pool = _new_pool(workers)
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
