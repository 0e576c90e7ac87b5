"""aligner: align an edited podcast transcript to its episode audio.

The Python API is one function and the records it returns::

    from aligner import align
    result = align("episode.mp3", "transcript.md")
    for word in result.words:
        print(word.token.text, word.start_ms, word.status.value)
"""

__version__ = "0.1.0"

from aligner.errors import (  # noqa: E402
    AlignerError,
    AlignmentError,
    AudioError,
    BatchError,
    ModelError,
    OptionsError,
    OutputError,
    TranscriptError,
)
from aligner.options import CaptionOptions, RecognizeOptions  # noqa: E402
from aligner.pipeline import align  # noqa: E402
from aligner.types import (  # noqa: E402
    AudioOnlyRegion,
    Cue,
    MissingPassage,
    Result,
    Summary,
    TimedWord,
    TimingMethod,
    Token,
    WordStatus,
)
from aligner.writers import write_outputs  # noqa: E402

__all__ = [
    "AlignerError",
    "AlignmentError",
    "AudioError",
    "AudioOnlyRegion",
    "BatchError",
    "CaptionOptions",
    "Cue",
    "MissingPassage",
    "ModelError",
    "OptionsError",
    "OutputError",
    "RecognizeOptions",
    "Result",
    "Summary",
    "TimedWord",
    "TimingMethod",
    "Token",
    "TranscriptError",
    "WordStatus",
    "__version__",
    "align",
    "write_outputs",
]
