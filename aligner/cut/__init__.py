"""``aligner cut``: the episode with what the edited transcript leaves out cut from the audio.

A producer edits the transcript first (fillers and false starts gone, a
rambling passage cut) and then makes the same edits again by hand in the
audio editor. The alignment already knows where each of those stretches is;
this package cuts them:

1. :func:`aligner.align` aligns the transcript (the same run, cache and
   options as ``aligner align``);
2. :mod:`aligner.cut.plan` finds the removable stretches between kept words
   and places each cut's edges in the quietest audio beside them;
3. :mod:`aligner.cut.render` writes the source less the cuts, crossfaded;
4. :mod:`aligner.cut.retime` moves the alignment onto the edited audio, and
   the usual outputs are written from it, with the edit list
   (:mod:`aligner.cut.editlist`), all or nothing.

The inputs are never modified. Docs: docs/cut.md.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from aligner.audio import read_spans
from aligner.cut.editlist import render_audacity_edits, render_edits_json, render_edl
from aligner.cut.plan import Cut, Loudness, TimeMap, plan_cuts, removable_gaps, search_spans
from aligner.cut.render import Rendered, output_format, render_edited
from aligner.cut.retime import retime
from aligner.cut.unheard import unheard_hesitations
from aligner.errors import OutputError
from aligner.options import AlignOptions, CutOptions
from aligner.pipeline import align
from aligner.recognize import ProgressCallback
from aligner.types import Result
from aligner.writers import check_output_dir, write_outputs

__all__ = ["EDIT_LIST_FORMATS", "CutResult", "cut_episode", "find_cuts", "with_unheard"]

EDIT_LIST_FORMATS = {"audacity": "edits.txt", "edl": "edits.edl"}
"""Formats that ``aligner cut`` writes as the edit list (source times) rather than re-timed outputs."""


@dataclass(frozen=True, slots=True)
class CutResult:
    """What a cut did: the cuts (source times), the alignment of the source, and the files written."""

    cuts: tuple[Cut, ...]
    result: Result
    removed_ms: int
    edited_duration_ms: int
    paths: tuple[Path, ...]


def with_unheard(audio_path: str | os.PathLike[str], result: Result) -> Result:
    """``result`` with the hesitations and first sayings no recognizer wrote among its extra words.

    Found from the audio (:mod:`aligner.cut.unheard`); what ``aligner cut``
    plans from, and what the review page lists (``--formats html``), so that
    the page shows the cuts the command would make.
    """
    unheard = unheard_hesitations(Path(audio_path), result)
    if not unheard.added:
        return result
    kept = [w for w in result.extra_words if w not in unheard.replaced]
    extra = sorted((*kept, *unheard.added), key=lambda w: (w.start_ms, w.end_ms))
    return replace(result, extra_words=tuple(extra))


def find_cuts(audio_path: Path, result: Result, options: CutOptions) -> list[Cut]:
    """The cuts for an alignment of ``audio_path`` (reads the audio beside each gap, for the quiet points).

    The hesitations no recognizer wrote (:func:`with_unheard`) join the
    extra words first, when fillers are removed.
    """
    if "filler" in options.remove:
        result = with_unheard(audio_path, result)
    gaps = removable_gaps(result, options)
    spans = search_spans(gaps)
    loudness = (
        Loudness.of_spans(list(zip((a for a, _ in spans), read_spans(audio_path, spans)))) if spans else Loudness()
    )
    return plan_cuts(result, options, loudness)


def cut_episode(
    audio_path: str | os.PathLike[str],
    transcript_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    options: AlignOptions = AlignOptions(),
    cut: CutOptions = CutOptions(),
    edl: bool = False,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
) -> CutResult:
    """Align, plan the cuts and (unless ``dry_run``) write the edited audio, its outputs and the edit list.

    Writes, for ``episode.mp3``: ``episode.edited.mp3`` (``cut.audio_format``
    changes the format), ``episode.edits.json``, and ``episode.edited.<ext>``
    for each of ``options.output.formats`` re-timed to the edited audio,
    except ``audacity``, which gives the edit list as Audacity labels,
    ``episode.edits.txt`` (source times); ``edl`` adds it as a CMX 3600 EDL,
    ``episode.edits.edl``.

    Raises:
        AudioError, TranscriptError, ModelError, AlignmentError: as :func:`aligner.align`.
        OutputError: the outputs cannot be written; nothing has been replaced.
    """
    audio, out = Path(audio_path), Path(out_dir)
    if audio.exists() and not dry_run:
        check_output_dir(out)
    result = align(audio, transcript_path, options, on_progress=on_progress)
    cuts = tuple(find_cuts(audio, result, cut))
    removed = sum(c.end_ms - c.start_ms for c in cuts)
    if dry_run:
        return CutResult(cuts, result, removed, result.duration_ms - removed, ())

    fmt = output_format(audio, cut.audio_format)
    stem = audio.stem
    target = out / f"{stem}.edited.{fmt}"
    if target.resolve() == audio.resolve():
        raise OutputError(f"{target}: is the input audio; not overwriting it (choose another output folder)")
    out.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        rendered = render_edited(audio, temp, cuts, fmt)
        _sync(temp)
        edited = retime(
            result, TimeMap(cuts), audio_path=str(target), duration_ms=rendered.duration_ms, captions=options.captions
        )
        formats = tuple(f for f in options.output.formats if f not in EDIT_LIST_FORMATS)
        extra = _edit_list_files(out, stem, cuts, audio, target, result, rendered, options.output.formats, edl)
        paths = write_outputs(
            edited,
            out_dir=out,
            stem=f"{stem}.edited",
            output=replace(options.output, formats=formats),
            extra=extra,
            ready=[(temp, target)],
        )
    finally:
        temp.unlink(missing_ok=True)  # gone already when renamed into place
    return CutResult(cuts, result, removed, rendered.duration_ms, tuple(paths))


def _edit_list_files(
    out: Path,
    stem: str,
    cuts: tuple[Cut, ...],
    audio: Path,
    target: Path,
    result: Result,
    rendered: Rendered,
    formats: tuple[str, ...],
    edl: bool,
) -> list[tuple[Path, str]]:
    files = [
        (
            out / f"{stem}.edits.json",
            render_edits_json(
                cuts,
                source=str(audio),
                output=str(target),
                source_duration_ms=result.duration_ms,
                edited_duration_ms=rendered.duration_ms,
            ),
        )
    ]
    if "audacity" in formats:
        files.append((out / f"{stem}.{EDIT_LIST_FORMATS['audacity']}", render_audacity_edits(cuts)))
    if edl:
        text = render_edl(cuts, title=f"{stem}.edited", clip=audio.name, source_duration_ms=result.duration_ms)
        files.append((out / f"{stem}.{EDIT_LIST_FORMATS['edl']}", text))
    return files


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
