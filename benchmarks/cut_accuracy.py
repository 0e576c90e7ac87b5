"""Acceptance of ``aligner cut`` (issue 15) on the benchmark episodes, where the truth is known.

For each episode (seeds 1-4 by default, ``--quick``: the two 2-minute episodes) it runs

1. ``aligner cut AUDIO TRANSCRIPT -o OUT/`` (timed): the edited audio, ``episode.edits.json`` and the
   re-timed ``episode.edited.json``;
2. ``aligner align AUDIO TRANSCRIPT`` on the source, with the cut's cache (its recognition is reused);
3. ``aligner align EDITED TRANSCRIPT`` on the edited audio, with a cache of its own;

and measures, each figure beside its target:

- **words cut**: for every spoken word that is in the transcript (``transcript_index`` not null), how many
  ms of its true interval the cuts take; the max and the number taken more than 10 ms (target 0);
- **removed speech**: the share of the true intervals of the spoken words of the kinds asked removed
  (truth edit ``filler`` for ``fillers``, ``repetition`` for ``repetitions``, ``cut`` sentences for
  ``passages``, ``ad`` for ``ads``) that falls inside cuts (target >= 90%), and per kind;
- **length**: the edited audio's decoded length against the source's decoded length minus
  ``removed_seconds`` (target +-20 ms);
- **matched**: words matched (status ``matched``, or method ``acoustic``) when the edited audio is aligned
  afresh, against the source's alignment (target +-0.5%);
- **audio_only**: the fresh alignment's ``audio_only`` regions longer than 0.5 s, leaving out those that
  overlap music clear of speech (the truth's ``no_transcript_regions`` of kind music, mapped to the edited
  timeline) and, unless ads were removed, the ad read (target none; each is listed, with the truth's
  untranscribed words inside it);
- **re-timed vs fresh**: ``episode.edited.json``'s word starts against the fresh alignment's, over words
  timed in both: median (target <= 20 ms), p90, max;
- **joins**: the largest sample-to-sample step |x[n] - x[n-1]| of the edited audio's first channel within
  +-2 samples of each join (each cut's position in the edited timeline), against the 99.9th percentile of
  the steps over the whole file (target: every join at or under it).

Also printed: the cuts by kind, seconds removed, the cut command's wall time, and (for information) the word
start error of the re-timed and the fresh alignment against the truth mapped to the edited timeline.
A time t of the source maps to t - (time removed before t); a time inside a cut maps to where the cut is.

Usage::

    python benchmarks/cut_accuracy.py                  # seeds 1-4: 2 + 3 + 5 + 8 minutes
    python benchmarks/cut_accuracy.py --quick          # two 2-minute episodes
    python benchmarks/cut_accuracy.py --quick --remove fillers,repetitions,passages,ads --keep
    python benchmarks/cut_accuracy.py --quick --oracle # the truth's removed words cut exactly: a reference
    python benchmarks/cut_accuracy.py --self-check     # the measures on synthetic input; no aligner

Exit status: 0 when every target is met, 2 when one is missed, 1 when a command failed.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DEFAULT_MINUTES = (2.0, 3.0, 5.0, 8.0)
QUICK_MINUTES = (2.0, 2.0)
CUT_KINDS = ("filler", "repetition", "passage", "ad", "pause")
# --remove name -> the truth's edit of the spoken words it should take out (pauses are no words).
REMOVED_EDITS = {"fillers": "filler", "repetitions": "repetition", "passages": "cut", "ads": "ad"}
DEFAULT_REMOVE = "fillers,repetitions,passages"  # what is measured when --remove is not given

# Targets (issue 15).
MAX_WORD_OVERLAP_MS = 10.0
MIN_REMOVED_SHARE = 0.90
MAX_LENGTH_ERROR_MS = 20.0
MAX_MATCHED_CHANGE_PCT = 0.5
MIN_AUDIO_ONLY_S = 0.5
MAX_MEDIAN_START_DIFF_MS = 20.0
STEP_PERCENTILE = 99.9
JOIN_WINDOW_SAMPLES = 2


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- edit list and time map ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    start: float  # seconds, source audio
    end: float
    kind: str
    heard: str = ""


def load_cuts(edits: dict) -> list[Cut]:
    return [
        Cut(float(c["start"]), float(c["end"]), str(c.get("kind", "")), str(c.get("heard") or ""))
        for c in edits["cuts"]
    ]


def check_edits(edits: dict, source_s: float) -> list[str]:
    """What is wrong with an edit list: order, overlaps, bounds, kinds, removed_seconds against the cuts."""
    problems = []
    for key in ("version", "cuts", "removed_seconds"):
        if key not in edits:
            problems.append(f"edits.json has no {key!r}")
    if "cuts" not in edits:
        return problems
    cuts = load_cuts(edits)
    for i, cut in enumerate(cuts):
        if not cut.end > cut.start:
            problems.append(f"cut {i} ({cut.start:.3f}-{cut.end:.3f} s) is empty or reversed")
        if cut.start < 0 or cut.end > source_s + 0.001:
            problems.append(f"cut {i} ({cut.start:.3f}-{cut.end:.3f} s) lies outside the source (0-{source_s:.3f} s)")
        if cut.kind not in CUT_KINDS:
            problems.append(f"cut {i} has kind {cut.kind!r}, not one of {', '.join(CUT_KINDS)}")
        if i and cut.start < cuts[i - 1].end:
            problems.append(f"cut {i} ({cut.start:.3f} s) starts before cut {i - 1} ends ({cuts[i - 1].end:.3f} s)")
    total = sum(c.end - c.start for c in cuts)
    if "removed_seconds" in edits and abs(float(edits["removed_seconds"]) - total) > 0.001:
        problems.append(f"removed_seconds {edits['removed_seconds']} but the cuts sum to {total:.3f} s")
    return problems


def removed_before(t: float, cuts: list[Cut]) -> float:
    """Seconds the cuts remove before source time t."""
    return sum(max(0.0, min(t, c.end) - c.start) for c in cuts if c.start < t)


def to_edited(t: float, cuts: list[Cut]) -> float:
    """Source time t in the edited audio; a time inside a cut goes to where the cut is."""
    return t - removed_before(t, cuts)


def joins(cuts: list[Cut]) -> list[tuple[float, Cut]]:
    """Each cut's position in the edited audio (seconds), with the cut."""
    return [(c.start - removed_before(c.start, cuts), c) for c in cuts]


