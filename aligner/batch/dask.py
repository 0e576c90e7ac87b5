"""The same batch on a Dask cluster, for catalogues that outgrow one machine.

Dask distributed does the distributing (scheduling, worker processes,
reconnection, the dashboard); this module only says what to run. Each
episode is one task, :func:`aligner.batch.run.align_episode`, so a cluster run
gives the same outputs as a local one. A :class:`ModelPlugin` loads the
model once on every worker, when the worker joins, before it takes a task.

Every worker must have aligner installed (the same version) and see the
audio, the transcripts and the output folders at the same absolute paths as
this process (a shared file system); the up-to-date check runs here, before
anything is sent. ``cache_dir`` is read and written by each worker on its own
machine.

Failures follow :mod:`aligner.batch.run`: an episode whose inputs the aligner
rejects fails at once; any other failure (a worker lost, an output that
cannot be written, an unexpected exception) is submitted again, up to
``retries`` more times, and then reported with its last error. Dask itself
reschedules a task whose worker dies (up to its
``distributed.scheduler.allowed-failures`` setting, 3 by default) before
giving up with ``KilledWorker``, which then counts as one failed attempt here.

This module imports ``distributed`` (the optional extra ``aligner[dask]``).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from distributed import Client, Future, WorkerPlugin, as_completed, get_worker

from aligner.batch.plan import Episode
from aligner.batch.run import (
    DEFAULT_RETRIES,
    Attempt,
    OnOutcome,
    Outcome,
    Outcomes,
    align_episode,
    check_formats,
    gave_up,
    one_line,
)
from aligner.errors import AlignerError, BatchError
from aligner.options import AlignOptions, RecognizeOptions
from aligner.recognize import load_model

__all__ = ["ModelPlugin", "run_batch_dask"]

PLUGIN_NAME = "aligner-model"


class ModelPlugin(WorkerPlugin):
    """Loads the Whisper model on a worker once, when the plugin reaches it.

    Tasks then find it in the worker process's model cache
    (``aligner.recognize.load_model``). Loading runs in a thread so the
    worker keeps answering the scheduler meanwhile. A model that cannot be
    loaded is not an error here: each episode then fails with the model's
    one-line error, which the batch reports.
    """

    def __init__(self, recognize_options: RecognizeOptions) -> None:
        self.recognize_options = recognize_options

    async def setup(self, worker: Any) -> None:  # worker: a distributed.Worker
        options = self.recognize_options
        with contextlib.suppress(AlignerError):  # each episode then reports the model's error
            # Same positional call as the recogniser's, so it hits the same cache entry.
            await asyncio.to_thread(load_model, options.model, options.device, options.compute_type, options.threads)


def _align_on_worker(episode: Episode, options: AlignOptions) -> Outcome:
    """The task: :func:`align_episode`, naming the Dask worker it ran on."""
    outcome = align_episode(episode, options)
    return replace(outcome, worker=get_worker().address)


def run_batch_dask(
    episodes: Sequence[Episode],
    options: AlignOptions = AlignOptions(),
    *,
    scheduler: str,
    retries: int = DEFAULT_RETRIES,
    force_rerun: bool = False,
    on_outcome: OnOutcome | None = None,
    connect_timeout_s: float = 10.0,
) -> list[Outcome]:
    """Align many episodes on the Dask cluster whose scheduler is at ``scheduler``.

    Args:
        episodes: what to align; their paths must mean the same on the workers.
        options: what every episode shares.
        scheduler: the scheduler's address, such as ``tcp://host:8786``.
        retries: extra attempts for failures that may pass.
        force_rerun: align even the episodes whose outputs are up to date.
        on_outcome: called with each outcome as it is known, for progress.
        connect_timeout_s: how long to try reaching the scheduler.

    Returns:
        One outcome per episode, in the order given.

    Raises:
        BatchError: the scheduler cannot be reached, or the workers cannot
            take the model plugin (aligner not installed there?).
        KeyboardInterrupt: after cancelling the tasks not finished.
    """
    if retries < 0:
        raise BatchError(f"retries must be 0 or more, not {retries}")
    check_formats(options)
    todo, finish = Outcomes.start(episodes, options.output.formats, force_rerun, on_outcome)
    if todo:
        client = _connect(scheduler, connect_timeout_s)
        try:
            try:
                client.register_plugin(ModelPlugin(options.recognize), name=PLUGIN_NAME)
            except Exception as error:  # whatever a worker raised, as one line
                raise BatchError(
                    f"{scheduler}: the workers cannot load aligner's model plugin: {one_line(error)}"
                ) from None
            _run(client, todo, options, retries, finish)
        finally:
            client.close()
    return finish.in_order(episodes)


def _connect(scheduler: str, timeout_s: float) -> Client:
    try:
        return Client(scheduler, timeout=f"{timeout_s}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {one_line(error)}") from None


def _run(client: Client, todo: Sequence[Episode], options: AlignOptions, retries: int, finish: OnOutcome) -> None:
    attempts: dict[Future[Outcome], Attempt] = {}

    def submit(attempt: Attempt) -> Future[Outcome]:
        key = f"aligner-{attempt.episode.stem}-{attempt.number}-{uuid.uuid4().hex[:8]}"
        future = client.submit(_align_on_worker, attempt.episode, options, key=key, pure=False)
        attempts[future] = attempt
        return future

    pending = as_completed([submit(Attempt(episode)) for episode in todo], loop=client.loop)
    try:
        for future in pending:
            attempt = attempts.pop(future)
            if future.status == "finished":
                finish(replace(future.result(), attempts=attempt.number))
            elif attempt.number > retries:
                finish(gave_up(attempt, _error_of(future)))
            else:
                pending.add(submit(Attempt(attempt.episode, attempt.number + 1)))
            future.release()
    except BaseException:
        client.cancel(list(attempts))
        raise


def _error_of(future: Future[Outcome]) -> str:
    if future.status == "error":
        return one_line(future.exception())
    return f"task {future.status} (the scheduler or its workers went away?)"
