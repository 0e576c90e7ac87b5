"""Output formats: a registry of renderers and an all-or-nothing writer.

Each format is one module with a pure ``render_<fmt>(result, options,
output) -> str`` (no I/O): ``options`` are the caption limits, ``output`` the
:class:`~aligner.options.OutputOptions` (word timestamps, the review page's
audio URL). :data:`FORMATS` maps a format name to its file extension and
renderer; to add a format, write the module, add it to :data:`FORMATS` and
give it a golden file in ``fixtures/expected/`` or an independent reader in
its tests.

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
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import NamedTuple
from urllib.parse import quote

from aligner.errors import OutputError
from aligner.options import CaptionOptions, OutputOptions
from aligner.types import Result
from aligner.writers.audacity import render_audacity
from aligner.writers.chapters import render_chapters
from aligner.writers.html import render_html
from aligner.writers.json import render_json
from aligner.writers.podcast import render_podcast
from aligner.writers.srt import render_srt
from aligner.writers.textgrid import render_textgrid
from aligner.writers.vtt import render_vtt

__all__ = ["FORMATS", "Writer", "audio_href", "check_output_dir", "write_file", "write_outputs"]

log = logging.getLogger(__name__)


class Writer(NamedTuple):
    """A registered output format."""

    extension: str  # without the dot
    render: Callable[[Result, CaptionOptions, OutputOptions], str]


FORMATS: dict[str, Writer] = {
    "srt": Writer("srt", render_srt),
    "vtt": Writer("vtt", render_vtt),
    "json": Writer("json", render_json),
    "podcast": Writer("podcast.json", render_podcast),  # Podcasting 2.0 JSON transcript
    "html": Writer("html", render_html),  # review page
    "textgrid": Writer("TextGrid", render_textgrid),  # Praat
    "audacity": Writer("labels.txt", render_audacity),  # Audacity label track
    "chapters": Writer("chapters.json", render_chapters),  # Podcasting 2.0 chapters
}


_DEFAULT_OUTPUT = OutputOptions()


def audio_href(audio_path: str, out_dir: Path) -> str:
    """The audio's URL relative to the output folder, for the review page.

    ``episode.mp3`` seen from ``out/`` is ``../episode.mp3``; each path part
    is percent-encoded (a space is ``%20``, ``#`` is ``%23``). Where no
    relative path exists (another drive on Windows) it is a ``file:`` URL.
    """
    try:
        relative = os.path.relpath(os.path.abspath(audio_path), os.path.abspath(out_dir))
    except ValueError:
        return Path(audio_path).resolve().as_uri()
    return quote(PurePath(relative).as_posix())


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
    output: OutputOptions = _DEFAULT_OUTPUT,
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
        output: output choices; an unset ``audio_href`` becomes the audio's
            path relative to ``out_dir`` (see :func:`audio_href`).

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        OutputError: an unknown format, a bad stem, an output folder that is
            not a folder or cannot be created, an output that would replace
            the input audio or transcript, or a file that cannot be
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
        for role, source in (("transcript", result.transcript_path), ("audio", result.audio_path)):
            if _is_same_file(target, source):  # a WebVTT transcript beside its audio: episode.vtt
                raise OutputError(f"{target}: is the input {role}; not overwriting it (choose another output folder)")

    # 1. render everything; a renderer failing here is a bug and propagates as is
    if output.audio_href is None:
        output = replace(output, audio_href=audio_href(result.audio_path, out_dir))
    texts = [FORMATS[name].render(result, options, output) for name in names]

    try:
        out_dir.mkdir(exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create output folder: {error.strerror or error}") from error

    # 2. write every temporary file, 3. move them all into place; on any failure
    # (Ctrl-C included) remove the temporary files not yet moved
    temps: list[Path] = []
    moved = 0
    renaming = False
    try:
        for target, text in zip(targets, texts):
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            # listed before it exists: a signal just after it is written must still remove it
            temps.append(temp)
            try:
                _write_synced(temp, text.encode("utf-8"))
            except OSError as error:
                raise OutputError(f"{target}: cannot write output: {error.strerror or error}") from error
        renaming = True
        for temp, target in zip(temps, targets):
            try:
                os.replace(temp, target)
            except OSError as error:
                raise OutputError(f"{target}: cannot replace output: {error.strerror or error}") from error
            moved += 1
            log.debug("wrote %s", target)
    except BaseException as error:
        if renaming and not isinstance(error, OutputError):
            # Interrupted (Ctrl-C, SIGTERM) among the renames: every temporary
            # file is complete, so finish them rather than leave new captions
            # beside an old JSON. Each rename is one system call.
            _finish_renames(temps[moved:], targets[moved:])
        else:
            _remove_all(temps[moved:])
        raise
    _sync_folder(out_dir)
    return targets


def check_output_dir(out_dir: str | os.PathLike[str]) -> None:
    """Fail now, not after an hour of recognition, if ``out_dir`` cannot take the outputs.

    Probes by creating (and removing) a temporary file, the way the outputs
    will be written, rather than by reading permission bits, which say
    nothing about read-only mounts, ACLs or a process's capabilities.

    Raises:
        OutputError: not a folder, or a folder (or, when missing, its parent)
            where no file can be created.
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: output folder is not a folder")
    probe_in = folder if folder.exists() else folder.absolute().parent
    if not probe_in.is_dir():
        raise OutputError(f"{folder}: cannot create output folder: {probe_in} does not exist")
    try:
        with tempfile.TemporaryFile(dir=probe_in, prefix=".aligner-probe-"):
            pass
    except OSError as error:
        what = "output folder" if probe_in == folder else f"output folder (in {probe_in})"
        raise OutputError(f"{folder}: cannot write to the {what}: {error.strerror or error}") from error


def write_file(path: Path, text: str) -> Path:
    """Write one text file (UTF-8) the way :func:`write_outputs` writes each output.

    For files that are not renders of a Result, such as the RSS snippet: a
    temporary file beside ``path``, fsynced, then renamed over it, so a
    reader never sees half a file.

    Raises:
        OutputError: the folder is missing or the file cannot be written;
            the message names the path.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, cannot write the file there")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        _write_synced(temp, text.encode("utf-8"))
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from error
    try:
        os.replace(temp, path)
    except OSError as error:
        _remove_all([temp])
        raise OutputError(f"{path}: cannot replace: {error.strerror or error}") from error
    return path


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


def _is_same_file(target: Path, source: str) -> bool:
    """Whether writing ``target`` would replace ``source`` (the same path, a link to it, a hard link)."""
    try:
        return os.path.samefile(target, source)
    except OSError:  # either does not exist (or cannot be examined): not the same existing file
        return False


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
