"""Files that are whole or absent: a temporary file beside the target, fsynced, then renamed.

Every file the aligner writes (outputs, the RSS snippet, cache entries) goes
through here, so that a crash, a full disk or Ctrl-C never leaves half a file
where a reader (a podcast app, the next run's cache lookup) would find it.
``click.File(atomic=True)`` is not used: it moves a partial temporary file
into place after an exception (pallets/click, ``_AtomicFile.close``).

:func:`write_all` writes several files all or nothing: every temporary file
is written first, and only when all are complete are they renamed into place.
A failure before the renames leaves every existing file as it was and no
temporary file behind. An interruption *during* the renames (each is one
system call) finishes them instead, so new captions never stand beside an
old JSON. A rename that fails part way leaves the files renamed before it new.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

__all__ = ["WriteFailed", "write_all", "write_synced"]

log = logging.getLogger(__name__)


class WriteFailed(Exception):
    """A file could not be written (``step`` "write") or renamed into place ("replace").

    Callers turn it into their own error (an :class:`~aligner.errors.OutputError`,
    a cache warning) with the path and ``error.strerror``.
    """

    def __init__(self, path: Path, step: str, error: OSError) -> None:
        super().__init__(f"{path}: cannot {step}: {error.strerror or error}")
        self.path = path
        self.step = step
        self.error = error


def write_all(
    targets: Sequence[Path],
    datas: Sequence[bytes],
    *,
    sync_folder: bool = True,
    ready: Sequence[tuple[Path, Path]] = (),
) -> None:
    """Write each ``datas[i]`` to ``targets[i]``, all or nothing (see the module docstring).

    Args:
        targets: the files; their folders must exist.
        datas: their contents, one per target.
        sync_folder: fsync the targets' folder after the renames, so that they
            survive a power cut (where the platform allows).
        ready: ``(temporary file, target)`` pairs already written and synced
            by the caller (an edited audio file, streamed: too large to hold
            as bytes); renamed with the others, and removed if anything fails.

    Raises:
        WriteFailed: naming the file and the step that failed.
    """
    temps: list[Path] = [temp for temp, _ in ready]
    targets = [target for _, target in ready] + list(targets)
    datas = [b""] * len(ready) + list(datas)
    moved = 0
    renaming = False
    try:
        for target, data in zip(targets[len(ready) :], datas[len(ready) :], strict=True):
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            # listed before it exists: a signal just after it is written must still remove it
            temps.append(temp)
            try:
                write_synced(temp, data)
            except OSError as error:
                raise WriteFailed(target, "write", error) from error
        renaming = True
        for temp, target in zip(temps, targets):
            try:
                os.replace(temp, target)
            except OSError as error:
                raise WriteFailed(target, "replace", error) from error
            moved += 1
            log.debug("wrote %s", target)
    except BaseException as error:
        if renaming and not isinstance(error, WriteFailed):
            # Interrupted (Ctrl-C, SIGTERM) among the renames: every temporary
            # file is complete, so finish them rather than leave a mix.
            _finish_renames(temps[moved:], targets[moved:])
        else:
            _remove_all(temps[moved:])
        raise
    if sync_folder:
        for folder in dict.fromkeys(target.parent for target in targets):
            _sync_folder(folder)


def write_synced(path: Path, data: bytes) -> None:
    """Create ``path`` (which must not exist), write ``data``, fsync; remove it on failure."""
    # O_EXCL: never follow or reuse an existing file; mode 0o666 less the umask, like open().
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _remove_all([path])
        raise
    os.close(fd)


def _finish_renames(temps: Sequence[Path], targets: Sequence[Path]) -> None:
    """Move the remaining complete temporary files into place; remove any that cannot be."""
    for index, (temp, target) in enumerate(zip(temps, targets)):
        try:
            os.replace(temp, target)
        except FileNotFoundError:  # the interrupted rename had already happened
            continue
        except OSError:
            _remove_all(temps[index:])
            return


def _remove_all(paths: Sequence[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:  # best effort: the original error is the one to report
            log.warning("could not remove temporary file %s: %s", path, error)


def _sync_folder(folder: Path) -> None:
    """Make the renames durable where the platform allows fsync on a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a folder; the files themselves are synced
        log.debug("cannot fsync folder %s", folder)
    finally:
        os.close(fd)
