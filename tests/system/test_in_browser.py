"""Our WebVTT and review page in a real browser: headless Chromium (Debian's ``chromium``).

The browser is the independent reader: its WebVTT parser must find every cue
with the same start, end, text and speaker as our JSON says, and the review
page must work when a person uses it (a click seeks the player, the spoken
word lights up, nothing is fetched from the network, a ``<script>`` in the
transcript stays text).

Chromium is installed by ``.ci/run``. Outside CI a machine without it skips
these tests; in CI (``CI`` set) a missing browser fails them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from support.chromium import Chromium, find_chromium, serve
from support.handmade import tricky_result
from support.paths import EPISODE

from aligner.options import OutputOptions
from aligner.timecode import parse_timestamp
from aligner.writers import write_outputs
from aligner.writers.json import result_to_dict

pytestmark = pytest.mark.browser

# Reads every cue of the page's <track id="t"> once it has loaded, as the browser parsed it.
READ_TRACK = """(async () => {
  const element = document.getElementById("t");
  element.track.mode = "hidden";
  if (element.readyState !== 2) {
    await new Promise((resolve, reject) => {
      element.addEventListener("load", resolve);
      element.addEventListener("error", () => reject(new Error("the track did not load")));
    });
  }
  return Array.from(element.track.cues).map((cue) => {
    const fragment = cue.getCueAsHTML();
    const stamps = [];
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.PROCESSING_INSTRUCTION_NODE && child.target === "timestamp") {
          stamps.push(child.data);
        }
        walk(child);
      }
    };
    walk(fragment);
    return {
      id: cue.id, start: cue.startTime, end: cue.endTime, text: fragment.textContent,
      voices: Array.from(fragment.querySelectorAll("span[title]")).map((span) => span.title),
      stamps: stamps,
    };
  });
})()"""

WAIT_FOR_AUDIO = """(async () => {
  const player = document.getElementById("player");
  if (player.readyState < 1) {
    await new Promise((resolve, reject) => {
      player.addEventListener("loadedmetadata", resolve);
      player.addEventListener("error", () => reject(new Error("audio failed to load: " + player.error.code)));
    });
  }
  return player.duration;
})()"""


def _chromium_or_skip() -> str:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); these tests run in CI")
    return executable


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole module."""
    with Chromium(_chromium_or_skip()) as chromium:
        yield chromium


def _track_page(folder: Path, vtt_name: str, audio_name: str) -> None:
    (folder / "track.html").write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>track</title></head><body>\n'
        f'<audio id="player" controls preload="metadata" src="{audio_name}">'
        f'<track id="t" kind="captions" srclang="en" label="English" src="{vtt_name}"></audio>\n'
        "</body></html>\n",
        encoding="utf-8",
    )


def _read_cues(browser: Chromium, folder: Path, vtt_name: str, audio_name: str = "episode.mp3") -> list[dict]:
    _track_page(folder, vtt_name, audio_name)
    with serve(folder) as base:
        browser.navigate(base + "track.html")
        return browser.evaluate(READ_TRACK)


def _assert_same_cues(parsed: list[dict], cues: list[dict]) -> None:
    assert len(parsed) == len(cues) > 0
    for seen, cue in zip(parsed, cues):
        assert seen["start"] == pytest.approx(cue["start"], abs=5e-4), cue
        assert seen["end"] == pytest.approx(cue["end"], abs=5e-4), cue
        assert seen["text"] == "\n".join(cue["lines"]), cue
        speaker = " ".join(cue["speaker"].split()) if cue["speaker"] and not cue["is_note"] else None
        assert seen["voices"] == ([speaker] if speaker else []), cue  # a note cue is in no voice


@pytest.mark.model
def test_browser_reads_every_cue_of_the_fixture_vtt(browser, episode_result, tmp_path):
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", output=OutputOptions(formats=("vtt", "json")))
    shutil.copy(EPISODE / "episode.mp3", tmp_path / "episode.mp3")
    cues = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["cues"]
    parsed = _read_cues(browser, tmp_path, "episode.vtt")
    _assert_same_cues(parsed, cues)
    assert [p["stamps"] for p in parsed] == [[] for _ in parsed]


def test_browser_reads_markup_like_text_and_spaced_speaker_names(browser, tmp_path):
    result = tricky_result()
    write_outputs(result, out_dir=tmp_path, stem="tricky", output=OutputOptions(formats=("vtt",)))
    shutil.copy(EPISODE / "episode.mp3", tmp_path / "episode.mp3")
    cues = result_to_dict(result)["cues"]
    parsed = _read_cues(browser, tmp_path, "tricky.vtt")
    _assert_same_cues(parsed, cues)
    texts = "\n".join(p["text"] for p in parsed)
    for hazard in ("Tom & Jerry <3", "-->", "a-->b", "</c>", "&amp;", "<script>window.__pwned"):
        assert hazard in texts
    assert {v for p in parsed for v in p["voices"]} == {"Dr. Ann Lee Smith", "Rock & <Roll> Host"}


