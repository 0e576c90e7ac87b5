"""The whole fixture episode as each producer's tool exports it reads as its Markdown does.

fixtures/episode/exports/ holds episode.md rendered by
fixtures/make_transcript_formats.py in the layouts of Otter.ai, Rev, Descript,
Zoom, Microsoft Teams and a Word document (bold name, soft line break). Each
must give the Markdown's body words, token for token, with the same speaker on
every word, and the stamps its layout carries. benchmarks/format_accuracy.py
aligns them all with the audio; these tests need no model.
"""

from __future__ import annotations

import json
import sys

import pytest
from support.paths import EPISODE, EPISODE_MD, FIXTURES

from aligner import read_transcript
from aligner.readers import detect_format
from aligner.types import TokenKind, Transcript

EXPORTS = EPISODE / "exports"

# file, detected format, stamps (one per stamped label, paragraph or cue), notes kept
CASES = [
    ("episode.otter.txt", "timestamped", 7, ()),  # one "Name  M:SS" per turn
    ("episode.rev.txt", "timestamped", 7, ("[music]", "[laughs]")),  # one "Name (MM:SS):" per turn
    ("episode.descript.txt", "timestamped", 8, ()),  # one "[HH:MM:SS]" per paragraph
    ("episode.zoom.vtt", "vtt", 19, ()),  # one cue per sentence (or half a long one)
    ("episode.teams.vtt", "vtt", 19, ()),
    ("episode.docx", "docx", 0, ("[music]", "[laughs]")),
]


def body(t: Transcript) -> list[tuple[str, str | None]]:
    """The body's words with their speakers: what every rendering must share with the Markdown."""
    return [(token.text, token.speaker) for token in t.tokens if token.kind is TokenKind.WORD and not token.is_heading]


def heading(t: Transcript) -> list[str]:
    return [token.text for token in t.tokens if token.kind is TokenKind.WORD and token.is_heading]


@pytest.fixture(scope="module")
def markdown() -> Transcript:
    return read_transcript(EPISODE_MD)


def test_every_export_in_the_folder_has_a_case() -> None:
    assert sorted(p.name for p in EXPORTS.iterdir()) == sorted(name for name, *_ in CASES)


@pytest.mark.parametrize(("name", "fmt", "stamps", "notes"), CASES, ids=[c[0] for c in CASES])
def test_export_reads_as_the_markdown(name: str, fmt: str, stamps: int, notes: tuple, markdown: Transcript) -> None:
    path = EXPORTS / name
    t = read_transcript(path)
    assert detect_format(path, path.read_bytes()) == fmt
    assert t.speakers == markdown.speakers == ("Jane Miller", "Sam Carter")
    assert body(t) == body(markdown)  # the same words, punctuation kept, each with its speaker
    assert len(t.stamps) == stamps
    assert tuple(token.text for token in t.tokens if token.kind is TokenKind.NOTE) == notes


@pytest.mark.parametrize("name", [c[0] for c in CASES if c[0] != "episode.docx"])
def test_tool_exports_have_no_title(name: str) -> None:
    """Otter, Rev, Descript, Zoom and Teams write the transcript alone: no title, byline or closing line."""
    assert heading(read_transcript(EXPORTS / name)) == []


def test_the_docx_keeps_the_markdowns_heading_matter(markdown: Transcript) -> None:
    """The Word document is the edited transcript: title, subtitle, byline, disclaimer and closing line."""
    assert heading(read_transcript(EXPORTS / "episode.docx")) == heading(markdown)


def test_stamps_sit_on_turns_and_are_in_order() -> None:
    """Each stamp of a text export is on the first word of a turn or paragraph, and times only grow."""
    for name in ("episode.otter.txt", "episode.rev.txt", "episode.descript.txt"):
        t = read_transcript(EXPORTS / name)
        times = [stamp.time_ms for stamp in t.stamps]
        assert times == sorted(times), name
        firsts = {t.tokens[stamp.token_index].paragraph for stamp in t.stamps}
        assert len(firsts) == len(t.stamps), name


def test_the_exports_are_what_the_generator_writes() -> None:
    """The files are up to date with fixtures/make_transcript_formats.py (deterministic, seeded)."""
    pytest.importorskip("docx")
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_transcript_formats as make
    finally:
        sys.path.remove(str(FIXTURES))
    truth = json.loads((EPISODE / "truth.json").read_text(encoding="utf-8"))
    for name, data in make.write_exports(truth).items():
        expected = data if isinstance(data, bytes) else data.encode("utf-8")
        assert (EXPORTS / name).read_bytes() == expected, (
            f"{name} is stale: run python fixtures/make_transcript_formats.py"
        )
