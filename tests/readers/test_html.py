"""HTML transcripts (aligner.readers.html): saved web pages, HTML pasted into Markdown, labels, chrome, entities."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.transcripts import assert_plain_spans, body, heading_matter, section_titles, texts

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.readers.html import html_text, looks_like_html, parse_html
from aligner.types import TokenKind, Transcript

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXPORTS = FIXTURES / "transcripts" / "exports"
KOFI, AMA = "Kofi Sarpong", "Ama Owusu"
MARKUP = re.compile(r"[<>]|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def assert_clean(t: Transcript, plain: str) -> None:
    """No tag or entity text in any token, and every span is its token's text in the plain text, in order."""
    assert_plain_spans(plain, t, forbidden=MARKUP)


def html(fragment: str) -> Transcript:
    return parse_html(fragment, path="t.html")


# --- the fixtures, one per export ---------------------------------------------------------------


def test_a_saved_web_page_reads_its_transcript_only():
    path = EXPORTS / "saved_web_page.html"
    t = read_transcript(path)
    assert t.speakers == (KOFI, AMA)
    assert heading_matter(t) == [
        "Why", "birds", "sing", "at", "dawn",  # the article's own <header> holds the title
        "3", "May", "2024 ·", "by", "Kofi", "Sarpong",  # the byline, before the first label
        "The", "dawn", "chorus",  # a section heading inside the body
        "Subscribe", "to", "Birdsong", "Radio", "wherever", "you", "get", "your", "podcasts.",  # after the last <hr>
    ]  # fmt: skip
    assert section_titles(t) == ["Why", "birds", "sing", "at", "dawn", "The", "dawn", "chorus"]
    assert body(t) == [
        ("Welcome", KOFI), ("to", KOFI), ("Birdsong", KOFI), ("Radio.", KOFI), ("I’m", KOFI), ("Kofi,", KOFI),
        ("and", KOFI), ("today’s", KOFI), ("guest", KOFI), ("is", KOFI), ("Ama", KOFI), ("Owusu.", KOFI),
        ("[music]", KOFI),
        ("Thanks", AMA), ("for", AMA), ("having", AMA), ("me —", AMA), ("it’s", AMA), ("a", AMA), ("joy.", AMA),
        ("So", KOFI), ("why", KOFI), ("do", KOFI), ("they", KOFI), ("sing", KOFI), ("so", KOFI), ("early?", KOFI),
        ("Sound", AMA), ("carries", AMA), ("further", AMA), ("in", AMA), ("the", AMA), ("cool,", AMA),
        ("still", AMA), ("air,", AMA), ("as", AMA), ("one", AMA), ("study", AMA), ("showed.", AMA),
        ("[laughs]", AMA), ("The", AMA), ("birds &", AMA), ("the", AMA), ("bees,", AMA), ("really.", AMA),
    ]  # fmt: skip
    notes = [token.text for token in t.tokens if token.kind is TokenKind.NOTE]
    assert notes == ["[music]", "[laughs]"]
    # Nothing from the head, the scripts, the styles, the site header, the nav, the aside or the footer.
    for chrome in ("Tracking", "junk", "Episodes", "About", "Related", "Owls", "©", "2024 Birdsong", "word"):
        assert chrome not in texts(t)
    assert_clean(t, html_text(path.read_text(encoding="utf-8")))


def test_html_pasted_into_markdown_is_read_as_html():
    path = EXPORTS / "html_in_markdown.md"
    t = read_transcript(path)
    assert t.speakers == (KOFI, AMA)
    assert heading_matter(t) == section_titles(t) == ["Episode", "12:", "Field", "recordings"]
    assert body(t) == [
        ("We’re", KOFI), ("out", KOFI), ("in", KOFI), ("the", KOFI), ("field", KOFI), ("today.", KOFI),
        ("Listen …", AMA), ("that’s", AMA), ("a", AMA), ("wren.", AMA), ("[birdsong]", AMA),
        ("Amazing.", KOFI), ("It's", KOFI), ("so", KOFI), ("loud!", KOFI),
        ("Tiny", AMA), ("bird,", AMA), ("big", AMA), ("voice –", AMA), ("90", AMA), ("decibels.", AMA),
    ]  # fmt: skip
    assert read_transcript(path, transcript_format="html") == t
    assert_clean(t, html_text(path.read_text(encoding="utf-8")))