TICK = 1.5e-3  # one millisecond, and float slack


def _assert_karaoke(parsed: list[dict], document: dict, *, min_share: float) -> None:
    cues = document["cues"]
    _assert_same_cues(parsed, cues)
    stamped = later_words = 0
    for seen, cue in zip(parsed, cues):
        # Chromium re-serialises each timestamp from a double, so 2.010 may read "00:00:02.009": allow 1 ms
        stamps = [parse_timestamp(s) / 1000 for s in seen["stamps"]]
        starts = [document["words"][i]["start"] for i in cue["words"]]
        assert stamps == sorted(set(stamps)), cue  # strictly increasing
        assert all(cue["start"] - TICK < s < cue["end"] for s in stamps), cue
        later = starts[1:]  # each stamp is the start of one of the cue's later words, in order
        position = 0
        for s in stamps:
            while position < len(later) and abs(later[position] - s) > TICK:
                position += 1
            assert position < len(later), (s, cue)
            position += 1
        stamped += len(stamps)
        later_words += len(later)
    assert later_words > 0 and stamped >= min_share * later_words


@pytest.mark.model
def test_browser_reads_word_timestamps_of_the_fixture_karaoke_vtt(browser, episode_result, tmp_path):
    write_outputs(
        episode_result,
        out_dir=tmp_path,
        stem="episode",
        output=OutputOptions(formats=("vtt", "json"), vtt_words=True),
    )
    shutil.copy(EPISODE / "episode.mp3", tmp_path / "episode.mp3")
    document = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))
    parsed = _read_cues(browser, tmp_path, "episode.vtt")
    _assert_karaoke(parsed, document, min_share=0.9)


def test_browser_reads_word_timestamps_between_markup_like_words(browser, tmp_path):
    result = tricky_result()
    write_outputs(result, out_dir=tmp_path, stem="tricky", output=OutputOptions(formats=("vtt",), vtt_words=True))
    shutil.copy(EPISODE / "episode.mp3", tmp_path / "episode.mp3")
    parsed = _read_cues(browser, tmp_path, "tricky.vtt")
    _assert_karaoke(parsed, result_to_dict(result), min_share=1.0)


# --- the review page -----------------------------------------------------------------------

READ_WORDS = """Array.from(document.querySelectorAll(".w")).map((el) => ({
  i: Number(el.dataset.i), text: el.textContent, classes: Array.from(el.classList),
  start: el.dataset.start === undefined ? null : Number(el.dataset.start),
}))"""

PLAYER_TIME = "document.getElementById('player').currentTime"


def settled_time(browser: Chromium, expected: float) -> float:
    """The player's time once its seek has finished (the page runs one seek at a time)."""
    return browser.evaluate(
        f"""(async () => {{
          const player = document.getElementById("player");
          for (let k = 0; k < 500; k++) {{  // a bound, not a timing
            if (!player.seeking && Math.abs(player.currentTime - {expected}) < 1e-3) {{ break; }}
            await new Promise((resolve) => setTimeout(resolve, 10));
          }}
          return player.currentTime;
        }})()"""
    )


CURRENT_WORD = """(async () => {
  for (let k = 0; k < 500; k++) {  // a bound, not a timing
    const el = document.querySelector(".w.current");
    if (el) { return Number(el.dataset.i); }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
})()"""


def _review_site(result, tmp_path: Path) -> tuple[Path, dict]:
    """tmp/episode.mp3 and tmp/out/episode.{html,json}: the page finds the audio at ../episode.mp3."""
    shutil.copy(EPISODE / "episode.mp3", tmp_path / "episode.mp3")
    write_outputs(result, out_dir=tmp_path / "out", stem="episode", output=OutputOptions(formats=("html", "json")))
    document = json.loads((tmp_path / "out" / "episode.json").read_text(encoding="utf-8"))
    return tmp_path / "out" / "episode.html", document


@pytest.fixture
def episode_for_page(episode_result, tmp_path):
    # the page's audio path is relative to its folder: make the result name the copied audio
    import dataclasses

    return dataclasses.replace(episode_result, audio_path=str(tmp_path / "episode.mp3"))


