"""Hostile options and output locations (issue 6).

Impossible caption limits, an output folder that is a file or cannot be
written, an unknown model: one error line and nothing written. Writes never
leave the output folder and never replace an input.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.errors import OutputError
from aligner.options import CaptionOptions
from aligner.writers import write_outputs
from conftest import AUDIO
from hostile_support import (
    EPISODE_MD,
    assert_one_line_error,
    env_for_subprocess,
    file_hash,
    read_outputs,
    run,
    tree,
)

DRIVER = Path(__file__).resolve().parent / "hostile_driver.py"


def _earlier_run(out: Path, stem: str = "hello") -> dict[str, str]:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nold\n", encoding="utf-8")
    (out / f"{stem}.json").write_text("{}\n", encoding="utf-8")
    return tree(out)


IMPOSSIBLE = {
    "5 characters a line": (["--max-line-chars", "5"], "line"),
    "no lines": (["--max-lines", "0"], "lines"),
    "minimum longer than maximum": (["--min-duration", "9", "--max-duration", "2"], "exceeds"),
    "reading speed zero": (["--max-cps", "0"], "characters per second"),
}


@pytest.mark.parametrize("case", sorted(IMPOSSIBLE))
def test_impossible_caption_limits_are_one_line(case, tmp_path):
    args, fragment = IMPOSSIBLE[case]
    out = tmp_path / "out"
    before = _earlier_run(out)
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--no-cache", *args)
    assert_one_line_error(result, fragment)
    assert tree(out) == before


def test_output_folder_that_is_a_file(tmp_path):
    out = tmp_path / "out"
    out.write_text("I am a file\n", encoding="utf-8")
    cache = tmp_path / "cache"
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--cache-dir", cache, "--force", "--no-refine")
    assert_one_line_error(result, str(out), "not a folder")
    assert out.read_text(encoding="utf-8") == "I am a file\n"
    assert not cache.exists()  # refused before recognition


@pytest.mark.parametrize("model", ["no-such-model", "./missing-folder"])
def test_unknown_model_is_one_line(model, tmp_path):
    out = tmp_path / "out"
    before = _earlier_run(out)
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--no-cache", "--model", model)
    assert_one_line_error(result, model)
    assert tree(out) == before


def test_model_folder_without_weights_is_one_line(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    before = _earlier_run(out)
    result = run("align", AUDIO / "hello.wav", EPISODE_MD, "-o", out, "--no-cache", "--model", folder)
    assert_one_line_error(result, "model.bin")
    assert tree(out) == before


@pytest.mark.skipif(sys.platform != "linux", reason="capabilities are Linux's")
def test_output_folder_without_write_permission_fails_before_recognition(tmp_path):
    # Run as a child that obeys permissions even as root (see hostile_driver.py --drop-dac).
    out = tmp_path / "locked"
    before = _earlier_run(out)
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    out.chmod(0o555)
    try:
        for target in (out, out / "new sub folder"):
            child = subprocess.run(
                [sys.executable, str(DRIVER), "--drop-dac", "--", "align", str(AUDIO / "hello.wav"), str(transcript),
                 "-o", str(target), "--cache-dir", str(tmp_path / "cache"), "--no-refine"],
                capture_output=True, text=True, timeout=300, env=env_for_subprocess(tmp_path),
            )
            assert child.returncode == 1, child.stderr
            lines = child.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: ") and "ermission denied" in lines[0], child.stderr
            assert str(target) in lines[0]
    finally:
        out.chmod(0o755)
    assert tree(out) == before
    assert not (tmp_path / "cache").exists()  # refused before an hour of recognition, not after


# --- writes stay in the output folder and never replace an input -------------------------------------


@pytest.mark.parametrize("stem", ["../../x", "../x", "a/b", "/tmp/x", "..", ".", "", "x\0y", "..\\x"])
def test_a_stem_that_leaves_the_folder_is_refused(stem, tmp_path, episode_result):
    out = tmp_path / "a" / "b" / "out"
    out.parent.mkdir(parents=True)
    before = tree(tmp_path)
    with pytest.raises(OutputError, match="invalid output name"):
        write_outputs(episode_result, out_dir=out, stem=stem, formats=["srt", "vtt", "json"], options=CaptionOptions())
    assert tree(tmp_path) == before
    assert not out.exists()


@pytest.mark.model
def test_a_link_in_the_output_folder_is_replaced_not_followed(tmp_path, cache_dir):
    outside = tmp_path / "outside.srt"
    outside.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "hello.srt").symlink_to(outside)
    transcript = tmp_path / "hello.md"
    transcript.write_text("Hello there.\n", encoding="utf-8")
    result = run("align", AUDIO / "hello.wav", transcript, "-o", out, "--cache-dir", cache_dir, "--no-refine")
    assert result.exit_code == 0, result.stderr
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (out / "hello.srt").is_symlink()
    read_outputs(out, "hello")


@pytest.mark.model
@pytest.mark.parametrize("extension", ["vtt", "srt"])
def test_an_output_never_replaces_the_input_transcript(extension, tmp_path, cache_dir):
    # A caption file used as the transcript, beside its audio, with the default output folder.
    folder = tmp_path / "episode"
    folder.mkdir()
    audio = folder / "hello.wav"
    shutil.copy(AUDIO / "hello.wav", audio)
    transcript = folder / f"hello.{extension}"
    if extension == "vtt":
        transcript.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:00.700\nHello there.\n", encoding="utf-8")
    else:
        transcript.write_text("1\n00:00:00,000 --> 00:00:00,700\nHello there.\n", encoding="utf-8")
    before = tree(folder)
    result = run("align", audio, transcript, "--cache-dir", cache_dir, "--no-refine")
    assert_one_line_error(result, str(transcript), "input transcript")
    assert tree(folder) == before
    # Elsewhere it is fine.
    result = run("align", audio, transcript, "-o", tmp_path / "out", "--cache-dir", cache_dir, "--no-refine")
    assert result.exit_code == 0, result.stderr
    assert tree(folder) == before


@pytest.mark.model
def test_audio_named_dot_dot_is_one_line(tmp_path, cache_dir):
    audio = tmp_path / "..wav"  # its stem is ".": there is no sensible output name
    shutil.copy(AUDIO / "hello.wav", audio)
    digest = file_hash(audio)
    result = run("align", audio, EPISODE_MD, "-o", tmp_path / "out", "--cache-dir", cache_dir, "--force", "--no-refine")
    assert_one_line_error(result, "output name")
    assert file_hash(audio) == digest
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
