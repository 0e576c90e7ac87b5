"""SRT and WebVTT read as transcripts: cue text, tags, character references, speakers and cue times as stamps."""

from __future__ import annotations

import html
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from support.transcripts import decoded_source, stamps, words

from aligner.errors import TranscriptError
from aligner.readers import read_transcript
from aligner.types import TokenKind, Transcript, WordStatus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TRANSCRIPTS = FIXTURES / "transcripts"


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


def test_a_line_of_digits_ending_a_cue_is_text_when_a_blank_line_follows(tmp_path):
    """A cue number is followed by its timing line; "2024" before a blank line is the cue's last line."""
    path = tmp_path / "numbers.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nWe met in\n2024\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nEpisode\n193\n"  # no blank line before cue 3's number
        "3\n00:00:05,000 --> 00:00:06,000\nBye.\n\n"
        "4\n00:00:07,000 --> 00:00:08,000\n7\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    # "3", right before a timing line, is cue 3's number; "193" before it and "7" at the end are text.
    assert [tok.text for tok in t.tokens] == ["We", "met", "in", "2024", "Episode", "193", "Bye.", "7"]
    assert stamps(t) == [("We", 1000), ("Episode", 3000), ("Bye.", 5000), ("7", 7000)]


# --- line marks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cue", "expected"),
    [
        ("- Is it?\n- Yes.", [("Is", None), ("it?", None), ("Yes.", None)]),  # dialogue: two dashed lines
        ("\u2014 and then", [("\u2014 and", None), ("then", None)]),  # one dashed line: the text's own dash
        ("So it goes\n- or not", [("So", None), ("it", None), ("goes", None), ("- or", None), ("not", None)]),
        (">> And then", [("And", None), ("then", None)]),  # a change of speaker
        ("-\n- Yes.", [("-", None), ("- Yes.", None)]),  # a dash with no words after it is no dialogue line
    ],
)
def test_a_dash_is_a_dialogue_mark_only_in_a_cue_of_two_dialogue_lines(tmp_path, cue, expected):
    path = tmp_path / "dash.srt"
    path.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{cue}\n", encoding="utf-8")
    assert words(read_transcript(path)) == expected


def test_a_dash_before_a_speaker_label_goes_with_the_label(tmp_path):
    path = tmp_path / "dash_label.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nAnn Lee: Is it?\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\n- Zoë: Oui.\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\n- Ann Lee: Bon.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert words(t) == [("Is", "Ann Lee"), ("it?", "Ann Lee"), ("Oui.", "Zoë"), ("Bon.", "Ann Lee")]


def test_a_webvtt_file_with_voices_has_no_other_speaker_marks(tmp_path):
    """With <v>, a "Name:", a ">>" or a dash opening a line is the speaker's text."""
    path = tmp_path / "voices.vtt"
    path.write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann Lee>So it goes.\n\n"
        "00:03.000 --> 00:04.000\n<v Ann Lee>NASA: it works.\n\n"
        "00:05.000 --> 00:06.000\n<v Sam Carter>- or not\n>> and then\n\n"
        "00:07.000 --> 00:08.000\nRemember: no voice here.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert words(t) == [
        ("So", "Ann Lee"), ("it", "Ann Lee"), ("goes.", "Ann Lee"),
        ("NASA:", "Ann Lee"), ("it", "Ann Lee"), ("works.", "Ann Lee"),
        ("- or", "Sam Carter"), ("not", "Sam Carter"), (">> and", "Sam Carter"), ("then", "Sam Carter"),
        ("Remember:", None), ("no", None), ("voice", None), ("here.", None),
    ]  # fmt: skip
    assert t.speakers == ("Ann Lee", "Sam Carter")


def test_a_webvtt_line_of_spaces_ends_a_cue_only_before_a_blank_line_or_a_cue(tmp_path):
    path = tmp_path / "spaces.vtt"
    path.write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n \nopening words\n\n"  # YouTube opens a cue with one space
        "00:03.000 --> 00:04.000\nmore words\n \n\n"
        "00:05.000 --> 00:06.000\nlast words\n  \nid\n00:07.000 --> 00:08.000\nend\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert [tok.text for tok in t.tokens] == ["opening", "words", "more", "words", "last", "words", "end"]
    assert stamps(t) == [("opening", 1000), ("more", 3000), ("last", 5000), ("end", 7000)]


