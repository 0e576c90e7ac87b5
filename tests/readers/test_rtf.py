"""RTF transcripts (aligner.readers.rtf): TextEdit and WordPad files, each escape striprtf must handle, bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.transcripts import assert_plain_spans, body, heading_matter, texts

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.readers.markdown import parse_text
from aligner.readers.rtf import looks_like_rtf, parse_rtf, rtf_text
from aligner.types import TokenKind, Transcript

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXPORTS = FIXTURES / "transcripts" / "exports"
KOFI, AMA = "Kofi Sarpong", "Ama Owusu"
CONTROL = re.compile(r"\\[a-z*'~{}\\-]|[{}]", re.IGNORECASE)  # a control word, symbol or escape, or a group brace


def assert_clean(t: Transcript, plain: str) -> None:
    """No RTF syntax in any token, and every span is its token's text in the plain text, in order."""
    assert_plain_spans(plain, t, forbidden=CONTROL)


HELVETICA = r"{\fonttbl\f0\fswiss\fcharset0 Helvetica;}\f0 "


def rtf(body_text: str, header: str = r"\ansi\ansicpg1252", fonts: str = HELVETICA) -> bytes:
    return ("{\\rtf1" + header + fonts + body_text + "}").encode("ascii")


def plain(body_text: str, header: str = r"\ansi\ansicpg1252", fonts: str = HELVETICA) -> str:
    return rtf_text(rtf(body_text, header, fonts))


# --- the fixtures, one per export ---------------------------------------------------------------


def test_textedit_rtf():
    path = EXPORTS / "textedit.rtf"
    data = path.read_bytes()
    assert b"\\cocoartf" in data and b"\\'92" in data and b"\\uc0\\u8217 " in data
    t = read_transcript(path)
    assert t.speakers == (KOFI, AMA)
    assert heading_matter(t) == ["Owls", "at", "night"]  # before the first label
    assert body(t) == [
        ("Tonight", KOFI), ("we’re", KOFI), ("listening", KOFI), ("for", KOFI), ("owls.", KOFI),  # \'92
        ("[music]", KOFI),
        ("I’ve", AMA), ("brought", AMA), ("a", AMA), ("recorder –", AMA), ("and", AMA), ("a", AMA),  # \uc0\u8217
        ("flask", AMA), ("of", AMA), ("tea.", AMA), ("See", AMA), ("our", AMA), ("field", AMA),
        ("notes.", AMA),  # a link's text, without its URL
        ("“Hoo-hoo.”", KOFI), ("Was", KOFI), ("that", KOFI), ("one?", KOFI),
        ("That’s", AMA), ("a", AMA), ("tawny", AMA), ("owl.", AMA), ("Café →", AMA), ("field,", AMA),
        ("naïve 😉", AMA), ("me.", AMA),  # a surrogate pair joined into one character
    ]  # fmt: skip
    assert [token.text for token in t.tokens if token.kind is TokenKind.NOTE] == ["[music]"]
    assert "example.org" not in rtf_text(data)
    assert_clean(t, rtf_text(data))


def test_wordpad_rtf():
    path = EXPORTS / "wordpad.rtf"
    data = path.read_bytes()
    assert b"\\ansicpg1252" in data and b"\\'92" in data and b"\\par\r\n" in data and data.endswith(b"\x00")
    t = read_transcript(path)
    assert t.speakers == (AMA, KOFI)
    assert heading_matter(t) == ["Wrens", "in", "winter"]
    assert body(t) == [
        ("Wrens", AMA), ("huddle", AMA), ("together", AMA), ("on", AMA), ("cold", AMA), ("nights –", AMA),
        ("I’ve", AMA), ("seen", AMA), ("ten", AMA), ("in", AMA), ("one", AMA), ("box.", AMA),  # \rquote
        ("Ten?", KOFI), ("That’s", KOFI), ("a", KOFI), ("crowd.", KOFI), ("[laughs]", KOFI),  # \'92
        ("It’s", AMA), ("how", AMA), ("they", AMA), ("survive.", AMA),  # \u8217?
        ("Thank", KOFI), ("you,", KOFI), ("Ama.", KOFI),  # after a \tab
    ]  # fmt: skip
    assert_clean(t, rtf_text(data))


def test_the_fixture_episode_as_rtf_reads_as_its_markdown():
    as_rtf = read_transcript(EXPORTS / "episode.rtf")
    as_markdown = read_transcript(FIXTURES / "episode" / "episode.md")

    def view(t: Transcript) -> list[tuple[object, ...]]:  # plain text has no headings: no section titles
        return [(k.text, k.kind, k.speaker, k.is_heading) for k in t.tokens]

    assert view(as_rtf) == view(as_markdown)
    assert as_rtf.speakers == as_markdown.speakers
    assert_clean(as_rtf, rtf_text((EXPORTS / "episode.rtf").read_bytes()))


