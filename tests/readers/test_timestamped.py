"""Timestamped speaker lines (transcription services' exports): one fixture per form, exact tokens and stamps."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.transcripts import assert_plain_spans, decoded_source, stamps, words

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.types import TokenKind

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


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
    ]  # fmt: skip
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
    ]  # fmt: skip
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
    ]  # fmt: skip
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


def test_labels_with_roles_keep_the_name_as_speaker():
    path = TRANSCRIPTS / "exports" / "role_labels_timestamped.txt"
    t = read_transcript(path)
    assert t.speakers == ("Priya Mehta", "Casey", "Dr. Lee")
    assert t.speaker_roles == (("Priya Mehta", "host"), ("Casey", "caller"), ("Dr. Lee", "guest"))
    assert words(t) == [
        ("Call-in", None), ("Hour", None),
        ("Welcome", "Priya Mehta"), ("back.", "Priya Mehta"),
        ("Hi,", "Casey"), ("long-time", "Casey"), ("listener.", "Casey"),
        ("Thanks", "Dr. Lee"), ("for", "Dr. Lee"), ("calling.", "Dr. Lee"),
    ]  # fmt: skip
    assert stamps(t) == [("Welcome", 1000), ("Hi,", 5000), ("Thanks", 9000)]
    # A plain-text "# " line is a heading here too: the title is heading matter without its "#".
    assert [(tok.text, tok.is_heading, tok.is_section_title) for tok in t.tokens[:2]] == [
        ("Call-in", True, True), ("Hour", True, True),
    ]  # fmt: skip
    assert_plain_spans(decoded_source(path), t)


def test_a_bare_hash_line_stays_text(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("Jane (00:00:01): Hi.\n#\nSam (00:00:05): Hello.\n# \n", encoding="utf-8")
    t = read_transcript(path)
    assert words(t) == [("Hi.", "Jane"), ("#", "Jane"), ("Hello.", "Sam"), ("#", "Sam")]