def _cut_ms(cuts: list[Cut]) -> list[tuple[float, float]]:
    return [(c.start * 1000.0, c.end * 1000.0) for c in cuts]


def _inside_ms(start: float, end: float, cuts_ms: list[tuple[float, float]]) -> float:
    """Milliseconds of [start, end] inside the (non-overlapping) cuts."""
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in cuts_ms)


# --- the measures -------------------------------------------------------------------------------------------


def word_overlaps(truth: dict, cuts: list[Cut]) -> dict:
    """How much of each transcript word's true interval the cuts take."""
    cuts_ms = _cut_ms(cuts)
    taken = []
    for w in truth["spoken_words"]:
        if w["transcript_index"] is None or w["start_ms"] is None or w["end_ms"] is None:
            continue
        ms = _inside_ms(w["start_ms"], w["end_ms"], cuts_ms)
        if ms > 0:
            kinds = sorted({c.kind for c in cuts if c.start * 1000 < w["end_ms"] and c.end * 1000 > w["start_ms"]})
            taken.append({"word": w["word"], "start_ms": w["start_ms"], "end_ms": w["end_ms"], "ms": ms, "cut": kinds})
    taken.sort(key=lambda x: -x["ms"])
    over = [t for t in taken if t["ms"] > MAX_WORD_OVERLAP_MS]
    return {
        "max_ms": taken[0]["ms"] if taken else 0.0,
        "words_touched": len(taken),
        "words_over_10ms": len(over),
        "worst": taken[:10],
    }


def removed_share(truth: dict, cuts: list[Cut], edits_wanted: list[str]) -> dict:
    """Share of the true intervals of the spoken words with these edits that falls inside cuts, pooled and per
    edit: milliseconds in cuts, milliseconds in all, words, and words more than half removed."""
    cuts_ms = _cut_ms(cuts)
    per: dict[str, dict] = {e: {"ms": 0.0, "ms_cut": 0.0, "words": 0, "words_half_cut": 0} for e in edits_wanted}
    for w in truth["spoken_words"]:
        if w["edit"] not in per or w["transcript_index"] is not None or w["start_ms"] is None:
            continue
        length = w["end_ms"] - w["start_ms"]
        inside = _inside_ms(w["start_ms"], w["end_ms"], cuts_ms)
        entry = per[w["edit"]]
        entry["ms"] += length
        entry["ms_cut"] += inside
        entry["words"] += 1
        entry["words_half_cut"] += inside > length / 2
    for entry in per.values():
        entry["share"] = entry["ms_cut"] / entry["ms"] if entry["ms"] else None
    total = sum(e["ms"] for e in per.values())
    cut = sum(e["ms_cut"] for e in per.values())
    return {"share": cut / total if total else None, "ms": total, "ms_cut": cut, "per_edit": per}


def decode(path: Path) -> tuple[np.ndarray, int]:
    """The file's first channel as float64 in [-1, 1], and its sample rate (PyAV)."""
    import av

    chunks = []
    rate = 0
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        for frame in container.decode(stream):
            rate = frame.sample_rate
            data = frame.to_ndarray()
            channels = len(frame.layout.channels)
            first = data[0] if frame.format.is_planar else data.reshape(-1)[::channels]
            if np.issubdtype(first.dtype, np.integer):
                info = np.iinfo(first.dtype)
                if info.min == 0:  # u8
                    first = (first.astype(np.float64) - 128.0) / 128.0
                else:
                    first = first.astype(np.float64) / (float(info.max) + 1.0)
            chunks.append(np.asarray(first, dtype=np.float64))
    if not rate:
        raise RuntimeError(f"{path}: no audio decoded")
    return np.concatenate(chunks), rate


def length_check(source_s: float, edited_s: float, removed_s: float) -> dict:
    expected = source_s - removed_s
    return {
        "source_s": source_s,
        "edited_s": edited_s,
        "removed_s": removed_s,
        "expected_s": expected,
        "error_ms": (edited_s - expected) * 1000.0,
    }


def join_steps(samples: np.ndarray, rate: int, cuts: list[Cut]) -> dict:
    """The step |x[n] - x[n-1]| at each join (the largest within +-2 samples) against the file's 99.9th
    percentile step; also the largest step within +-10 ms, for information."""
    steps = np.abs(np.diff(samples))  # steps[k] = |x[k+1] - x[k]|: the step into sample k + 1
    threshold = float(np.percentile(steps, STEP_PERCENTILE)) if len(steps) else 0.0
    out = []
    wide = round(0.010 * rate)
    for position, cut in joins(cuts):
        n = round(position * rate)
        if n <= JOIN_WINDOW_SAMPLES or n >= len(samples) - JOIN_WINDOW_SAMPLES:
            continue  # a cut at the very start or end joins nothing
        near = steps[n - JOIN_WINDOW_SAMPLES - 1 : n + JOIN_WINDOW_SAMPLES]  # steps into samples n-2 .. n+2
        around = steps[max(0, n - wide - 1) : n + wide]
        step = float(near.max())
        out.append(
            {
                "edited_s": position,
                "source_s": cut.start,
                "kind": cut.kind,
                "step": step,
                "ratio": step / threshold if threshold > 0 else math.inf,
                "step_10ms": float(around.max()),
            }
        )
    worst = max(out, key=lambda j: j["ratio"]) if out else None
    return {
        "p999_step": threshold,
        "joins": len(out),
        "joins_over": sum(j["step"] > threshold for j in out),
        "worst": worst,
        "over": [j for j in out if j["step"] > threshold][:10],
    }


def matched_words(result: dict) -> int:
    """Transcript words matched to speech: status "matched" (method "acoustic" counts too)."""
    return sum(
        1
        for w in result["words"]
        if w.get("kind", "word") == "word" and (w["status"] == "matched" or w.get("method") == "acoustic")
    )


