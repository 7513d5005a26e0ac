"""A duration of several units, "dos horas y 30 minutos", "1 год 6 месяцев", as one value."""

from __future__ import annotations

ORDER = ("Y", "M", "W", "D", "H", "MIN", "S")


def compound_value(parts: list[tuple[int | float | str | None, str]]) -> str | None:
    """(count, unit code) pairs, largest unit first, as a TIMEX3 duration: PT2H30M, P1Y6M.
    None unless there are two or more parts, each a whole count, in descending units: "2
    hours and a few minutes" or "30 minutes, 2 hours" are not one duration."""
    units = [u for _, u in parts]
    if len(parts) < 2 or any(not isinstance(n, int) for n, _ in parts) \
            or any(u not in ORDER for u in units) or len(set(units)) < len(units) \
            or units != sorted(units, key=ORDER.index):
        return None
    amount = {u: n for n, u in parts}
    date = "".join(f"{amount[u]}{u}" for u in ("Y", "M", "W", "D") if u in amount)
    time = "".join(f"{amount[u]}{'M' if u == 'MIN' else u}" for u in ("H", "MIN", "S")
                   if u in amount)
    return "P" + date + (f"T{time}" if time else "")
