"""The format registry and the all-or-nothing writer (aligner.writers): golden files, write_outputs.

The golden files in fixtures/expected/ are rendered from the hand-made result
:func:`support.handmade.golden_result` (never from model output). After an
intended change to a format, regenerate them with ``ALIGNER_UPDATE_GOLDEN=1
pytest tests/writers/test_write_outputs.py`` and review the diff. Each format's
own rules are tested in its own file here, against an independent reader.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import webvtt
from jsonschema import Draft202012Validator
from support.handmade import golden_result, make_cue_result
from support.paths import EXPECTED

import aligner
import aligner.writers.json as json_writer
from aligner import atomic
from aligner.errors import OutputError
from aligner.options import OutputOptions
from aligner.types import Result
from aligner.writers import FORMATS, Writer, check_output_dir, make_output_dir, write_outputs
from aligner.writers.json import load_schema, render_json
from aligner.writers.srt import render_srt
from aligner.writers.vtt import render_vtt

UPDATE_GOLDEN = os.environ.get("ALIGNER_UPDATE_GOLDEN") == "1"


# ---------------------------------------------------------------------------------------------
# Rendering: golden files, the empty result, render()


@pytest.mark.parametrize("fmt", ["srt", "vtt", "json"])
def test_golden_file(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_writer, "__version__", "0.1.0")  # the golden JSON names this version
    rendered = FORMATS[fmt].render(golden_result(), OutputOptions())
    path = EXPECTED / f"two_speakers_notes_markup.{fmt}"
    if UPDATE_GOLDEN:
        path.write_text(rendered, encoding="utf-8", newline="\n")
    assert rendered == path.read_text(encoding="utf-8")


def test_empty_result_renders_empty_files() -> None:
    result = make_cue_result([], [], duration_ms=1000)
    assert render_srt(result, OutputOptions()) == ""
    assert render_vtt(result, OutputOptions()) == "WEBVTT\n\n"
    assert webvtt.from_buffer(io.StringIO(render_vtt(result, OutputOptions())), strict=True).captions == []
    Draft202012Validator(load_schema()).validate(json.loads(render_json(result, OutputOptions())))


def test_render_renders_one_registered_format_by_name() -> None:
    result = golden_result()
    for name, writer in FORMATS.items():
        assert aligner.render(result, name) == writer.render(result, OutputOptions())
    output = OutputOptions(srt_speaker_prefix=False)
    assert aligner.render(result, "srt", output) == render_srt(result, output) != aligner.render(result, "srt")
    with pytest.raises(OutputError) as caught:
        aligner.render(result, "ass")
    assert str(caught.value) == (
        "unknown output format 'ass'; known formats: audacity, chapters, html, json, podcast, srt, textgrid, vtt"
    )


# ---------------------------------------------------------------------------------------------
# write_outputs


def test_write_outputs_writes_every_format(tmp_path: Path) -> None:
    paths = write_outputs(
        golden_result(), out_dir=tmp_path, stem="ep 12", output=OutputOptions(formats=("srt", "vtt", "json", "srt"))
    )
    assert paths == [tmp_path / "ep 12.srt", tmp_path / "ep 12.vtt", tmp_path / "ep 12.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep 12.json", "ep 12.srt", "ep 12.vtt"]
    assert (tmp_path / "ep 12.srt").read_bytes() == render_srt(golden_result(), OutputOptions()).encode("utf-8")


def test_write_outputs_with_no_format_writes_nothing(tmp_path: Path) -> None:
    assert write_outputs(golden_result(), out_dir=tmp_path / "out", stem="ep", output=OutputOptions(formats=())) == []
    assert not (tmp_path / "out").exists()


def test_write_outputs_replaces_existing_files(tmp_path: Path) -> None:
    (tmp_path / "ep.srt").write_text("old")
    write_outputs(golden_result(), out_dir=tmp_path, stem="ep", output=OutputOptions(formats=("srt",)))
    assert (tmp_path / "ep.srt").read_text(encoding="utf-8") == render_srt(golden_result(), OutputOptions())


def test_write_outputs_creates_the_output_folder_and_the_folders_above_it(tmp_path: Path) -> None:
    write_outputs(golden_result(), out_dir=tmp_path / "out", stem="ep", output=OutputOptions(formats=("vtt",)))
    assert (tmp_path / "out" / "ep.vtt").is_file()
    paths = write_outputs(
        golden_result(), out_dir=tmp_path / "a" / "b" / "c", stem="ep", output=OutputOptions(formats=("vtt", "srt"))
    )
    assert paths == [tmp_path / "a" / "b" / "c" / "ep.vtt", tmp_path / "a" / "b" / "c" / "ep.srt"]
    assert all(path.is_file() for path in paths)


def test_a_file_where_a_folder_above_the_output_folder_would_be_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("a file", encoding="utf-8")
    out = tmp_path / "a" / "b" / "c"
    with pytest.raises(OutputError, match=r"a/b/c: cannot create output folder: .*a is a file, not a folder"):
        check_output_dir(out)
    with pytest.raises(
        OutputError, match=r"a/b/c: (cannot create output folder: Not a directory|output folder is not a folder)"
    ):
        write_outputs(golden_result(), out_dir=out, stem="ep", output=OutputOptions(formats=("vtt",)))
    assert (tmp_path / "a").read_text(encoding="utf-8") == "a file"


def test_check_output_dir_probes_a_missing_folder_where_it_will_be_made_and_creates_nothing(tmp_path: Path) -> None:
    check_output_dir(tmp_path / "x" / "y" / "z")  # the nearest existing folder, tmp_path, takes files
    assert list(tmp_path.iterdir()) == []


def test_make_output_dir_is_the_one_way_folders_are_made(tmp_path: Path) -> None:
    assert make_output_dir(tmp_path / "p" / "q") == tmp_path / "p" / "q"
    assert (tmp_path / "p" / "q").is_dir()
    assert make_output_dir(tmp_path / "p" / "q") == tmp_path / "p" / "q"  # already there: fine
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="f: output folder is not a folder"):
        make_output_dir(tmp_path / "f")


def test_unknown_format_is_refused_and_nothing_written(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_outputs(golden_result(), out_dir=tmp_path, stem="ep", output=OutputOptions(formats=("srt", "ass")))
    assert str(caught.value) == (
        "unknown output format 'ass'; known formats: audacity, chapters, html, json, podcast, srt, textgrid, vtt"
    )
    assert list(tmp_path.iterdir()) == []


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(OutputError, match="out: output folder is not a folder"):
        write_outputs(golden_result(), out_dir=tmp_path / "out", stem="ep", output=OutputOptions(formats=("srt",)))
    assert (tmp_path / "out").read_text() == "not a folder"


def test_output_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "ep.vtt").mkdir()
    with pytest.raises(OutputError, match=r"ep\.vtt: is a folder"):
        write_outputs(golden_result(), out_dir=tmp_path, stem="ep", output=OutputOptions(formats=("srt", "vtt")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.vtt"]


@pytest.mark.parametrize("stem", ["../ep", "..", "a/b", "a\\b", "", ".", "/abs", "..\\ep"])
def test_stem_with_path_parts_is_refused(tmp_path: Path, stem: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OutputError, match="invalid output name"):
        write_outputs(golden_result(), out_dir=out, stem=stem, output=OutputOptions(formats=("srt",)))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out"]


def test_stem_with_dots_but_no_folder_is_fine(tmp_path: Path) -> None:
    paths = write_outputs(
        golden_result(), out_dir=tmp_path, stem="Wait... what", output=OutputOptions(formats=("srt",))
    )
    assert paths == [tmp_path / "Wait... what.srt"] and paths[0].is_file()


def test_failing_render_leaves_existing_outputs_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ep.srt").write_text("previous srt")

    def broken(result: Result, output: OutputOptions) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setitem(FORMATS, "json", Writer("json", broken))
    with pytest.raises(RuntimeError, match="renderer bug"):
        write_outputs(
            golden_result(), out_dir=tmp_path, stem="ep", output=OutputOptions(formats=("srt", "vtt", "json"))
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]
    assert (tmp_path / "ep.srt").read_text() == "previous srt"


def test_failing_write_leaves_existing_outputs_untouched_and_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ep.srt").write_text("previous srt")
    real = atomic.write_synced
    calls = []

    def flaky(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(atomic, "write_synced", flaky)
    with pytest.raises(OutputError) as caught:
        write_outputs(
            golden_result(), out_dir=tmp_path, stem="ep", output=OutputOptions(formats=("srt", "vtt", "json"))
        )
    assert str(caught.value) == f"{tmp_path / 'ep.json'}: cannot write output: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]
    assert (tmp_path / "ep.srt").read_text() == "previous srt"


def test_failing_replace_removes_the_temp_files_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith(".vtt"):
            raise OSError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError, match=r"ep\.vtt: cannot replace output: Permission denied"):
        write_outputs(
            golden_result(), out_dir=tmp_path, stem="ep", output=OutputOptions(formats=("srt", "vtt", "json"))
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.srt"]  # documented: earlier replaces stand