def matched_changes(original: dict, fresh: dict) -> dict:
    """Words matched in one alignment and not in the other (by their place in the transcript)."""

    def matched(result: dict) -> dict[tuple[int, int], dict]:
        return {
            (w["source"]["start"], w["source"]["end"]): w
            for w in result["words"]
            if w.get("kind", "word") == "word" and (w["status"] == "matched" or w.get("method") == "acoustic")
        }

    a, b = matched(original), matched(fresh)
    return {
        "lost": [f"{a[k]['text']} ({a[k]['start']:.2f} s)" for k in sorted(a.keys() - b.keys())],
        "gained": [f"{b[k]['text']} ({b[k]['start']:.2f} s edited)" for k in sorted(b.keys() - a.keys())],
    }


def unexpected_audio_only(result: dict, truth: dict, cuts: list[Cut], *, ads_removed: bool) -> list[dict]:
    """The alignment's audio_only regions (edited timeline) longer than 0.5 s that overlap neither music
    clear of speech nor, unless ads were removed, the ad; each with the truth's untranscribed words in it."""
    excused = []
    for region in truth["no_transcript_regions"]:
        if region["kind"] == "music" or (region["kind"] == "ad" and not ads_removed):
            excused.append((to_edited(region["start_ms"] / 1000, cuts), to_edited(region["end_ms"] / 1000, cuts)))
    if not ads_removed:
        for ad in truth.get("ads", []):
            excused.append((to_edited(ad["start_ms"] / 1000, cuts), to_edited(ad["end_ms"] / 1000, cuts)))
    out = []
    for region in result.get("audio_only", []):
        start, end = float(region["start"]), float(region["end"])
        if end - start <= MIN_AUDIO_ONLY_S:
            continue
        if any(start < b and end > a for a, b in excused if b > a):
            continue
        inside = []
        for w in truth["spoken_words"]:
            if w["transcript_index"] is not None or w["start_ms"] is None:
                continue
            a, b = to_edited(w["start_ms"] / 1000, cuts), to_edited(w["end_ms"] / 1000, cuts)
            if b > a and a < end and b > start:
                inside.append(f"{w['edit']} {w['word']!r}")
        out.append({"start": start, "end": end, "text": region.get("text", ""), "truth_inside": inside})
    return out


def _timed(result: dict) -> dict[tuple[int, int], dict]:
    return {
        (w["source"]["start"], w["source"]["end"]): w
        for w in result["words"]
        if w.get("kind", "word") == "word" and w.get("start") is not None and w.get("status") != "not_in_audio"
    }


def _spread(diffs: list[float]) -> dict:
    if not diffs:
        return {"n": 0, "median_ms": None, "p90_ms": None, "max_ms": None}
    return {
        "n": len(diffs),
        "median_ms": statistics.median(diffs),
        "p90_ms": float(np.percentile(diffs, 90)),
        "max_ms": max(diffs),
    }


def timing_agreement(retimed: dict, fresh: dict) -> dict:
    """|start difference| in ms between two alignments of the same transcript, over words timed in both."""
    a, b = _timed(retimed), _timed(fresh)
    both = sorted(a.keys() & b.keys())
    diffs = [abs(a[k]["start"] - b[k]["start"]) * 1000.0 for k in both]
    worst = sorted(
        ((abs(a[k]["start"] - b[k]["start"]) * 1000.0, a[k]["text"], a[k]["start"], b[k]["start"]) for k in both),
        reverse=True,
    )
    return {
        **_spread(diffs),
        "diffs_ms": [round(d, 1) for d in diffs],
        "only_retimed": len(a.keys() - b.keys()),
        "only_fresh": len(b.keys() - a.keys()),
        "worst": [{"ms": d, "word": t, "retimed_s": x, "fresh_s": y} for d, t, x, y in worst[:5]],
    }


def truth_error(result: dict, truth: dict, cuts: list[Cut]) -> dict:
    """|start error| in ms of an alignment of the edited audio against the truth mapped to the edited
    timeline, over transcript words timed whose true interval no cut touches (said as one word or several)."""
    spans: dict[int, list[int]] = {}
    for w in truth["spoken_words"]:
        i = w["transcript_index"]
        if i is None or w["start_ms"] is None or w["end_ms"] is None:
            continue
        s = spans.setdefault(i, [w["start_ms"], w["end_ms"]])
        s[0], s[1] = min(s[0], w["start_ms"]), max(s[1], w["end_ms"])
    by_source = {tw["source"]["start"]: tw["index"] for tw in truth["transcript_words"]}
    cuts_ms = _cut_ms(cuts)
    diffs = []
    for word in _timed(result).values():
        index = by_source.get(word["source"]["start"])
        if index is None or index not in spans:
            continue
        start, end = spans[index]
        if _inside_ms(start, end, cuts_ms) > 0:
            continue
        diffs.append(abs(word["start"] - to_edited(start / 1000, cuts)) * 1000.0)
    return _spread(diffs)


# --- running the commands -----------------------------------------------------------------------------------


class CommandFailed(RuntimeError):
    pass


def run_aligner(args: list[str], *, what: str) -> float:
    """Run ``python -m aligner ARGS``; its wall time. Raises CommandFailed with its output when it fails."""
    command = [sys.executable, "-m", "aligner", *args]
    log(f"  {what}: {' '.join(command[1:])}")
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stdout[-3000:] + "\n" + proc.stderr[-6000:]).strip()
        raise CommandFailed(f"{what} failed (exit {proc.returncode}): {' '.join(command)}\n{tail}")
    log(f"  {what}: {elapsed:.1f} s")
    return elapsed


