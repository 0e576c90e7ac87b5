"""Word-level JSON output, versioned and described by a JSON Schema.

The document's shape is fixed by ``aligner/schema/result.schema.json``
(draft 2020-12, shipped with the package; :func:`load_schema` reads it).
``schema_version`` follows semantic versioning: a new optional field bumps the
minor version, a removed or changed field the major version.

Speakers stay names everywhere (``speakers``, each word's and cue's
``speaker``), as in 1.0 and 1.1; the role a label gives (``Casey
(caller):``) is a separate map from name to role, ``speaker_roles``
(``{"Casey": "caller"}``, ``{}`` when no label gives one), so a consumer
that knows nothing of roles reads every document as before, and one that
does looks a speaker's role up by the name it already has.

Times are seconds with millisecond precision (``timecode.ms_to_seconds``),
null for tokens that have none. Word and cue indices are 0-based positions in
``words``. Written with ``ensure_ascii=False`` (UTF-8 text as is),
``allow_nan=False`` (a NaN is a bug and raises ``ValueError`` rather than
producing invalid JSON), two-space indent and a final newline.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

from aligner._version import __version__
from aligner.options import OutputOptions
from aligner.timecode import ms_to_seconds
from aligner.types import Result, TimedWord

__all__ = ["SCHEMA_VERSION", "load_schema", "render_json", "result_to_dict"]

SCHEMA_VERSION = "1.4.0"  # 1.1: words carry "method"; 1.2: "speaker_roles"; 1.3: method "acoustic"; 1.4: cues of two speakers may overlap


def load_schema() -> dict[str, Any]:
    """The JSON Schema of the document :func:`render_json` writes."""
    text = resources.files("aligner").joinpath("schema/result.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _seconds(ms: int | None) -> float | None:
    return None if ms is None else ms_to_seconds(ms)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _confidence(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"confidence is not a finite number: {value!r}")
    return round(min(max(value, 0.0), 1.0), 3)


def _word(index: int, word: TimedWord) -> dict[str, Any]:
    token = word.token
    return {
        "index": index,
        "text": token.text,
        "kind": token.kind.value,
        "speaker": token.speaker,
        "start": _seconds(word.start_ms),
        "end": _seconds(word.end_ms),
        "status": word.status.value,
        "method": None if word.method is None or word.start_ms is None else word.method.value,
        "confidence": _confidence(word.confidence),
        "heard": word.heard,
        "paragraph": token.paragraph,
        "source": {"start": token.start_char, "end": token.end_char},
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON document as plain Python data, keys in schema order."""
    summary = result.summary
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "aligner", "version": __version__},
        "audio": {"path": result.audio_path, "duration": ms_to_seconds(result.duration_ms)},
        "transcript": {"path": result.transcript_path},
        "model": result.model,
        "language": result.language,
        "speakers": list(result.speakers),
        "speaker_roles": dict(result.speaker_roles),
        "summary": {
            "words": summary.words,
            "matched": summary.matched,
            "interpolated": summary.interpolated,
            "not_in_audio": summary.not_in_audio,
            "low_confidence": summary.low_confidence,
            "matched_percent": _percent(summary.matched, summary.words),
            "timed_percent": _percent(summary.matched + summary.interpolated, summary.words),
        },
        "words": [_word(index, word) for index, word in enumerate(result.words)],
        "cues": [
            {
                "index": cue.index,
                "start": ms_to_seconds(cue.start_ms),
                "end": ms_to_seconds(cue.end_ms),
                "speaker": cue.speaker,
                "text": " ".join(cue.lines),
                "lines": list(cue.lines),
                "words": list(cue.word_indices),
                "is_note": cue.is_note,
            }
            for cue in result.cues
        ],
        "audio_only": [
            {
                "start": ms_to_seconds(region.start_ms),
                "end": ms_to_seconds(region.end_ms),
                "text": region.text,
                "word_count": region.word_count,
            }
            for region in result.audio_only
        ],
        "missing": [
            {
                "first_word": passage.first_word,
                "last_word": passage.last_word,
                "text": passage.text,
                "after": _seconds(passage.after_ms),
            }
            for passage in result.missing
        ],
    }


def render_json(result: Result, output: OutputOptions = OutputOptions()) -> str:
    """Render the whole result as the versioned JSON document (see module docstring).

    ``output`` is unused: the document holds everything.

    Raises:
        ValueError: a confidence or time is not a finite number (a bug upstream).
    """
    return _dumps(result_to_dict(result)) + "\n"


_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
"""One encoder for every item: ``json.dumps`` with options builds a new one per call."""


def _dumps(document: dict[str, Any]) -> str:
    """Indented at the top, one compact line per list item.

    ``json.dumps(indent=2)`` falls back to the pure-Python encoder: 11 s for
    a 30,000-word episode. Each word and cue on its own line keeps the file
    readable and diffable while the C encoder does the work.
    """

    compact = _COMPACT.encode

    lines = ["{"]
    keys = list(document)
    for position, key in enumerate(keys):
        value = document[key]
        comma = "," if position < len(keys) - 1 else ""
        if isinstance(value, list) and value:
            items = ",\n".join("    " + compact(item) for item in value)
            lines.append(f"  {compact(key)}: [\n{items}\n  ]{comma}")
        else:
            lines.append(f"  {compact(key)}: {compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines)