@pytest.mark.model
def test_review_page_in_the_browser(browser, episode_for_page, tmp_path):
    page, document = _review_site(episode_for_page, tmp_path)
    assert 'src="../episode.mp3"' in page.read_text(encoding="utf-8")
    with serve(tmp_path) as base:
        browser.send("Network.enable")
        browser.navigate(base + "out/episode.html")
        duration = browser.evaluate(WAIT_FOR_AUDIO)
        requested = {
            e["params"]["request"]["url"] for e in browser.events if e["method"] == "Network.requestWillBeSent"
        }
        requested = {url for url in requested if not url.startswith("data:")}  # the player's own icons
        browser.send("Network.disable")
        assert duration == pytest.approx(document["audio"]["duration"], abs=0.1)
        # nothing but the page itself and the episode audio (no CDN, fonts or scripts)
        assert requested <= {base + "out/episode.html", base + "episode.mp3"}, requested

        words = browser.evaluate(READ_WORDS)
        assert len(words) == len(document["words"])
        for seen, word in zip(words, document["words"]):
            assert seen["i"] == word["index"] and seen["text"] == word["text"]
            assert word["status"].replace("_", "-") in seen["classes"]
            low = word["status"] != "not_in_audio" and word["confidence"] < 0.5
            assert ("low" in seen["classes"]) == low, word
            assert seen["start"] == word["start"]
        assert any("interpolated" in w["classes"] for w in words) and any("low" in w["classes"] for w in words)

        # clicking a word seeks the player to its start, and that word is highlighted
        target = next(
            w
            for w in document["words"]
            if w["status"] == "matched" and w["start"] > 20 and w["end"] - w["start"] >= 0.1
        )
        browser.click(f"#w{target['index']}")
        assert settled_time(browser, target["start"]) == pytest.approx(target["start"], abs=1e-3)
        assert browser.evaluate(CURRENT_WORD) == target["index"]

        # each disagreement in the list is a link that seeks there
        missing = next(m for m in document["missing"] if m["after"] is not None)
        browser.click(f'aside.issues a[href="#w{missing["first_word"]}"]')
        assert settled_time(browser, missing["after"]) == pytest.approx(missing["after"], abs=1e-3)
        assert browser.evaluate("location.hash") == f"#w{missing['first_word']}"
        listed = browser.evaluate("document.querySelectorAll('aside.issues ol:not(.cuts) li a[data-seek]').length")
        assert listed == len(document["missing"]) + len(document["audio_only"])

        # during playback the highlighted word is the one at the player's time
        spoken = [w for w in document["words"] if w["start"] is not None]
        browser.click(f"#w{target['index']}")
        assert settled_time(browser, target["start"]) == pytest.approx(target["start"], abs=1e-3)
        state = browser.evaluate(
            f"""(async () => {{
              const player = document.getElementById("player");
              await Promise.race([player.play(), new Promise((resolve) => setTimeout(resolve, 20000))]);
              for (let k = 0; k < 3000 && player.currentTime < {target["start"] + 1.5}; k++) {{  // a bound, not a timing
                await new Promise((resolve) => setTimeout(resolve, 10));
              }}
              await new Promise((resolve) => {{
                player.addEventListener("pause", resolve, {{once: true}});
                player.pause();
              }});
              return {{time: player.currentTime, readyState: player.readyState, seeking: player.seeking}};
            }})()"""
        )
        assert state["time"] >= target["start"] + 1.5, state
        now = browser.evaluate(PLAYER_TIME)
        assert now >= target["start"] + 1.5
        started = [w for w in spoken if w["start"] <= now]  # the latest word to start, while it lasts
        expected = (
            started[-1]["index"] if started and now < max(started[-1]["end"], started[-1]["start"] + 0.001) else None
        )
        current = browser.evaluate(
            "(() => { const el = document.querySelector('.w.current'); return el ? Number(el.dataset.i) : null; })()"
        )
        assert current == expected, (now, started[-2:])

        shot = browser.screenshot(tmp_path / "review.png")
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 20_000


@pytest.mark.model
def test_review_page_opened_from_disk_finds_its_audio(browser, episode_for_page, tmp_path):
    page, document = _review_site(episode_for_page, tmp_path)
    browser.navigate(page.as_uri())
    assert browser.evaluate(WAIT_FOR_AUDIO) == pytest.approx(document["audio"]["duration"], abs=0.1)


def test_review_page_shows_script_in_the_transcript_as_text(browser, tmp_path):
    result = tricky_result()
    write_outputs(result, out_dir=tmp_path, stem="tricky", output=OutputOptions(formats=("html",)))
    with serve(tmp_path) as base:
        browser.navigate(base + "tricky.html")
        words = browser.evaluate(READ_WORDS)
        assert [w["text"] for w in words] == [w.token.text for w in result.words]
        assert browser.evaluate("typeof window.__pwned") == "undefined"
        assert browser.evaluate("document.querySelectorAll('script').length") == 1
        assert browser.evaluate("document.querySelectorAll('img').length") == 0
        speakers = browser.evaluate(
            "Array.from(document.querySelectorAll('.turn h2')).map((h) => h.firstChild.textContent.trim())"
        )
        assert "Rock & <Roll> Host" in speakers
        issues = browser.evaluate("document.querySelector('aside.issues').textContent")
        assert "Cut<b>& sentence." in issues and "an ad <read> & more" in issues
        assert "Queries" not in issues  # a heading not read aloud is not listed as missing
