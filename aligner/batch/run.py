"""Running a batch on one machine: worker processes, retries, outcomes in order.

:func:`run_batch` runs the planned episodes (:mod:`aligner.batch.plan`) in
worker processes and returns one :class:`Outcome` per episode, in the plan's
order; :mod:`aligner.batch.dask` runs the same episodes on a Dask cluster.
This module never prints: progress goes to the caller's ``on_outcome``
callback.

Failures. An episode whose inputs the aligner rejects (unreadable audio, an
empty transcript, a transcript of other audio) fails at once: trying again
would give the same error. Anything else (an output that cannot be written, a
worker process that dies, an unexpected exception) is retried up to
``retries`` times. A worker process that dies takes down the episodes running
beside it too, so those are retried one at a time until the culprit is known.
"""

from __future__ import annotations

import enum
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

from aligner.batch.plan import Episode, is_up_to_date
from aligner.errors import AlignerError, BatchError, OutputError
from aligner.options import AlignOptions
from aligner.pipeline import align
from aligner.writers import FORMATS, write_outputs

__all__ = [
    "DEFAULT_RETRIES",
    "Attempt",
    "Outcome",
    "Outcomes",
    "Status",
    "align_episode",
    "check_formats",
    "gave_up",
    "one_line",
    "run_batch",
    "triage",
]

log = logging.getLogger(__name__)

OnOutcome = Callable[["Outcome"], None]

DEFAULT_RETRIES = 2
"""Extra attempts for a failure that may pass, unless told otherwise (the Dask runner uses it too)."""


class Status(enum.Enum):
    """How an episode ended."""

    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"


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


def check_formats(options: AlignOptions) -> None:
    """Refuse unknown output formats before any episode runs (each would fail alike).

    Raises:
        BatchError: an unknown format name, or none.
    """
    formats = options.output.formats
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise BatchError(
            f"unknown output format {', '.join(unknown) or 'none given'}: choose from {', '.join(sorted(FORMATS))}"
        )


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


def one_line(error: BaseException) -> str:
    """An exception as one line: an AlignerError's own message, else its type and message."""
    text = " ".join(str(error).split())
    if isinstance(error, AlignerError):
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def align_episode(episode: Episode, options: AlignOptions) -> Outcome:
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
        result = align(episode.audio, episode.transcript, options)
        if "html" in options.output.formats:  # the review page lists what aligner cut would cut
            from aligner.cut import with_unheard

            result = with_unheard(episode.audio, result)
        paths = write_outputs(result, out_dir=episode.out_dir, stem=episode.stem, output=options.output)
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
    ) -> tuple[list[Episode], Outcomes]:
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
    options: AlignOptions = AlignOptions(),
    *,
    jobs: int = 1,
    retries: int = DEFAULT_RETRIES,
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
    check_formats(options)
    todo, finish = Outcomes.start(episodes, options.output.formats, force_rerun, on_outcome)
    if jobs == 1 or len(todo) <= 1:
        _run_here(todo, options, retries, finish)
    else:
        workers = min(jobs, len(todo))
        _run_in_pool(todo, _share_cores(options, workers), workers, retries, finish)
    return finish.in_order(episodes)


def _share_cores(options: AlignOptions, workers: int) -> AlignOptions:
    """Give each worker's recognizer its share of the cores, unless the threads were chosen.

    faster-whisper's default is 4 threads per model, so 2 workers on 2 cores
    ran 8 threads; one thread each was 6% faster on 4 fixture episodes
    (21.5-21.9 s against 22.8-23.3 s, ``aligner batch --jobs 2`` with and
    without ``--threads 1``).
    """
    recognize = options.recognize
    if recognize.threads != 0:
        return options
    from aligner.recognize import available_cores

    return replace(options, recognize=replace(recognize, threads=max(1, available_cores() // workers)))


def gave_up(attempt: Attempt, error: str) -> Outcome:
    """The FAILED outcome of an episode's last attempt."""
    detail = error if attempt.number == 1 else f"{error} (after {attempt.number} attempts)"
    return Outcome(attempt.episode, Status.FAILED, detail, attempts=attempt.number)


def _run_here(todo: Sequence[Episode], options: AlignOptions, retries: int, finish: OnOutcome) -> None:
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
    options: AlignOptions,
    workers: int,
    retries: int,
    finish: OnOutcome,
    task: Callable[[Episode, AlignOptions], Outcome] = align_episode,
) -> None:
    queue: deque[Attempt] = deque(Attempt(episode) for episode in todo)
    running: dict[Future[Outcome], Attempt] = {}

    def collect(future: Future[Outcome]) -> bool:
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
