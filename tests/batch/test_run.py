"""aligner batch on one machine (aligner.batch.run): workers, retries, resuming, the command.

Planning and the up-to-date rule: test_plan.py; the same batch on Dask: test_dask.py.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from catalogue import make_catalogue
from click.testing import CliRunner
from support.paths import AUDIO

from aligner import AlignOptions, BatchError, OutputOptions, align, write_outputs
from aligner.batch import Episode, Outcome, Status, plan_folder, run_batch
from aligner.batch.run import _run_in_pool, _share_cores, check_formats
from aligner.cli import cli
from aligner.options import RecognizeOptions

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def set_mtime(path: Path, seconds: float) -> None:
    os.utime(path, ns=(int(seconds * 1e9), int(seconds * 1e9)))


def age(folder: Path) -> None:
    """Date the inputs a minute back, so outputs written now are newer even where file times are coarse."""
    past = time.time() - 60
    for path in folder.iterdir():
        set_mtime(path, past)


def table(stdout: str) -> dict[str, tuple[str, str]]:
    """The command's table as {name: (status, detail)}; the counts line is left out."""
    rows = {}
    for line in stdout.splitlines():
        parts = line.split(None, 2)
        if parts and parts[0] in {"done", "skipped", "failed", "unpaired"}:
            rows[parts[1]] = (parts[0], parts[2] if len(parts) > 2 else "")
    return rows


def test_unknown_formats_are_refused_before_any_episode_runs(tmp_path):
    with pytest.raises(BatchError, match="unknown output format docx"):
        check_formats(AlignOptions(output=OutputOptions(formats=("srt", "docx"))))
    with pytest.raises(BatchError) as raised:
        check_formats(AlignOptions(output=OutputOptions(formats=())))
    assert str(raised.value) == (
        "unknown output format none given: choose from audacity, chapters, html, json, podcast, srt, textgrid, vtt"
    )
    check_formats(AlignOptions())  # the default formats
    episode = Episode("a", tmp_path / "a.mp3", tmp_path / "a.md", tmp_path)  # neither exists: never reached
    with pytest.raises(BatchError, match="unknown output format docx"):
        run_batch([episode], AlignOptions(output=OutputOptions(formats=("docx",))))


# ---------------------------------------------------------------- failures without the model


def test_bad_inputs_fail_once_each_and_the_others_go_on(tmp_path):
    shutil.copyfile(AUDIO / "not_audio.mp3", tmp_path / "text.mp3")
    touch(tmp_path / "text.md", "Hello there.")
    shutil.copyfile(AUDIO / "truncated.m4a", tmp_path / "cut.m4a")
    touch(tmp_path / "cut.md", "Hello there.")
    shutil.copyfile(AUDIO / "hello.wav", tmp_path / "empty.wav")
    touch(tmp_path / "empty.md", "")
    seen: list[Outcome] = []
    outcomes = run_batch(plan_folder(tmp_path).episodes, AlignOptions(use_cache=False), jobs=2, on_outcome=seen.append)
    assert [(o.episode.name, o.status, o.attempts) for o in outcomes] == [
        ("cut", Status.FAILED, 1),
        ("empty", Status.FAILED, 1),
        ("text", Status.FAILED, 1),
    ]
    assert "cut.m4a: cannot be decoded as audio" in outcomes[0].detail
    assert "empty.md" in outcomes[1].detail and "no words" in outcomes[1].detail
    assert "text.mp3" in outcomes[2].detail
    assert sorted(o.episode.name for o in seen) == ["cut", "empty", "text"]
    assert all(o.worker.startswith("pid ") and o.worker != f"pid {os.getpid()}" for o in outcomes)
    assert not list(tmp_path.glob("*.json"))


def crash_on_doomed(episode: Episode, options: AlignOptions) -> Outcome:
    """A task that kills its worker process for the episode named 'doomed', as the kernel's OOM killer would."""
    if episode.name == "doomed":
        os._exit(9)
    return Outcome(episode, Status.DONE, attempts=1, worker=f"pid {os.getpid()}")


def test_a_worker_that_dies_fails_only_its_own_episode(tmp_path):
    episodes = [
        Episode(name, tmp_path / f"{name}.mp3", tmp_path / f"{name}.md", tmp_path) for name in ["a", "doomed", "b", "c"]
    ]
    finished: list[Outcome] = []
    _run_in_pool(episodes, AlignOptions(), 2, 2, finished.append, task=crash_on_doomed)
    by_name = {o.episode.name: o for o in finished}
    assert sorted(by_name) == ["a", "b", "c", "doomed"]
    assert by_name["doomed"].status is Status.FAILED
    assert by_name["doomed"].attempts == 3
    assert "worker process died" in by_name["doomed"].detail and "after 3 attempts" in by_name["doomed"].detail
    # Whatever ran beside it when it died was retried alone, and succeeded.
    assert all(by_name[name].status is Status.DONE for name in "abc")


