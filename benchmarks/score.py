"""Score word and caption timing against a synthetic episode's truth (benchmarks/synth).

The aligner's JSON (aligner/schema/result.schema.json; unknown fields such as a word's ``method`` are
ignored, or used only to break figures down) is matched to the truth by *where each word is in the
transcript*: every truth transcript word records the character span of its letters in episode.md, and every
JSON word its ``source`` span, so a word is matched by overlap, whatever the two sides' tokenizers make of
punctuation, Markdown or hyphens. Raw recognizer words (no transcript) are matched to the spoken words by
difflib on normalised text instead (:func:`prediction_from_asr_words`).

Each system becomes a :class:`Prediction` (transcript word -> time, labels, cues); :func:`tally` counts one
episode against the truth and :func:`summarize` turns tallies, pooled over episodes, into the figures:

- share of spoken transcript words timed;
- word start and end error (predicted - true; absolute median, mean, p90; % within 25/50/100/200 ms), over
  the spoken transcript words the system timed. A written word said as several ("40%", "forty percent")
  runs from the first one's start to the last one's end;
- cue start error (cue start - true start of its first spoken word) and cue end error (cue end - true end of
  its last spoken word): median absolute and % within 200 ms, over cues showing spoken words;
- spoken words in captions: the share of spoken transcript words some cue shows (a caption that drops a
  said word is the gap a viewer sees);
- not_in_audio: precision and recall, positives being transcript words never said (title, byline,
  producer-added sentences, the closing line);
- words placed in the ad read or in music far from speech (midpoint inside; see truth
  ``no_transcript_regions``); regions of any other kind (the condition episodes of benchmarks/conditions
  have laughter alone and outtakes) are counted apart, as ``in_other``.

A truth spoken word may leave its ``start_ms`` or ``end_ms`` null where it is not known (inside a real
recording only its first word's start and its last word's end are; benchmarks/conditions/real.py): such a
word still counts as spoken (timed or not, not_in_audio), and only the known edges are scored.

Usage::

    python benchmarks/score.py TRUTH.json RESULT.json [TRUTH2.json RESULT2.json ...] [--worst N]

It prints the figures pooled over all pairs. A VTT next to a RESULT.json (same stem) is checked to carry
the same cue times as the JSON's cues.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

WITHIN_MS = (25, 50, 100, 200)
CUE_WITHIN_MS = 200


@dataclass(frozen=True)
class Prediction:
    """One system's output on one episode, in terms of the truth's transcript words.

    Attributes:
        times: transcript word index -> (start ms, end ms), for the words the system timed.
        labels: transcript word index -> the system's label ("matched", "not_in_audio", ...; a method
            name when the JSON gives one), or None for a system that labels nothing.
        not_in_audio: transcript word indices the system said are not in the audio (None: no such label).
        cues: (start ms, end ms, transcript word indices) per caption cue, or None for no captions.
        placed: the time span of every word the system placed (for the ad and music counts).
        unmatched_output_words: output words that overlap no truth word (should be 0).
        vtt_mismatches: cues whose VTT times differ from the JSON's (None: no VTT checked).
    """

    times: dict[int, tuple[int, int]]
    labels: dict[int, str] | None = None
    not_in_audio: frozenset[int] | None = None
    cues: tuple[tuple[int, int, tuple[int, ...]], ...] | None = None
    placed: tuple[tuple[int, int], ...] = ()
    unmatched_output_words: int = 0
    vtt_mismatches: int | None = None


@dataclass
class Tally:
    """Raw counts and errors for one or more episodes; tallies add up (:func:`merge`)."""

    spoken: int = 0
    timed: int = 0
    start_errors: list[int] = field(default_factory=list)  # predicted - true, ms
    end_errors: list[int] = field(default_factory=list)
    has_cues: bool = False
    cue_start_errors: list[int] = field(default_factory=list)
    cue_end_errors: list[int] = field(default_factory=list)
    in_cues: int = 0  # spoken transcript words some cue shows
    has_labels: bool = False
    nia_true_positive: int = 0
    nia_false_positive: int = 0
    nia_false_negative: int = 0
    in_ad: int = 0
    in_music: int = 0
    in_other: int = 0  # words placed in a no_transcript_region of another kind (laughter, outtake)
    unmatched_output_words: int = 0
    vtt_mismatches: int | None = None
    by_label: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # label -> start errors
    untimed_by_label: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    words: list[tuple] = field(default_factory=list)  # (abs start error, episode, text, true ms, predicted ms, label)
    untimed: list[tuple] = field(default_factory=list)  # (episode, transcript word index, text, true start ms, label)


# --- reading ------------------------------------------------------------------------------------------------


def load_json(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def spoken_spans(truth: dict) -> dict[int, tuple[int, int]]:
    """True (start, end) ms of each spoken transcript word; several spoken words may make one.

    Either may be None where the truth does not know it (a word inside a real recording): the word made of
    several spoken words starts with its first one and ends with its last one, known or not.
    """
    spans: dict[int, tuple[int, int]] = {}
    for word in truth["spoken_words"]:
        index = word["transcript_index"]
        if index is None:
            continue
        if index not in spans:
            spans[index] = (word["start_ms"], word["end_ms"])
            continue
        start, end = spans[index]
        if word["start_ms"] is None or word["end_ms"] is None or start is None or end is None:
            spans[index] = (start, word["end_ms"])  # spoken words come in time order
        else:
            spans[index] = (min(start, word["start_ms"]), max(end, word["end_ms"]))
    return spans


def _ms(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def _is_timed(word: dict) -> bool:
    """A JSON word with a time (status "matched" or "interpolated", or any later status but not_in_audio)."""
    return word.get("start") is not None and word.get("status") != "not_in_audio"


def prediction_from_result_json(truth: dict, result: dict, *, vtt_text: str | None = None) -> Prediction:
    """Read the aligner's JSON output (any version 1.x document) as a Prediction.

    A truth word gets the times of the JSON words its span overlaps (first start, last end among the timed
    ones); its label is the first of them's ``method`` if present, else its ``status``.
    """
    truth_words = truth["transcript_words"]
    starts = [w["source"]["start"] for w in truth_words]
    overlaps: dict[int, list[int]] = defaultdict(list)  # truth index -> output word indices
    output_to_truth: dict[int, list[int]] = defaultdict(list)
    unmatched = 0
    words = result["words"]
    for position, word in enumerate(words):
        if word.get("kind") != "word":
            continue
        source = word["source"]
        hits = []
        i = bisect.bisect_right(starts, source["end"] - 1)  # truth words starting before this word ends
        while i > 0 and truth_words[i - 1]["source"]["end"] > source["start"]:
            hits.append(i - 1)
            i -= 1
        if not hits and re.search(r"[0-9A-Za-z]", word["text"]):
            unmatched += 1
        for t in hits:
            overlaps[t].append(position)
            output_to_truth[position].append(t)

    times: dict[int, tuple[int, int]] = {}
    labels: dict[int, str] = {}
    not_in_audio = set()
    for t, positions in overlaps.items():
        mine = [words[p] for p in sorted(positions)]
        timed = [w for w in mine if _is_timed(w)]
        if timed:
            times[t] = (_ms(timed[0]["start"]), _ms(timed[-1]["end"]))
        first = mine[0]
        labels[t] = str(first.get("method") or first.get("status"))
        if all(w.get("status") == "not_in_audio" for w in mine):
            not_in_audio.add(t)

    cues = []
    for cue in result.get("cues", []):
        if cue.get("is_note"):
            continue
        indices = tuple(sorted({t for p in cue["words"] for t in output_to_truth.get(p, [])}))
        cues.append((_ms(cue["start"]), _ms(cue["end"]), indices))

    placed = tuple((_ms(w["start"]), _ms(w["end"])) for w in words if w.get("kind") == "word" and _is_timed(w))
    mismatches = None
    if vtt_text is not None:
        json_times = [(_ms(c["start"]), _ms(c["end"])) for c in result.get("cues", [])]
        vtt_times = vtt_cue_times(vtt_text)
        mismatches = sum(a != b for a, b in zip(json_times, vtt_times)) + abs(len(json_times) - len(vtt_times))
    return Prediction(times, labels, frozenset(not_in_audio), tuple(cues), placed, unmatched, mismatches)


_VTT_TIME = re.compile(r"(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})")


def vtt_cue_times(text: str) -> list[tuple[int, int]]:
    """(start ms, end ms) of every cue in a WebVTT file."""
    out = []
    for line in text.splitlines():
        if "-->" not in line:
            continue
        left, right = line.split("-->", 1)
        pair = []
        for part in (left, right.strip().split()[0]):
            h, m, s, ms = _VTT_TIME.search(part).groups()
            pair.append(((int(h or 0) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms))
        out.append((pair[0], pair[1]))
    return out


def normalize(text: str) -> str:
    """Matching key for raw recognizer words: lower case, letters, digits and apostrophes only."""
    return re.sub(r"[^0-9a-z']", "", text.lower().replace("’", "'")).strip("'")


def prediction_from_asr_words(truth: dict, asr_words: Sequence[tuple[str, int, int]]) -> Prediction:
    """Read a recognizer's own words (text, start ms, end ms) as a Prediction.

    The truth's spoken words (fillers, the ad and all) and the recognized words are aligned by difflib on
    normalised text. Spoken words written as one numeral ("twenty nineteen" -> 2019) are one unit keyed by
    the numeral, as Whisper writes digits; replaced runs of equal length are paired when their texts are
    similar (ratio >= 0.6). A transcript word gets the time of the recognized words paired with its units.
    """
    units: list[dict] = []
    for word in truth["spoken_words"]:
        index = word["transcript_index"]
        if word["edit"] == "numeral" and units and units[-1]["index"] == index:
            continue  # the numeral's unit already stands for it
        key = normalize(word["transcript_text"] if word["edit"] == "numeral" else word["word"])
        units.append({"key": key, "index": index})
    heard = [(normalize(text), start, end) for text, start, end in asr_words]
    heard = [h for h in heard if h[0]]
    matcher = difflib.SequenceMatcher(None, [u["key"] for u in units], [h[0] for h in heard], autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if tag == "equal" or difflib.SequenceMatcher(None, units[i]["key"], heard[j][0]).ratio() >= 0.6:
                    pairs.append((i, j))
    times: dict[int, tuple[int, int]] = {}
    for i, j in pairs:
        index = units[i]["index"]
        if index is None:
            continue
        _, start, end = heard[j]
        old = times.get(index, (start, end))
        times[index] = (min(old[0], start), max(old[1], end))
    return Prediction(times, placed=tuple(times.values()))


# --- counting -----------------------------------------------------------------------------------------------


def tally(truth: dict, prediction: Prediction, episode: str = "") -> Tally:
    """Count one episode's prediction against its truth."""
    spans = spoken_spans(truth)
    words = truth["transcript_words"]
    out = Tally(has_cues=prediction.cues is not None, has_labels=prediction.not_in_audio is not None)
    out.unmatched_output_words = prediction.unmatched_output_words
    out.vtt_mismatches = prediction.vtt_mismatches
    for index, (true_start, true_end) in sorted(spans.items()):
        out.spoken += 1
        label = prediction.labels.get(index, "absent") if prediction.labels is not None else "timed"
        if index not in prediction.times:
            out.untimed_by_label[label] += 1
            out.untimed.append((episode, index, words[index]["text"], true_start, label))
            continue
        start, end = prediction.times[index]
        out.timed += 1
        if true_start is not None:
            out.start_errors.append(start - true_start)
            out.by_label[label].append(start - true_start)
            out.words.append((abs(start - true_start), episode, words[index]["text"], true_start, start, label))
        if true_end is not None:
            out.end_errors.append(end - true_end)
    if prediction.not_in_audio is not None:
        labelled = prediction.labels or {}
        for word in words:
            index = word["index"]
            if index not in labelled:
                continue  # the output has no such word (counted as unmatched output words, if any)
            said = index in spans
            flagged = index in prediction.not_in_audio
            out.nia_true_positive += flagged and not said
            out.nia_false_positive += flagged and said
            out.nia_false_negative += not flagged and not said
    if prediction.cues is not None:
        shown = {i for _, _, indices in prediction.cues for i in indices}
        out.in_cues = sum(index in shown for index in spans)
        for start, end, indices in prediction.cues:
            said = [i for i in indices if i in spans]
            if said and spans[said[0]][0] is not None:
                out.cue_start_errors.append(start - spans[said[0]][0])
            if said and spans[said[-1]][1] is not None:
                out.cue_end_errors.append(end - spans[said[-1]][1])
    for start, end in prediction.placed:
        middle = (start + end) / 2
        for region in truth["no_transcript_regions"]:
            if region["start_ms"] <= middle < region["end_ms"]:
                out.in_ad += region["kind"] == "ad"
                out.in_music += region["kind"] == "music"
                out.in_other += region["kind"] not in ("ad", "music")
    return out


