"""Hand-made Results for the format tests: awkward text that no recording gives us.

Words are made by hand; cues come from the real caption stage
(:func:`aligner.captions.build_cues`), so the writers see the shapes they see
in production. Nothing here comes from model output.
"""

from __future__ import annotations

from collections.abc import Sequence

from aligner.captions import build_cues
from aligner.options import CaptionOptions
from aligner.report import missing_passages, summarize
from aligner.types import (
    AudioOnlyRegion,
    Result,
    TimedWord,
    Token,
    TokenKind,
    WordStatus,
)

M, I, N = WordStatus.MATCHED, WordStatus.INTERPOLATED, WordStatus.NOT_IN_AUDIO

_DEFAULT_OPTIONS = CaptionOptions()

# (text, speaker, status, start_ms, end_ms, paragraph, is_heading, is_section_title)
Row = tuple[str, str | None, WordStatus, int | None, int | None, int, bool, bool]


def make_result(
    rows: Sequence[Row],
    *,
    duration_ms: int,
    audio_only: Sequence[AudioOnlyRegion] = (),
    options: CaptionOptions = _DEFAULT_OPTIONS,
    audio_path: str = "episode.mp3",
    transcript_path: str = "episode.md",
) -> Result:
    words = []
    offset = 0
    for index, (text, speaker, status, start, end, paragraph, is_heading, is_section) in enumerate(rows):
        kind = TokenKind.NOTE if text.startswith("[") and text.endswith("]") else TokenKind.WORD
        token = Token(index, text, kind, speaker, paragraph, offset, offset + len(text), is_heading, is_section)
        offset += len(text) + 1
        confidence = 0.0 if status is N else (0.25 if status is I else (0.4 if "?" in text else 0.9))
        heard = text.lower() if status is M else None
        words.append(TimedWord(token, start, end, status, confidence, heard))
    words_t = tuple(words)
    speakers = tuple(dict.fromkeys(w.token.speaker for w in words_t if w.token.speaker is not None))
    return Result(
        audio_path=audio_path,
        transcript_path=transcript_path,
        duration_ms=duration_ms,
        model="hand-made",
        language="en",
        speakers=speakers,
        words=words_t,
        cues=build_cues(words_t, duration_ms=duration_ms, options=options),
        audio_only=tuple(audio_only),
        missing=missing_passages(words_t),
        summary=summarize(words_t),
    )


def _spoken(texts: str | Sequence[str], speaker: str, start_ms: int, paragraph: int, step_ms: int = 400) -> list[Row]:
    items = texts.split() if isinstance(texts, str) else list(texts)
    return [
        (text, speaker, M, start_ms + k * step_ms, start_ms + k * step_ms + step_ms - 50, paragraph, False, False)
        for k, text in enumerate(items)
    ]


def tricky_result() -> Result:
    """Markup-like text, a name with spaces and a name with markup, a heading, notes and every status.

    Cue payload hazards for WebVTT and HTML: ``&``, ``<``, ``>``, ``-->``,
    ``</c>``, a literal ``&amp;``, and a ``<script>`` that must stay text.
    """
    rows: list[Row] = [
        ("Notes", None, N, None, None, 0, True, True),
        ("&", None, N, None, None, 0, True, True),
        ("<Queries>", None, N, None, None, 0, True, True),
    ]
    rows += _spoken(["Tom", "&", "Jerry", "<3", "each", "other", "-->", "always."], "Dr. Ann  Lee Smith", 1000, 1)
    rows += [("[laughs]", "Dr. Ann  Lee Smith", M, 4300, 4600, 1, False, False)]
    rows += _spoken(["a-->b", "is", "not", "an", "arrow,", "</c>", "is", "no", "tag", "and", "&amp;", "stays."], "Rock & <Roll> Host", 5000, 2)
    rows += [
        ("Interpolated", "Rock & <Roll> Host", I, 9900, 10300, 2, False, False),
        ("maybe?", "Rock & <Roll> Host", M, 10300, 10700, 2, False, False),
        ("Cut<b>&", "Rock & <Roll> Host", N, None, None, 2, False, False),
        ("sentence.", "Rock & <Roll> Host", N, None, None, 2, False, False),
    ]
    rows += _spoken(
        ["<script>window.__pwned", "=", "1</script>", '<img src=x onerror="window.__pwned=2">', "end."],
        "Dr. Ann  Lee Smith",
        11500,
        3,
    )
    return make_result(
        rows,
        duration_ms=20000,
        audio_only=[AudioOnlyRegion(14000, 16000, "an ad <read> & more", 4)],
    )
