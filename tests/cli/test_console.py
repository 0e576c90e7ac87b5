"""What the commands print (aligner.cli.console): the run summary, the chapters, the batch table.

The lines are built from hand-made results and outcomes, so every branch is
reached without the model; one run of the command on the fixture shows the
chapters where a user sees them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.handmade import M, N, make_result, tricky_result
from support.paths import EPISODE

from aligner.batch import Episode, Outcome, Status, Unpaired
from aligner.cli import cli
from aligner.cli.console import LIST_LIMIT, batch_table, chapter_lines, summary_lines
from aligner.report import body_summary
from aligner.types import AudioOnlyRegion, MissingPassage, TokenKind

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()


def test_summary_names_the_files_counts_the_words_and_lists_what_disagrees():
    result = tricky_result()
    lines = summary_lines(result, [Path("out/episode.srt"), Path("out/episode.json")])
    s = body_summary(result.words)
    headings = sum(w.token.is_heading and w.token.kind is TokenKind.WORD for w in result.words)
    assert headings and s.words == result.summary.words - headings
    assert lines[0] == "Wrote out/episode.srt, out/episode.json"
    assert lines[1].startswith(f"Words: {s.words} in the body | matched {s.matched} (")
    assert f"not in audio {s.not_in_audio} (" in lines[1]
    assert lines[1].endswith(
        f"low confidence {s.low_confidence}; {headings} heading words (title, byline) not expected in the audio"
    )
    assert lines[2] == f"Transcript text not found in the audio ({len(result.missing)}):"
    cut = next(p for p in result.missing if p.after_ms is not None)
    assert "  after 0:10: Cut<b>& sentence." in lines
    assert cut.text == "Cut<b>& sentence."
    assert "Speech not in the transcript (1):" in lines
    assert "  0:14-0:16: an ad <read> & more" in lines


def test_the_summary_counts_the_body_and_the_heading_matter_apart():
    rows = [
        ("Brain", None, N, None, None, 0, True, True),
        ("Talk", None, N, None, None, 0, True, True),
        ("Hello", "A", M, 1000, 1300, 1, False, False),
        ("and", "A", M, 1300, 1500, 1, False, False),
        ("welcome.", "A", M, 1500, 1900, 1, False, False),
        ("Unsaid.", "A", N, None, None, 1, False, False),
    ]
    lines = summary_lines(make_result(rows, duration_ms=3000), [Path("e.srt")])
    assert lines[1] == (
        "Words: 4 in the body | matched 3 (75.0%) | interpolated 0 (0.0%) | not in audio 1 (25.0%) | "
        "low confidence 0; 2 heading words (title, byline) not expected in the audio"
    )
    no_headings = summary_lines(make_result(rows[2:], duration_ms=3000), [Path("e.srt")])
    assert no_headings[1].endswith("| not in audio 1 (25.0%) | low confidence 0")  # nothing to set apart
    one = summary_lines(make_result(rows[1:], duration_ms=3000), [Path("e.srt")])
    assert one[1].endswith("; 1 heading word (title, byline) not expected in the audio")


def test_summary_lists_at_most_ten_of_each_and_shortens_long_text():
    result = tricky_result()
    long_text = " ".join(["word"] * 30)
    missing = tuple(MissingPassage(k, k, long_text, 1000 * k) for k in range(LIST_LIMIT + 2))
    regions = tuple(AudioOnlyRegion(1000 * k, 1000 * k + 500, long_text, 30) for k in range(LIST_LIMIT + 1))
    lines = summary_lines(dataclasses.replace(result, missing=missing, audio_only=regions), [])
    listed = [line for line in lines if line.startswith("  after") or line.startswith("  0:")]
    assert len(listed) == 2 * LIST_LIMIT
    assert "  ... and 2 more (see the JSON)" in lines and "  ... and 1 more (see the JSON)" in lines
    assert all(len(line.split(": ", 1)[1]) <= 70 for line in listed)
    assert f"  after 0:01: {long_text[:67]}..." in lines


def test_chapter_lines():
    rows = [
        ("Title", None, N, None, None, 0, True, True),
        ("Dek", None, N, None, None, 1, True, False),
        ("Part", None, N, None, None, 2, True, True),
        ("one", None, N, None, None, 2, True, True),
        ("hello", "A", M, 61_000, 61_400, 3, False, False),
    ]
    assert chapter_lines(make_result(rows, duration_ms=70_000)) == ["Chapters (1):", "  1:01 Part one"]
    assert chapter_lines(make_result(rows[:2] + rows[4:], duration_ms=70_000)) == [
        "Chapters: none (the transcript has no section headings inside the body)"
    ]
    assert chapter_lines(tricky_result()) == ["Chapters (1):", "  0:01 Notes & <Queries>"]


def test_batch_table_lines_up_names_and_ends_with_the_counts(tmp_path):
    def episode(name: str) -> Episode:
        return Episode(name, tmp_path / f"{name}.mp3", tmp_path / f"{name}.md", tmp_path)

    outcomes = [
        Outcome(episode("a"), Status.DONE, seconds=1.25, attempts=1, matched_percent=97.5),
        Outcome(episode("long name"), Status.DONE, seconds=3.0, attempts=2, matched_percent=80.0),
        Outcome(episode("b"), Status.SKIPPED, "outputs up to date"),
        Outcome(episode("c"), Status.FAILED, "c.mp3: cannot be decoded as audio", attempts=1),
    ]
    unpaired = [Unpaired(tmp_path / "notes.txt", "no audio named notes")]
    assert batch_table(outcomes, unpaired, failures_only=False) == [
        "done     a          matched 97.5%, 1.2 s",
        "done     long name  matched 80.0%, 3.0 s, attempt 2",
        "skipped  b          outputs up to date",
        "failed   c          c.mp3: cannot be decoded as audio",
        "unpaired notes.txt  no audio named notes",
        "2 done, 1 skipped, 1 failed, 1 unpaired file",
    ]
    assert batch_table(outcomes, unpaired, failures_only=True) == ["failed   c  c.mp3: cannot be decoded as audio"]
    assert batch_table([], [], failures_only=False) == ["0 done, 0 skipped, 0 failed"]


@pytest.mark.model
def test_chapters_are_listed_after_the_summary(tmp_path, cache_dir):
    result = RUNNER.invoke(
        cli,
        [
            "align",
            str(EPISODE / "episode.mp3"),
            str(EPISODE / "episode_chapters.md"),
            "-o",
            str(tmp_path),
            "--cache-dir",
            str(cache_dir),
            "--formats",
            "chapters",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert "Chapters (3):" in result.stdout
    assert "Part two: the gap" in result.stdout
