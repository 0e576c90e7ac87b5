"""Run a module or a snippet and append its wall time, CPU time (all threads and child processes) and peak memory
(its own and its largest child's, added) to a JSON-lines file.

Used by the long-episode benchmark so that each measured job is its own
process (peak resident memory is per process) and is measured the same way.

Usage: python benchmarks/_rss.py OUT.jsonl LABEL -m module [args...]
       python benchmarks/_rss.py OUT.jsonl LABEL -c "python code"
"""

from __future__ import annotations

import json
import resource
import runpy
import sys
import time


def _peak_mb(usage: resource.struct_rusage) -> float:
    """This process's peak resident memory since it started this program.

    ``ru_maxrss`` survives ``exec``: a job started by a parent that held
    hundreds of MB (the long-episode benchmark builds its audio in memory)
    reports the parent's peak, not its own. Linux's ``VmHWM`` belongs to the
    address space, which ``exec`` replaces, so it is the job's own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return usage.ru_maxrss / 1024


def main() -> None:
    out, label, mode, target, *args = sys.argv[1:]
    started = time.perf_counter()
    status = 0
    try:
        if mode == "-m":
            sys.argv = [target, *args]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            exec(compile(target, "<benchmark>", "exec"), {"__name__": "__main__"})
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # The aligner refines in a process of its own (aligner.refine.apart): its CPU time counts, and its peak
    # adds to this process's (both at once: an upper bound of the two together).
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    record = {
        "label": label,
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime,
        "peak_mb": _peak_mb(usage) + children.ru_maxrss / 1024,
        "own_peak_mb": _peak_mb(usage),
        "child_peak_mb": children.ru_maxrss / 1024,
        "status": status,
    }
    with open(out, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
