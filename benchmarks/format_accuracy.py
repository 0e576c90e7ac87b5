"""The fixture episode aligned from every rendering of its transcript, against its truth.

Aligns fixtures/episode/episode.mp3 (default options, one shared recognition
cache, so only the first run listens) to each rendering of its transcript:
the Markdown (episode.md, the reference), SRT captions and a timestamped
export (episode.srt, episode_timestamped.txt), every export in
fixtures/episode/exports/ (Otter, Rev, Descript TXT, Zoom and Teams WebVTT,
Word), all written by fixtures/make_transcript_formats.py with stamps 1-3 s
off, and the saved web page, the RTF and YouTube's auto-captions of
fixtures/transcripts/exports/ (episode.html, episode.rtf, youtube_auto.vtt).

Prints one line per rendering: the detected format, its stamps, the share of
spoken transcript words matched and timed (matched or interpolated), the
median and mean start error of the timed words against the synthesizer's
truth, the speakers read and whether they are the Markdown's; then whether
every rendering is within 1 point of the Markdown's timed share with the
same speakers, naming those that are not.

Words are paired with the truth as fixtures/truth.py pairs them (text and
occurrence among the body words). A rendering whose words differ from the
Markdown's (YouTube's, which are what was said: "it is" for "it's", no
unspoken sentence, a repeated "I") is first lined up with the Markdown's
words (difflib), so it is scored on the words it shares with the Markdown
and a word it adds does not shift the pairing of every later one.

Usage: python benchmarks/format_accuracy.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))

from truth import EPISODE, body_words_by_key, load_truth, spoken_truth  # noqa: E402

from aligner import AlignOptions, align  # noqa: E402
from aligner.readers import detect_format, read_transcript  # noqa: E402
from aligner.types import Result, TimedWord, WordStatus  # noqa: E402

EXPORTS = ROOT / "fixtures" / "transcripts" / "exports"
TOLERANCE = 0.01  # of the spoken words: "the same words timed (±1%)"


def renderings() -> list[Path]:
    """The reference first, then every other rendering of the episode's transcript."""
    return [
        EPISODE / "episode.md",
        EPISODE / "episode.srt",
        EPISODE / "episode_timestamped.txt",
        *sorted(p for p in (EPISODE / "exports").iterdir() if p.is_file()),
        *(EXPORTS / name for name in ("episode.html", "episode.rtf", "youtube_auto.vtt")),
    ]


def paired(result: Result, reference: list[tuple[str, int]] | None) -> dict[tuple[str, int], TimedWord]:
    """The result's body words under the reference's (Markdown's) keys: by key where the words are the
    same, else through the longest common runs of their texts."""
    ours = body_words_by_key(result)
    keys = list(ours)  # in transcript order
    if reference is None or keys == reference:
        return ours
    blocks = SequenceMatcher(None, [t for t, _ in reference], [t for t, _ in keys], autojunk=False)
    return {reference[a + i]: ours[keys[b + i]] for a, b, n in blocks.get_matching_blocks() for i in range(n)}


def main() -> None:
    spans = spoken_truth(load_truth())
    rows = []
    reference: list[tuple[str, int]] | None = None
    with tempfile.TemporaryDirectory() as cache:
        options = AlignOptions(cache_dir=Path(cache))
        for path in renderings():
            result = align(EPISODE / "episode.mp3", path, options)
            ours = paired(result, reference)
            if reference is None:  # episode.md
                reference = list(ours)
            words = [ours.get(k) for k in spans]
            matched = sum(1 for w in words if w is not None and w.status is WordStatus.MATCHED)
            timed = [(k, w) for k, w in zip(spans, words) if w is not None and w.start_ms is not None]
            errors = [abs(w.start_ms - spans[k][0]) for k, w in timed]
            transcript = read_transcript(path)
            rows.append(
                {
                    "name": path.relative_to(ROOT / "fixtures").as_posix(),
                    "format": detect_format(path, path.read_bytes()),
                    "stamps": len(transcript.stamps),
                    "matched": matched / len(spans),
                    "timed": len(timed) / len(spans),
                    "median": statistics.median(errors),
                    "mean": statistics.mean(errors),
                    "speakers": tuple(transcript.speakers),
                }
            )
    reference = rows[0]
    width = max(len(row["name"]) for row in rows)
    print(
        f"{'transcript':<{width}}  {'format':<11} {'stamps':>6}  {'matched':>7}  {'timed':>6}  "
        f"{'median':>6}  {'mean':>6}  speakers (same as episode.md?)"
    )
    off = []
    for row in rows:
        same = row["speakers"] == reference["speakers"]
        print(
            f"{row['name']:<{width}}  {row['format']:<11} {row['stamps']:>6}  {row['matched']:>7.1%}  "
            f"{row['timed']:>6.1%}  {row['median']:>3.0f} ms  {row['mean']:>3.0f} ms  "
            f"{', '.join(row['speakers']) or 'none'} ({'yes' if same else 'no'})"
        )
        why = []
        if abs(row["timed"] - reference["timed"]) > TOLERANCE:
            why.append(f"timed {row['timed']:.1%}")
        if not same:
            why.append(f"speakers {', '.join(row['speakers']) or 'none'}")
        if why:
            off.append(f"{row['name']} ({'; '.join(why)})")
    verdict = "yes" if not off else "no: " + ", ".join(off)
    print(
        f"every rendering within ±1 point of episode.md's timed share ({reference['timed']:.1%}) "
        f"with its speakers: {verdict}"
    )


if __name__ == "__main__":
    main()
