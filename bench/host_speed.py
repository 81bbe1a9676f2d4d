"""How fast this host runs Python at the moment: the CPU time of a fixed piece of work, printed beside a
benchmark's figures.

This machine is a virtual one with 2 cores shared with a host we do not see: on 6 December the same PDF
took 0.93 s of CPU at 06:14 and 1.07–1.10 s at 06:18, the load average lower the second time
(BENCHMARKS.md). The load average says what else runs here; this says how fast a CPU-second was. Two
runs whose reference differs by more than a few per cent were not measured on the same machine, in
effect: compare figures against the peer run beside them, or scale them by the reference.

The work is what a request or a render does most — dictionaries, strings, small objects, sorting — and
always the same (no randomness, no I/O): the best of `rounds` runs of about 40 ms each.

    .venv/bin/python bench/host_speed.py      # prints e.g. "host speed: reference 41.2 ms (best of 5)"
"""

from __future__ import annotations

import time


def _work() -> int:
    rows = [{"code": f"T{i % 97:02d}-H{i % 13:02d}", "value": i * 7 % 1000, "name": f"CĐCS {i}"} for i in range(15_000)]
    rows.sort(key=lambda row: (row["code"], -row["value"]))
    grouped: dict[str, int] = {}
    for row in rows:
        grouped[row["code"]] = grouped.get(row["code"], 0) + row["value"]
    text = "".join(f"<td>{row['name']}</td>" for row in rows[:7_500])
    return len(text) + sum(grouped.values())


def reference_ms(rounds: int = 5) -> float:
    """The best CPU time of the fixed work, in milliseconds (lower: a faster host at the moment)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        _work()
        best = min(best, time.process_time() - started)
    return best * 1000


def line(rounds: int = 5) -> str:
    return f"host speed: reference {reference_ms(rounds):.1f} ms (best of {rounds})"


if __name__ == "__main__":
    print(line())
