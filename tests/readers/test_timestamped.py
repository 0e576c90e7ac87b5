"""Transcript formats besides Markdown: timestamped exports, SRT, WebVTT, .docx; detection; stamps.

One fixture per format in fixtures/transcripts/ (the .docx is written by
fixtures/make_transcript_formats.py), each read to its exact tokens and
speakers; the fixture episode's transcript as SRT and as a timestamped
export (stamps 1-3 s off) aligned to its audio against the truth; and pure
alignments showing what stamps may and may not change.
"""

from __future__ import annotations

import html
import io
import random
import re
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligner.match import align_tokens
from aligner.cli import cli
from aligner.errors import TranscriptError
from aligner.readers import TRANSCRIPT_FORMATS, detect_format, read_transcript
from aligner.readers.docx import docx_text
from aligner.readers.markdown import parse_transcript, parse_transcript_text
from aligner.types import AsrWord, OpKind, Stamp, Token, TokenKind, Transcript, WordStatus
from truth import body_words_by_key, spoken_truth, truth_key

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"
EPISODE = FIXTURES / "episode"


def words(t: Transcript) -> list[tuple[str, str | None]]:
    return [(token.text, token.speaker) for token in t.tokens]


def stamps(t: Transcript) -> list[tuple[str, int]]:
    """Each stamp as (the text of its token, ms)."""
    return [(t.tokens[s.token_index].text, s.time_ms) for s in t.stamps]


def decoded_source(path: Path) -> str:
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")


def assert_plain_spans(source: str, t: Transcript) -> None:
    """Tokens in order, each span exactly its text in the source."""
    previous = 0
    for token in t.tokens:
        assert source[token.start_char : token.end_char] == token.text, token
        assert token.start_char >= previous
        previous = token.end_char


def assert_caption_spans(source: str, t: Transcript) -> None:
    """Each span, with tags removed and character references decoded, reads as the token."""
    previous = 0
    for token in t.tokens:
        span = source[token.start_char : token.end_char]
        shown = html.unescape(re.sub(r"<[^>\n]*>|\{\\[^}\n]*\}", "", span)).replace("\u200e", "")
        assert " ".join(shown.split()) == " ".join(token.text.split()), (token, span)
        assert token.start_char >= previous
        previous = token.end_char


# --- timestamped speaker lines ------------------------------------------------------------------


def test_name_then_time_in_parentheses():
    path = TRANSCRIPTS / "timestamped_paren.txt"
    t = read_transcript(path)
    jane, sam = "Jane Miller", "Sam Carter"
    assert words(t) == [
        ("Brain", None), ("Talk,", None), ("episode", None), ("193", None),
        ("Hello", jane), ("and", jane), ("welcome", jane), ("to", jane), ("“Brain", jane), ("Talk.”", jane),
        ("[music]", jane),
        ("[laughs]", sam), ("That's", sam), ("the", sam), ("question—", sam), ("I", sam), ("hear", sam),
        ("it", sam), ("most.", sam), ("It's", sam), ("still", sam), ("really", sam), ("hard.", sam),
        ("Thank", jane), ("you,", jane), ("Sam.", jane),
    ]
    assert t.speakers == (jane, sam)
    assert [tok.is_heading for tok in t.tokens] == [True] * 4 + [False] * 22
    assert [tok.kind for tok in t.tokens if tok.kind is TokenKind.NOTE] == [TokenKind.NOTE] * 2
    # The label's text on the next line; a blank line inside a turn starts a paragraph; MM:SS.
    assert stamps(t) == [("Hello", 1000), ("[laughs]", 23000), ("Thank", 62000)]
    assert [tok.paragraph for tok in t.tokens if tok.text in ("Hello", "[laughs]", "It's", "Thank")] == [1, 2, 3, 4]
    assert_plain_spans(decoded_source(path), t)


def test_name_and_time_alone_on_a_line():
    path = TRANSCRIPTS / "timestamped_own_line.txt"
    t = read_transcript(path)
    one, two = "Speaker 1", "Speaker 2"
    assert words(t) == [
        ("Hello", one), ("and", one), ("welcome", one), ("to", one), ("the", one), ("show.", one),
        ("Thanks", two), ("for", two), ("having", two), ("me.", two),
        ("It's", two), ("great", two), ("to", two), ("be", two), ("here.", two),
        ("Bye.", one),
    ]
    assert t.speakers == (one, two)
    assert stamps(t) == [("Hello", 1000), ("Thanks", 23000), ("Bye.", 3_723_500)]  # 1:02:03.5
    assert not any(tok.is_heading for tok in t.tokens)
    assert_plain_spans(decoded_source(path), t)