def test_an_old_page_of_bold_labels_and_double_line_breaks():
    path = EXPORTS / "bold_labels_br.htm"
    t = read_transcript(path)  # .htm, no doctype, no <p>: <br><br> separates the paragraphs
    assert t.speakers == ("KOFI", "AMA")
    assert heading_matter(t) == ["Transcript:", "Owls", "at", "night"]  # bold, but "Transcript" is no name
    assert body(t) == [
        ("Owls", "KOFI"), ("hunt", "KOFI"), ("by", "KOFI"), ("ear.", "KOFI"),  # <b>KOFI:</b>
        ("They", "AMA"), ("do.", "AMA"), ("Their", "AMA"), ("faces", "AMA"), ("are", "AMA"), ("dishes", "AMA"),
        ("for", "AMA"), ("sound.", "AMA"),
        ("Each", "AMA"), ("ear", "AMA"), ("sits", "AMA"), ("at", "AMA"), ("a", "AMA"), ("different", "AMA"),
        ("height.", "AMA"),  # one <br> continues the paragraph
        ("Remarkable.", "KOFI"),  # <b>KOFI</b><br>: a bold name filling its line
        ("And", "AMA"), ("silent", "AMA"), ("feathers\u00a0—", "AMA"), ("no", "AMA"), ("whoosh.", "AMA"),  # <b>AMA</b>:
    ]  # fmt: skip
    paragraphs = [token.paragraph for token in t.tokens if token.speaker == "AMA"]
    assert paragraphs[0] == paragraphs[-12]  # "They do ..." and "Each ear ..." are one paragraph
    assert_clean(t, html_text(path.read_text(encoding="utf-8")))


def test_the_fixture_episode_as_a_web_page_reads_as_its_markdown():
    as_html = read_transcript(EXPORTS / "episode.html")
    as_markdown = read_transcript(FIXTURES / "episode" / "episode.md")

    def view(t: Transcript) -> list[tuple[object, ...]]:
        return [(k.text, k.kind, k.speaker, k.paragraph, k.is_heading, k.is_section_title) for k in t.tokens]

    assert view(as_html) == view(as_markdown)
    assert as_html.speakers == as_markdown.speakers == ("Jane Miller", "Sam Carter")
    assert_clean(as_html, html_text((EXPORTS / "episode.html").read_text(encoding="utf-8")))


# --- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        '<p><span class="speaker">Kofi Sarpong</span> Hello there.</p>',
        '<p><span class="speaker">Kofi Sarpong</span>: Hello there.</p>',
        '<p><span class="transcript__speaker-name">Kofi Sarpong:</span> Hello there.</p>',
        "<p><b>Kofi Sarpong:</b> Hello there.</p>",
        "<p><strong>Kofi Sarpong</strong>: Hello there.</p>",
        "<p><strong>Kofi Sarpong: Hello</strong> there.</p>",
        "<p><b>Kofi Sarpong</b><br>Hello there.</p>",
        "<p><b>Kofi Sarpong</b></p><p>Hello there.</p>",
        '<p class="speaker">Kofi Sarpong</p><p>Hello there.</p>',
        '<div class="speaker">Kofi Sarpong:</div><div class="text">Hello there.</div>',
        '<p class="speaker">Kofi Sarpong<p>Hello there.',  # the first <p> is ended by the second
        "<h3>Kofi Sarpong</h3><p>Hello there.</p>",
        "<p><b>Kofi Sarpong</b>\n  : Hello there.</p>",
    ],
)
def test_label_forms(paragraph):
    t = html(paragraph + "<p><b>Ama Owusu:</b> Hi.</p>")
    assert body(t) == [("Hello", KOFI), ("there.", KOFI), ("Hi.", AMA)]
    assert t.speakers == (KOFI, AMA)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("<p><b>Note</b> that owls are quiet.</p>", ["Note", "that", "owls", "are", "quiet."]),  # no colon
        ("<p><strong>Update:</strong> owls are quiet.</p>", ["Update:", "owls", "are", "quiet."]),  # no name
        ("<p><b>Why owls are quiet</b></p><p>Feathers.</p>", ["Why", "owls", "are", "quiet", "Feathers."]),
        ("<p>Some <b>Kofi:</b> bold inside.</p>", ["Some", "Kofi:", "bold", "inside."]),  # not at the start
        ('<div class="speaker-turn"><p>Owls are quiet.</p></div>', ["Owls", "are", "quiet."]),  # a container
        ("<p>Remember: owls are quiet.</p>", ["Remember:", "owls", "are", "quiet."]),  # a plain Name: once
    ],
)
def test_what_is_not_a_label(page, expected):
    t = html(page)
    assert texts(t) == expected
    assert t.speakers == ()


