"""aligner batch --scheduler: the same folder through a Dask LocalCluster of worker processes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from catalogue import make_catalogue
from click.testing import CliRunner
from support.paths import AUDIO

from aligner import AlignOptions, BatchError, OutputOptions
from aligner.batch import Status, plan_folder
from aligner.cli import cli

distributed = pytest.importorskip("distributed")  # the `dask` extra; `test` installs it

try:  # click >= 8.2 always keeps stderr apart
    RUNNER = CliRunner(mix_stderr=False)
except TypeError:
    RUNNER = CliRunner()

OUTPUT_SUFFIXES = {".srt", ".vtt", ".json"}


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes with one thread each, as `dask worker --nworkers 2 --nthreads 1` starts.

    Dask's nanny sets OMP_NUM_THREADS=1 in its workers by default
    (``distributed.nanny.pre-spawn-environ``); CTranslate2 then computes with
    one thread, and word probabilities differ from a run with its default
    threads in the third decimal (measured: 0.626 / 0.934 against 0.607 /
    0.945 on hello.ogg; times the same). The workers here keep this process's
    environment, as the local path's workers do, so outputs can be compared
    byte for byte.
    """
    import dask

    with (
        dask.config.set({"distributed.nanny.pre-spawn-environ": {}}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as local,
    ):
        yield local


def batch(*args):
    return RUNNER.invoke(cli, ["batch", *[str(a) for a in args]], catch_exceptions=False)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in OUTPUT_SUFFIXES}


def model_loads(scheduler_address: str) -> dict[str, tuple[int, int]]:
    """(cache misses, entries) of each worker's model cache: 1 miss = loaded once."""

    def info():
        from aligner.recognize import load_model

        stats = load_model.cache_info()
        return stats.misses, stats.currsize

    with distributed.Client(scheduler_address, set_as_default=False) as client:
        return client.run(info)


@pytest.mark.model
def test_dask_gives_the_local_outputs_byte_for_byte(tmp_path, cluster, cache_dir, episode_result):
    folder = make_catalogue(tmp_path / "catalogue")

    on_dask = batch(folder, "-o", tmp_path / "dask", "--scheduler", cluster.scheduler_address, "--cache-dir", cache_dir)
    here = batch(folder, "-o", tmp_path / "local", "--cache-dir", cache_dir)

    for result in (on_dask, here):
        assert result.exit_code == 1, result.stdout + result.stderr
        assert result.stderr.strip().splitlines()[-1] == "Error: 1 of 3 episodes failed"
    # The same table (times aside): two done, the broken one failed for the same reason.
    strip = [[line.split(", ")[0] for line in r.stdout.splitlines()] for r in (on_dask, here)]
    assert strip[0] == strip[1]
    assert [line.split()[:2] for line in on_dask.stdout.splitlines()[:3]] == [
        ["failed", "broken"],
        ["done", "hello"],
        ["done", "interview"],
    ]
    dask_files, local_files = outputs(tmp_path / "dask"), outputs(tmp_path / "local")
    assert sorted(dask_files) == [f"{stem}.{ext}" for stem in ("hello", "interview") for ext in ("json", "srt", "vtt")]
    assert dask_files == local_files  # paths in the JSON are absolute, so even those agree

    # Each worker process loaded the model once (its plugin), and no task loaded it again.
    assert set(model_loads(cluster.scheduler_address).values()) == {(1, 1)}

    # A second run skips the two done without sending anything to the cluster.
    again = batch(folder, "-o", tmp_path / "dask", "--scheduler", cluster.scheduler_address, "--cache-dir", cache_dir)
    assert [line.split()[:2] for line in again.stdout.splitlines()[:3]] == [
        ["failed", "broken"],
        ["skipped", "hello"],
        ["skipped", "interview"],
    ]


@pytest.mark.model
def test_recognition_on_a_worker_matches_recognition_here(tmp_path, cluster):
    """No cache: each side runs the model itself, in its own process."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(AUDIO / "hello.ogg", folder / "hello.ogg")
    (folder / "hello.md").write_text("Hello there.\n", encoding="utf-8")
    on_dask = batch(folder, "-o", tmp_path / "dask", "--scheduler", cluster.scheduler_address, "--no-cache")
    here = batch(folder, "-o", tmp_path / "local", "--no-cache")
    assert on_dask.exit_code == here.exit_code == 0, on_dask.stdout + on_dask.stderr + here.stdout + here.stderr
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local") != {}
    # The task recognised with the model its worker's plugin had loaded: still one load each.
    assert set(model_loads(cluster.scheduler_address).values()) == {(1, 1)}


@pytest.mark.model
def test_outputs_go_where_the_manifest_says(tmp_path, cluster, cache_dir):
    shutil.copyfile(AUDIO / "hello.flac", tmp_path / "hello.flac")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "hello.md").write_text("Hello there.\n", encoding="utf-8")
    manifest = tmp_path / "catalogue.jsonl"
    manifest.write_text('{"audio": "hello.flac", "transcript": "texts/hello.md", "output_dir": "captions/2024"}\n')
    result = batch(manifest, "--scheduler", cluster.scheduler_address, "--cache-dir", cache_dir, "--formats", "vtt")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].split()[:2] == ["done", "hello.flac"]
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.vtt")] == ["captions/2024/hello.vtt"]


@pytest.mark.model
def test_failures_that_may_pass_are_retried_then_reported(tmp_path, cluster, cache_dir):
    from aligner.batch.dask import run_batch_dask

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(AUDIO / "hello.flac", folder / "hello.flac")
    (folder / "hello.txt").write_text("Hello there.\n", encoding="utf-8")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    seen = []
    [outcome] = run_batch_dask(
        plan_folder(folder, out_dir=blocker).episodes,
        AlignOptions(cache_dir=cache_dir),
        scheduler=cluster.scheduler_address,
        retries=1,
        on_outcome=seen.append,
    )
    assert seen == [outcome]
    assert outcome.status is Status.FAILED and outcome.attempts == 2
    assert outcome.detail.endswith("output folder is not a folder (after 2 attempts)")


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    from aligner.batch.dask import run_batch_dask

    folder = make_catalogue(tmp_path)
    with pytest.raises(BatchError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9: .*") as raised:
        run_batch_dask(plan_folder(folder).episodes, scheduler="tcp://127.0.0.1:9", connect_timeout_s=1)
    assert "\n" not in str(raised.value)


def test_unknown_formats_are_refused_before_reaching_for_the_scheduler(tmp_path):
    from aligner.batch.dask import run_batch_dask

    folder = make_catalogue(tmp_path)
    options = AlignOptions(output=OutputOptions(formats=("srt", "docx")))
    with pytest.raises(BatchError, match="unknown output format docx: choose from audacity, chapters, html"):
        run_batch_dask(plan_folder(folder).episodes, options, scheduler="tcp://127.0.0.1:9", connect_timeout_s=1)


def test_without_dask_the_option_says_what_to_install(tmp_path, monkeypatch):
    folder = make_catalogue(tmp_path)
    monkeypatch.delitem(sys.modules, "aligner.batch.dask", raising=False)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    result = RUNNER.invoke(cli, ["batch", str(folder), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.stderr == "Error: --scheduler needs Dask: pip install 'aligner[dask]'\n"
    assert not list(folder.glob("*.json"))
