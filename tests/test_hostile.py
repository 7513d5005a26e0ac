"""Every case of scripts/hostile_inputs.py, each beside a good article, asserted: the run
neither stops nor stalls (a subprocess timeout catches a stall), the good article lands, the
bad input is named as expected on one line of stderr, no traceback, the documented exit code.

Cases whose fix is on another branch are expected to fail here until it is merged."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("hostile_inputs",
                                               ROOT / "scripts" / "hostile_inputs.py")
assert _spec and _spec.loader
hostile = importlib.util.module_from_spec(_spec)
sys.modules["hostile_inputs"] = hostile
_spec.loader.exec_module(hostile)


def _params() -> list[object]:
    return [pytest.param(case, id=case.name) for case in hostile.cases()]


@pytest.mark.parametrize("case", _params())
def test_hostile_input(case: object) -> None:
    outcome = hostile.check(case)
    assert outcome.exit is not None, f"stalled: {outcome.failures}"
    assert outcome.passed, "\n".join(outcome.failures)


def test_the_harness_can_fail() -> None:
    """A case expecting the wrong outcome is reported as failed, with the reason."""
    case = hostile.Case("empty file, wrongly expected to land",
                        hostile.in_folder("empty.txt", b""), exits=(0,), named=(0,))
    outcome = hostile.check(case)
    assert not outcome.passed
    assert any("exit 1, expected 0" in f for f in outcome.failures)
    assert any("named on 1 stderr lines" in f for f in outcome.failures)


def test_a_stall_is_a_failure_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hostile, "timeline_argv",
                        lambda db, *args: [sys.executable, "-c", "import time; time.sleep(60)"])
    code, _, _, secs = hostile.run_timeline(tmp_path, "t.db", ["run", "in"], timeout=1)
    assert code is None and secs == 1