def test_plain_name_colon_labels_need_the_evidence_markdown_asks_for():
    twice = html("<p>Kofi: Owls.</p><p>Ama: Yes.</p><p>Kofi: Quiet.</p><p>Ama: Very.</p>")
    assert twice.speakers == ("Kofi", "Ama")
    assert body(twice) == [("Owls.", "Kofi"), ("Yes.", "Ama"), ("Quiet.", "Kofi"), ("Very.", "Ama")]
    distinctive = html("<p><b>Ama Owusu:</b> Owls.</p><p>Kofi Sarpong: Yes.</p>")  # beside another label
    assert distinctive.speakers == (AMA, KOFI)
    once = html("<p>Kofi: Owls.</p><p>Quiet.</p>")
    assert once.speakers == () and texts(once) == ["Kofi:", "Owls.", "Quiet."]


def test_h1_h2_names_are_labels_only_when_used_twice():
    once = html("<h1>Kofi Sarpong</h1><p>Owls.</p>")
    assert once.speakers == () and section_titles(once) == ["Kofi", "Sarpong"]
    twice = html("<h2>Kofi Sarpong</h2><p>Owls.</p><h2>Ama Owusu</h2><p>Yes.</p><h2>Kofi Sarpong</h2><p>Hm.</p>")
    assert twice.speakers == (KOFI,)  # Ama Owusu's one h2 is a section title, spoken by no one
    assert section_titles(twice) == ["Ama", "Owusu"]
    assert body(twice) == [("Owls.", KOFI), ("Yes.", KOFI), ("Hm.", KOFI)]  # as in Markdown: a title ends no turn


