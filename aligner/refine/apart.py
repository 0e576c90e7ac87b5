"""Word refinement as a process of its own: ``python -m aligner.refine.apart`` (see
:class:`aligner.refine.alongside.RefineInProcess`, which starts it).

Its arguments are the audio file, the bound on the words' times (ms), and its
share of the chunks, k and n (:class:`aligner.refine.refiner.Refiner`). It
reads pickled messages on its standard input, ``("words", batch)`` as
recognition gives them, then ``("end", all words)``, and writes one pickle on
its standard output: ``("times", the refined times of its chunks' words)`` or
``("error", exception)``.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys

from aligner.audio import stream_audio
from aligner.refine.alongside import refinement_windows
from aligner.refine.refiner import Refiner


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    source = sys.stdin.buffer
    out = os.fdopen(os.dup(1), "wb")  # the reply's own descriptor: anything else printed (a library's
    os.dup2(2, 1)  # log line, from Python or C) goes to standard error instead of into the pickle
    sys.stdout = sys.stderr
    try:
        path, bound_ms, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        refiner = Refiner(refinement_windows(stream_audio(path)), share=(k, n))
        while True:
            message = pickle.load(source)
            if message[0] == "end":
                reply: tuple[str, object] = ("times", refiner.times(message[1]))
                break
            refiner.add(message[1], duration_ms=bound_ms)
    except BaseException as error:  # the parent raises it
        reply = ("error", error)
    try:
        pickle.dump(reply, out, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # an error that does not pickle: its message does
        pickle.dump(("error", RuntimeError(f"word refinement failed: {error}")), out)
    out.flush()


if __name__ == "__main__":
    main()