def test_time_first_in_brackets_markdown():
    path = TRANSCRIPTS / "timestamped_bracket_first.md"
    t = read_transcript(path)
    jane, sam = "Jane Miller", "Sam"
    assert words(t) == [
        ("Brain", None), ("Talk", None),
        ("Hello", jane), ("and", jane), ("welcome", jane), ("to", jane), ("the", jane), ("show.", jane),
        ("Thanks.", sam), ("And", sam), ("one", sam), ("more", sam), ("paragraph.", sam), ("Yes.", sam),
        ("Subscribe", None), ("now.", None),
    ]
    # A one-word name is a label when stamped; a stamped paragraph keeps its speaker.
    assert t.speakers == (jane, sam)
    assert stamps(t) == [("Hello", 1000), ("Thanks.", 23000), ("And", 30000), ("Yes.", 45000)]
    # The title before the first label and the line after the final divider are heading matter.
    assert [tok.text for tok in t.tokens if tok.is_heading] == ["Brain", "Talk", "Subscribe", "now."]
    assert [tok.text for tok in t.tokens if tok.is_section_title] == ["Brain", "Talk"]
    source = decoded_source(path)
    for token in t.tokens:  # Markdown markup removed, as in a Markdown file
        span = source[token.start_char : token.end_char]
        assert span == token.text or (span[0] == token.text[0] and span[-1] == token.text[-1]), token


def test_bare_time_first():
    path = TRANSCRIPTS / "timestamped_bare_first.txt"
    t = read_transcript(path)
    jane, sam = "Jane Miller", "Sam Carter"
    assert words(t) == [("Hello", jane), ("there.", jane), ("Hi,", sam), ("Jane.", sam), ("Welcome.", jane)]
    assert stamps(t) == [("Hello", 1000), ("Hi,", 5000), ("Welcome.", 9000)]
    assert [tok.paragraph for tok in t.tokens] == [0, 0, 1, 1, 2]
    assert_plain_spans(decoded_source(path), t)


def test_a_time_with_seconds_over_59_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Jane (00:00:01): Hi.\nSam (00:00:05): Hello.\nJane (00:00:75): Bye.\n", encoding="utf-8")
    with pytest.raises(TranscriptError) as error:
        read_transcript(path)
    assert str(error.value).startswith(f"{path}, line 3: bad time '00:00:75'")


def test_forcing_timestamped_on_a_file_without_stamped_labels_is_an_error():
    path = TRANSCRIPTS / "speaker_colon.md"
    with pytest.raises(TranscriptError, match="no timestamped speaker lines") as error:
        read_transcript(path, transcript_format="timestamped")
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_a_sentence_with_a_time_in_it_is_not_a_label(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Jane (00:00:01): Hi.\nSam (00:00:05): Hello.\nJane (2:30) said no.\n", encoding="utf-8")
    t = read_transcript(path)
    assert words(t)[-4:] == [("Hello.", "Sam"), ("Jane", "Sam"), ("said", "Sam"), ("no.", "Sam")]  # "(2:30)" dropped


# --- captions -----------------------------------------------------------------------------------


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
    ]
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
    ]
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
    import json

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
        ("bad_time.srt", "1\n00:00:01,000 --> 00:00:02,000\nHi.\n\n2\n00:00:75,000 --> 00:00:76,000\nBye.\n", "line 6: bad cue time '00:00:75,000'"),
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
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello\n\nthere.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n", encoding="utf-8")
    t = read_transcript(path)
    assert [tok.text for tok in t.tokens] == ["Hello", "there.", "Bye."]
    assert stamps(t) == [("Hello", 1000), ("Bye.", 3000)]


def test_a_capitalised_word_and_colon_used_once_is_not_a_speaker(tmp_path):
    path = tmp_path / "remember.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nRemember: it works.\n", encoding="utf-8")
    t = read_transcript(path)
    assert words(t) == [("Remember:", None), ("it", None), ("works.", None)]


# --- .docx --------------------------------------------------------------------------------------