# --- rolling captions -------------------------------------------------------------------------------

EXPORTS = TRANSCRIPTS / "exports"


def youtube_cues(source: str) -> list[tuple[int, int, list[str]]]:
    """(start ms, end ms, text lines) of each cue of YouTube's file, read with regular expressions only."""
    cues = []
    for block in source.rstrip("\n").split("\n\n"):
        lines = block.split("\n")
        timing = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", lines[0])
        if timing:
            h, m, s, ms, h2, m2, s2, ms2 = map(int, timing.groups())
            start = ((h * 60 + m) * 60 + s) * 1000 + ms
            cues.append((start, ((h2 * 60 + m2) * 60 + s2) * 1000 + ms2, lines[1:]))
    return cues


def test_youtube_auto_captions_are_read_once_with_every_word_time():
    """Each rolling cue repeats the line before it; only the line it adds is words (issue 13, item 1)."""
    path = EXPORTS / "youtube_auto.vtt"
    source = decoded_source(path)
    cues = youtube_cues(source)
    assert source.startswith("WEBVTT\nKind: captions\nLanguage: en\n\n") and len(cues) == 53
    assert all(" align:start position:0%" in line for line in source.split("\n") if "-->" in line)
    assert cues[0][2][0] == " " and all(len(lines) == 2 for _, _, lines in cues)
    # The words are each cue's new (last) line, in the cues that last longer than the 10 ms transitions.
    added = [lines[-1] for start, end, lines in cues if end - start > 10]
    expected_words = " ".join(re.sub(r"<[^>]*>", "", line) for line in added).split()
    shown = [[re.sub(r"<[^>]*>", "", line) for line in lines if line.strip()] for _, _, lines in cues]
    assert all(lines[0] == previous[-1] for previous, lines in pairwise(shown))  # each cue rolls the one before
    t = read_transcript(path)
    assert [tok.text for tok in t.tokens] == expected_words
    assert len(t.tokens) == 152  # 151 words and [Music]; read naively, 448
    assert [tok.text for tok in t.tokens[:7]] == ["hello", "and", "welcome", "to", "brain", "talk", "this"]
    assert t.tokens[[tok.text for tok in t.tokens].index("[Music]")].kind is TokenKind.NOTE
    assert t.speakers == () and all(tok.speaker is None for tok in t.tokens)
    # Every word is stamped: a line's first word by its cue's start, the others by their inline times.
    expected_stamps = []
    for start, end, lines in cues:
        if end - start > 10:
            line = lines[-1]
            expected_stamps.append((re.sub(r"<[^>]*>.*", "", line), start))
            for clock, word in re.findall(r"<(\d\d:\d\d:\d\d\.\d{3})><c> ([^<]*)</c>", line):
                h, m, s = clock.split(":")
                expected_stamps.append((word, round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)))
    assert stamps(t) == expected_stamps
    assert stamps(t)[:3] == [("hello", 1006), ("and", 1454), ("welcome", 1698)]
    # Spans point into the lines that add the words, never into their repeats.
    assert_caption_spans(source, t)
    added_lines = {source.index(line) for line in added}
    line_starts = [source.rfind("\n", 0, tok.start_char) + 1 for tok in t.tokens]
    assert set(line_starts) <= added_lines


def test_the_youtube_fixture_is_what_its_script_writes(truth):
    from make_youtube_auto import render

    assert render(truth) == decoded_source(EXPORTS / "youtube_auto.vtt")


