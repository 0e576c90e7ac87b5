"""Hesitations no recognizer wrote (aligner.cut.unheard): the energy test on made samples, the forced-aligner
test's rule with a stand-in aligner, and both on the fixture episode's real "um" with the real pocketsphinx."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from support.handmade import M, make_result

from aligner.cut.plan import kept_gaps
from aligner.cut.unheard import AGREE_MS, Sound, Unheard, _confirmed, find_sounds, unheard_hesitations
from aligner.refine.sphinx import AlignedWord
from aligner.types import ExtraWord, Result

RATE = 16_000


def samples(sounds: list[tuple[int, int, float]], until_ms: int = 3000) -> np.ndarray:
    """Room tone at -70 dB, with a 150 Hz tone at ``level`` dBFS over each ``(start, end, level)``."""
    rng = np.random.default_rng(0)
    x = rng.normal(0, 10 ** (-70 / 20), until_ms * RATE // 1000)
    t = np.arange(len(x)) / RATE
    for start, end, level in sounds:
        a, b = start * RATE // 1000, end * RATE // 1000
        x[a:b] += np.sqrt(2) * 10 ** (level / 20) * np.sin(2 * np.pi * 150 * t[a:b])
    return x.astype(np.float32)


def two_words(a: tuple[int, int], b: tuple[int, int], heard: tuple[tuple[str, int, int], ...] = ()) -> Result:
    rows = [("so", "Ann", M, *a, 0, False, False), ("we", "Ann", M, *b, 0, False, False)]
    result = make_result(rows, duration_ms=3000)
    return replace(result, extra_words=tuple(ExtraWord(t, s, e) for t, s, e in heard))


def test_a_sound_clear_of_both_words_is_found() -> None:
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    x = samples([(200, 600, -18), (1000, 1250, -20), (1500, 1800, -18)])
    [sound] = find_sounds(x, 0, gap)
    assert abs(sound.start_ms - 1000) <= 10 and abs(sound.end_ms - 1250) <= 10 and not sound.touches


def test_a_recording_off_zero_is_measured_about_its_mean() -> None:
    """A DC offset (a cheap recorder's, 0.07 of full scale) is no sound: the room tone stays the floor."""
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    x = samples([(200, 600, -18), (1000, 1250, -20), (1500, 1800, -18)]) - np.float32(0.07)
    [sound] = find_sounds(x, 0, gap)
    assert abs(sound.start_ms - 1000) <= 10 and abs(sound.end_ms - 1250) <= 10


def test_a_sound_running_into_the_word_after_is_marked_so() -> None:
    """It may be that word's first saying ("I, I thought"); the forced aligner decides."""
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    [sound] = find_sounds(samples([(200, 600, -18), (1300, 1800, -18)]), 0, gap)
    assert abs(sound.start_ms - 1300) <= 10 and sound.end_ms == 1500 and sound.touches


@pytest.mark.parametrize(
    ("sound", "why"),
    [
        ((600, 800), "it runs on from the word before: that word's own decay, or the word mistimed"),
        ((700, 1450), "too long for a hesitation (music, a laugh, a sentence)"),
        ((1000, 1050), "too short: a click"),
    ],
)
def test_a_sound_touching_a_word_or_of_no_hesitation_length_is_not(sound, why) -> None:
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    x = samples([(200, 600, -18), (*sound, -20), (1500, 1800, -18)])
    assert find_sounds(x, 0, gap) == [], why


def test_a_sound_far_quieter_than_the_words_is_not_one_and_a_heard_word_is_not_a_sound() -> None:
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    assert find_sounds(samples([(200, 600, -18), (1000, 1250, -45), (1500, 1800, -18)]), 0, gap) == []
    heard = kept_gaps(two_words((200, 600), (1500, 1800), (("so", 1000, 1250),)))[0]
    assert find_sounds(samples([(200, 600, -18), (1000, 1250, -20), (1500, 1800, -18)]), 0, heard) == []


def test_a_breath_is_no_hesitation() -> None:
    """Noise as loud as an "um" between the words (a breath, a lip smack): not voiced, not a sound."""
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    x = samples([(200, 600, -18), (1500, 1800, -18)])
    x[16_000:20_000] += np.random.default_rng(5).normal(0, 10 ** (-20 / 20), 4000).astype(np.float32)
    assert find_sounds(x, 0, gap) == []


class StandIn:
    """An aligner that returns what it is told: the kept words' spans and the fillers on the path."""

    def __init__(self, spans: list[tuple[int, int]], fillers: list[tuple[int, int, str]]) -> None:
        self.spans, self.fillers = spans, fillers

    def word_name(self, text: str) -> str:
        return text

    def hesitations(self, samples, names, *, optional=()):
        return [AlignedWord(s, e, 0, 0) for s, e in self.spans], self.fillers


def test_the_forced_aligner_must_hear_a_filler_there_with_the_kept_words_where_they_were() -> None:
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    sound = [Sound(1000, 1250)]
    heard = StandIn([(200, 600), (1500, 1800)], [(990, 1260, "um")])
    assert _confirmed(heard, np.zeros(1), 0, gap, sound) == [ExtraWord("(um)", 1000, 1250)]
    no_filler = StandIn([(200, 600), (1500, 1800)], [(300, 400, "uh")])
    assert _confirmed(no_filler, np.zeros(1), 0, gap, sound) == []
    # The word after came out elsewhere: the sound may be that word, timed a word late.
    moved = StandIn([(200, 600), (1500 - AGREE_MS - 60, 1800)], [(990, 1260, "um")])
    assert _confirmed(moved, np.zeros(1), 0, gap, sound) == []


def test_a_sound_running_into_the_word_after_must_be_its_first_saying() -> None:
    gap = kept_gaps(two_words((200, 600), (1500, 1800)))[0]
    sound = [Sound(1300, 1500, touches=True)]
    repeated = StandIn([(200, 600), (1500, 1800)], [(1300, 1490, "we")])
    assert _confirmed(repeated, np.zeros(1), 0, gap, sound) == [ExtraWord("(we)", 1300, 1500)]
    # A filler there is not enough: the sound may be the start of the word after, timed late.
    filler = StandIn([(200, 600), (1500, 1800)], [(1300, 1490, "uh")])
    assert _confirmed(filler, np.zeros(1), 0, gap, sound) == []


@pytest.mark.model
def test_the_fixture_um_is_found_when_the_recognizer_did_not_write_it(episode_result, episode_audio, truth) -> None:
    um = next(w for w in truth["spoken_words"] if w.get("edit") == "filler")  # "Um," at 17.33 s
    assert unheard_hesitations(episode_audio, episode_result) == Unheard()  # Whisper wrote this one: nothing to add
    dropped = tuple(e for e in episode_result.extra_words if e.end_ms <= um["start_ms"] or e.start_ms >= um["end_ms"])
    assert len(dropped) < len(episode_result.extra_words)
    [found] = unheard_hesitations(episode_audio, replace(episode_result, extra_words=dropped)).added
    assert found.text == "(um)"
    assert abs(found.start_ms - um["start_ms"]) <= 30 and abs(found.end_ms - um["end_ms"]) <= 30


@pytest.mark.model
def test_the_review_page_lists_an_unheard_hesitation_as_a_cut(episode_result, episode_audio, truth) -> None:
    from aligner.cut import with_unheard
    from aligner.writers.html import _cuts_html

    assert with_unheard(episode_audio, episode_result) == episode_result  # nothing unheard in the fixture
    um = next(w for w in truth["spoken_words"] if w.get("edit") == "filler")
    dropped = tuple(e for e in episode_result.extra_words if e.end_ms <= um["start_ms"] or e.start_ms >= um["end_ms"])
    page = _cuts_html(with_unheard(episode_audio, replace(episode_result, extra_words=dropped)))
    assert "<q>(um)</q>" in page and '<span class="kind">filler</span>' in page


def test_a_lone_heard_word_is_a_filler_only_where_the_forced_aligner_skips_it_for_one() -> None:
    """ "Don't," heard over an "um": with the word free to be skipped, the path says "um" instead."""
    gap = kept_gaps(two_words((200, 600), (1500, 1800), (("don't", 1000, 1250),)))[0]
    sound = [Sound(1000, 1250)]

    class Skips(StandIn):
        def hesitations(self, samples, names, *, optional=()):
            assert list(optional) == [1]  # the heard word may be skipped
            return [AlignedWord(200, 600, 0, 0), None, AlignedWord(1500, 1800, 0, 0)], self.fillers

    assert _confirmed(Skips([], [(990, 1260, "um")]), np.zeros(1), 0, gap, sound, lone=True) == [
        ExtraWord("(um)", 1000, 1250)
    ]
    said = StandIn([(200, 600), (1000, 1250), (1500, 1800)], [(990, 1260, "um")])
    assert _confirmed(said, np.zeros(1), 0, gap, sound, lone=True) == []  # the word was said: it stays


def write_wav(path, x: np.ndarray) -> None:
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


@pytest.mark.parametrize(("bursts", "cut"), [(1, True), (3, False)])
def test_a_gap_of_many_sounds_is_laughter_or_music_and_none_is_cut(tmp_path, bursts, cut) -> None:
    """One sound between two words may be an "um"; three are a laugh, a jingle or speech nobody wrote."""
    result = replace(two_words((200, 600), (2500, 2800)), audio_path=str(tmp_path / "a.wav"))
    sounds = [(900 + 400 * k, 1100 + 400 * k, -20) for k in range(bursts)]
    write_wav(tmp_path / "a.wav", samples([(200, 600, -18), *sounds, (2500, 2800, -18)]))
    # The stand-in's times count from the window's start, 100 ms before the first word.
    everywhere = StandIn([(100, 500), (2400, 2700)], [(s - 100, e - 100, "uh") for s, e, _ in sounds])
    found = unheard_hesitations(tmp_path / "a.wav", result, aligner=everywhere)
    assert bool(found.added) is cut