DOCX = TRANSCRIPTS / "speakers.docx"
DOCX_AS_MARKDOWN = """# Brain Talk, episode 193

12 March 2024 | by JANE MILLER

*This transcript has been lightly edited.*

**Jane Miller**

Hello and welcome to \u201cBrain Talk.\u201d [music]

**Sam Carter:** [laughs] That\u2019s the \\*big\\* question\u2014I hear it\\_most.
\\#1 on my list.

**Jane Miller:** So how wide is that gap?

**Sam Carter:** Very wide.

---

Subscribe to \u201cBrain Talk\u201d.
"""


def test_docx_parses_like_the_markdown_it_stands_for():
    t = read_transcript(DOCX)
    expected = parse_transcript_text(DOCX_AS_MARKDOWN, markdown=True)

    def view(transcript: Transcript) -> list[tuple]:
        return [(k.text, k.kind, k.speaker, k.paragraph, k.is_heading, k.is_section_title) for k in transcript.tokens]

    assert view(t) == view(expected)
    assert t.speakers == ("Jane Miller", "Sam Carter")
    jane, sam = "Jane Miller", "Sam Carter"
    body = [(k.text, k.speaker) for k in t.tokens if not k.is_heading]
    assert body == [
        ("Hello", jane), ("and", jane), ("welcome", jane), ("to", jane), ("“Brain", jane), ("Talk.”", jane),
        ("[music]", jane),
        ("[laughs]", sam), ("That’s", sam), ("the", sam), ("*big*", sam), ("question—", sam), ("I", sam),
        ("hear", sam), ("it_most.", sam), ("#1", sam), ("on", sam), ("my", sam), ("list.", sam),  # literal * _ #
        ("So", jane), ("how", jane), ("wide", jane), ("is", jane), ("that", jane), ("gap?", jane),
        ("Very", sam), ("wide.", sam),  # from a table cell
    ]
    assert t.stamps == ()


def test_docx_spans_index_its_plain_text():
    data = DOCX.read_bytes()
    plain = docx_text(data)
    assert plain.startswith("Brain Talk, episode 193\n\n12 March 2024 | by JANE MILLER\n\n")
    assert "Sam Carter: [laughs] That’s the *big* question—I hear it_most.\n#1 on my list." in plain
    assert_plain_spans(plain, read_transcript(DOCX))


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_of_timestamped_speaker_lines_is_read_as_that(tmp_path):
    path = tmp_path / "otter.docx"
    path.write_bytes(_docx_bytes(["Jane Miller  0:01", "Hello there.", "Sam Carter  0:05", "Hi, Jane."]))
    t = read_transcript(path)
    assert words(t) == [("Hello", "Jane Miller"), ("there.", "Jane Miller"), ("Hi,", "Sam Carter"), ("Jane.", "Sam Carter")]
    assert stamps(t) == [("Hello", 1000), ("Hi,", 5000)]
    assert_plain_spans(docx_text(path.read_bytes()), t)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.docx", b"Jane: hello\n", "is not a .docx file (not a zip archive)"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "Word 97-2003 .doc"),
        ("other.docx", _zip({"a.txt": b"hi"}), "is not a readable Word document"),
        ("half.docx", DOCX.read_bytes()[: len(DOCX.read_bytes()) // 2], "not a zip archive"),
        ("blank.docx", None, "holds no words to align"),
    ],
)
def test_bad_docx_is_a_one_line_error_naming_the_file(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data if data is not None else _docx_bytes([]))
    with pytest.raises(TranscriptError) as error:
        read_transcript(path)
    message = str(error.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_docx_without_python_docx_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "docx", None)  # as if python-docx were not installed
    with pytest.raises(TranscriptError, match=r"needs python-docx: pip install 'aligner\[docx\]'"):
        read_transcript(DOCX)


# --- detection ----------------------------------------------------------------------------------