def cut_help() -> str:
    """``aligner cut --help``, or exit with a clear message when there is no such command."""
    proc = subprocess.run(
        [sys.executable, "-m", "aligner", "cut", "--help"], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(
            "this aligner has no working `cut` command (`python -m aligner cut --help` exited "
            f"{proc.returncode}):\n{(proc.stdout + proc.stderr).strip()}"
        )
    return proc.stdout


def edited_audio_path(out_dir: Path, edits: dict, stem: str) -> Path:
    """The edited audio: edits.json's "output" (relative to OUT/ or absolute), else OUT/<stem>.edited.<audio>."""
    named = edits.get("output")
    if named:
        for candidate in (Path(named), out_dir / named, out_dir / Path(named).name):
            if candidate.is_file():
                return candidate
    found = [p for p in out_dir.glob(f"{stem}.edited.*") if p.suffix.lower() not in (".json", ".srt", ".vtt", ".html")]
    if len(found) != 1:
        raise CommandFailed(f"cannot tell the edited audio in {out_dir}: output {named!r}, candidates {found}")
    return found[0]


def oracle_cut(audio: Path, truth: dict, wanted: list[str], out_dir: Path) -> tuple[dict, Path]:
    """--oracle: what a perfect cutter would cut, from the truth: each removed word (a cut sentence whole)
    from its true start to its true end, spliced hard (no fade) into a 16-bit WAV. A reference for the
    figures, and a test of this script on real episodes without the command."""
    kind_of = {"filler": "filler", "repetition": "repetition", "cut": "passage", "ad": "ad"}
    spans: list[list] = []
    for u in truth["utterances"]:
        if u["kind"] in ("cut", "ad") and u["kind"] in wanted:
            spans.append([u["start_ms"], u["end_ms"], kind_of[u["kind"]], u["text"]])
    for w in truth["spoken_words"]:
        if w["edit"] in ("filler", "repetition") and w["edit"] in wanted:
            spans.append([w["start_ms"], w["end_ms"], kind_of[w["edit"]], w["word"]])
    spans.sort()
    merged: list[list] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span[1])
            merged[-1][3] += " " + span[3]
        else:
            merged.append(span)
    samples, rate = decode(audio)
    keep = np.ones(len(samples), dtype=bool)
    for a, b, _, _ in merged:
        keep[round(a * rate / 1000) : round(b * rate / 1000)] = False
    out_dir.mkdir(parents=True, exist_ok=True)
    edited = out_dir / f"{audio.stem}.edited.wav"
    _write_wav(edited, samples[keep], rate)
    cuts = [{"start": a / 1000, "end": b / 1000, "kind": k, "heard": t} for a, b, k, t in merged]
    edits = {
        "version": 1,
        "source": str(audio),
        "output": str(edited),
        "removed_seconds": round(sum(c["end"] - c["start"] for c in cuts), 6),
        "cuts": cuts,
    }
    (out_dir / f"{audio.stem}.edits.json").write_text(json.dumps(edits, indent=1) + "\n", encoding="utf-8")
    return edits, edited


def measure_episode(episode, args, out_root: Path, help_text: str) -> dict:
    key = episode.params.key
    truth = episode.load_truth()
    audio = episode.mp3 if args.audio == "mp3" else episode.wav
    stem = audio.stem
    out = out_root / key
    if out.exists():
        shutil.rmtree(out)
    cut_dir, original_dir, fresh_dir = out / "cut", out / "original", out / "realigned"
    cache = args.cache_dir

    threads = ["--threads", str(args.threads)] if args.threads is not None else []
    remove = (args.remove or DEFAULT_REMOVE).split(",")
    wanted = [REMOVED_EDITS[r] for r in remove if r in REMOVED_EDITS]
    retimed = None
    if args.oracle:
        wall = 0.0
        edits, edited = oracle_cut(audio, truth, wanted, cut_dir)
    else:
        cut_args = ["cut", str(audio), str(episode.markdown), "-o", str(cut_dir)]
        if args.remove:
            cut_args += ["--remove", args.remove]
        if args.audio_format:
            cut_args += ["--audio-format", args.audio_format]
        if "--formats" in help_text:
            cut_args += ["--formats", "srt,vtt,json"]
        if "--cache-dir" in help_text:
            cut_args += ["--cache-dir", str(cache)]
        if args.threads is not None and "--threads" in help_text:
            cut_args += ["--threads", str(args.threads)]
        wall = run_aligner(cut_args, what=f"{key}: cut")
        edits_path = cut_dir / f"{stem}.edits.json"
        if not edits_path.is_file():
            written = sorted(p.name for p in cut_dir.iterdir()) if cut_dir.is_dir() else []
            raise CommandFailed(f"the cut wrote no {edits_path} (it wrote: {written})")
        edits = json.loads(edits_path.read_text(encoding="utf-8"))
        edited = edited_audio_path(cut_dir, edits, stem)
        retimed_path = cut_dir / f"{stem}.edited.json"
        if not retimed_path.is_file():
            raise CommandFailed(f"the cut wrote no {retimed_path}")
        retimed = json.loads(retimed_path.read_text(encoding="utf-8"))
    cuts = load_cuts(edits)

    run_aligner(
        ["align", str(audio), str(episode.markdown), "-o", str(original_dir), "--formats", "json", "-q",
         "--cache-dir", str(cache), *threads],
        what=f"{key}: align source",
    )  # fmt: skip
    run_aligner(
        ["align", str(edited), str(episode.markdown), "-o", str(fresh_dir), "--formats", "json", "-q",
         "--cache-dir", str(args.realign_cache_dir), *threads],
        what=f"{key}: align edited",
    )  # fmt: skip
    original = json.loads((original_dir / f"{stem}.json").read_text(encoding="utf-8"))
    fresh = json.loads((fresh_dir / f"{edited.stem}.json").read_text(encoding="utf-8"))

    source_samples, source_rate = decode(audio)
    edited_samples, edited_rate = decode(edited)
    source_s = len(source_samples) / source_rate
    matched_before, matched_after = matched_words(original), matched_words(fresh)
    return {
        "episode": key,
        "audio": str(audio),
        "edited": str(edited),
        "cut_wall_s": wall,
        "oracle": bool(args.oracle),
        "edits_problems": check_edits(edits, source_s),
        "cuts": len(cuts),
        "cuts_by_kind": dict(Counter(c.kind for c in cuts)),
        "removed_seconds": float(edits.get("removed_seconds", sum(c.end - c.start for c in cuts))),
        "word_overlap": word_overlaps(truth, cuts),
        "removed_share": removed_share(truth, cuts, wanted),
        "length": length_check(source_s, len(edited_samples) / edited_rate, float(edits.get("removed_seconds", 0.0))),
        "matched": {
            "original": matched_before,
            "realigned": matched_after,
            "change_pct": (matched_after - matched_before) / matched_before * 100 if matched_before else None,
            **matched_changes(original, fresh),
        },
        "audio_only": unexpected_audio_only(fresh, truth, cuts, ads_removed="ads" in remove),
        "retimed_vs_fresh": timing_agreement(retimed or {"words": []}, fresh),
        "truth_error": {
            "original": truth_error(original, truth, []),
            "retimed": truth_error(retimed, truth, cuts) if retimed else _spread([]),
            "realigned": truth_error(fresh, truth, cuts),
        },
        "joins": join_steps(edited_samples, edited_rate, cuts),
        "rate_hz": edited_rate,
    }


