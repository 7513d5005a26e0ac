"""SHA-256 without loading OpenSSL for it.

`hashlib` loads OpenSSL's library (`_hashlib`): about 12 million instructions, a few ms, of
every `timeline tag` start, which hashes only a document or two and a cache key. The
interpreter's own SHA-256 (`_sha256`, `_sha2` from Python 3.12) loads in a tenth of that and
gives the same digest; once something else has loaded hashlib (`run`'s log), its faster
OpenSSL hash is used. A build without the builtin module falls back to hashlib.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def _builtin() -> Callable[[bytes], Any]:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython <= 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef]  # 3.12+
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment]
    return sha256  # type: ignore[no-any-return]


def sha256(data: bytes) -> Any:
    """A sha256 object of `data` (`.hexdigest()`, `.digest()`), OpenSSL's if it is loaded."""
    hashlib = sys.modules.get("hashlib")
    if hashlib is not None:
        return hashlib.sha256(data)
    return _builtin()(data)