SRT_TEXT = b"1\n00:00:01,000 --> 00:00:02,000\nHello.\n"
STAMPED_TEXT = b"Jane (00:00:01): Hi.\nSam (00:00:05): Hello.\n"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("t.md", b"### Jane\n\nHello.\n", "markdown"),
        ("t.markdown", b"Hello.\n", "markdown"),
        ("t.txt", b"Jane: Hello.\n", "text"),
        ("t", b"Hello.\n", "text"),
        ("t.srt", b"anything", "srt"),
        ("t.txt", SRT_TEXT, "srt"),
        ("t.md", b"\xef\xbb\xbf" + SRT_TEXT, "srt"),
        ("t.vtt", SRT_TEXT, "vtt"),
        ("t.txt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "vtt"),
        ("t.srt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n", "vtt"),
        ("t.txt", STAMPED_TEXT, "timestamped"),
        ("t.md", STAMPED_TEXT, "timestamped"),
        ("t.txt", b"Jane (00:00:01): Hi.\nSam: Hello.\n", "text"),  # one stamped line is not enough
        ("t.txt", b"We met at 10:30 and left.\nIt was 00:05 Sam said: fine.\n", "text"),
        ("t.docx", b"not a zip", "docx"),
        ("t.bin", _zip({"a": b"b"}), "docx"),
    ],
)
def test_detect_format(name, data, expected):
    assert detect_format(name, data) == expected


@pytest.mark.parametrize(
    "path",
    sorted(
        p for p in TRANSCRIPTS.iterdir()
        if p.suffix in (".md", ".txt") and not p.name.startswith("timestamped")
        and p.name not in {"empty.md", "latin1.md", "notes_only.md", "unclosed_comment.md"}
    ) + [EPISODE / "episode.md"],
    ids=lambda p: p.name,
)
def test_auto_reads_markdown_and_text_exactly_as_before(path):
    assert read_transcript(path) == parse_transcript(path)


def test_fixture_per_format_is_detected():
    found = {p.name: detect_format(p, p.read_bytes()) for p in TRANSCRIPTS.iterdir()
             if p.name.startswith(("timestamped", "captions", "speakers."))}
    assert found == {
        "timestamped_paren.txt": "timestamped",
        "timestamped_own_line.txt": "timestamped",
        "timestamped_bracket_first.md": "timestamped",
        "timestamped_bare_first.txt": "timestamped",
        "captions.srt": "srt",
        "captions.vtt": "vtt",
        "speakers.docx": "docx",
    }
    assert set(TRANSCRIPT_FORMATS) == {"auto", "markdown", "text", "timestamped", "srt", "vtt", "docx"}


def test_forced_formats_override_detection():
    md = TRANSCRIPTS / "speaker_bold.md"
    as_markdown = read_transcript(md, transcript_format="markdown")
    as_text = read_transcript(md, transcript_format="text")
    assert as_markdown.speakers == ("Kim Stachenfeld", "Paul Middlebrooks")
    assert as_text.speakers == () and "**Kim" in [tok.text for tok in as_text.tokens]  # Markdown read literally
    srt = TRANSCRIPTS / "captions.srt"
    assert read_transcript(srt, transcript_format="text").stamps == ()
    assert "00:00:01,000 -->" in [tok.text for tok in read_transcript(srt, transcript_format="text").tokens]
    with pytest.raises(ValueError, match="unknown transcript format"):
        read_transcript(srt, transcript_format="pdf")


def test_cli_transcript_format_option(tmp_path, episode_audio):
    runner = CliRunner()
    forced = runner.invoke(cli, ["align", str(episode_audio), str(EPISODE / "episode.md"), "-o", str(tmp_path),
                                 "--transcript-format", "docx"])
    assert forced.exit_code == 1
    assert forced.output.strip().splitlines()[-1] == f"Error: {EPISODE / 'episode.md'}: is not a .docx file (not a zip archive)"
    unknown = runner.invoke(cli, ["align", str(episode_audio), str(EPISODE / "episode.md"), "--transcript-format", "pdf"])
    assert unknown.exit_code == 2 and "'pdf' is not one of" in unknown.output
    assert not list(tmp_path.iterdir())


# --- stamps in the alignment (pure) -------------------------------------------------------------


def tokens_of(text: str) -> list[Token]:
    out, pos = [], 0
    for i, word in enumerate(text.split()):
        start = text.index(word, pos)
        pos = start + len(word)
        out.append(Token(i, word, TokenKind.WORD, None, 0, start, pos))
    return out


def heard_of(text: str, step_ms: int = 400, start_ms: int = 0) -> list[AsrWord]:
    return [AsrWord(w, start_ms + i * step_ms, start_ms + i * step_ms + step_ms - 50, 0.9) for i, w in enumerate(text.split())]


def matched_starts(ops, tokens, words) -> dict[int, int]:
    """Token index -> start ms of its recognized word, for matched tokens."""
    return {i: words[op.asr_indices[0]].start_ms for op in ops if op.kind is OpKind.MATCH for i in op.token_indices}


