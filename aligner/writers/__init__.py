"""Output formats: a registry of renderers and an all-or-nothing writer.

Each format is one module with a pure ``render_<fmt>(result, output) -> str``
(no I/O); ``output`` is the run's :class:`~aligner.options.OutputOptions`
(the SRT speaker prefix, word timestamps, the review page's audio URL).
:data:`FORMATS` maps a format name to its file extension and renderer.

To add a format: write ``writers/<fmt>.py`` with its ``render_<fmt>``, add
it to :data:`FORMATS` (the CLI's ``--formats`` and the docs' format list
follow the registry), and give it a golden file in ``fixtures/expected/`` or
an independent reader in its tests.

:func:`write_outputs` renders every requested format in memory first, then
writes them all or nothing through :mod:`aligner.atomic`: a failure while
rendering or writing leaves every existing output as it was and no
temporary files behind.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import NamedTuple
from urllib.parse import quote

from aligner.atomic import WriteFailed, write_all
from aligner.errors import OutputError
from aligner.options import OutputOptions
from aligner.types import Result
from aligner.writers.audacity import render_audacity
from aligner.writers.chapters import Chapter, find_chapters, render_chapters
from aligner.writers.html import render_html
from aligner.writers.json import load_schema, render_json
from aligner.writers.podcast import render_podcast, render_rss_snippet
from aligner.writers.srt import render_srt
from aligner.writers.textgrid import render_textgrid
from aligner.writers.vtt import render_vtt

__all__ = [
    "FORMATS",
    "Chapter",
    "Writer",
    "audio_href",
    "check_output_dir",
    "find_chapters",
    "load_schema",
    "make_output_dir",
    "render",
    "render_rss_snippet",
    "write_file",
    "write_outputs",
]

log = logging.getLogger(__name__)


class Writer(NamedTuple):
    """A registered output format."""

    extension: str  # without the dot
    render: Callable[[Result, OutputOptions], str]


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


def render(result: Result, format_name: str, output: OutputOptions = OutputOptions()) -> str:
    """One output format as text, in memory (``output.formats`` is not looked at).

    Raises:
        OutputError: an unknown format name.
    """
    _check_formats([format_name])
    return FORMATS[format_name].render(result, output)


def _check_formats(names: Sequence[str]) -> None:
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        raise OutputError(f"unknown output format {unknown[0]!r}; known formats: {', '.join(sorted(FORMATS))}")


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
    out_dir: str | os.PathLike[str],
    stem: str,
    output: OutputOptions = OutputOptions(),
    extra: Sequence[tuple[Path, str]] = (),
    ready: Sequence[tuple[Path, Path]] = (),
) -> list[Path]:
    """Render and write ``out_dir/stem.<ext>`` for each format, all or nothing.

    Args:
        result: what to write.
        out_dir: the output folder; created if missing, with the folders
            above it (:func:`make_output_dir`). Nothing else outside it is
            touched.
        stem: file name without extension; no path separators, not "." or "..".
        output: the formats (names from :data:`FORMATS`; repeats are
            written once; none writes nothing and creates no folder) and the
            choices inside them; an unset ``audio_href`` becomes the audio's
            path relative to ``out_dir`` (see :func:`audio_href`).
        extra: more ``(path, text)`` files written with them, all or nothing
            (``aligner cut``'s edit list).
        ready: ``(temporary file, path)`` pairs already written, renamed into
            place with them (:func:`aligner.atomic.write_all`).

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
    _check_formats(output.formats)
    _check_stem(stem)
    names = list(dict.fromkeys(output.formats))
    if not names and not extra and not ready:
        return []
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: output folder is not a folder")
    targets = [out_dir / f"{stem}.{FORMATS[name].extension}" for name in names] + [p for p, _ in extra]
    for target in [*targets, *(t for _, t in ready)]:
        if target.is_dir():
            raise OutputError(f"{target}: is a folder, cannot write the output there")
        for role, source in (("transcript", result.transcript_path), ("audio", result.audio_path)):
            if _is_same_file(target, source):  # a WebVTT transcript beside its audio: episode.vtt
                raise OutputError(f"{target}: is the input {role}; not overwriting it (choose another output folder)")

    # 1. render everything; a renderer failing here is a bug and propagates as is
    if output.audio_href is None:
        output = replace(output, audio_href=audio_href(result.audio_path, out_dir))
    texts = [FORMATS[name].render(result, output) for name in names] + [text for _, text in extra]

    make_output_dir(out_dir)

    # 2. write them all or nothing (see aligner.atomic)
    try:
        write_all(targets, [text.encode("utf-8") for text in texts], ready=ready)
    except WriteFailed as failed:
        raise OutputError(
            f"{failed.path}: cannot {failed.step} output: {failed.error.strerror or failed.error}"
        ) from None
    return [*targets, *(t for _, t in ready)]


def make_output_dir(out_dir: str | os.PathLike[str]) -> Path:
    """Create an output folder and any folders above it (``-o captions/2024/ep1``, a manifest's new tree).

    The one place outputs' folders are made, for ``aligner align``, the
    batch and the Python API alike.

    Raises:
        OutputError: a part of the path is a file, or a folder cannot be
            created; the message names the output folder and the reason.
    """
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: output folder is not a folder") from None
    except OSError as error:
        raise OutputError(f"{folder}: cannot create output folder: {error.strerror or error}") from error
    return folder


def _nearest_existing(folder: Path) -> Path:
    """``folder`` or the closest folder above it that exists (where a missing output folder would be made)."""
    here = folder.absolute()
    while not here.exists() and here.parent != here:
        here = here.parent
    return here


def check_output_dir(out_dir: str | os.PathLike[str]) -> None:
    """Fail now, not after an hour of recognition, if ``out_dir`` cannot take the outputs.

    Probes by creating (and removing) a temporary file, the way the outputs
    will be written, rather than by reading permission bits, which say
    nothing about read-only mounts, ACLs or a process's capabilities. A
    missing folder is probed where :func:`make_output_dir` will create it:
    in the nearest folder above it that exists. Nothing is created here, so
    a run that fails later leaves no empty folders behind.

    Raises:
        OutputError: not a folder, a file where a folder above it would be,
            or a folder (or, when missing, the nearest existing one above
            it) where no file can be created.
    """
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: output folder is not a folder")
    probe_in = folder if folder.exists() else _nearest_existing(folder)
    if not probe_in.is_dir():
        raise OutputError(f"{folder}: cannot create output folder: {probe_in} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=probe_in, prefix=".aligner-probe-"):
            pass
    except OSError as error:
        what = "output folder" if probe_in == folder else f"output folder (in {probe_in})"
        raise OutputError(f"{folder}: cannot write to the {what}: {error.strerror or error}") from error


def write_file(path: str | os.PathLike[str], text: str) -> Path:
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
    try:
        write_all([path], [text.encode("utf-8")], sync_folder=False)
    except WriteFailed as failed:
        raise OutputError(str(failed)) from None
    return path


def _is_same_file(target: Path, source: str) -> bool:
    """Whether writing ``target`` would replace ``source`` (the same path, a link to it, a hard link)."""
    try:
        return os.path.samefile(target, source)
    except OSError:  # either does not exist (or cannot be examined): not the same existing file
        return False