def test_role_labels_read_as_the_markdown_of_the_same_transcript():
    """Bold, speaker-span and role-only labels with roles: the speakers, roles and words of role_labels.md."""
    t = read_transcript(EXPORTS / "html_role_labels.html")
    markdown = read_transcript(EXPORTS / "role_labels.md")
    assert t.speakers == markdown.speakers == ("Priya Mehta", "Dr. Lee", "Casey", "Caller")
    assert t.speaker_roles == markdown.speaker_roles
    assert t.speaker_roles == (("Priya Mehta", "host"), ("Dr. Lee", "guest"), ("Casey", "caller"), ("Caller", "caller"))
    assert [(x.text, x.speaker, x.is_heading) for x in t.tokens] == [
        (x.text, x.speaker, x.is_heading) for x in markdown.tokens
    ]
    assert_clean(t, html_text((EXPORTS / "html_role_labels.html").read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("paragraph", "role"),
    [
        ("<p><strong>Kofi Sarpong (guest):</strong> Hello there.</p>", "guest"),
        ("<p><b>Kofi Sarpong (guest)</b>: Hello there.</p>", "guest"),
        ("<p><b>Kofi Sarpong</b> (guest): Hello there.</p>", "guest"),  # the role outside the bold
        ('<p><span class="speaker">Kofi Sarpong, guest host</span> Hello there.</p>', "guest host"),
        ("<p><b>Kofi Sarpong (guest)</b><br>Hello there.</p>", "guest"),
        ("<h3>Kofi Sarpong (guest)</h3><p>Hello there.</p>", "guest"),
        ("<p><b>Kofi Sarpong (he/him):</b> Hello there.</p>", None),  # pronouns: no role
    ],
)
def test_label_forms_with_a_role(paragraph, role):
    t = html(paragraph + "<p><b>Ama Owusu:</b> Hi.</p>")
    assert body(t) == [("Hello", KOFI), ("there.", KOFI), ("Hi.", AMA)]
    assert t.speaker_roles == (((KOFI, role),) if role else ())


def test_a_plain_name_colon_with_a_role_is_distinctive_beside_other_labels():
    t = html("<p><b>Ama Owusu:</b> Lines are open.</p><p>Casey (caller): Hi.</p>")
    assert t.speakers == (AMA, "Casey")
    assert t.speaker_roles == (("Casey", "caller"),)
    assert body(t)[-1] == ("Hi.", "Casey")


def test_a_bracketed_note_alone_is_no_role_label():
    t = html("<p><b>Ama Owusu:</b> Lines are open.</p><p>[laughs]</p><p>Hi.</p>")
    assert t.speakers == (AMA,)
    assert [(x.text, x.kind) for x in t.tokens][-2:] == [("[laughs]", TokenKind.NOTE), ("Hi.", TokenKind.WORD)]


# --- what is skipped, blocks and text -------------------------------------------------------------


def test_head_scripts_styles_comments_and_page_chrome_are_skipped():
    page = """<html><head><title>Page title</title><meta charset="utf-8">
    <style>p::before { content: "<b>styled</b>"; }</style></head><body>
    <header><h1>Site name</h1></header><nav>Home Episodes</nav>
    <p>Owls <!-- a note to the editor --> are <script>document.write("<p>scripted</p>")</script>quiet.</p>
    <noscript>Enable JavaScript</noscript><aside>Related</aside><form><button>Play</button>
    <select><option>1x</option></select><textarea>Comment</textarea></form>
    <template><p>later</p></template><svg><text>drawn</text></svg><img alt="An owl" src="owl.jpg">
    <footer>Copyright</footer></body></html>"""
    assert texts(html(page)) == ["Owls", "are", "quiet."]


def test_a_page_with_a_main_is_read_inside_it_only():
    page = "<body><div>Cookie banner.</div><main><p>Owls are quiet.</p></main><div>Share this.</div></body>"
    assert texts(html(page)) == ["Owls", "are", "quiet."]
    no_main = "<body><div>Cookie banner.</div><p>Owls are quiet.</p></body>"
    assert texts(html(no_main)) == ["Cookie", "banner.", "Owls", "are", "quiet."]


def test_an_article_header_is_kept_and_a_page_header_is_not():
    page = "<header>Site</header><article><header><h1>Owls</h1></header><p>Quiet.</p><footer>Tags</footer></article>"
    assert texts(html(page)) == ["Owls", "Quiet.", "Tags"]


@pytest.mark.parametrize(
    ("entity", "shown"),
    [
        ("I&rsquo;m", "I’m"),
        ("I&#8217;m", "I’m"),
        ("I&#x2019;m", "I’m"),
        ("R&amp;D", "R&D"),
        ("caf&eacute;", "café"),
        ("&ldquo;Owls&rdquo;", "“Owls”"),
        ("R&ampD", "R&D"),  # a legacy reference without its semicolon, as browsers read it
        ("&lt;b&gt;", "<b>"),  # escaped markup is the text itself
        ("a&b", "a&b"),  # a bare ampersand
    ],
)
def test_entities_are_decoded(entity, shown):
    assert texts(html(f"<p>Owls {entity} here.</p>")) == ["Owls", shown, "here."]


def test_spans_index_the_plain_text():
    page = "<p><b>Kofi Sarpong:</b> R&amp;D&nbsp;is\n   <i>fun</i>.<br>Yes.</p>\n\n<p>[music]</p>"
    plain = html_text(page)
    assert plain == "Kofi Sarpong: R&D\u00a0is fun.\nYes.\n\n[music]"
    t = html(page)
    assert [(k.text, k.start_char, k.end_char) for k in t.tokens] == [
        ("R&D", 14, 17),
        ("is", 18, 20),
        ("fun.", 21, 25),
        ("Yes.", 26, 30),
        ("[music]", 32, 39),
    ]
    assert_clean(t, plain)


def test_blocks_and_implied_ends():
    page = "<ul><li>One<li>two</ul><p>three<p>four<table><tr><td>five<td>six<tr><td>seven</table><pre>a  b\n c</pre>"
    t = html(page)
    assert texts(t) == ["One", "two", "three", "four", "five", "six", "seven", "a", "b", "c"]
    assert len({k.paragraph for k in t.tokens}) == 8  # each item, paragraph and cell; <pre> is one
    assert html_text(page).endswith("seven\n\na  b\n c")  # <pre> keeps its spaces and lines


def test_dividers_and_closing_matter():
    t = html("<p><b>Kofi:</b> Owls.</p><hr><p><b>Ama:</b> Yes.</p><hr><p>Subscribe now.</p>")
    assert body(t) == [("Owls.", "Kofi"), ("Yes.", "Ama")]
    assert heading_matter(t) == ["Subscribe", "now."]


def test_a_page_of_timestamped_speaker_lines_reads_as_that_format():
    t = html("<p>Kofi Sarpong (00:00:01): Owls.</p><p>Ama Owusu (00:00:04): Quiet ones.</p>")
    assert body(t) == [("Owls.", KOFI), ("Quiet", AMA), ("ones.", AMA)]
    assert [(t.tokens[s.token_index].text, s.time_ms) for s in t.stamps] == [("Owls.", 1000), ("Quiet", 4000)]


@pytest.mark.parametrize(
    "page",
    ["", "<html><head><title>Only a title</title></head><body></body></html>", "<nav>Home</nav><p>[music]</p>"],
)
def test_a_page_without_words_is_a_one_line_error(page):
    with pytest.raises(TranscriptError, match=r"^t\.html: holds no words to align$"):
        html(page)


@pytest.mark.parametrize(
    "page",
    [
        "<p>Owls</p><![bogus[ x ]]><p>quiet.</p>",  # html.parser raises here; a browser skips it as a comment
        "<p>Owls</p><![if !supportLists]><p>quiet.</p><![endif]>",  # Word's saved pages
        "<p>Owls</p><!ELEMENT x><p>quiet.</p>",
        "<p>Owls</p><p>quiet.</p><b",  # a tag cut off by the end of the file shows nothing
        "<p>Owls</p><p>quiet.</p><!-- an unclosed comment",
    ],
)
def test_odd_declarations_and_a_cut_off_end_are_skipped_as_browsers_do(page):
    assert texts(html(page)) == ["Owls", "quiet."]


def test_a_parser_complaint_is_a_one_line_error(monkeypatch):
    def complain(self, data):
        raise AssertionError("unknown status keyword 'x' in marked section")

    monkeypatch.setattr("aligner.readers.html._PageReader.feed", complain)
    with pytest.raises(TranscriptError, match=r"^t\.html: is not readable HTML \(unknown status keyword"):
        html("<p>Owls</p>")


# --- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html>\n<p>Hi</p>", True),
        ("\ufeff<!doctype html><title>x</title>", True),
        ('<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">\n<html>', True),
        ("<!-- saved from url=(0014)about:internet -->\n<html lang=en>", True),
        ("<p>One</p>\n<p>Two</p>\n\nSome text\n", True),  # most lines are block tags
        ("<h2 class=x>Title</h2>\n<div>\n</div>\n", True),
        ("**Kofi**\n\nHello <br> there.\n\n<div>one</div>\n\nMore text.\n", False),  # sporadic inline HTML
        ("# Title\n\nKofi: Hello <b>there</b>.\n", False),
        ("<!-- a comment -->\nHello.\n", False),
        ("<pa>not a tag I know</pa>\n", False),
        ("", False),
    ],
)
def test_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


