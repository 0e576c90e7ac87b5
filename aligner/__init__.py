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

``cut_episode`` is ``aligner cut``: the audio with what the transcript
leaves out cut from it (docs/cut.md). See docs/how-it-works.md for the
stages and the module that owns each.
"""

from aligner._version import __version__
from aligner.cut import CutResult, cut_episode
from aligner.cut.plan import Cut
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
from aligner.options import AlignOptions, CaptionOptions, CutOptions, OutputOptions, RecognizeOptions
from aligner.pipeline import align
from aligner.presets import PRESETS, preset_options
from aligner.readers import TRANSCRIPT_FORMATS, read_transcript
from aligner.types import (
    AudioOnlyRegion,
    Cue,
    ExtraWord,
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
    "Cut",
    "CutOptions",
    "CutResult",
    "ExtraWord",
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
    "cut_episode",
    "find_chapters",
    "preset_options",
    "read_transcript",
    "render",
    "render_rss_snippet",
    "write_outputs",
]