# --- pooling and printing -----------------------------------------------------------------------------------


def pool(figures: list[dict]) -> dict:
    """The episodes' figures pooled: sums, maxima, shares of pooled milliseconds, the worst join."""
    per_edit: dict[str, dict] = {}
    for f in figures:
        for edit, e in f["removed_share"]["per_edit"].items():
            p = per_edit.setdefault(edit, {"ms": 0.0, "ms_cut": 0.0, "words": 0, "words_half_cut": 0})
            for k in ("ms", "ms_cut", "words", "words_half_cut"):
                p[k] += e[k]
    for p in per_edit.values():
        p["share"] = p["ms_cut"] / p["ms"] if p["ms"] else None
    total = sum(p["ms"] for p in per_edit.values())
    kinds: Counter = Counter()
    for f in figures:
        kinds.update(f["cuts_by_kind"])
    before = sum(f["matched"]["original"] for f in figures)
    after = sum(f["matched"]["realigned"] for f in figures)
    worst_join = max(
        (f["joins"]["worst"] for f in figures if f["joins"]["worst"]), key=lambda j: j["ratio"], default=None
    )
    length_errors = [f["length"]["error_ms"] for f in figures]
    agreement = [f["retimed_vs_fresh"] for f in figures if f["retimed_vs_fresh"]["n"]]
    return {
        "episode": "pooled",
        "cut_wall_s": sum(f["cut_wall_s"] for f in figures),
        "oracle": any(f.get("oracle") for f in figures),
        "edits_problems": [p for f in figures for p in f["edits_problems"]],
        "cuts": sum(f["cuts"] for f in figures),
        "cuts_by_kind": dict(kinds),
        "removed_seconds": sum(f["removed_seconds"] for f in figures),
        "word_overlap": {
            "max_ms": max(f["word_overlap"]["max_ms"] for f in figures),
            "words_touched": sum(f["word_overlap"]["words_touched"] for f in figures),
            "words_over_10ms": sum(f["word_overlap"]["words_over_10ms"] for f in figures),
            "worst": sorted((w for f in figures for w in f["word_overlap"]["worst"]), key=lambda w: -w["ms"])[:10],
        },
        "removed_share": {
            "share": sum(p["ms_cut"] for p in per_edit.values()) / total if total else None,
            "ms": total,
            "ms_cut": sum(p["ms_cut"] for p in per_edit.values()),
            "per_edit": per_edit,
        },
        "length": {"error_ms": max(length_errors, key=abs)},  # the worst episode
        "matched": {
            "original": before,
            "realigned": after,
            "change_pct": (after - before) / before * 100 if before else None,
            "lost": [f"{f['episode']}: {w}" for f in figures for w in f["matched"].get("lost", [])],
            "gained": [f"{f['episode']}: {w}" for f in figures for w in f["matched"].get("gained", [])],
        },
        "audio_only": [{**a, "episode": f["episode"]} for f in figures for a in f["audio_only"]],
        "retimed_vs_fresh": {
            **_spread([d for a in agreement for d in a["diffs_ms"]]),
            "only_retimed": sum(f["retimed_vs_fresh"]["only_retimed"] for f in figures),
            "only_fresh": sum(f["retimed_vs_fresh"]["only_fresh"] for f in figures),
        },
        "joins": {
            "joins": sum(f["joins"]["joins"] for f in figures),
            "joins_over": sum(f["joins"]["joins_over"] for f in figures),
            "worst": worst_join,
            "p999_step": max(f["joins"]["p999_step"] for f in figures),
            "over": [{**j, "episode": f["episode"]} for f in figures for j in f["joins"]["over"]],
        },
    }


def verdicts(f: dict) -> dict[str, bool | None]:
    share = f["removed_share"]["share"]
    change = f["matched"]["change_pct"]
    median = f["retimed_vs_fresh"]["median_ms"]
    return {
        "words_cut": f["word_overlap"]["words_over_10ms"] == 0,
        "removed": None if share is None else share >= MIN_REMOVED_SHARE,
        "length": abs(f["length"]["error_ms"]) <= MAX_LENGTH_ERROR_MS,
        "matched": None if change is None else abs(change) <= MAX_MATCHED_CHANGE_PCT,
        "audio_only": not f["audio_only"],
        "retimed": None if median is None else median <= MAX_MEDIAN_START_DIFF_MS,
        "joins": f["joins"]["joins_over"] == 0,
        "edits": not f["edits_problems"],
    }


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**NO**")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.1f}%"


def _ms(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f}"


def _runs(words: list[str]) -> str:
    """["ad 'This'", "ad 'episode'", "cut 'hold'"] -> "ad 'This episode' (2 words), cut 'hold'": runs of an edit,
    each shortened past 8 words."""
    runs: list[tuple[str, list[str]]] = []
    for item in words:
        edit, word = item.split(" ", 1)
        if runs and runs[-1][0] == edit:
            runs[-1][1].append(word.strip("'\""))
        else:
            runs.append((edit, [word.strip("'\"")]))
    parts = []
    for edit, said in runs:
        text = " ".join(said[:8]) + (" ..." if len(said) > 8 else "")
        parts.append(f"{edit} {text!r}" + (f" ({len(said)} words)" if len(said) > 1 else ""))
    return ", ".join(parts)


