"""Word .docx transcripts: read like the Markdown they stand for, spans in the document's plain text, bad files."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.readers.docx import docx_text
from aligner.readers.markdown import parse_text
from aligner.types import Transcript

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


def words(t: Transcript) -> list[tuple[str, str | None]]:
    return [(token.text, token.speaker) for token in t.tokens]


def stamps(t: Transcript) -> list[tuple[str, int]]:
    """Each stamp as (the text of its token, ms)."""
    return [(t.tokens[s.token_index].text, s.time_ms) for s in t.stamps]


def assert_plain_spans(source: str, t: Transcript) -> None:
    """Tokens in order, each span exactly its text in the source."""
    previous = 0
    for token in t.tokens:
        assert source[token.start_char : token.end_char] == token.text, token
        assert token.start_char >= previous
        previous = token.end_char


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
    expected = parse_text(DOCX_AS_MARKDOWN, markdown=True)

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
    ]  # fmt: skip
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
    assert words(t) == [
        ("Hello", "Jane Miller"),
        ("there.", "Jane Miller"),
        ("Hi,", "Sam Carter"),
        ("Jane.", "Sam Carter"),
    ]
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
    ids=["notes.docx", "old.docx", "other.docx", "half.docx", "blank.docx"],
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