def test_the_plain_text_is_read_as_a_txt_is():
    data = (EXPORTS / "textedit.rtf").read_bytes()
    text = rtf_text(data)
    assert parse_rtf(data, path="t.rtf") == parse_text(text, path="t.rtf", markdown=False)


# --- each escape and group ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body_text", "expected"),
    [
        (r"I\'92m here.", "I’m here."),  # a code-page escape (Windows-1252)
        (r"I\u8217?m here.", "I’m here."),  # a unicode escape and its one-character fallback
        (r"I\uc0\u8217 m here.", "I’m here."),  # TextEdit's: no fallback
        (r"\uc2 I\u8217\'92\'92m here.", "I’m here."),  # a two-byte fallback
        (r"One.\par Two.", "One.\n\nTwo."),
        (r"One.\line Two.", "One.\n\nTwo."),  # a line break also starts a paragraph of the plain text
        ("One.\\\nTwo.", "One.\n\nTwo."),  # TextEdit's backslash-newline
        (r"{\colortbl;\red255\green0\blue0;}{\*\expandedcolortbl;;}Owls.", "Owls."),  # tables
        (r"{\*\generator Riched20}{\info{\title Draft}{\author Kofi}}Owls.", "Owls."),  # destinations
        (r"{\header Page 1}{\footer Draft}Owls.", "Owls."),
        (r"Owls{\*\shppict{\pict\pngblip 89504e47}}.", "Owls."),  # a picture
        (r"{\b Bold} and {\i italic} and \ul under\ulnone .", "Bold and italic and under."),
        (
            r"See {\field{\*\fldinst{HYPERLINK " + '"https://example.org/"' + r"}}{\fldrslt the notes}}.",
            "See the notes.",
        ),
        (r"See {\field{\*\fldinst HYPERLINK " + '"https://x.org/"' + r"}{\fldrslt {\ul notes}}}.", "See notes."),
        (r"A \{brace\} and a back\\slash.", "A {brace} and a back\\slash."),  # escaped: text
        (r"one\emdash two\endash three \lquote q\rquote  \ldblquote d\rdblquote", "one—two–three ‘q’ “d”"),
        (r"\u55357?\u56841? \u-10179?\u-8695?", "😉 😉"),  # surrogate pairs, signed or not
        (r"lone \u55357? half", "lone \ufffd half"),  # a lone surrogate cannot be written out
        (r"tab\tab here", "tab\there"),
    ],
)
def test_escapes_and_groups(body_text, expected):
    assert plain(body_text) == expected


def test_the_code_page_is_the_documents():
    privet = r"\'cf\'f0\'e8\'e2\'e5\'f2"
    assert plain(privet, header=r"\ansi\ansicpg1251", fonts=" ") == "Привет"  # no font: the document's
    assert plain(privet, fonts=r"{\fonttbl\f0\fnil\fcharset204 Arial;}\f0 ") == "Привет"  # the font's (Word's)
    assert plain(privet, header=r"\ansi\ansicpg1251") == "Ïðèâåò"  # \fcharset0 is Windows-1252, as in Word
    assert plain(r"I\'d5m", header=r"\mac", fonts=" ") == "I’m"  # Mac Roman, no \ansicpg
    assert plain(r"I\'d5m", header=r"\mac", fonts=r"{\fonttbl\f0\fswiss\fcharset77 Helvetica;}\f0 ") == "I’m"
    assert rtf_text(b"{\\rtf1\\ansi\\ansicpg1252 caf\xe9 au lait}") == "café au lait"  # an unescaped 8-bit byte
    with_bom = b"\xef\xbb\xbf\r\n" + rtf(r"I\'92m.")
    assert looks_like_rtf(with_bom) and rtf_text(with_bom) == "I’m."


def test_stamped_speaker_lines_read_as_a_timestamped_export():
    t = parse_rtf(rtf(r"Kofi Sarpong (00:00:01): Owls.\par Ama Owusu (00:00:04): Quiet ones.\par"), path="t.rtf")
    assert body(t) == [("Owls.", KOFI), ("Quiet", AMA), ("ones.", AMA)]
    assert [(t.tokens[s.token_index].text, s.time_ms) for s in t.stamps] == [("Owls.", 1000), ("Quiet", 4000)]