# ---------------------------------------------------------------- with the model


def hello_folder(folder: Path, transcript: str = "Hello there.") -> Path:
    """A folder holding the hello clip and its transcript: one short episode."""
    folder.mkdir(parents=True)
    shutil.copyfile(AUDIO / "hello.flac", folder / "hello.flac")
    touch(folder / "hello.txt", transcript)
    return folder


def invoke(*args):
    return RUNNER.invoke(cli, ["batch", *[str(a) for a in args]], catch_exceptions=False)


@pytest.mark.model
def test_three_episodes_one_broken_then_resume(tmp_path, cache_dir, episode_result):
    folder = make_catalogue(tmp_path / "catalogue")
    touch(folder / "notes.txt")  # a transcript without audio: reported, not run

    first = invoke(folder, "--jobs", "2", "--cache-dir", cache_dir)

    assert first.exit_code == 1, first.stdout + first.stderr
    assert first.stderr.strip().splitlines()[-1] == "Error: 1 of 3 episodes failed"
    rows = table(first.stdout)
    assert {name: status for name, (status, _) in rows.items()} == {
        "broken": "failed",
        "hello": "done",
        "interview": "done",
        "notes.txt": "unpaired",
    }
    assert "broken.m4a: cannot be decoded as audio" in rows["broken"][1]
    assert first.stdout.splitlines()[-1] == "2 done, 0 skipped, 1 failed, 1 unpaired file"
    outputs = sorted(p.name for p in folder.iterdir() if p.suffix in {".srt", ".vtt", ".json"})
    assert outputs == ["hello.json", "hello.srt", "hello.vtt", "interview.json", "interview.srt", "interview.vtt"]
    written = {p: p.stat().st_mtime_ns for p in folder.iterdir() if p.suffix in {".srt", ".vtt", ".json"}}

    second = invoke(folder, "--jobs", "2", "--cache-dir", cache_dir)

    assert second.exit_code == 1
    rows = table(second.stdout)
    assert rows["hello"] == ("skipped", "outputs up to date") and rows["interview"] == ("skipped", "outputs up to date")
    assert rows["broken"][0] == "failed"
    assert {p: p.stat().st_mtime_ns for p in written} == written  # not rewritten

    # The batch writes what `aligner align` would for the same files.
    expected = align(folder / "interview.mp3", folder / "interview.md", AlignOptions(cache_dir=cache_dir))
    write_outputs(
        expected, out_dir=tmp_path / "single", stem="interview", output=OutputOptions(formats=("srt", "vtt", "json"))
    )
    for ext in ("srt", "vtt", "json"):
        assert (folder / f"interview.{ext}").read_bytes() == (tmp_path / "single" / f"interview.{ext}").read_bytes()
    assert json.loads((folder / "hello.json").read_text())["audio"]["path"] == str(folder / "hello.flac")


@pytest.mark.model
def test_an_edited_transcript_or_force_rerun_redoes_an_episode(tmp_path, cache_dir):
    folder = tmp_path / "in"
    for name in ("a", "b"):  # the same clip twice: recognised once, cached
        touch(folder / f"{name}.txt", "Hello there.\n")
        shutil.copyfile(AUDIO / "hello.flac", folder / f"{name}.flac")
    age(folder)
    out = tmp_path / "out"
    assert invoke(folder, "-o", out, "--cache-dir", cache_dir, "--formats", "vtt", "-q").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.vtt", "b.vtt"]

    (folder / "a.txt").write_text("Hello there!\n", encoding="utf-8")
    again = invoke(folder, "-o", out, "--cache-dir", cache_dir, "--formats", "vtt")
    assert again.exit_code == 0
    rows = table(again.stdout)
    assert rows["a"][0] == "done" and rows["b"] == ("skipped", "outputs up to date")
    assert "Hello there!" in (out / "a.vtt").read_text(encoding="utf-8")

    more = invoke(folder, "-o", out, "--cache-dir", cache_dir, "--formats", "vtt,json")  # json not there yet
    assert {name: row[0] for name, row in table(more.stdout).items()} == {"a": "done", "b": "done"}
    forced = invoke(folder, "-o", out, "--cache-dir", cache_dir, "--formats", "vtt,json", "--force-rerun")
    assert {name: row[0] for name, row in table(forced.stdout).items()} == {"a": "done", "b": "done"}
    quiet = invoke(folder, "-o", out, "--cache-dir", cache_dir, "--formats", "vtt,json", "-q")
    assert quiet.exit_code == 0 and quiet.stdout == ""


