"""What a batch will do: episodes planned from a folder or a manifest, and which are up to date.

A batch is a list of :class:`Episode` records (audio, transcript, output
folder), planned from a folder (:func:`plan_folder`, pairing files by stem) or
a manifest (:func:`read_manifest`, CSV or JSON lines).

Which transcripts a folder pairs (:data:`TRANSCRIPT_EXTENSIONS`). A folder
batch writes its outputs beside the audio, so a file named as an output
cannot be a transcript there: on the next run it would pair with the audio
as a second transcript (or, written over, stop being the transcript). So
``.srt`` and ``.vtt`` (the captions) and ``.html`` (``--formats html``, the
review page ``<stem>.html``) are not paired; ``.htm`` is, because the batch
never writes it, and so are ``.rtf``, ``.md``, ``.markdown``, ``.txt`` and
``.docx``. A web-page transcript saved as ``talk.html`` is named in the
audio's unpaired reason, with the way out: rename it ``talk.htm``, or list
it in a manifest, where any transcript goes. An output whose name ends in a
transcript extension (the Audacity labels, ``talk.labels.txt``) is ignored
beside its audio ``talk.mp3``, rather than reported as a transcript without
audio on every run after the first.

Resuming. An episode is skipped when its outputs are up to date
(:func:`is_up_to_date`): every requested output exists and the oldest of them
is newer than both the audio and the transcript. Outputs are written all or
nothing (:func:`aligner.write_outputs`), so an episode interrupted by a crash
or Ctrl-C has either its new outputs or none, and the next run redoes exactly
the episodes not finished. Options are not part of the rule: after changing
the model or caption limits, rerun with ``force_rerun``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import BatchError
from aligner.writers import FORMATS

__all__ = [
    "AUDIO_EXTENSIONS",
    "MANIFEST_COLUMNS",
    "SOUND_EXTENSIONS",
    "TRANSCRIPT_EXTENSIONS",
    "VIDEO_EXTENSIONS",
    "Episode",
    "NothingToAlign",
    "Plan",
    "Unpaired",
    "is_up_to_date",
    "plan_folder",
    "plan_source",
    "read_manifest",
]


SOUND_EXTENSIONS = (".mp3", ".m4a", ".wav", ".ogg", ".opus", ".flac", ".aac", ".m4b", ".oga", ".wma", ".aif", ".aiff")
"""Audio-only files a folder batch picks up: what podcasts are published and edited in."""

VIDEO_EXTENSIONS = (".mp4", ".m4v", ".mov", ".mkv", ".webm")
"""Video a folder batch picks up as an episode's audio (its first audio stream), as ``aligner align`` does.