@pytest.mark.model
def test_youtube_auto_captions_align_the_episode_word_for_word(episode_audio, cache_dir, truth):
    """The episode aligned from YouTube's captions of it: every word once, timed as the truth says.

    Read three times over, as before issue 13, the same file gave 445 words, 297 of them "not in
    audio", and 26 missing passages.
    """
    from aligner import AlignOptions, align

    result = align(episode_audio, EXPORTS / "youtube_auto.vtt", AlignOptions(cache_dir=cache_dir))
    # What YouTube writes of the speech: no filler, one word for "one ninety three" (see the script).
    spoken, numeral = [], None
    for word in truth["spoken_words"]:
        if word["edit"] == "filler" or (word["edit"] == "numeral" and word["transcript_index"] == numeral):
            continue
        numeral = word["transcript_index"] if word["edit"] == "numeral" else None
        spoken.append(word)
    ours = [w for w in result.words if w.token.kind is TokenKind.WORD]
    assert result.summary.words == len(ours) == len(spoken) == 151
    assert result.summary.not_in_audio == 0 and not result.missing and not result.audio_only
    matched = [(w, s) for w, s in zip(ours, spoken, strict=True) if w.status is WordStatus.MATCHED]
    assert len(matched) >= 0.95 * len(spoken)
    errors = sorted(abs(w.start_ms - s["start_ms"]) for w, s in matched if w.start_ms is not None)
    assert errors[len(errors) // 2] <= 30 and errors[-1] <= 200


def test_roll_up_captions_of_three_lines_are_read_once(tmp_path):
    path = tmp_path / "rollup.vtt"
    path.write_text(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n>> WELCOME BACK.\n\n"
        "00:02.000 --> 00:03.000\n>> WELCOME BACK.\nTODAY WE\n\n"
        "00:03.000 --> 00:04.000\n>> WELCOME BACK.\nTODAY WE\nTALK ABOUT\n\n"
        "00:04.000 --> 00:05.000\nTODAY WE\nTALK ABOUT\nBIRDS.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert [tok.text for tok in t.tokens] == ["WELCOME", "BACK.", "TODAY", "WE", "TALK", "ABOUT", "BIRDS."]
    assert stamps(t) == [("WELCOME", 1000), ("TODAY", 2000), ("TALK", 3000), ("BIRDS.", 4000)]


def test_a_line_repeated_now_and_then_is_read_as_often_as_it_is_written(tmp_path):
    """Only a file that rolls (most of its cues repeat the line before) loses its repeats."""
    path = tmp_path / "repeats.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\nIs it?\nNo.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nNo.\nReally, no.\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nWhy not?\nBecause.\n\n"
        "4\n00:00:07,000 --> 00:00:08,000\nFine.\nGood.\n",
        encoding="utf-8",
    )
    t = read_transcript(path)
    assert " ".join(tok.text for tok in t.tokens) == "Is it? No. No. Really, no. Why not? Because. Fine. Good."


# --- meeting exports ----------------------------------------------------------------------------------


def test_zoom_export_names_the_speaker_in_every_cue():
    path = EXPORTS / "zoom.vtt"
    t = read_transcript(path)
    jane, sam, casey = "Jane Miller", "Sam Carter", "Casey"
    assert t.speakers == (jane, sam, casey)  # "Casey", one word, is a speaker: used twice
    by_cue = [[] for _ in range(8)]
    for tok in t.tokens:
        by_cue[tok.paragraph].append((tok.text, tok.speaker))
    assert by_cue[1] == [("recorded", jane), ("in", jane), ("March", jane), ("2024.", jane)]  # name repeated
    assert by_cue[5] == [(w, casey) for w in "So how wide is that gap today?".split()]
    assert by_cue[6][-3:] == [("simple:", sam), ("more", sam), ("data.", sam)]  # a colon mid-line is text
    assert not {"Jane", "Miller:", "Sam", "Carter:", "Casey:"} & {tok.text for tok in t.tokens if tok.paragraph != 2}
    assert [time for _, time in stamps(t)] == [990, 4620, 7740, 15090, 23100, 38490, 41100, 56190]
    assert [text for text, _ in stamps(t)] == ["Hello", "recorded", "Today", "Sam,", "That's", "So", "In", "That's"]
    assert_caption_spans(decoded_source(path), t)


def test_teams_export_names_speakers_with_voices_and_its_cue_ids_are_not_words():
    path = EXPORTS / "teams.vtt"
    t = read_transcript(path)
    jane, sam = "Jane Miller", "Sam Carter"
    assert t.speakers == (jane, sam)
    assert [tok.speaker for tok in t.tokens] == [jane] * 23 + [sam] * 19 + [jane] * 7
    texts = [tok.text for tok in t.tokens]
    assert texts[14:16] == ["Question:", "what"]  # a "Name:"-shaped opening, in a file with <v>, is text
    assert not [text for text in texts if "5f0c2b8e" in text or "/" in text]
    assert stamps(t) == [("Hello", 1002), ("This", 3150), ("Question:", 17330), ("That's", 23090), ("I", 25650),
                         ("So", 38490)]  # fmt: skip
    assert_caption_spans(decoded_source(path), t)


# --- roles, pronouns and display names --------------------------------------------------------


def test_srt_labels_with_roles_name_the_speaker_and_keep_the_role():
    path = EXPORTS / "srt_role_labels.srt"
    t = read_transcript(path)
    priya, lee, casey = "Priya Mehta", "Dr. Lee", "Casey"
    assert t.speakers == (priya, lee, casey)
    assert t.speaker_roles == ((priya, "host"), (lee, "guest"), (casey, "caller"))
    assert [tok.speaker for tok in t.tokens] == [priya] * 5 + [lee] * 4 + [casey] * 8 + [lee] * 2
    texts = [tok.text for tok in t.tokens]
    assert not {"Priya", "Mehta,", "host:", "(guest):", "(caller):", "Dr.", "Lee:"} & set(texts)
    assert stamps(t) == [("Welcome", 1000), ("Thanks", 4500), ("Hi,", 7500), ("Good", 10500)]
    assert_caption_spans(decoded_source(path), t)


def test_zoom_roles_and_pronouns_after_the_display_name():
    path = EXPORTS / "zoom_roles.vtt"
    t = read_transcript(path)
    priya, sam, casey = "Priya Mehta", "Sam Carter", "Casey"
    assert t.speakers == (priya, sam, casey)  # "Sam Carter (she/her)" is Sam Carter: pronouns are no part of a name
    assert t.speaker_roles == ((priya, "host"), (casey, "caller"))  # ... and no role
    assert [tok.speaker for tok in t.tokens] == [priya] * 5 + [sam] * 5 + [casey] * 6 + [sam] * 2
    assert not [tok.text for tok in t.tokens if "(" in tok.text or tok.text.endswith(":")]
    assert_caption_spans(decoded_source(path), t)


def test_zoom_display_names_that_are_not_name_shaped_are_speakers_when_every_cue_opens_with_one():
    path = EXPORTS / "zoom_display_names.vtt"
    t = read_transcript(path)
    host, phone = "jmiller", "Sam's iPhone"
    assert t.speakers == (host, phone)
    assert t.speaker_roles == ()
    assert [tok.speaker for tok in t.tokens] == [host] * 6 + [phone] * 4 + [host] * 7 + [phone] * 4
    assert [tok.text for tok in t.tokens][:2] == ["Hello", "and"]
    assert_caption_spans(decoded_source(path), t)


def _vtt(*cues: str) -> str:
    return "WEBVTT\n\n" + "".join(
        f"00:00:{2 * k:02d}.000 --> 00:00:{2 * k + 1:02d}.000\n{text}\n\n" for k, text in enumerate(cues, start=1)
    )


@pytest.mark.parametrize(
    "cues",
    [
        ("jmiller: Hi.", "Sam's iPhone: Hello.", "jmiller: Bye.", "And then it ended."),  # a cue opens otherwise
        ("jmiller: Hi.", "Sam's iPhone: Hello."),  # no display name opens two cues
        ("note: this one.", "note: that one.", "note: and more."),  # a sentence opener is no display name
    ],
)
def test_cues_opening_with_a_display_name_by_chance_stay_words(tmp_path, cues):
    path = tmp_path / "meeting.vtt"
    path.write_text(_vtt(*cues), encoding="utf-8")
    t = read_transcript(path)
    assert t.speakers == ()
    assert t.tokens[0].text.endswith(":")


def test_teams_guest_is_a_role_not_part_of_the_name():
    path = EXPORTS / "teams_guest.vtt"
    t = read_transcript(path)
    jane, sam = "Jane Miller", "Sam Carter"
    assert t.speakers == (jane, sam)
    assert t.speaker_roles == ((sam, "Guest"),)  # as written, as every reader keeps a role
    assert [tok.speaker for tok in t.tokens] == [jane] * 5 + [sam] * 5 + [jane] * 3
    assert [tok.text for tok in t.tokens][10] == "Question:"  # a file with <v> has no other speaker marks
    assert_caption_spans(decoded_source(path), t)


def test_a_voice_that_is_no_label_is_the_speaker_as_written(tmp_path):
    path = tmp_path / "voices.vtt"
    path.write_text(_vtt("<v jmiller>Hi.</v>", "<v Casey (caller)>Hello.</v>", "<v Sam (they/them)>Hey.</v>"))
    t = read_transcript(path)
    assert t.speakers == ("jmiller", "Casey", "Sam")
    assert t.speaker_roles == (("Casey", "caller"),)
