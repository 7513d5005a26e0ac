"""The engine version: which code and which resource files produced a derived fact.

Recorded on every derived event, so a new rule or resource entry re-derives what it changes
and `--as-of` still shows what an earlier version said.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from timeline import __version__, lexicon

_PACKAGE = Path(__file__).parent
# Modules whose behaviour decides derived facts; rendering and the CLI do not.
ENGINE_MODULES = ("temporal", "extract.py", "vocabulary.py", "dating.py", "reconcile.py",
                  "pipeline.py", "segment.py", "names.py", "ingest.py")


@functools.cache
def engine_version() -> str:
    h = hashlib.sha256(__version__.encode())
    for name in ENGINE_MODULES:
        target = _PACKAGE / name
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for f in files:
            if f.exists():
                h.update(f.name.encode())
                h.update(f.read_bytes())
    h.update(lexicon.resource_hash().encode())
    return f"{__version__}+{h.hexdigest()[:12]}"