A video beside an audio-only file of the same name (``episode.mp4`` and
``episode.mp3``, a video podcast's two versions) gives way to it: one
episode, aligned from the audio, not two audio files for one name."""

AUDIO_EXTENSIONS = SOUND_EXTENSIONS + VIDEO_EXTENSIONS
"""Every file a folder batch takes for audio (each decoded by PyAV, checked by a test; any container PyAV
reads works in a manifest)."""

TRANSCRIPT_EXTENSIONS = (".md", ".markdown", ".txt", ".docx", ".rtf", ".htm")
"""Transcripts a folder batch picks up; other files (outputs, cover art) are ignored.

Not .srt, .vtt or .html: in a folder they are what the batch writes (the
captions, the review page), so an episode's outputs would pair with it as a
second transcript on the next run (the module docstring). Caption files and
``.html`` pages as transcripts go through a manifest, or a page as ``.htm``."""

_OUTPUT_SUFFIXES = {".srt": "its captions", ".vtt": "its captions", ".html": "its review page"}
"""Transcript formats a folder does not pair because the batch writes files so named, and what it writes."""

MANIFEST_COLUMNS = ("audio", "transcript", "output_dir")
"""Manifest fields; ``output_dir`` may be left out or empty."""


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


class NothingToAlign(BatchError):
    """A folder with no audio file and transcript of the same name; ``unpaired`` says what it holds and why.

    A BatchError, so callers that catch those need nothing new; the command
    lists ``unpaired`` before its one ``Error:`` line, so a folder of
    unpaired files never ends without saying which files and why.
    """

    def __init__(self, message: str, unpaired: tuple[Unpaired, ...]) -> None:
        super().__init__(message)
        self.unpaired = unpaired


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

    ``interview.mp3`` (or any of :data:`AUDIO_EXTENSIONS`, video too) pairs
    with ``interview.md`` (or ``.markdown``, ``.txt``, ``.docx``, ``.rtf``,
    ``.htm``; not ``.html``, ``.srt``, ``.vtt``, which are outputs, but an
    audio file's unpaired reason names such a file). Only the
    folder itself is read, not subfolders; hidden files are ignored. A video
    gives way to an audio-only file of the same name. A stem with an audio
    file but no transcript, a transcript but no audio, or two of either is
    reported in :attr:`Plan.unpaired`, not run.

    Args:
        folder: the folder.
        out_dir: where all outputs go (default: the folder itself, as
            ``aligner align`` writes beside the audio).

    Raises:
        BatchError: not a folder; NothingToAlign (a BatchError): no pair in it.
    """
    root = Path(folder).absolute()
    if not root.is_dir():
        raise BatchError(f"{folder}: not a folder")
    audio: dict[str, list[Path]] = {}
    transcripts: dict[str, list[Path]] = {}
    output_named: dict[str, list[Path]] = {}  # .html, .srt, .vtt: outputs, or transcripts a folder cannot pair
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in AUDIO_EXTENSIONS:
            audio.setdefault(path.stem, []).append(path)
        elif suffix in TRANSCRIPT_EXTENSIONS:
            transcripts.setdefault(path.stem, []).append(path)
        elif suffix in _OUTPUT_SUFFIXES:
            output_named.setdefault(path.stem, []).append(path)
    outputs = {f"{stem}.{spec.extension}".casefold() for stem in audio for spec in FORMATS.values()}
    for stem in [stem for stem in transcripts if stem not in audio]:  # "talk.labels.txt": talk.mp3's labels
        transcripts[stem] = [path for path in transcripts[stem] if path.name.casefold() not in outputs]
        if not transcripts[stem]:
            del transcripts[stem]
    target = Path(out_dir).absolute() if out_dir is not None else root
    episodes: list[Episode] = []
    unpaired: list[Unpaired] = []
    for stem in sorted(audio.keys() | transcripts.keys()):
        sounds, texts = audio.get(stem, []), transcripts.get(stem, [])
        audio_only = [path for path in sounds if path.suffix.lower() in SOUND_EXTENSIONS]
        sounds = audio_only or sounds  # episode.mp4 beside episode.mp3: the same episode, from its audio
        if len(sounds) == 1 and len(texts) == 1:
            episodes.append(Episode(name=stem, audio=sounds[0], transcript=texts[0], out_dir=target))
        elif len(sounds) > 1 or len(texts) > 1:
            many = sounds if len(sounds) > 1 else texts
            what = "audio files" if len(sounds) > 1 else "transcripts"
            names = ", ".join(p.name for p in many)
            for path in sounds + texts:
                unpaired.append(
                    Unpaired(path, f"{len(many)} {what} named {stem} ({names}); keep one or use a manifest")
                )
        elif sounds:
            reason = f"no transcript named {_named(stem, TRANSCRIPT_EXTENSIONS)}"
            unpaired.append(Unpaired(sounds[0], reason + _not_paired(output_named.get(stem, []))))
        else:
            unpaired.append(Unpaired(texts[0], f"no audio named {_named(stem, AUDIO_EXTENSIONS)}"))
    if not episodes:
        if not unpaired:
            raise NothingToAlign(
                f"{folder}: holds no audio files and no transcripts "
                f"(a folder batch pairs episode.mp3 with episode.md, by name)",
                (),
            )
        raise NothingToAlign(
            f"{folder}: no audio file with a transcript of the same name "
            f"({len(unpaired)} unpaired file{'' if len(unpaired) == 1 else 's'})",
            tuple(unpaired),
        )
    return Plan(episodes=tuple(episodes), unpaired=tuple(unpaired))


def _not_paired(paths: list[Path]) -> str:
    """Why files named like an episode's outputs were not taken as its transcript, and what to do instead.

    ``; talk.html is not a transcript in a folder, where the batch writes its
    review page (rename it talk.htm, or use a manifest)``; empty for no files.
    """
    notes = []
    for path in paths:
        suffix = path.suffix.lower()
        fix = f"rename it {path.stem}.htm, or use a manifest" if suffix == ".html" else "use a manifest"
        notes.append(
            f"; {path.name} is not a transcript in a folder, where the batch writes {_OUTPUT_SUFFIXES[suffix]} ({fix})"
        )
    return "".join(notes)


def _named(stem: str, extensions: tuple[str, ...]) -> str:
    """``talk.{mp3,m4a,...}``: every name that would have paired, short enough for one table row."""
    return f"{stem}.{{{','.join(ext.lstrip('.') for ext in extensions)}}}"


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
        outputs = (Path(os.path.normpath(episode.out_dir)), episode.stem)
        if outputs in seen:
            raise BatchError(
                f"{manifest}, line {line}: writes the same outputs as line {seen[outputs]} "
                f"({os.path.join(outputs[0], episode.stem)}.*)"
            )
        seen[outputs] = line
        episodes.append(episode)
    if not episodes:
        raise BatchError(f"{manifest}: manifest lists no episodes")
    return Plan(episodes=tuple(episodes))


def _csv_rows(manifest: Path, text: str) -> list[tuple[int, dict[str, object]]]:
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


def _json_rows(manifest: Path, text: str) -> list[tuple[int, dict[str, object]]]:
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
