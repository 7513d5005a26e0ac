"""timeline/sha.py: the builtin SHA-256 gives hashlib's digest, loaded or not."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from timeline import sha


def test_the_same_digest_as_hashlib() -> None:
    for data in (b"", b"abc", "наш текст".encode(), bytes(range(256)) * 300):
        assert sha.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
        assert sha._builtin()(data).digest() == hashlib.sha256(data).digest()


def test_openssl_is_not_loaded_for_it() -> None:
    probe = ("import sys; from timeline import sha; d = sha.sha256(b'abc').hexdigest(); "
             "print(d, 'hashlib' in sys.modules, '_hashlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=60).stdout.split()
    assert out == [hashlib.sha256(b"abc").hexdigest(), "False", "False"]
