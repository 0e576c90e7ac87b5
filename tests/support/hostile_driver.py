"""Run ``aligner`` in a child process under conditions a test sets up (tests/system/ only).

Usage: ``python tests/support/hostile_driver.py [driver options] -- ALIGNER ARGS...``
(``support.hostile.DRIVER``). A script, not a module the tests import: the
child loads nothing but the aligner.

The aligner runs for real (the real model, real files, real signals from
the parent); the driver only adds what a test cannot arrange from outside:

``--drop-dac``
    Drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH before running, so a
    process running as root obeys file permissions like any user (root
    otherwise writes into a read-only folder). Linux only.
``--mark-refinement FILE``
    Create FILE when the refinement of a recognition starts (the pass after
    a cached recognition, :func:`aligner.refine.alongside.refine_file`), so
    the parent can send a signal while it runs.
``--pause-writing FILE``
    After the first temporary output file is fully written, create FILE and
    wait (up to 60 s), so the parent can send a signal while outputs are being
    written: the one moment a signal could leave a partial file.
"""

from __future__ import annotations

import ctypes
import sys
import time
from pathlib import Path


def _drop_dac() -> None:
    libc = ctypes.CDLL(None, use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget failed")
    keep = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    data[0].effective &= keep
    data[0].permitted &= keep
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _mark_refinement(marker: Path) -> None:
    """Hold the refinement at its first chunk, after writing ``marker``, until a signal ends the wait.

    On an idle machine the fixture's refinement and the writing take well
    under a second: a marker written as refinement starts could be followed
    by the whole run ending before the test's signal arrives. Waiting inside
    the first chunk's alignment puts the signal in the refinement every time.
    """
    import aligner.refine.refiner as refiner

    original = refiner._align_chunk

    def align_chunk(*args, **kwargs):
        if not marker.exists():
            marker.write_text("refining\n", encoding="utf-8")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # a signal handler that raises ends the wait
                time.sleep(0.05)
        return original(*args, **kwargs)

    refiner._align_chunk = align_chunk


def _pause_writing(marker: Path) -> None:
    import aligner.atomic as atomic

    original = atomic.write_synced

    def write_synced(path, data):
        original(path, data)
        if not marker.exists():
            marker.write_text(f"{path}\n", encoding="utf-8")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # a signal handler that raises ends the wait
                time.sleep(0.05)

    atomic.write_synced = write_synced


def main() -> None:
    args = sys.argv[1:]
    split = args.index("--")
    options, aligner_args = args[:split], args[split + 1 :]
    while options:
        option = options.pop(0)
        if option == "--drop-dac":
            _drop_dac()
        elif option == "--mark-refinement":
            _mark_refinement(Path(options.pop(0)))
        elif option == "--pause-writing":
            _pause_writing(Path(options.pop(0)))
        else:
            raise SystemExit(f"hostile_driver: unknown option {option}")
    from aligner.cli import main as aligner_main

    sys.argv = ["aligner", *aligner_args]
    aligner_main()


if __name__ == "__main__":
    main()
