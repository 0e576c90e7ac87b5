"""SRT and WebVTT read as transcripts: cue text, tags, character references, speakers and cue times as stamps."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.types import Transcript

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


def words(t: Transcript) -> list[tuple[str, str | None]]:
    return [(token.text, token.speaker) for token in t.tokens]


def stamps(t: Transcript) -> list[tuple[str, int]]:
    """Each stamp as (the text of its token, ms)."""
    return [(t.tokens[s.token_index].text, s.time_ms) for s in t.stamps]


def decoded_source(path: Path) -> str:
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def assert_caption_spans(source: str, t: Transcript) -> None:
    """Each span, with tags removed and character references decoded, reads as the token."""
    previous = 0
    for token in t.tokens:
        span = source[token.start_char : token.end_char]
        shown = html.unescape(re.sub(r"<[^>\n]*>|\{\\[^}\n]*\}", "", span)).replace("\u200e", "")
        assert " ".join(shown.split()) == " ".join(token.text.split()), (token, span)
        assert token.start_char >= previous
        previous = token.end_char


def test_srt_cues_tags_entities_speakers():
    path = TRANSCRIPTS / "captions.srt"
    assert b"\r\n" in path.read_bytes()
    t = read_transcript(path)
    ann, zoe = "Ann Lee", "Zoë"
    assert words(t) == [
        ("Welcome", ann), ("to", ann), ("R&D", ann), ("live!", ann),  # <i> and {\an8} dropped, &amp; decoded
        ("[MUSIC]", ann),  # a "Name:" holds until the next one
        ("Merci,", zoe), ("c’est—", zoe), ("vraiment", zoe), ("bien.", zoe),  # a one-word name at a cue's start
        ("Is", ann), ("5 <", ann), ("6?", ann),  # dialogue dashes dropped; "<" opening no tag is text
        ("Oui.", zoe),
    ]  # fmt: skip
    assert t.speakers == (ann, zoe)
    assert stamps(t) == [("Welcome", 1000), ("[MUSIC]", 4000), ("Merci,", 5500), ("Is", 7500)]
    # Cue 4 follows cue 3's text without a blank line: its number is not a word.
    assert "4" not in [tok.text for tok in t.tokens]
    assert [tok.paragraph for tok in t.tokens] == [0] * 4 + [1] + [2] * 4 + [3] * 3 + [4]
    assert_caption_spans(decoded_source(path), t)


def test_vtt_voices_notes_styles_karaoke():
    path = TRANSCRIPTS / "captions.vtt"
    t = read_transcript(path)
    ann, zoe = "Ann Lee", "Zoë"
    assert words(t) == [
        ("Welcome", ann), ("to", ann), ("R&D", ann), ("<live>", ann),
        ("[music]", None),  # a <v> names its own cue only
        ("Merci,", zoe), ("c’est", zoe), ("vraiment", zoe), ("bien.", zoe),  # &nbsp; separates words
        ("Is", ann), ("5 <", ann), ("6?", ann),
        ("Oui.", zoe),  # two voices in one cue: two paragraphs
    ]  # fmt: skip
    assert t.speakers == (ann, zoe)
    # Cue starts (one in MM:SS.mmm), and the karaoke time before "c’est".
    assert stamps(t) == [("Welcome", 1000), ("[music]", 4000), ("Merci,", 5500), ("c’est", 6000), ("Is", 7500)]
    assert [tok.paragraph for tok in t.tokens] == [0] * 4 + [1] + [2] * 4 + [3] * 3 + [4]
    for text in ("made", "first", "cut", "color", "yellow", "intro"):  # NOTE, STYLE, cue id
        assert text not in [tok.text for tok in t.tokens]
    assert_caption_spans(decoded_source(path), t)


@pytest.mark.parametrize("suffix", ["srt", "vtt"])
def test_our_own_caption_outputs_read_back_to_their_words_and_speakers(suffix):
    """The golden captions of our writers read back to the golden JSON's words shown in cues."""
    golden = json.loads((FIXTURES / "expected" / "two_speakers_notes_markup.json").read_text(encoding="utf-8"))
    shown = [golden["words"][i] for cue in golden["cues"] for i in cue["words"]]
    if suffix == "srt":  # SRT has no escaping: "<b>live</b>" in a cue is markup to every reader
        shown = [dict(w, text=w["text"].replace("<b>live</b>", "live")) for w in shown]
    t = read_transcript(FIXTURES / "expected" / f"two_speakers_notes_markup.{suffix}")
    assert " ".join(tok.text for tok in t.tokens) == " ".join(w["text"] for w in shown)
    remaining = list(shown)
    for token in t.tokens:  # a token may join words ("live -->"): its speaker is its first word's
        first = remaining[0]
        taken = [remaining.pop(0)]
        while " ".join(w["text"] for w in taken) != token.text:
            taken.append(remaining.pop(0))
        assert token.speaker == first["speaker"], token


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.srt", "", "holds no SRT cues"),
        ("prose.srt", "Just some words.\n", "holds no SRT cues"),
        ("header_only.vtt", "WEBVTT\n\nNOTE nothing here\n", "holds no WebVTT cues"),
        ("music_only.srt", "1\n00:00:01,000 --> 00:00:02,000\n[music]\n", "holds no words to align"),
        (
            "bad_time.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nHi.\n\n2\n00:00:75,000 --> 00:00:76,000\nBye.\n",
            "line 6: bad cue time '00:00:75,000'",
        ),
    ],
)
def test_bad_captions_are_one_line_errors_naming_the_file(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranscriptError) as error:
        read_transcript(path)
    message = str(error.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_srt_cue_text_with_a_blank_line_inside_stays_one_cue(tmp_path):
    path = tmp_path / "gap.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nHello\n\nthere.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert [tok.text for tok in t.tokens] == ["Hello", "there.", "Bye."]
    assert stamps(t) == [("Hello", 1000), ("Bye.", 3000)]


def test_a_capitalised_word_and_colon_used_once_is_not_a_speaker(tmp_path):
    path = tmp_path / "remember.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nRemember: it works.\n", encoding="utf-8")
    t = read_transcript(path)
    assert words(t) == [("Remember:", None), ("it", None), ("works.", None)]