def check_cover(ops, tokens, words) -> None:
    """Every token and recognized word in exactly one op; matches increase on both sides."""
    assert sorted(j for op in ops for j in op.asr_indices) == list(range(len(words)))
    assert sorted(i for op in ops for i in op.token_indices) == [t.index for t in tokens if t.kind is TokenKind.WORD]
    matches = [op for op in ops if op.kind is OpKind.MATCH]
    for a, b in zip(matches, matches[1:]):
        assert a.token_indices[-1] < b.token_indices[0] and a.asr_indices[-1] < b.asr_indices[0]


RETAKE_TRANSCRIPT = "welcome to the show thank you for having me it is great to be here"
RETAKE_AUDIO = (
    "welcome to the show thank you for having me sorry sorry let me start that again from the top "
    "thank you for having me it is great to be here"
)
RETAKE = RETAKE_AUDIO.split().index("thank", 5)  # the second take's "thank", at 7.6 s


def test_a_stamp_resolves_a_retake_that_words_alone_get_wrong():
    tokens, words = tokens_of(RETAKE_TRANSCRIPT), heard_of(RETAKE_AUDIO)
    retake_ms = words[RETAKE].start_ms
    turn = [4, 5, 6, 7, 8]  # "thank you for having me"

    alone = align_tokens(tokens, words)
    check_cover(alone, tokens, words)
    assert [matched_starts(alone, tokens, words)[i] for i in turn] == [w.start_ms for w in words[4:9]]  # the flub

    for error_ms in (-2500, 0, 2500):  # a stamp a few seconds off still finds the take nearest it
        stamped = align_tokens(tokens, words, stamps=[Stamp(4, retake_ms + error_ms)])
        check_cover(stamped, tokens, words)
        starts = matched_starts(stamped, tokens, words)
        assert [starts[i] for i in turn] == [w.start_ms for w in words[RETAKE : RETAKE + 5]], error_ms
        inserted = [j for op in stamped if op.kind is OpKind.INSERT for j in op.asr_indices]
        assert inserted == list(range(4, RETAKE))  # the flubbed take and "sorry sorry let me start..."


def test_a_stamp_far_from_any_copy_changes_nothing():
    tokens, words = tokens_of(RETAKE_TRANSCRIPT), heard_of(RETAKE_AUDIO)
    assert align_tokens(tokens, words, stamps=[Stamp(4, 60_000)]) == align_tokens(tokens, words)


def test_stamps_never_override_clear_word_matches():
    text = "the original mission of the lab was to learn how the brain learns from a few examples"
    tokens, words = tokens_of(text), heard_of(text)
    rng = random.Random(3)
    for _ in range(20):
        wrong = [Stamp(i, rng.randint(0, 60_000)) for i in sorted(rng.sample(range(len(tokens)), 5))]
        ops = align_tokens(tokens, words, stamps=wrong)
        assert all(op.kind is OpKind.MATCH and op.token_indices == op.asr_indices for op in ops)


def test_stamps_of_an_earlier_cut_follow_the_offset_their_neighbours_show():
    """Captions made before a 60 s cold open was cut: every stamp is 60 s late.

    The stamps on words that match clearly ("welcome to the show", "it is
    great") show the offset, and the retake's stamp, corrected by it, finds
    the right take; uncorrected it would find nothing near it.
    """
    tokens, words = tokens_of(RETAKE_TRANSCRIPT), heard_of(RETAKE_AUDIO)
    late = 60_000
    great = RETAKE_TRANSCRIPT.split().index("it")
    cut_stamps = [
        Stamp(0, words[0].start_ms + late),
        Stamp(4, words[RETAKE].start_ms + late + 1200),
        Stamp(great, words[RETAKE + 5].start_ms + late - 800),
    ]
    ops = align_tokens(tokens, words, stamps=cut_stamps)
    check_cover(ops, tokens, words)
    assert matched_starts(ops, tokens, words)[4] == words[RETAKE].start_ms
    uncorrected = align_tokens(tokens, words, stamps=[Stamp(4, words[RETAKE].start_ms + late)])
    assert matched_starts(uncorrected, tokens, words)[4] == words[4].start_ms  # alone, it finds nothing: the flub


