"""The new formats and options through the ``aligner align`` command (click's CliRunner)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from conftest import EPISODE

from aligner.cli import cli

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()

ALL_FORMATS = "srt,vtt,json,podcast,html,textgrid,audacity,chapters"
NAMES = [
    "episode.TextGrid", "episode.chapters.json", "episode.html", "episode.json",
    "episode.labels.txt", "episode.podcast.json", "episode.srt", "episode.vtt",
]


def _align(tmp_path, cache_dir, *extra: str, transcript: str = "episode.md"):
    return RUNNER.invoke(
        cli,
        ["align", str(EPISODE / "episode.mp3"), str(EPISODE / transcript), "-o", str(tmp_path), "--cache-dir", str(cache_dir), *extra],
        catch_exceptions=False,
    )


@pytest.mark.model
def test_every_format_is_written_and_the_rss_lines_printed(tmp_path, cache_dir):
    result = _align(tmp_path, cache_dir, "--formats", ALL_FORMATS, "--base-url", "https://example.com/42/")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == NAMES
    out = result.stdout
    assert "For the episode's <item> in your RSS feed:" in out
    lines = [line for line in out.splitlines() if line.startswith("<podcast:")]
    item = ET.fromstring('<item xmlns:podcast="https://podcastindex.org/namespace/1.0">' + "".join(lines) + "</item>")
    assert sorted(e.get("url") for e in item) == [
        "https://example.com/42/episode.chapters.json",
        "https://example.com/42/episode.podcast.json",
        "https://example.com/42/episode.srt",
        "https://example.com/42/episode.vtt",
    ]
    assert "Chapters: none" in out


@pytest.mark.model
def test_rss_snippet_option_writes_the_lines_to_a_file(tmp_path, cache_dir):
    snippet = tmp_path / "feed-lines.xml"
    result = _align(tmp_path / "out", cache_dir, "--formats", "vtt,podcast", "--rss-snippet", str(snippet))
    assert result.exit_code == 0, result.stderr
    assert "<podcast:" not in result.stdout and str(snippet) in result.stdout
    text = snippet.read_text(encoding="utf-8")
    assert text == (
        '<podcast:transcript url="episode.vtt" type="text/vtt" language="en" rel="captions" />\n'
        '<podcast:transcript url="episode.podcast.json" type="application/json" language="en" rel="captions" />\n'
    )


@pytest.mark.model
def test_word_options_reach_the_writers(tmp_path, cache_dir):
    result = _align(tmp_path, cache_dir, "--formats", "vtt,podcast,json", "--vtt-words", "--podcast-words", "-q")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "<00:00:0" in (tmp_path / "episode.vtt").read_text(encoding="utf-8")
    words = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["words"]
    segments = json.loads((tmp_path / "episode.podcast.json").read_text(encoding="utf-8"))["segments"]
    assert len(segments) == sum(1 for w in words if w["kind"] == "word" and w["start"] is not None)


@pytest.mark.model
def test_preset_sets_caption_limits_and_explicit_options_win(tmp_path, cache_dir):
    def cues(*extra: str) -> list[dict]:
        folder = tmp_path / "_".join(extra).replace("-", "")
        result = _align(folder, cache_dir, "--formats", "json", "-q", *extra)
        assert result.exit_code == 0, result.stderr
        return json.loads((folder / "episode.json").read_text(encoding="utf-8"))["cues"]

    default, netflix, bbc, bbc_wide = cues(), cues("--preset", "netflix"), cues("--preset", "bbc"), cues(
        "--preset", "bbc", "--max-line-chars", "60"
    )
    assert netflix == default  # the core defaults are Netflix's numbers
    assert max(len(line) for cue in bbc for line in cue["lines"]) <= 37
    assert max(len(line) for cue in default for line in cue["lines"]) > 37  # so the preset changed something
    assert max(len(line) for cue in bbc_wide for line in cue["lines"]) > 37


def test_unknown_preset_is_a_usage_error(tmp_path):
    result = RUNNER.invoke(cli, ["align", "a.mp3", "b.md", "--preset", "itv"])
    assert result.exit_code == 2
    assert "itv" in result.stderr


@pytest.mark.model
def test_chapters_are_listed_after_the_summary(tmp_path, cache_dir):
    result = _align(tmp_path, cache_dir, "--formats", "chapters", transcript="episode_chapters.md")
    assert result.exit_code == 0, result.stderr
    assert "Chapters (3):" in result.stdout
    assert "Part two: the gap" in result.stdout
