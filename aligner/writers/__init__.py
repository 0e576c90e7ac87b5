"""Output formats: a registry of renderers and an all-or-nothing writer.

Each format is one module with a pure ``render_<fmt>(result, options) -> str``
(no I/O). :data:`FORMATS` maps a format name to its file extension and
renderer; to add a format, write the module, add it to :data:`FORMATS` and
give it a golden file in ``fixtures/expected/``.

:func:`write_outputs` renders every requested format in memory first, then
writes each to a temporary file beside its target (flushed and fsynced), and
only when all of them are written moves them into place with ``os.replace``.
So a failure while rendering or writing leaves every existing output as it
was and no temporary files behind.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from aligner.errors import OutputError
from aligner.options import CaptionOptions
from aligner.types import Result
from aligner.writers.json import render_json
from aligner.writers.srt import render_srt
from aligner.writers.vtt import render_vtt

__all__ = ["FORMATS", "Writer", "write_outputs"]

log = logging.getLogger(__name__)


class Writer(NamedTuple):
    """A registered output format."""

    extension: str  # without the dot
    render: Callable[[Result, CaptionOptions], str]


FORMATS: dict[str, Writer] = {
    "srt": Writer("srt", render_srt),
    "vtt": Writer("vtt", render_vtt),
    "json": Writer("json", render_json),
}


def _check_stem(stem: str) -> None:
    """Refuse a stem that could name anything but a file directly in the output folder.

    Without a separator, only "." and ".." can leave the folder; a stem that
    merely contains dots ("Wait... what", from "Wait... what.mp3") is fine.
    """
    separators = {"/", "\\", os.sep} | ({os.altsep} if os.altsep else set())
    if stem in {"", ".", ".."} or "\0" in stem or any(sep in stem for sep in separators):
        raise OutputError(f"invalid output name {stem!r}: it must be a plain file name, without folders or '..'")


def write_outputs(
    result: Result,
    *,
    out_dir: Path,
    stem: str,
    formats: Sequence[str],
    options: CaptionOptions,
) -> list[Path]:
    """Render and write ``out_dir/stem.<ext>`` for each format, all or nothing.

    Args:
        result: what to write.
        out_dir: the output folder; created if missing (its parent must
            exist). Nothing outside it is touched.
        stem: file name without extension; no path separators, not "." or "..".
        formats: names from :data:`FORMATS`; repeats are written once; none
            writes nothing (and creates no folder).
        options: caption options (the SRT speaker prefix).

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        OutputError: an unknown format, a bad stem, an output folder that is
            not a folder or cannot be created, or a file that cannot be
            written; the message names the path and the reason. Nothing has
            been replaced when it is raised, except if ``os.replace`` itself
            fails part way (then the outputs before the failing one are new).
    """
    unknown = [name for name in formats if name not in FORMATS]
    if unknown:
        raise OutputError(f"unknown output format {unknown[0]!r}; known formats: {', '.join(sorted(FORMATS))}")
    _check_stem(stem)
    names = list(dict.fromkeys(formats))
    if not names:
        return []
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: output folder is not a folder")
    targets = [out_dir / f"{stem}.{FORMATS[name].extension}" for name in names]
    for target in targets:
        if target.is_dir():
            raise OutputError(f"{target}: is a folder, cannot write the output there")

    # 1. render everything; a renderer failing here is a bug and propagates as is
    texts = [FORMATS[name].render(result, options) for name in names]

    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create output folder: {error.strerror or error}") from error

    # 2. write every temporary file, 3. move them all into place; on any failure
    # (Ctrl-C included) remove the temporary files not yet moved
    temps: list[Path] = []
    moved = 0
    try:
        for target, text in zip(targets, texts):
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                _write_synced(temp, text.encode("utf-8"))
            except OSError as error:
                raise OutputError(f"{target}: cannot write output: {error.strerror or error}") from error
            temps.append(temp)
        for temp, target in zip(temps, targets):
            try:
                os.replace(temp, target)
            except OSError as error:
                raise OutputError(f"{target}: cannot replace output: {error.strerror or error}") from error
            moved += 1
            log.debug("wrote %s", target)
    except BaseException:
        _remove_all(temps[moved:])
        raise
    _sync_folder(out_dir)
    return targets


def _write_synced(path: Path, data: bytes) -> None:
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
