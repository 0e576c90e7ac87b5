"""The block handoff between the recognizer's thread and the refinement's."""

from __future__ import annotations

import contextlib
import threading
import time

import numpy as np

from aligner.refine.handoff import BlockHandoff


def _blocks(count: int, size: int = 10):
    return [np.full(size, k, dtype=np.float32) for k in range(count)]


def _read_in_thread(blocks) -> tuple[threading.Thread, list]:
    """Iterate ``blocks`` in a thread of its own; the list fills as it reads."""
    read: list = []
    runner = threading.Thread(target=lambda: read.extend(blocks))
    runner.start()
    return runner, read


def _wait_until(condition) -> None:
    deadline = time.monotonic() + 5
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_second_reader_gets_every_block_in_order():
    source = _blocks(20)
    handoff = BlockHandoff(iter(source), limit=1000)
    reader, got = _read_in_thread(handoff.received())
    first = list(handoff.blocks())
    reader.join(5)
    assert not reader.is_alive()
    assert [b[0] for b in first] == list(range(20))
    assert [b[0] for b in got] == list(range(20))


def test_first_reader_waits_while_too_much_is_unread():
    handoff = BlockHandoff(iter(_blocks(10)), limit=25)
    runner, read = _read_in_thread(handoff.blocks())
    _wait_until(lambda: len(read) >= 3)
    time.sleep(0.1)  # time enough to take a fourth block, were it allowed to
    assert len(read) == 3  # 30 samples unread > 25: the fourth block waits
    received = handoff.received()
    for _ in range(10):
        next(received)
    runner.join(5)
    assert len(read) == 10


def test_first_reader_goes_on_while_the_second_waits_for_something_else():
    """The refinement waits for words that only more recognition gives: holding the recognizer would deadlock."""
    handoff = BlockHandoff(iter(_blocks(10)), limit=25)
    handoff.reader_idle(True)
    assert len(list(handoff.blocks())) == 10
    handoff.reader_idle(False)
    assert len(list(handoff.received())) == 10  # nothing was dropped


def test_close_releases_both_readers():
    handoff = BlockHandoff(iter(_blocks(10)), limit=15)
    runner, read = _read_in_thread(handoff.blocks())
    _wait_until(lambda: len(read) >= 2)  # 20 samples unread > 15: the first reader now waits
    handoff.close()  # the second reader gave up
    runner.join(5)
    assert not runner.is_alive() and len(read) == 10
    assert list(handoff.received()) == []


def test_second_reader_ends_when_the_first_fails():
    def failing():
        yield np.zeros(10, dtype=np.float32)
        raise OSError("disk gone")

    handoff = BlockHandoff(failing(), limit=100)
    reader, got = _read_in_thread(handoff.received())
    with contextlib.suppress(OSError):
        list(handoff.blocks())
    reader.join(5)
    assert not reader.is_alive() and len(got) == 1