def format_table(f: dict, *, pooled: bool = False) -> str:
    ok = verdicts(f)
    share = f["removed_share"]
    per = ", ".join(
        f"{edit} {_pct(e['share'])} ({e['words_half_cut']}/{e['words']} words)" for edit, e in share["per_edit"].items()
    )
    over = f["word_overlap"]
    matched = f["matched"]
    agree = f["retimed_vs_fresh"]
    join = f["joins"]
    worst = join["worst"]
    worst_text = (
        f"{worst['ratio']:.2f} ({worst['kind']} at {worst['edited_s']:.3f} s edited, {worst['source_s']:.3f} s source)"
        if worst
        else "no joins"
    )
    change = "–" if matched["change_pct"] is None else f"{matched['change_pct']:+.2f}%"
    length = f["length"]
    length_text = f"{length['error_ms']:+.1f} ms" + (
        f" ({length['edited_s']:.3f} s vs {length['source_s']:.3f} − {length['removed_s']:.3f} s)"
        if not pooled
        else " (worst episode)"
    )
    agree_text = (
        f"{_ms(agree['median_ms'])} ms (p90 {_ms(agree['p90_ms'])}, max {_ms(agree['max_ms'])}; {agree['n']} words"
        f"; timed only re-timed {agree['only_retimed']}, only fresh {agree['only_fresh']})"
    )
    rows = [
        ("transcript words cut > 10 ms", f"{over['words_over_10ms']} (max {over['max_ms']:.0f} ms; {over['words_touched']} touched)", "0", ok["words_cut"]),
        ("removed-kind speech inside cuts", f"{_pct(share['share'])} ({per})", "≥ 90%", ok["removed"]),
        ("edited length − (source − removed)", length_text, "±20 ms", ok["length"]),
        ("matched words, re-aligned vs source", f"{matched['realigned']} vs {matched['original']} ({change})", "±0.5%", ok["matched"]),
        ("unexpected audio_only > 0.5 s", str(len(f["audio_only"])), "none", ok["audio_only"]),
        ("re-timed vs fresh start, median", agree_text, "≤ 20 ms", ok["retimed"]),
        ("joins stepping over p99.9", f"{join['joins_over']}/{join['joins']}; worst step / p99.9 = {worst_text}", "0", ok["joins"]),
        ("edit list well formed", "yes" if not f["edits_problems"] else "; ".join(f["edits_problems"][:3]), "yes", ok["edits"]),
    ]  # fmt: skip
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(f["cuts_by_kind"].items())) or "none"
    cut_wall = f"{f['cut_wall_s']:.1f} s"
    if f.get("oracle"):
        cut_wall = "– (--oracle)"
    info = [
        ("cuts", f"{f['cuts']} ({kinds})"),
        ("removed", f"{f['removed_seconds']:.2f} s"),
        ("cut wall time", cut_wall),
    ]
    if not pooled:
        te = f["truth_error"]
        info.append(
            (
                "start error vs truth, median / p90 ms",
                f"source {_ms(te['original']['median_ms'])} / {_ms(te['original']['p90_ms'])}, "
                f"re-timed {_ms(te['retimed']['median_ms'])} / {_ms(te['retimed']['p90_ms'])}, "
                f"re-aligned {_ms(te['realigned']['median_ms'])} / {_ms(te['realigned']['p90_ms'])}",
            )
        )
        if worst:
            info.append(("worst join step within ±10 ms / p99.9", f"{worst['step_10ms'] / join['p999_step']:.2f}"))
    lines = ["| measure | value | target | met |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {_mark(d)} |" for a, b, c, d in rows]
    lines += [f"| {a} | {b} | | |" for a, b in info]
    for w in over["worst"]:
        if w["ms"] > MAX_WORD_OVERLAP_MS:
            lines.append(
                f"- word cut: {w['word']!r} {w['start_ms'] / 1000:.3f}-{w['end_ms'] / 1000:.3f} s loses {w['ms']:.0f} ms to {'/'.join(w['cut'])}"
            )
    for side in ("lost", "gained"):
        if matched.get(side):
            shown = ", ".join(matched[side][:8]) + (", ..." if len(matched[side]) > 8 else "")
            lines.append(f"- matched {side} on re-alignment: {len(matched[side])}: {shown}")
    for a in f["audio_only"]:
        where = f"{a['episode']}: " if "episode" in a else ""
        inside = (
            "; truth there: " + _runs(a["truth_inside"]) if a["truth_inside"] else "; no untranscribed truth word there"
        )
        heard = a["text"] if len(a["text"]) <= 80 else a["text"][:77] + "..."
        lines.append(f"- audio_only {where}{a['start']:.2f}-{a['end']:.2f} s (edited), heard {heard!r}{inside}")
    for j in join.get("over", []):
        where = f"{j['episode']}: " if "episode" in j else ""
        lines.append(
            f"- click: {where}{j['kind']} join at {j['edited_s']:.3f} s edited, step {j['step']:.4f} = {j['ratio']:.2f} × p99.9"
        )
    return "\n".join(lines)


# --- self-check ---------------------------------------------------------------------------------------------


def _write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    import wave

    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())


