"""Hand-made Results for the format tests: awkward text that no recording gives us.

Words are made by hand. :func:`make_result` takes its cues from the real
caption stage (:func:`aligner.cues.build_cues`), so the writers see the
shapes they see in production; :func:`make_cue_result` takes cues made by
hand too, for the cases the caption stage never gives (and for the golden
files, :func:`golden_result`, and the generated legal cues,
:func:`random_result`). Nothing here comes from model output.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from aligner.cues import build_cues
from aligner.options import CaptionOptions
from aligner.report import missing_passages, summarize
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
    WordStatus,
)

M, I, N = WordStatus.MATCHED, WordStatus.INTERPOLATED, WordStatus.NOT_IN_AUDIO  # noqa: E741 (the tables read better)

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
    rows += _spoken(
        ["a-->b", "is", "not", "an", "arrow,", "</c>", "is", "no", "tag", "and", "&amp;", "stays."],
        "Rock & <Roll> Host",
        5000,
        2,
    )
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


# ---------------------------------------------------------------------------------------------
# Results with hand-made cues


# (text, start_ms, end_ms, speaker, status); "[...]" texts are notes
Spec = tuple[str, int | None, int | None, str | None, WordStatus]


def make_words(spec: Sequence[Spec]) -> tuple[TimedWord, ...]:
    words = []
    offset = 0
    for index, (text, start, end, speaker, status) in enumerate(spec):
        kind = TokenKind.NOTE if text.startswith("[") and text.endswith("]") else TokenKind.WORD
        token = Token(index, text, kind, speaker, 0 if index < 6 else 1, offset, offset + len(text))
        offset += len(text) + 1
        confidence = 0.0 if start is None else (0.4567 if status is I else 0.9123)
        heard = text.lower().strip(".,!?") if status is M and kind is TokenKind.WORD else None
        method = TimingMethod.INTERPOLATED if status is I else TimingMethod.SPHINX if status is M else None
        words.append(TimedWord(token, start, end, status, confidence, heard, method))
    return tuple(words)


def make_cue_result(
    spec: Sequence[Spec],
    cues: Sequence[Cue],
    *,
    duration_ms: int,
    audio_only: Sequence[AudioOnlyRegion] = (),
    missing: Sequence[MissingPassage] = (),
) -> Result:
    words = make_words(spec)
    spoken = [w for w in words if w.token.kind is TokenKind.WORD]
    speakers = tuple(dict.fromkeys(w.token.speaker for w in words if w.token.speaker is not None))
    summary = Summary(
        words=len(spoken),
        matched=sum(w.status is M for w in spoken),
        interpolated=sum(w.status is I for w in spoken),
        not_in_audio=sum(w.status is N for w in spoken),
        low_confidence=sum(w.start_ms is not None and w.confidence < 0.5 for w in spoken),
    )
    return Result(
        audio_path="episodes/ép 12.mp3",
        transcript_path="episodes/ép 12.md",
        duration_ms=duration_ms,
        model="tiny.en",
        language="en",
        speakers=speakers,
        words=words,
        cues=tuple(cues),
        audio_only=tuple(audio_only),
        missing=tuple(missing),
        summary=summary,
    )


def golden_result() -> Result:
    """A small hand-made result: every quirk the writers must handle, once."""
    spec: list[Spec] = [
        ("[music]", 0, 2500, None, I),
        ("Welcome", 2600, 3000, "Ann Lee", M),
        ("to", 3050, 3150, "Ann Lee", M),
        ("R&D", 3200, 3700, "Ann Lee", M),
        ("<b>live</b>", 3750, 4200, "Ann Lee", I),
        ("-->", 4250, 4300, "Ann Lee", I),
        ("Zoë!", 59_400, 59_999, "Ann Lee", M),
        ("Merci,", 60_000, 60_500, "Zoë", M),
        ("c’est", 60_550, 60_900, "Zoë", M),
        ("génial.", None, None, "Zoë", N),
        ("[laughs]", 61_000, 61_500, "Zoë", I),
        ("Vraiment.", 61_550, 61_999, "Zoë", M),
    ]
    cues = [
        Cue(0, 0, 2500, ("[music]",), None, (0,), is_note=True),
        Cue(1, 2600, 4300, ("Welcome to R&D", "<b>live</b> -->"), "Ann Lee", (1, 2, 3, 4, 5)),
        Cue(2, 59_400, 59_999, ("Zoë!",), "Ann Lee", (6,)),
        Cue(3, 60_000, 60_900, ("Merci, c’est",), "Zoë", (7, 8)),
        Cue(4, 61_000, 61_999, ("[laughs] Vraiment.",), "Zoë", (10, 11)),
    ]
    return make_cue_result(
        spec,
        cues,
        duration_ms=62_500,
        audio_only=[AudioOnlyRegion(4_500, 59_000, "this episode is brought to you by", 7)],
        missing=[MissingPassage(9, 9, "génial.", 60_900)],
    )


def random_result(seed: int) -> Result:
    """Legal cues with hostile text: &, <, >, -->, non-ASCII, speakers with spaces and markup."""
    rng = random.Random(seed)
    pieces = ["word", "&", "<b>", "</i>", "-->", "a&b", "x<y>z", "Zoë", "naïve", "日本語", "1.5", "“hi”", "—"]
    pieces.append("&amp;")  # already looks escaped: must come back as written
    speakers = [None, "Ann Lee", "Bob", "Zoë & Co", "Dr <Who>", "A > B"]
    spec: list[Spec] = []
    cues: list[Cue] = []
    t = rng.randint(0, 70_000)
    for k in range(rng.randint(0, 25)):
        speaker = rng.choice(speakers)
        texts = [rng.choice(pieces) for _ in range(rng.randint(1, 6))]
        first = len(spec)
        start = t
        for text in texts:
            spec.append((text, t, t + rng.randint(0, 400), speaker, rng.choice([M, I])))
            t += rng.randint(1, 500)
        cut = rng.randint(1, len(texts))
        lines = (" ".join(texts[:cut]),) + ((" ".join(texts[cut:]),) if cut < len(texts) else ())
        end = t + rng.choice([0, rng.randint(1, 3000)])
        cues.append(Cue(k, start, end, lines, speaker, tuple(range(first, len(spec)))))
        t = end + rng.choice([0, 1, rng.randint(2, 5000), 3_599_000])
    return make_cue_result(spec, cues, duration_ms=t + rng.randint(0, 1000))