# --- generated pages ------------------------------------------------------------------------------

_LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_ENTITIES = [("&rsquo;", "’"), ("&#8217;", "’"), ("&#x2019;", "’"), ("&amp;", "&"), ("&eacute;", "é"), ("", "")]
_JUNK = st.sampled_from(
    [
        "<script>if (a < b && c > d) { x = '<p>ZZZ</p>'; }</script>",
        "<style>p::after { content: '<b>ZZZ</b> &amp;'; }</style>",
        "<!-- ZZZ <p>hidden</p> -->",
        "<nav><a href='/'>ZZZ</a></nav>",
        "<noscript>ZZZ</noscript>",
        "<img alt='ZZZ' src='x.png'>",
        "",
    ]
)
_SPACE = st.sampled_from([" ", "  ", "\n", "\n  ", "\t"])


@st.composite
def _word(draw: st.DrawFn) -> tuple[str, str]:
    """(the word as HTML, as shown): letters, maybe an entity inside, maybe an inline tag round part of it."""
    head, tail = draw(_LETTERS), draw(st.one_of(st.just(""), _LETTERS))
    source, shown = draw(st.sampled_from(_ENTITIES))
    tag = draw(st.sampled_from(["", "b", "i", "em", "strong", "span", "a"]))
    if tag and tail:
        attributes = ' href="https://example.org/?a=1&amp;b=2"' if tag == "a" else ' class="x"' if tag == "span" else ""
        return f"{head}{source}<{tag}{attributes}>{tail}</{tag}>", head + shown + tail
    return head + source + tail, head + shown + tail