def self_check() -> None:
    """The measures on a made-up episode whose figures are worked out by hand; no aligner is run."""

    def word(text, start, end, index, edit=None):
        return {"word": text, "start_ms": start, "end_ms": end, "transcript_index": index, "edit": edit}

    truth = {
        "duration_ms": 3000,
        "spoken_words": [
            word("alpha", 100, 400, 0),
            word("um", 450, 600, None, "filler"),
            word("bravo", 620, 900, 1),
            word("hold", 1000, 1300, None, "cut"),
            word("on", 1300, 1500, None, "cut"),
            word("charlie", 1600, 2000, 2),
            word("yeah", 2100, 2300, None, "backchannel"),
        ],
        "transcript_words": [{"index": i, "source": {"start": 10 * i, "end": 10 * i + 5}} for i in range(3)],
        "no_transcript_regions": [{"kind": "music", "start_ms": 2500, "end_ms": 3000}],
        "ads": [],
    }
    edits = {
        "version": 1,
        "source": "episode.wav",
        "output": "episode.edited.wav",
        "removed_seconds": 0.737,
        "cuts": [
            {"start": 0.440, "end": 0.625, "kind": "filler", "heard": "um"},  # all of 'um', 5 ms of 'bravo'
            {"start": 1.050, "end": 1.520, "kind": "passage", "heard": "hold on"},  # 250 of 300 ms + all 200 ms
            {"start": 1.530, "end": 1.612, "kind": "pause", "heard": ""},  # 12 ms of 'charlie'
        ],
    }
    cuts = load_cuts(edits)
    checks: list[tuple[str, object, object]] = []

    def expect(name, got, want, tol=1e-6):
        ok = abs(got - want) <= tol if isinstance(want, float) else got == want
        checks.append((name, got, want))
        if not ok:
            raise SystemExit(f"self-check failed: {name}: got {got!r}, want {want!r}")

    expect("edit list problems", check_edits(edits, 3.0), [])
    bad = {**edits, "removed_seconds": 0.5, "cuts": [*edits["cuts"], {"start": 1.6, "end": 1.7, "kind": "breath"}]}
    expect("problems found in a bad list", len(check_edits(bad, 3.0)), 3)  # overlap, unknown kind, sum
    expect("to_edited(2.5 s)", to_edited(2.5, cuts), 2.5 - 0.737)
    expect("to_edited inside a cut (1.2 s)", to_edited(1.2, cuts), 1.050 - 0.185)
    expect("join positions", [round(p, 6) for p, _ in joins(cuts)], [0.44, 0.865, 0.875])

    over = word_overlaps(truth, cuts)
    expect("max overlap ms", over["max_ms"], 12.0, 1e-6)
    expect("words over 10 ms", over["words_over_10ms"], 1)
    expect("words touched", over["words_touched"], 2)

    share = removed_share(truth, cuts, ["filler", "repetition", "cut"])
    expect("removed share", share["share"], 600 / 650, 1e-9)
    expect("filler share", share["per_edit"]["filler"]["share"], 1.0)
    expect("cut share", share["per_edit"]["cut"]["share"], 0.9, 1e-9)
    expect("repetition share (none said)", share["per_edit"]["repetition"]["share"], None)
    expect("cut words more than half removed", share["per_edit"]["cut"]["words_half_cut"], 2)

    rate = 16_000
    source = 0.1 * np.sin(2 * np.pi * 220 * np.arange(3 * rate) / rate)
    kept = np.ones(len(source), dtype=bool)
    for c in cuts:
        kept[round(c.start * rate) : round(c.end * rate)] = False
    edited = 0.1 * np.sin(2 * np.pi * 220 * np.arange(int(kept.sum())) / rate)  # phase-continuous: smooth joins
    edited[round(0.865 * rate) :] += 0.3  # but a step at the passage's join: a click
    with tempfile.TemporaryDirectory() as tmp:
        _write_wav(Path(tmp) / "episode.wav", source, rate)
        _write_wav(Path(tmp) / "episode.edited.wav", edited, rate)
        source_x, source_rate = decode(Path(tmp) / "episode.wav")
        edited_x, edited_rate = decode(Path(tmp) / "episode.edited.wav")
        expect("edited audio found", edited_audio_path(Path(tmp), edits, "episode").name, "episode.edited.wav")
    expect("decoded rate", edited_rate, rate)
    expect("decoded samples", len(edited_x), 3 * rate - round(0.737 * rate))
    expect("decoded values", float(np.max(np.abs(edited_x[:100] - edited[:100]))) < 1e-4, True)
    length = length_check(len(source_x) / source_rate, len(edited_x) / edited_rate, edits["removed_seconds"])
    expect("length error ms", length["error_ms"], 0.0, 0.07)  # 0.737 s is 11792 samples exactly
    expect("length error of a file 15 ms long", length_check(3.0, 2.263 + 0.015, 0.737)["error_ms"], 15.0, 1e-6)

    steps = join_steps(edited_x, edited_rate, cuts)
    max_sine_step = 0.1 * 2 * np.pi * 220 / rate  # 0.0086: the largest step of the sine
    expect("p99.9 step at most the sine's", steps["p999_step"] <= max_sine_step + 1e-4, True)
    expect("joins", steps["joins"], 3)
    expect("joins over p99.9", steps["joins_over"], 1)
    expect("worst join", (steps["worst"]["kind"], round(steps["worst"]["edited_s"], 3)), ("passage", 0.865))
    expect("worst step", steps["worst"]["step"] > 0.29, True)

    def result(words, audio_only=()):
        return {
            "words": [
                {"index": i, "text": t, "kind": "word", "start": s, "end": None if s is None else s + 0.2,
                 "status": st, "method": m, "source": {"start": 10 * i, "end": 10 * i + 5}}
                for i, (t, s, st, m) in enumerate(words)
            ],
            "audio_only": [{"start": a, "end": b, "text": "x", "word_count": 1} for a, b in audio_only],
        }  # fmt: skip

    original = result(
        [
            ("alpha", 0.1, "matched", "sphinx"),
            ("bravo", 0.62, "matched", "onset"),
            ("charlie", 1.6, "matched", "acoustic"),
        ]
    )
    retimed = result(
        [
            ("alpha", 0.1, "matched", "sphinx"),
            ("bravo", 0.435, "matched", "onset"),
            ("charlie", 0.9, "interpolated", "interpolated"),
        ]
    )
    # Edited timeline: alpha 0.100, bravo 0.620 -> 0.440 (inside the filler cut), charlie 1.600 -> 0.875 + 0.
    fresh = result(
        [
            ("alpha", 0.1, "matched", "sphinx"),
            ("bravo", 0.445, "matched", "sphinx"),
            ("charlie", 0.94, "matched", "sphinx"),
        ],
        audio_only=[(0.30, 0.90), (1.90, 2.20), (1.20, 1.30)],
    )
    expect("matched words", (matched_words(original), matched_words(retimed), matched_words(fresh)), (3, 2, 3))
    agree = timing_agreement(retimed, fresh)
    expect("re-timed vs fresh n", agree["n"], 3)
    expect("re-timed vs fresh median ms", agree["median_ms"], 10.0, 1e-6)
    expect("re-timed vs fresh max ms", agree["max_ms"], 40.0, 1e-6)
    extra = unexpected_audio_only(fresh, truth, cuts, ads_removed=False)
    expect("unexpected audio_only", [(a["start"], a["end"]) for a in extra], [(0.30, 0.90)])  # music one excused
    # 'um' and 'on' are wholly cut (nothing left in the edited audio); 250 ms of 'hold' is left, at 0.815-0.865 s.
    expect("truth inside it", extra[0]["truth_inside"], ["cut 'hold'"])
    expect("runs", _runs(["ad 'This'", "ad 'is'", "cut 'hold'"]), "ad 'This is' (2 words), cut 'hold'")
    error = truth_error(fresh, truth, cuts)  # bravo and charlie lose time to cuts: only alpha counts
    expect("truth error n", error["n"], 1)
    expect("truth error ms", error["median_ms"], 0.0, 1e-6)

    figures = {
        "episode": "self-check",
        "cut_wall_s": 0.0,
        "edits_problems": [],
        "cuts": len(cuts),
        "cuts_by_kind": dict(Counter(c.kind for c in cuts)),
        "removed_seconds": edits["removed_seconds"],
        "word_overlap": over,
        "removed_share": share,
        "length": length,
        "matched": {"original": 3, "realigned": 3, "change_pct": 0.0},
        "audio_only": extra,
        "retimed_vs_fresh": agree,
        "truth_error": {
            "original": truth_error(original, truth, []),
            "retimed": truth_error(retimed, truth, cuts),
            "realigned": error,
        },
        "joins": steps,
    }
    print(f"self-check: {len(checks)} figures as worked out by hand. The table they make:\n")
    print(format_table(figures))
    print("\npooled (one episode):\n")
    print(format_table(pool([figures]), pooled=True))


