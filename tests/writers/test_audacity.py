"""Audacity label tracks (aligner.writers.audacity), read back by Python's csv module (the whole format)."""

from __future__ import annotations

import csv
import json

import pytest
from support.handmade import M, make_result

from aligner.options import OutputOptions
from aligner.writers import write_outputs
from aligner.writers.audacity import render_audacity


@pytest.mark.model
def test_audacity_labels_of_the_fixture_read_back(episode_result, tmp_path):
    write_outputs(episode_result, out_dir=tmp_path, stem="episode", output=OutputOptions(formats=("audacity", "json")))
    with (tmp_path / "episode.labels.txt").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    words = json.loads((tmp_path / "episode.json").read_text(encoding="utf-8"))["words"]
    timed = [w for w in words if w["start"] is not None]
    assert len(rows) == len(timed) > 100
    for row, word in zip(rows, timed):
        assert len(row) == 3
        start, end, label = float(row[0]), float(row[1]), row[2]
        assert (start, end, label) == (word["start"], max(word["end"], word["start"]), " ".join(word["text"].split()))
    assert any(row[2] == "[music]" for row in rows)


def test_audacity_labels_never_hold_tabs_or_line_breaks():
    rows = [("a\tb", "X", M, 0, 100, 0, False, False), ("c\nd", "X", M, 100, 100, 0, False, False)]
    text = render_audacity(make_result(rows, duration_ms=1000), OutputOptions())
    assert text == "0.000\t0.100\ta b\n0.100\t0.100\tc d\n"