@pytest.mark.parametrize("seed", range(12))
def test_random_stamps_keep_the_alignment_whole_and_monotone(seed):
    rng = random.Random(seed)
    vocab = "thank you for having me so the brain learns a lot from few examples yes".split()
    phrase = rng.sample(vocab, 4)
    spoken = []
    for _ in range(rng.randint(10, 30)):
        spoken.extend(phrase if rng.random() < 0.3 else rng.sample(vocab, rng.randint(2, 6)))
    edited = [w for w in spoken if rng.random() > 0.15]
    tokens, words = tokens_of(" ".join(edited)), heard_of(" ".join(spoken))
    stamp_at = sorted(rng.sample(range(len(tokens)), min(len(tokens), rng.randint(1, 8))))
    garbage = [Stamp(i, rng.randint(-5000, len(words) * 400 + 5000)) for i in stamp_at]
    check_cover(align_tokens(tokens, words, stamps=garbage), tokens, words)


def test_a_stamp_on_a_note_times_the_next_word_and_a_note_only_stamp_times_nothing():
    tokens = [Token(0, "[music]", TokenKind.NOTE, None, 0, 0, 7)] + [
        Token(i + 1, t.text, t.kind, None, 1, t.start_char + 8, t.end_char + 8) for i, t in enumerate(tokens_of(RETAKE_TRANSCRIPT))
    ]
    words = heard_of(RETAKE_AUDIO)
    ops = align_tokens(tokens, words, stamps=[Stamp(0, 0), Stamp(5, words[RETAKE].start_ms)])
    assert matched_starts(ops, tokens, words)[5] == words[RETAKE].start_ms
    only_note = align_tokens(tokens, words, stamps=[Stamp(0, words[RETAKE].start_ms), Stamp(1, 0)])
    check_cover(only_note, tokens, words)
    assert only_note == align_tokens(tokens, words)  # the note's stamp has no word; "welcome" at 0 is clear


# --- the fixture episode, re-timed from captions and from a timestamped export (model) ----------


@pytest.fixture(scope="module", params=["episode.srt", "episode_timestamped.txt"])
def reformatted_result(request, episode_audio, cache_dir):
    from aligner import align

    return request.param, align(episode_audio, EPISODE / request.param, cache_dir=cache_dir)


def test_episode_fixtures_hold_every_spoken_word_and_stamps_one_to_three_seconds_off(truth):
    spans = spoken_truth(truth)
    for name in ("episode.srt", "episode_timestamped.txt"):
        t = read_transcript(EPISODE / name)
        assert t.speakers == ("Jane Miller", "Sam Carter")
        assert len(t.stamps) >= 7
        seen: dict[str, int] = {}
        firsts = {}
        for token in t.tokens:
            if token.kind is TokenKind.WORD and not token.is_heading:
                key = truth_key(token.text)
                firsts[token.index] = (key, seen.get(key, 0))
                seen[key] = seen.get(key, 0) + 1
        assert set(spans) <= set(firsts.values()), name
        errors = []
        for stamp in t.stamps:
            index = stamp.token_index
            while firsts.get(index) not in spans:
                index += 1
            errors.append(abs(stamp.time_ms - spans[firsts[index]][0]))
        assert max(errors) <= 3100 and sum(e >= 1000 for e in errors) >= len(errors) // 2, (name, errors)


@pytest.mark.model
def test_reformatted_episode_matches_the_spoken_words(reformatted_result, truth):
    name, result = reformatted_result
    ours = body_words_by_key(result)
    spans = spoken_truth(truth)
    assert not [k for k in spans if k not in ours]
    matched = [k for k in spans if ours[k].status is WordStatus.MATCHED]
    assert len(matched) / len(spans) >= 0.95, (name, [k for k in spans if k not in matched])
    errors = sorted(abs(ours[k].start_ms - spans[k][0]) for k in matched)
    assert errors[len(errors) // 2] <= 200, name
    added = [w for w in truth["transcript_words"] if w["kind"] == "added"]
    for word in added:  # the unspoken sentence, in the captions of "an earlier cut" too
        assert ours[(word["transcript_text"].casefold(), word["occurrence"])].status is WordStatus.NOT_IN_AUDIO
    assert set(result.speakers) == {"Jane Miller", "Sam Carter"}
    last = 0
    for word in result.words:
        if word.start_ms is not None and word.token.kind is TokenKind.WORD:
            assert word.start_ms >= last
            last = word.start_ms
