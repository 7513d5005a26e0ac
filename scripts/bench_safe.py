"""How much `render.safe` costs: 1 MB of ordinary prose, prose with line breaks, and hostile
text dense with escape sequences (best of 3 each). Prints figures; asserts nothing.

    python scripts/bench_safe.py
"""

from __future__ import annotations

import time

from timeline.render import safe


def best_ms(text: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        safe(text)
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def main() -> None:
    lines = ("The council met again and discussed the budget for the bridge.\n" * 16000)
    cases = {
        "prose, no control characters": lines[:1_000_000].replace("\n", " "),
        "prose with a newline every 64 chars": lines[:1_000_000],
        "hostile: CSI, OSC 8, BEL, U+202E every 35 chars":
            ("x\x1b[31mRed\x1b]8;;https://e\x07\u202e " * 40000)[:1_000_000],
    }
    for name, text in cases.items():
        print(f"safe() on 1 MB {name}: {best_ms(text):.1f} ms")


if __name__ == "__main__":
    main()
