"""The review page as markup, read by Python's own HTML parser (the browser tests run it).

Checks what a parser can see without running anything: one element per
token, escaped text, no resource from outside, a CSP whose hashes match the
inline CSS and script, and the audio found by a path relative to the page.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import itertools
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.handmade import tricky_result

from aligner.options import OutputOptions
from aligner.writers import audio_href, write_outputs
from aligner.writers.html import render_html


class _Page(HTMLParser):
    """Collects the tags, the text of every .w element and the inline blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.words: list[dict] = []
        self._in_word: dict | None = None
        self._block: str | None = None
        self.blocks: dict[str, str] = {"style": "", "script": ""}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "span" and "w" in (attributes.get("class") or "").split():
            self._in_word = {"attrs": attributes, "text": ""}
        if tag in self.blocks:
            self._block = tag

    def handle_endtag(self, tag):
        if tag == "span" and self._in_word is not None:
            self.words.append(self._in_word)
            self._in_word = None
        if tag == self._block:
            self._block = None

    def handle_data(self, data):
        if self._in_word is not None:
            self._in_word["text"] += data
        if self._block is not None:
            self.blocks[self._block] += data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_every_token_is_one_escaped_word_element():
    result = tricky_result()
    page = _parse(render_html(result, OutputOptions(audio_href="episode.mp3")))
    assert [w["text"] for w in page.words] == [w.token.text for w in result.words]
    assert [int(w["attrs"]["data-i"]) for w in page.words] == list(range(len(result.words)))
    for element, word in zip(page.words, result.words):
        classes = element["attrs"]["class"].split()
        assert word.status.value.replace("_", "-") in classes
        if word.start_ms is None:
            assert "data-start" not in element["attrs"] and "data-seek" in element["attrs"]
        else:
            assert float(element["attrs"]["data-start"]) == word.start_ms / 1000
    # the only script and image tags are our own script; the <script>/<img> words are text
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert "img" not in [tag for tag, _ in page.tags]
    low = [w for w in page.words if "low" in w["attrs"]["class"].split()]
    assert [w["text"] for w in low] == ["Interpolated", "maybe?"]  # interpolated 0.25, matched 0.4


def test_page_loads_nothing_but_its_audio_and_its_csp_allows_only_its_own_inline_blocks():
    text = render_html(tricky_result(), OutputOptions(audio_href="../audio/ep%201.mp3"))
    page = _parse(text)
    sources = [(tag, a.get("src") or a.get("href")) for tag, a in page.tags if a.get("src") or (tag == "link")]
    assert sources == [("audio", "../audio/ep%201.mp3")]
    assert not re.search(r"(?i)\b(?:https?:)?//", page.blocks["style"] + page.blocks["script"])
    (csp,) = [
        a["content"] for tag, a in page.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert "default-src 'none'" in csp
    assert f"style-src {_sha(page.blocks['style'])};" in csp
    assert f"script-src {_sha(page.blocks['script'])};" in csp
    links = [a["href"] for tag, a in page.tags if tag == "a"]
    assert links and all(href.startswith("#") for href in links)


def test_disagreements_list_missing_text_and_unscripted_speech_with_seek_targets():
    result = tricky_result()
    page = _parse(render_html(result, OutputOptions()))
    items = [a for tag, a in page.tags if tag == "a" and a.get("href", "").startswith(("#w", "#a"))]
    seeks = {a["href"]: float(a["data-seek"]) for a in items if "data-seek" in a}
    cut = next(m for m in result.missing if m.after_ms is not None)
    assert seeks[f"#w{cut.first_word}"] == cut.after_ms / 1000
    assert seeks["#a0"] == result.audio_only[0].start_ms / 1000


def test_the_page_lists_what_aligner_cut_would_cut():
    from aligner.types import ExtraWord

    result = tricky_result()
    timed = [w for w in result.words if w.start_ms is not None and w.token.kind.value == "word"]
    a = next(a for a, b in itertools.pairwise(timed) if (b.start_ms or 0) - (a.end_ms or 0) >= 300)
    um = ExtraWord("um,", (a.end_ms or 0) + 100, (a.end_ms or 0) + 250)
    page = render_html(dataclasses.replace(result, extra_words=(um,)), OutputOptions())
    assert "would cut (1, about 0.1 s)" in page
    assert '<li class="cut"><span class="kind">filler</span><a href="#w' in page
    assert f'data-seek="{um.start_ms / 1000:g}">0:04–0:04</a><q>um,</q>' in page
    assert "would cut (0," in render_html(result, OutputOptions())


@pytest.mark.parametrize(
    ("audio", "out", "expected"),
    [
        ("episode.mp3", ".", "episode.mp3"),
        ("episode.mp3", "out", "../episode.mp3"),
        ("media/My Show #3?.mp3", "site/review", "../../media/My%20Show%20%233%3F.mp3"),
        ("out/ep.mp3", "out", "ep.mp3"),
    ],
)
def test_audio_href_is_relative_to_the_output_folder(tmp_path, monkeypatch, audio, out, expected):
    monkeypatch.chdir(tmp_path)
    assert audio_href(audio, Path(out)) == expected
    assert audio_href(os.path.abspath(audio), Path(out).resolve()) == expected


def test_write_outputs_fills_in_the_relative_audio_path(tmp_path):
    result = dataclasses.replace(tricky_result(), audio_path=str(tmp_path / "audio" / "episode one.mp3"))
    (path,) = write_outputs(
        result, out_dir=tmp_path / "review", stem="episode", output=OutputOptions(formats=("html",))
    )
    sources = [a["src"] for tag, a in _parse(path.read_text(encoding="utf-8")).tags if tag == "audio"]
    assert sources == ["../audio/episode%20one.mp3"]
    (given,) = write_outputs(
        result,
        out_dir=tmp_path / "review",
        stem="episode",
        output=OutputOptions(formats=("html",), audio_href="https://cdn.example.com/e1.mp3"),
    )
    assert [a["src"] for tag, a in _parse(given.read_text(encoding="utf-8")).tags if tag == "audio"] == [
        "https://cdn.example.com/e1.mp3"
    ]