@pytest.mark.model
def test_batch_takes_the_output_options_of_align_and_writes_what_align_writes(tmp_path, cache_dir):
    folder = hello_folder(tmp_path / "in", "Host: Hello there.\n")
    options = [
        "--formats",
        "vtt,podcast,srt",
        "--vtt-words",
        "--podcast-words",
        "--preset",
        "bbc",
        "--no-refine",
        "--transcript-format",
        "text",
        "--cache-dir",
        cache_dir,
    ]
    batch = invoke(folder, "-o", tmp_path / "batch", *options)
    assert batch.exit_code == 0, batch.stdout + batch.stderr
    single = RUNNER.invoke(
        cli,
        [
            "align",
            str(folder / "hello.flac"),
            str(folder / "hello.txt"),
            "-o",
            str(tmp_path / "single"),
            "-q",
            *map(str, options),
        ],
        catch_exceptions=False,
    )
    assert single.exit_code == 0, single.stderr
    for name in ("hello.vtt", "hello.podcast.json", "hello.srt"):
        assert (tmp_path / "batch" / name).read_text(encoding="utf-8") == (tmp_path / "single" / name).read_text(
            encoding="utf-8"
        ), name
    vtt = (tmp_path / "batch" / "hello.vtt").read_text(encoding="utf-8")
    assert "<00:00:" in vtt  # --vtt-words: a timestamp before each word
    segments = json.loads((tmp_path / "batch" / "hello.podcast.json").read_text(encoding="utf-8"))["segments"]
    assert [s["body"] for s in segments] == ["Hello", "there."]  # --podcast-words: a segment per word


@pytest.mark.model
def test_an_output_that_cannot_be_written_is_retried_then_reported(tmp_path, cache_dir):
    folder = hello_folder(tmp_path / "in")
    blocker = touch(tmp_path / "out")  # a file where the output folder should be
    [outcome] = run_batch(plan_folder(folder, out_dir=blocker).episodes, AlignOptions(cache_dir=cache_dir), retries=1)
    assert outcome.status is Status.FAILED and outcome.attempts == 2
    assert outcome.detail.endswith("output folder is not a folder (after 2 attempts)")


@pytest.mark.model
def test_a_manifest_writes_where_it_says(tmp_path, cache_dir):
    shutil.copyfile(AUDIO / "hello.flac", tmp_path / "hello.flac")
    touch(tmp_path / "texts" / "hello.md", "Hello there.")
    manifest = touch(tmp_path / "m.csv", "audio,transcript,output_dir\nhello.flac,texts/hello.md,captions/hello\n")
    result = invoke(manifest, "--cache-dir", cache_dir, "--formats", "srt")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert table(result.stdout)["hello.flac"][0] == "done"
    assert (tmp_path / "captions" / "hello" / "hello.srt").read_text(encoding="utf-8").count("Hello") == 1


def test_command_errors_are_one_line(tmp_path):
    make_catalogue(tmp_path)
    for args, message in [
        ((tmp_path / "nope",), "nope: no such folder or manifest"),
        ((tmp_path, "--formats", "srt,docx"), "unknown format docx"),
        ((tmp_path, "--model", "no-such-model"), "unknown model 'no-such-model'"),
        ((tmp_path, "--max-line-chars", "5"), "max line length"),
    ]:
        result = invoke(*args)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert result.stderr.strip().splitlines() == [result.stderr.strip()]
        assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
        assert not list(tmp_path.glob("*.json"))
    both = invoke(tmp_path, "--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786")
    assert both.exit_code == 2 and "Use --jobs or --scheduler, not both" in both.stderr


def test_help_has_examples():
    result = RUNNER.invoke(cli, ["batch", "--help"])
    assert result.exit_code == 0
    assert "aligner batch episodes/" in result.stdout and "--scheduler" in result.stdout


def test_workers_share_the_cores_unless_threads_were_chosen():
    cores = len(os.sched_getaffinity(0))
    shared = _share_cores(AlignOptions(), 2)
    assert shared.recognize.threads == max(1, cores // 2)
    assert _share_cores(AlignOptions(), 64).recognize.threads == 1
    chosen = AlignOptions(recognize=RecognizeOptions(threads=3))
    assert _share_cores(chosen, 2) is chosen
