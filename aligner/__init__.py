"""aligner: align an edited podcast transcript to its episode audio.

The public API is what this module exports; everything else is internal and
may change. A run is one call with one options record::

    from pathlib import Path
    from aligner import AlignOptions, align, write_outputs

    options = AlignOptions()
    result = align("episode.mp3", "transcript.md", options)
    for word in result.words:
        print(word.token.text, word.start_ms, word.status.value)
    write_outputs(result, out_dir=Path("out"), stem="episode", output=options.output)

See docs/how-it-works.md for the stages and the module that owns each.
"""

from aligner._version import __version__
from aligner.errors import (
    AlignerError,
    AlignmentError,
    AudioError,
    BatchError,
    ModelError,
    OptionsError,
    OutputError,
    TranscriptError,
)
from aligner.options import AlignOptions, CaptionOptions, OutputOptions, RecognizeOptions
from aligner.pipeline import align
from aligner.presets import PRESETS, preset_options
from aligner.readers import TRANSCRIPT_FORMATS, read_transcript
from aligner.types import (
    AudioOnlyRegion,
    Cue,
    MissingPassage,
    Result,
    Summary,
    TimedWord,
    TimingMethod,
    Token,
    TokenKind,
    Transcript,
    WordStatus,
)
from aligner.writers import FORMATS, Chapter, find_chapters, render, render_rss_snippet, write_outputs

__all__ = [
    "FORMATS",
    "PRESETS",
    "TRANSCRIPT_FORMATS",
    "AlignOptions",
    "AlignerError",
    "AlignmentError",
    "AudioError",
    "AudioOnlyRegion",
    "BatchError",
    "CaptionOptions",
    "Chapter",
    "Cue",
    "MissingPassage",
    "ModelError",
    "OptionsError",
    "OutputError",
    "OutputOptions",
    "RecognizeOptions",
    "Result",
    "Summary",
    "TimedWord",
    "TimingMethod",
    "Token",
    "TokenKind",
    "Transcript",
    "TranscriptError",
    "WordStatus",
    "__version__",
    "align",
    "find_chapters",
    "preset_options",
    "read_transcript",
    "render",
    "render_rss_snippet",
    "write_outputs",
]