def merge(tallies: Iterable[Tally]) -> Tally:
    """Pool several episodes' tallies (errors are pooled, not averaged per episode)."""
    total = Tally()
    tallies = list(tallies)
    total.has_cues = all(t.has_cues for t in tallies)
    total.has_labels = all(t.has_labels for t in tallies)
    for t in tallies:
        for name in (
            "spoken",
            "timed",
            "nia_true_positive",
            "nia_false_positive",
            "nia_false_negative",
            "in_ad",
            "in_music",
            "in_other",
            "in_cues",
            "unmatched_output_words",
        ):
            setattr(total, name, getattr(total, name) + getattr(t, name))
        for name in ("start_errors", "end_errors", "cue_start_errors", "cue_end_errors", "words", "untimed"):
            getattr(total, name).extend(getattr(t, name))
        for label, errors in t.by_label.items():
            total.by_label[label].extend(errors)
        for label, count in t.untimed_by_label.items():
            total.untimed_by_label[label] += count
        if t.vtt_mismatches is not None:
            total.vtt_mismatches = (total.vtt_mismatches or 0) + t.vtt_mismatches
    return total


def _stats(errors: list[int]) -> dict[str, float | None]:
    if not errors:
        return {"median": None, "mean": None, "p90": None, "bias": None, **{f"within_{w}": None for w in WITHIN_MS}}
    absolute = np.abs(np.array(errors, dtype=float))
    return {
        "median": float(np.median(absolute)),
        "mean": float(np.mean(absolute)),
        "p90": float(np.percentile(absolute, 90)),
        "bias": float(np.median(errors)),  # signed: > 0 is late
        **{f"within_{w}": float(np.mean(absolute <= w) * 100) for w in WITHIN_MS},
    }


