"""Refinement settings against accuracy and cost, on the benchmark episodes with their recognition cached.

Recognises each episode once (kept in benchmarks/data/cache/tuning), then for the settings given refines
and aligns it again (the refinement is never taken from the cache), scores the result against the truth
(benchmarks/score.py) and prints one line: the refinement's wall and CPU time summed over the episodes,
then the accuracy figures of run_benchmark.py. The CPU time is this process's (the refinement runs in
it), so it holds still when other work shares the machine.

How the settings are changed (for this process only):

- ``--decoder KEY=VALUE``: pocketsphinx decoder options (``beam=1e-30``, ``ds=2``, ``remove_noise=False``);
- ``--refine NAME=VALUE``: integer constants of ``aligner.refine.refiner`` (``MAX_LEAD_MS=400``, ``PAD_MS=200``);
- ``--fillers um,uh,...``: keep only these fillers of ``aligner.refine.sphinx.FILLERS`` (by their
  last word: ``um``, ``uh``, ``know``, ``mean``); ``--fillers none`` keeps none.

Usage::

    python benchmarks/refine_settings.py                          # the defaults, seeds 1-4
    python benchmarks/refine_settings.py --fillers um,uh --refine MAX_LEAD_MS=400 --seed 5
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import score  # noqa: E402
from synth import DATA_DIR, EpisodeParams, ensure_episode  # noqa: E402


def _value(text: str) -> object:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"True": True, "False": False}.get(text, text)


def _pairs(items: list[str]) -> dict[str, object]:
    return {key: _value(value) for key, value in (item.split("=", 1) for item in items)}


def apply(decoder: dict[str, object], constants: dict[str, object], fillers: str | None) -> None:
    """Change the settings of this process's refinement, and keep it from the cache."""
    import pocketsphinx

    import aligner.cache as cache
    import aligner.refine.refiner as refine
    import aligner.refine.sphinx as refine_sphinx

    base = pocketsphinx.Decoder

    class Decoder(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **options):
            super().__init__(*args, **{**options, **decoder})

    pocketsphinx.Decoder = Decoder
    for name, value in constants.items():
        if not hasattr(refine, name):
            raise SystemExit(f"aligner.refine.refiner has no {name}")
        setattr(refine, name, value)
    if fillers is not None:
        keep = set() if fillers == "none" else set(fillers.split(","))
        for name in list(refine_sphinx.FILLERS):
            if name.rsplit("-", 1)[-1] not in keep:
                del refine_sphinx.FILLERS[name]
    cache.load_refinement = lambda *args, **kwargs: None
    cache.store_refinement = lambda *args, **kwargs: None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decoder", nargs="*", default=[], metavar="KEY=VALUE")
    parser.add_argument("--refine", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--fillers", default=None)
    parser.add_argument("--seed", type=int, default=1, help="seed of the first episode (5: the held-out set)")
    parser.add_argument("--minutes", type=float, nargs="+", default=[2.0, 3.0, 5.0, 8.0])
    parser.add_argument("--cache-dir", type=Path, default=DATA_DIR / "cache" / "tuning")
    args = parser.parse_args()
    apply(_pairs(args.decoder), _pairs(args.refine), args.fillers)

    from aligner import AlignOptions, OutputOptions, align, write_outputs

    options = AlignOptions(output=OutputOptions(formats=("json", "vtt")), cache_dir=args.cache_dir)

    episodes = [ensure_episode(EpisodeParams(args.seed + i, m)) for i, m in enumerate(args.minutes)]
    tallies, wall, cpu = [], 0.0, 0.0
    for episode in episodes:
        align(episode.mp3, episode.markdown, replace(options, refine=False))  # the recognition, cached
        started, used = time.perf_counter(), time.process_time()
        result = align(episode.mp3, episode.markdown, options)
        wall += time.perf_counter() - started
        cpu += time.process_time() - used
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            write_outputs(result, out_dir=out, stem="e", output=options.output)
            truth = episode.load_truth()
            prediction = score.prediction_from_result_json(
                truth, score.load_json(out / "e.json"), vtt_text=(out / "e.vtt").read_text(encoding="utf-8")
            )
            tallies.append(score.tally(truth, prediction, episode.params.key))
    f = score.summarize(score.merge(tallies))
    start, end, cue, nia = f["start"], f["end"], f["cue_start"], f["not_in_audio"]
    label = " ".join(sys.argv[1:]) or "defaults"
    print(
        f"{label}: refinement wall {wall:.1f} s, CPU {cpu:.1f} s | timed {f['timed_percent']:.1f}% | start median "
        f"{start['median']:.0f} ms, within 25/50/100/200 ms {start['within_25']:.1f}/{start['within_50']:.1f}/"
        f"{start['within_100']:.1f}/{start['within_200']:.1f}% | end median {end['median']:.0f} ms | cue starts "
        f"within 200 ms {cue['within_200']:.1f}% | not_in_audio P/R {nia['precision']:.3f}/{nia['recall']:.3f} | "
        f"in ad/music {f['in_ad']}/{f['in_music']}"
    )


if __name__ == "__main__":
    main()