@st.composite
def _page(draw: st.DrawFn) -> tuple[str, list[str]]:
    paragraphs = draw(st.lists(st.lists(_word(), min_size=1, max_size=8), min_size=1, max_size=5))
    out: list[str] = [draw(_JUNK)]
    expected: list[str] = []
    for words in paragraphs:
        block = draw(st.sampled_from(["p", "div", "li", "blockquote", "td"]))
        pieces = []
        for source, shown in words:
            pieces.append(source)
            pieces.append(draw(st.one_of(_SPACE, _JUNK.map(lambda junk: f" {junk} "), st.just("<br>"))))
            expected.append(shown)
        out.append(f"<{block}>{''.join(pieces)}</{block}>{draw(_JUNK)}")
    return "".join(out), expected


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(_page())
def test_generated_pages_give_every_word_once_in_order_and_no_markup(generated):
    page, expected = generated
    t = parse_html(page, path="gen.html")
    assert texts(t) == expected
    assert_clean(t, html_text(page))


# --- plain "Name:" labels decided by structure, as Markdown decides them -------------------------------


def test_two_speakers_who_each_talk_once_with_plain_colon_labels() -> None:
    t = parse_html("<html><body><p>Jane Miller: Hello there.</p><p>Sam Carter: Yes.</p></body></html>", path="t.html")
    assert t.speakers == ("Jane Miller", "Sam Carter")
    assert body(t) == [("Hello", "Jane Miller"), ("there.", "Jane Miller"), ("Yes.", "Sam Carter")]


def test_a_caller_who_talks_once_among_plain_colon_turns() -> None:
    page = "<p>Host: Welcome back.</p><p>Guest: Thanks.</p><p>Host: A call.</p><p>Casey: Hi, long time listener.</p>"
    t = parse_html(f"<html><body>{page}</body></html>", path="t.html")
    assert t.speakers == ("Host", "Guest", "Casey")
    assert [w for w, s in body(t) if s == "Casey"] == ["Hi,", "long", "time", "listener."]


def test_one_colon_opening_among_prose_paragraphs_stays_text() -> None:
    prose = "".join(f"<p>Paragraph {n} goes on about the river and the valley.</p>" for n in range(4))
    t = parse_html(
        f"<html><body><p>Kim: this is what she said.</p>{prose}<p>Lee: and so on.</p></body></html>", path="t.html"
    )
    assert t.speakers == ()
    assert texts(t)[:2] == ["Kim:", "this"]