def summarize(t: Tally) -> dict:
    """The figures of a (pooled) tally; None where the system has nothing to measure."""
    figures: dict = {
        "spoken_words": t.spoken,
        "timed_words": t.timed,
        "timed_percent": 100 * t.timed / t.spoken if t.spoken else None,
        "start": _stats(t.start_errors),
        "end": _stats(t.end_errors),
        "start_scored": len(t.start_errors),
        "end_scored": len(t.end_errors),
        "in_ad": t.in_ad,
        "in_music": t.in_music,
        "in_other": t.in_other,
        "unmatched_output_words": t.unmatched_output_words,
        "vtt_mismatches": t.vtt_mismatches,
    }
    if t.has_cues and t.cue_start_errors:
        figures["cue_start"] = _stats(t.cue_start_errors)
        figures["cue_end"] = _stats(t.cue_end_errors)
        figures["cues"] = len(t.cue_start_errors)
        figures["in_cues_percent"] = 100 * t.in_cues / t.spoken if t.spoken else None
    if t.has_labels:
        tp, fp, fn = t.nia_true_positive, t.nia_false_positive, t.nia_false_negative
        figures["not_in_audio"] = {
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "true_positive": tp,
            "false_positive": fp,
            "false_negative": fn,
        }
        figures["by_label"] = {
            label: {
                "timed": len(errors),
                "untimed": t.untimed_by_label.get(label, 0),
                "start_median": float(np.median(np.abs(errors))) if errors else None,
                "start_within_100": float(np.mean(np.abs(errors) <= 100) * 100) if errors else None,
            }
            for label, errors in sorted(t.by_label.items())
        }
        for label, count in t.untimed_by_label.items():
            figures["by_label"].setdefault(
                label, {"timed": 0, "untimed": count, "start_median": None, "start_within_100": None}
            )
    return figures