def test_role_labels_read_as_the_markdown_of_the_same_transcript():
    """``Name (role):``, ``Name, role:`` and ``[caller]`` lines, through the plain-text reader, as in role_labels.md."""
    path = EXPORTS / "rtf_role_labels.rtf"
    t = read_transcript(path)
    markdown = read_transcript(EXPORTS / "role_labels.md")
    assert t.speakers == markdown.speakers == ("Priya Mehta", "Dr. Lee", "Casey", "Caller")
    assert t.speaker_roles == markdown.speaker_roles
    assert t.speaker_roles == (("Priya Mehta", "host"), ("Dr. Lee", "guest"), ("Casey", "caller"), ("Caller", "caller"))
    apostrophe = str.maketrans("\u2019", "'")  # \'92 in the RTF, a straight ' in the Markdown
    assert [(k.text.translate(apostrophe), k.speaker, k.is_heading) for k in t.tokens] == [
        (k.text, k.speaker, k.is_heading) for k in markdown.tokens
    ]
    assert_clean(t, rtf_text(path.read_bytes()))


def test_stamped_speaker_lines_with_roles_keep_the_role():
    t = parse_rtf(rtf(r"Casey (caller) (00:00:01): Hi.\par [00:00:04] Priya Mehta, host: Welcome.\par"), path="t.rtf")
    assert body(t) == [("Hi.", "Casey"), ("Welcome.", "Priya Mehta")]
    assert t.speaker_roles == (("Casey", "caller"), ("Priya Mehta", "host"))


def test_a_bold_label_needs_its_colon_because_formatting_is_not_read():
    bold = r"{\b Ama Owusu:} Owls.\par {\b Dr. Lee (guest)}\par Quiet ones.\par {\b Ama Owusu:} Yes.\par"
    t = parse_rtf(rtf(bold), path="t.rtf")
    assert t.speakers == (AMA,)
    assert texts(t)[1:4] == ["Dr.", "Lee", "(guest)"]


# --- bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Jane: Hello.\n", r"is not an RTF file \(it does not start with '\{\\rtf'\)"),
        (rtf(r"caf\'81"), r"holds an escaped byte \\'81 that its code page lacks"),  # undefined in 1252
        (b"{\\rtf1\\ansi\\ansicpg1252 caf\x81}", r"holds a byte 0x81 that its code page \(cp1252\) lacks"),
        (
            b"{\\rtf1\\ansi{\\fonttbl\\f0\\fcharset78 X;}\\f0 \\'92}",
            r"uses a character set this reader cannot decode \(unknown encoding: mac_japanese\)",
        ),
        (b"{\\rtf1\\ansi x{\\pict\\bin abc}}", r"is not readable RTF \(a damaged \\bin or \\u control word\)"),
        (rtf(r"{\colortbl;}[music]\par"), r"holds no words to align"),
        (b"{\\rtf1}", r"holds no words to align"),
    ],
    ids=["plain text", "undefined escape", "undefined byte", "unknown charset", "damaged bin", "notes only", "empty"],
)
def test_bad_files_are_one_line_errors(tmp_path, data, reason):
    path = tmp_path / "t.rtf"
    path.write_bytes(data)
    with pytest.raises(TranscriptError, match=rf"^{re.escape(str(path))}: {reason}$"):
        read_transcript(path)


# --- generated documents --------------------------------------------------------------------------

_LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_ESCAPES = [(r"\'92", "’"), (r"\u8217?", "’"), (r"{\uc0\u8217 }", "’"), (r"\'e9", "é"), (r"\u233?", "é"), ("", "")]
_BETWEEN = st.sampled_from([" ", "  ", "\n ", r" {\*\bkmkstart x} ", r" {\b} ", r"\tab ", " {\\fs30 }"])
_STYLE = st.sampled_from([("", ""), (r"{\b ", "}"), (r"{\i ", "}"), (r"\ul ", r"\ulnone "), (r"\cf2 ", r"\cf0 ")])


@st.composite
def _word(draw: st.DrawFn) -> tuple[str, str]:
    head, tail = draw(_LETTERS), draw(st.one_of(st.just(""), _LETTERS))
    escape, shown = draw(st.sampled_from(_ESCAPES))
    before, after = draw(_STYLE)
    return f"{before}{head}{escape}{tail}{after}", head + shown + tail


@st.composite
def _document(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    paragraphs = draw(st.lists(st.lists(_word(), min_size=1, max_size=8), min_size=1, max_size=5))
    pieces = [r"{\rtf1\ansi\ansicpg1252{\fonttbl\f0\fswiss\fcharset0 Helvetica;}{\colortbl;\red0\green0\blue0;}\f0 "]
    expected: list[str] = []
    for words in paragraphs:
        for source, shown in words:
            pieces.append(source + draw(_BETWEEN))
            expected.append(shown)
        pieces.append(draw(st.sampled_from([r"\par ", "\\\n", r"\line ", "\\par\r\n"])))
    pieces.append("}")
    return "".join(pieces).encode("ascii"), expected


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(_document())
def test_generated_documents_give_every_word_once_in_order_and_no_rtf(generated):
    data, expected = generated
    t = parse_rtf(data, path="gen.rtf")
    assert texts(t) == expected
    assert_clean(t, rtf_text(data))
