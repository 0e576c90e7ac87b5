"""Word .docx transcripts: read like the Markdown they stand for, spans in the document's plain text, bad files."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from support.transcripts import assert_plain_spans, stamps, words

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.readers.docx import docx_text
from aligner.readers.markdown import parse_text
from aligner.types import Transcript

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


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


# --- a bold name inside the paragraph of the speech ------------------------------------------------

EXPORTS = TRANSCRIPTS / "exports"
JANE, KOFI = "Jane Miller", "Kofi Sarpong"


@pytest.mark.parametrize("name", ["docx_bold_name_line_break.docx", "docx_bold_name_no_colon.docx"])
def test_a_bold_name_opening_the_speech_is_a_speaker_label(name: str) -> None:
    path = EXPORTS / name
    t = read_transcript(path)
    assert t.speakers == (JANE, KOFI)
    body = [(k.text, k.speaker) for k in t.tokens if not k.is_heading]
    assert ("birds?", JANE) in body
    assert body[body.index(("birds?", JANE)) + 1] == ("Honestly,", KOFI)  # not "Kofi Sarpong Honestly,"
    assert not {"Kofi", "Sarpong", "Jane", "Miller"} & {text for text, _ in body}
    assert [s for _, s in body].count(KOFI) == len(
        "Honestly, because they learn to sing the way children learn to talk. Every morning, for months, before they get it right.".split()
    )
    assert_plain_spans(docx_text(path.read_bytes()), t)


def test_the_two_layouts_read_alike() -> None:
    def view(t: Transcript) -> list[tuple]:
        return [(k.text, k.kind, k.speaker, k.is_heading) for k in t.tokens]

    assert view(read_transcript(EXPORTS / "docx_bold_name_line_break.docx")) == view(
        read_transcript(EXPORTS / "docx_bold_name_no_colon.docx")
    )


def _runs_docx(paragraphs: list[list[tuple[str, bool]]]) -> bytes:
    """A document of paragraphs given as runs of (text, bold); the text "<br>" is a soft line break."""
    import docx

    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, bold in runs:
            if text == "<br>":
                paragraph.add_run().add_break()
            else:
                paragraph.add_run(text).bold = bold or None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _read_runs(tmp_path: Path, paragraphs: list[list[tuple[str, bool]]]) -> Transcript:
    path = tmp_path / "t.docx"
    path.write_bytes(_runs_docx(paragraphs))
    t = read_transcript(path)
    assert_plain_spans(docx_text(path.read_bytes()), t)
    return t


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ([("Casey", True), ("<br>", False), ("Hi, it's me.", False)], "Casey"),  # one word, once: the break says label
        ([("Casey:", True), ("<br>", False), ("Hi, it's me.", False)], "Casey"),
        ([("Casey ", True), ("<br>", True), ("Hi, it's me.", False)], "Casey"),  # the break inside the bold run
        ([("Casey", True), (":", False), ("<br>", False), ("Hi, it's me.", False)], "Casey"),
        ([("CASEY", True), (" Hi, it's me.", False)], "CASEY"),  # capitals, same line: a name, not a word
        ([("Casey Jones", True), ("\t", False), ("Hi, it's me.", False)], "Casey Jones"),  # a tab, same line
    ],
    ids=["break", "colon and break", "bold break", "colon outside the bold", "capitals", "tab"],
)
def test_bold_name_layouts_that_are_labels_on_sight(
    tmp_path: Path, paragraph: list[tuple[str, bool]], speaker: str
) -> None:
    t = _read_runs(tmp_path, [[("Jane Miller", True)], [("Who is calling?", False)], paragraph])
    assert words(t)[3:] == [("Hi,", speaker), ("it's", speaker), ("me.", speaker)]
    assert t.speakers == (JANE, speaker)


def test_a_one_word_bold_name_on_the_speech_line_needs_a_second_use(tmp_path: Path) -> None:
    once = _read_runs(tmp_path, [[("Jane Miller", True)], [("Who?", False)], [("Casey", True), (" Hi there.", False)]])
    assert words(once)[1:] == [("Casey", JANE), ("Hi", JANE), ("there.", JANE)]  # could be emphasis
    twice = _read_runs(
        tmp_path,
        [
            [("Casey", True), (" Hi there.", False)],
            [("Jane", True), (" Hello.", False)],
            [("Casey", True), (" Bye.", False)],
        ],
    )
    assert words(twice) == [
        ("Hi", "Casey"),
        ("there.", "Casey"),
        ("Jane", "Casey"),
        ("Hello.", "Casey"),
        ("Bye.", "Casey"),
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ([("Never", True), (" again, I said.", False)], "Never again, I said."),  # emphasis opening a sentence
        ([("So what I think is", True), (" that it works.", False)], "So what I think is that it works."),
        ([("Tip:", True), (" buy a feeder.", False)], "Tip: buy a feeder."),  # bold Name: on one line: as before
        ([("Why", True), ("<br>", False), ("birds?", False)], "Why birds?"),  # a section word, never a name
    ],
    ids=["emphasis", "sentence", "tip colon", "section word"],
)
def test_bold_openings_that_are_not_labels_stay_words(
    tmp_path: Path, paragraph: list[tuple[str, bool]], expected: str
) -> None:
    t = _read_runs(tmp_path, [[("Jane Miller", True)], [("Go on.", False)], paragraph])
    assert t.speakers == (JANE,)
    assert words(t)[2:] == [(word, JANE) for word in expected.split()]


# --- labels with a role ----------------------------------------------------------------------


def test_role_labels_in_every_bold_layout_read_as_the_markdown_of_the_same_transcript() -> None:
    path = EXPORTS / "docx_role_labels.docx"
    t = read_transcript(path)
    markdown = read_transcript(EXPORTS / "role_labels.md")
    assert t.speakers == markdown.speakers == ("Priya Mehta", "Dr. Lee", "Casey", "Caller")
    assert t.speaker_roles == markdown.speaker_roles
    assert t.speaker_roles == (("Priya Mehta", "host"), ("Dr. Lee", "guest"), ("Casey", "caller"), ("Caller", "caller"))
    assert [(k.text, k.speaker, k.is_heading) for k in t.tokens] == [
        (k.text, k.speaker, k.is_heading) for k in markdown.tokens
    ]
    assert_plain_spans(docx_text(path.read_bytes()), t)


def test_the_role_labels_fixture_is_what_its_script_writes() -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_transcript_formats as make
    finally:
        sys.path.remove(str(FIXTURES))
    assert (EXPORTS / "docx_role_labels.docx").read_bytes() == make.write_docx_role_labels()


@pytest.mark.parametrize(
    ("paragraph", "role"),
    [
        ([("Casey (caller)", True), (" Hi, it's me.", False)], "caller"),  # a role makes one word distinctive
        ([("Casey", True), (" (caller) Hi, it's me.", False)], "caller"),  # the role typed outside the bold
        ([("Casey", True), (" (caller)", False), ("<br>", False), ("Hi, it's me.", False)], "caller"),
        ([("Casey, caller 2", True), ("<br>", False), ("Hi, it's me.", False)], "caller 2"),
        ([("Casey (she/her)", True), ("<br>", False), ("Hi, it's me.", False)], None),  # pronouns: no role
    ],
    ids=["inside, same line", "outside, same line", "outside, break", "comma", "pronouns"],
)
def test_bold_labels_with_a_role(tmp_path: Path, paragraph: list[tuple[str, bool]], role: str | None) -> None:
    t = _read_runs(tmp_path, [[("Jane Miller", True)], [("Who is calling?", False)], paragraph])
    assert words(t)[3:] == [("Hi,", "Casey"), ("it's", "Casey"), ("me.", "Casey")]
    assert t.speakers == (JANE, "Casey")
    assert t.speaker_roles == ((("Casey", role),) if role else ())