# --- printing -----------------------------------------------------------------------------------------------


def _f(value: float | None, digits: int = 0, suffix: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{suffix}"


@dataclass(frozen=True)
class TableRow:
    name: str
    figures: dict
    wall_s: float | None = None
    ratio: float | None = None  # wall time / the baseline row's


def format_table(rows: Sequence[TableRow], *, ratio_name: str = "× raw") -> str:
    """One Markdown table, a row per system."""
    header = (
        "| system | spoken words timed | start error median / mean / p90 ms | start within 25 / 50 / 100 / 200 ms "
        "| end error median / mean / p90 ms | end within 25 / 50 / 100 / 200 ms | cue start median ms / within 200 ms "
        f"| cue end median ms / within 200 ms | not_in_audio P / R | words in ad / music | wall s | {ratio_name} |"
    )
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]

    def errors(stats: dict) -> tuple[str, str]:
        return (
            f"{_f(stats['median'])} / {_f(stats['mean'])} / {_f(stats['p90'])}",
            " / ".join(_f(stats[f"within_{w}"], 1, "%") for w in WITHIN_MS),
        )

    def cue(stats: dict | None) -> str:
        if stats is None:
            return "–"
        return f"{_f(stats['median'])} / {_f(stats[f'within_{CUE_WITHIN_MS}'], 1, '%')}"

    for row in rows:
        f = row.figures
        nia = f.get("not_in_audio")
        nia_text = f"{_f(nia['precision'], 3)} / {_f(nia['recall'], 3)}" if nia else "–"
        start, start_within = errors(f["start"])
        end, end_within = errors(f["end"])
        cells = [
            row.name,
            _f(f["timed_percent"], 1, "%"),
            start,
            start_within,
            end,
            end_within,
            cue(f.get("cue_start")),
            cue(f.get("cue_end")),
            nia_text,
            f"{f['in_ad']} / {f['in_music']}",
            _f(row.wall_s, 1),
            _f(row.ratio, 2),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class ConditionRow:
    condition: str
    system: str
    figures: dict
    episodes: int
    minutes: float
    wall_s: float | None = None


def format_condition_table(rows: Sequence[ConditionRow]) -> str:
    """One Markdown table, a row per condition and system (run_benchmark.py --conditions).

    "starts / ends scored" counts the timed words whose true start (end) is known: all of them on
    synthetic speech, the edges of each recording on real voices."""
    header = (
        "| condition | system | episodes, min | spoken words | timed | starts / ends scored "
        "| start error median / mean / p90 ms | start within 100 / 200 ms | end error median / mean ms "
        "| not_in_audio P / R | spoken words in captions | words in ad / music / other | wall s |"
    )
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for row in rows:
        f = row.figures
        nia = f.get("not_in_audio")
        start, end = f["start"], f["end"]
        cells = [
            row.condition,
            row.system,
            f"{row.episodes}, {row.minutes:.1f}",
            str(f["spoken_words"]),
            _f(f["timed_percent"], 1, "%"),
            f"{f['start_scored']} / {f['end_scored']}",
            f"{_f(start['median'])} / {_f(start['mean'])} / {_f(start['p90'])}",
            f"{_f(start['within_100'], 1, '%')} / {_f(start['within_200'], 1, '%')}",
            f"{_f(end['median'])} / {_f(end['mean'])}",
            f"{_f(nia['precision'], 3)} / {_f(nia['recall'], 3)}" if nia else "–",
            _f(f.get("in_cues_percent"), 1, "%"),
            f"{f['in_ad']} / {f['in_music']} / {f['in_other']}",
            _f(row.wall_s, 1),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_details(name: str, t: Tally, figures: dict, *, worst: int = 0) -> str:
    """Figures the table leaves out: signed bias, counts, per-label breakdown, sanity checks, worst words."""
    lines = [f"{name}:"]
    lines.append(
        f"  spoken transcript words {figures['spoken_words']}, timed {figures['timed_words']}; "
        f"start bias (median signed) {_f(figures['start']['bias'], 0, ' ms')}, "
        f"end bias {_f(figures['end']['bias'], 0, ' ms')}"
    )
    if "cues" in figures:
        lines.append(
            f"  cues with spoken words {figures['cues']}: start bias {_f(figures['cue_start']['bias'], 0, ' ms')}, "
            f"p90 {_f(figures['cue_start']['p90'], 0, ' ms')}; end bias {_f(figures['cue_end']['bias'], 0, ' ms')}, "
            f"p90 {_f(figures['cue_end']['p90'], 0, ' ms')}"
        )
    if "not_in_audio" in figures:
        n = figures["not_in_audio"]
        lines.append(
            f"  not_in_audio: {n['true_positive']} unspoken words labelled so, {n['false_negative']} unspoken "
            f"words timed, {n['false_positive']} spoken words labelled not_in_audio"
        )
        for label, b in figures["by_label"].items():
            lines.append(
                f"    {label:<14} timed {b['timed']:>5}  untimed {b['untimed']:>4}  start median "
                f"{_f(b['start_median'], 0, ' ms'):>7}  within 100 ms {_f(b['start_within_100'], 1, '%')}"
            )
    sanity = [f"output words matching no truth word: {figures['unmatched_output_words']}"]
    if figures.get("vtt_mismatches") is not None:
        sanity.append(f"VTT cues whose times differ from the JSON's: {figures['vtt_mismatches']}")
    lines.append("  " + "; ".join(sanity))
    if worst and t.untimed:
        lines.append("  spoken words left untimed (episode, transcript word index, word, true start, label):")
        for episode, index, text, true_ms, label in t.untimed[:worst]:
            lines.append(f"    {episode}  #{index} {text!r} at {true_ms} ms ({label})")
    if worst:
        lines.append(f"  worst {worst} start errors (episode, word, true start, predicted start, label):")
        for error, episode, text, true_ms, predicted_ms, label in sorted(t.words, key=lambda w: -w[0])[:worst]:
            lines.append(
                f"    {error:>6} ms  {episode}  {text!r} at {true_ms} ms, predicted {predicted_ms} ms ({label})"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Score aligner JSON against synthetic-episode truth.")
    parser.add_argument("files", nargs="+", type=Path, help="TRUTH.json RESULT.json pairs")
    parser.add_argument("--worst", type=int, default=0, help="list the N words with the largest start error")
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("give TRUTH.json RESULT.json pairs")
    tallies = []
    for truth_path, result_path in zip(args.files[::2], args.files[1::2]):
        truth = load_json(truth_path)
        vtt = result_path.with_suffix(".vtt")
        prediction = prediction_from_result_json(
            truth, load_json(result_path), vtt_text=vtt.read_text(encoding="utf-8") if vtt.is_file() else None
        )
        tallies.append(tally(truth, prediction, episode=truth_path.parent.name))
    pooled = merge(tallies)
    figures = summarize(pooled)
    print(format_table([TableRow("aligner", figures)]))
    print(format_details("aligner", pooled, figures, worst=args.worst))


if __name__ == "__main__":
    main()
