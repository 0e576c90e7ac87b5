"""faster-whisper's batched pipeline against its sequential transcribe, on one episode (issue 14, measured).

``BatchedInferencePipeline`` cuts the audio by its own VAD into clips of up to 30 s and decodes several at
once through the decoder. This prints, in one process, side by side: wall and CPU time and the number of
words for the sequential ``WhisperModel.transcribe`` as the aligner runs it (greedy, word timestamps, VAD,
no conditioning on previous text) and for the batched pipeline at each ``--batch`` size, with and without
timestamp tokens; and, where the episode has a ``truth.json`` (the benchmark's), how many of the truth's
spoken transcript words each found (a word counts when a recognized word of the same text starts within
300 ms of it).

Usage::

    python benchmarks/batched_recognition.py benchmarks/data/episodes/s4-8min-a55c49fa
    python benchmarks/batched_recognition.py EPISODE_DIR --batch 2 4 8
"""

from __future__ import annotations

import argparse
import bisect
import json
import resource
import time
from pathlib import Path


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def key(text: str) -> str:
    return text.strip().strip(".,?!;:\"'").casefold()


def found_share(words: list[tuple[str, float]], truth: list[dict]) -> str:  # type: ignore[type-arg]
    heard = sorted((round(start * 1000), key(text)) for text, start in words)
    starts = [s for s, _ in heard]
    hit = 0
    for word in truth:
        lo, hi = bisect.bisect_left(starts, word["start_ms"] - 300), bisect.bisect_right(starts, word["start_ms"] + 300)
        hit += any(k == key(word["word"]) for _, k in heard[lo:hi])
    return f"{hit / len(truth):.1%}" if truth else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episode", type=Path, help="a folder with episode.mp3 (and truth.json)")
    parser.add_argument("--batch", type=int, nargs="+", default=[4], help="batch sizes (default 4)")
    args = parser.parse_args()

    import numpy as np
    from faster_whisper import BatchedInferencePipeline

    from aligner.audio import load_audio
    from aligner.recognize import load_model

    samples = np.asarray(load_audio(args.episode / "episode.mp3").samples, dtype=np.float32)
    truth_path = args.episode / "truth.json"
    truth = []
    if truth_path.exists():
        truth = [
            w
            for w in json.loads(truth_path.read_text(encoding="utf-8"))["spoken_words"]
            if w["transcript_index"] is not None and w["start_ms"] is not None
        ]
    model = load_model(None, "cpu", "int8", 0)
    pipeline = BatchedInferencePipeline(model)
    common = {"language": "en", "beam_size": 1, "word_timestamps": True, "condition_on_previous_text": False}

    def sequential():  # type: ignore[no-untyped-def]
        return model.transcribe(samples, vad_filter=True, **common)[0]

    def batched(size: int, without: bool):  # type: ignore[no-untyped-def]
        return lambda: pipeline.transcribe(samples, batch_size=size, without_timestamps=without, **common)[0]

    jobs = [("sequential transcribe", sequential)]
    for size in args.batch:
        jobs.append((f"batched {size}, timestamp tokens", batched(size, False)))
        jobs.append((f"batched {size}, text tokens only", batched(size, True)))
    print(f"{args.episode.name}: {len(samples) / 16000 / 60:.1f} min, {len(truth)} spoken transcript words")
    print("| recognition | wall s | CPU s | wall vs sequential | words | truth words found |")
    print("|---|---|---|---|---|---|")
    first = None
    for name, job in jobs:
        wall, cpu = time.perf_counter(), cpu_s()
        words = [(w.word, w.start) for segment in job() for w in segment.words or ()]
        wall, cpu = time.perf_counter() - wall, cpu_s() - cpu
        first = first or wall
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {wall / first:.2f}x | {len(words)} | {found_share(words, truth)} |")


if __name__ == "__main__":
    main()