# --- main ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description="Acceptance of `aligner cut` on the benchmark episodes.")
    parser.add_argument("--quick", action="store_true", help="the two 2-minute episodes (seeds 1-2)")
    parser.add_argument("--episodes", type=int, help="number of episodes (default: one per --minutes value)")
    parser.add_argument("--minutes", type=float, nargs="+", help="episode lengths (default 2 3 5 8)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first episode; episode i has seed + i")
    parser.add_argument("--audio", choices=("mp3", "wav"), default="mp3", help="which source file is cut")
    parser.add_argument(
        "--remove", help=f"passed to `aligner cut --remove` (measured as {DEFAULT_REMOVE} if not given)"
    )
    parser.add_argument("--audio-format", help="passed to `aligner cut --audio-format`")
    parser.add_argument("--threads", type=int, help="recognizer threads for every aligner run")
    parser.add_argument(
        "--keep",
        nargs="?",
        type=Path,
        const=HERE / "data" / "cut",
        help="keep the outputs, in this folder (default benchmarks/data/cut/); without it a temporary folder is removed",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=HERE / "data" / "cache" / "cut",
        help="cache of the cut and the source's alignment",
    )
    parser.add_argument(
        "--realign-cache-dir",
        type=Path,
        default=HERE / "data" / "cache" / "cut-realign",
        help="cache of the edited audio's alignment",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--data-dir", type=Path, help="episode cache (default benchmarks/data/)")
    parser.add_argument(
        "--oracle", action="store_true", help="no `aligner cut`: cut the truth's removed words exactly (a reference)"
    )
    parser.add_argument("--self-check", action="store_true", help="check the measures on synthetic input; no aligner")
    args = parser.parse_args()
    if args.self_check:
        self_check()
        return
    if args.quick and args.minutes:
        parser.error("--quick sets the lengths; give --quick or --minutes")
    unknown = [r for r in (args.remove or "").split(",") if r and r not in (*REMOVED_EDITS, "pauses")]
    if unknown:
        parser.error(f"--remove: unknown kind {unknown[0]!r}")

    from synth import DATA_DIR, EpisodeParams, ensure_episode

    help_text = "" if args.oracle else cut_help()
    minutes = list(QUICK_MINUTES if args.quick else args.minutes or DEFAULT_MINUTES)
    count = len(minutes) if args.episodes is None else args.episodes
    params = [EpisodeParams(args.seed + i, minutes[i % len(minutes)]) for i in range(count)]
    episodes = [ensure_episode(p, args.data_dir or DATA_DIR, log=log) for p in params]
    out_root = args.keep if args.keep else Path(tempfile.mkdtemp(prefix="cut_accuracy."))
    out_root.mkdir(parents=True, exist_ok=True)
    # The cache is keyed by the audio, not per episode: whether it held anything at the start is what can be said.
    cache_used = args.cache_dir.is_dir() and any(args.cache_dir.iterdir())
    figures, failures = [], []
    try:
        for episode in episodes:
            log(f"{episode.params.key}:")
            try:
                figures.append(measure_episode(episode, args, out_root, help_text))
            except CommandFailed as exc:
                failures.append({"episode": episode.params.key, "error": str(exc)})
                log(str(exc))
    finally:
        if not args.keep:
            shutil.rmtree(out_root, ignore_errors=True)

    remove = args.remove or f"the command's default (measured as {DEFAULT_REMOVE})"
    what = "the truth's own cuts (--oracle)" if args.oracle else "`aligner cut`"
    seeds = f"seeds {params[0].seed}-{params[-1].seed}"
    cache = f"cache {args.cache_dir}: " + (
        "not empty at the start, the cut may be warm" if cache_used else "empty at the start, cold"
    )
    print(f"{what} acceptance: {len(episodes)} episodes, {seeds}, {args.audio}; --remove {remove}; {cache}\n")
    for f in figures:
        print(f"### {f['episode']}\n\n{format_table(f)}\n")
    pooled = pool(figures) if figures else None
    if pooled and len(figures) > 1:
        print(f"### pooled ({len(figures)} episodes)\n\n{format_table(pooled, pooled=True)}\n")
    for failure in failures:
        print(f"### {failure['episode']}: FAILED\n\n```\n{failure['error']}\n```\n")
    if args.keep:
        print(f"outputs kept in {out_root}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"cache_used_at_start": cache_used, "episodes": figures, "pooled": pooled, "failures": failures},
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    all_met = pooled is not None and all(v is not False for v in verdicts(pooled).values())
    sys.exit(1 if failures else 0 if all_met else 2)


if __name__ == "__main__":
    main()
