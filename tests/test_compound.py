"""Several units, one duration: the value, and the shapes that are no compound."""

from __future__ import annotations

import pytest

from timeline.temporal.compound import compound_value


@pytest.mark.parametrize(("parts", "want"), [
    ([(2, "H"), (30, "MIN")], "PT2H30M"),
    ([(1, "Y"), (6, "M")], "P1Y6M"),
    ([(3, "D"), (4, "H")], "P3DT4H"),
    ([(1, "Y"), (2, "M"), (3, "D")], "P1Y2M3D"),
    ([(2, "H")], None),  # one part: the plain duration rule says it
    ([(30, "MIN"), (2, "H")], None),  # smaller unit first: a list, not one duration
    ([(2, "H"), ("X", "MIN")], None),  # "dos horas y unos minutos": no exact value
    ([(2, "H"), (3, "H")], None),
])
def test_compound_value(parts: list[tuple[int | str, str]], want: str | None) -> None:
    assert compound_value(parts) == want  # type: ignore[arg-type]
