"""`verify`, `head` and `rebuild`: proving the log whole, and folding it again.

`verify` proves internal consistency (hashes, event ids, guards, projections equal to a fresh
fold); `--expect-head SEQ:HASH`, a head kept somewhere else (`timeline head` in a cron mail
or a git repository), adds that history up to that head was not truncated or rewritten.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from timeline.cli import EXIT_OK, EXIT_REJECTED, UsageError, err, open_store

_HEAD = re.compile(r"(\d+):([0-9a-fA-F]{64})")


def parse_head(spec: str) -> tuple[int, str]:
    """`SEQ:HASH` as `timeline head` prints it (the full 64-digit hash)."""
    m = _HEAD.fullmatch(spec.strip())
    if not m:
        raise UsageError(f"--expect-head {spec!r}: use SEQ:HASH as `timeline head` prints it "
                         "(a seq, a colon, the 64 hex digits of the hash)")
    return int(m.group(1)), m.group(2).lower()


def cmd_verify(args: argparse.Namespace) -> int:
    expect = parse_head(args.expect_head) if args.expect_head else None
    with open_store(args, readonly=True) as store:
        result = store.verify(expect)
    if result.ok:
        print(result.message)
        return EXIT_OK
    from timeline.store import display_db

    err(f"{display_db(args.db)}: verify failed: {result.message}")
    return EXIT_REJECTED


def cmd_head(args: argparse.Namespace) -> int:
    with open_store(args, readonly=True) as store:
        seq, digest = store.head_entry()
    print(f"{seq}:{digest}")
    return EXIT_OK


def cmd_rebuild(args: argparse.Namespace) -> int:
    from timeline.cli.lock import hold_lock  # filelock and the store: only for this command
    from timeline.store import connect

    with hold_lock(args.db, args.wait, "rebuild"), connect(args.db) as store:
        head = store.rebuild()
    print(f"rebuilt projections from {head} events")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    """A log into an empty store, every row re-verified on the way (store/copy.py)."""
    from timeline.cli.lock import hold_lock
    from timeline.store import connect, display_db
    from timeline.store.copy import CopyRefused, copy_log

    if str(args.from_) == str(args.to):
        raise UsageError("copy: --from and --to name the same store")
    with connect(args.from_, readonly=True) as src, \
            hold_lock(args.to, args.wait, "copy"), connect(args.to) as dst:
        try:
            result = copy_log(src, dst)
        except CopyRefused as exc:
            err(f"{display_db(args.from_)}: copy refused: {exc}")
            return EXIT_REJECTED
    if not result.ok:
        err(f"{display_db(args.to)}: verify failed after the copy: {result.message}")
        return EXIT_REJECTED
    print(f"copied {result.count} events; head {result.head}")
    return EXIT_OK


def add_commands(add: Any) -> None:
    v = add("verify", "check the hash chain, the append-only triggers, and the projections "
            "against a fresh fold of the log; print the head")
    v.add_argument("--expect-head", metavar="SEQ:HASH",
                   help="fail unless the log's row SEQ has this hash (as `timeline head` "
                        "printed it earlier): detects truncation and rewritten history")
    v.set_defaults(func=cmd_verify)
    h = add("head", "print the log's head as SEQ:HASH, to keep elsewhere for verify "
            "--expect-head")
    h.set_defaults(func=cmd_head)
    r = add("rebuild", "drop and rebuild every projection from the log")
    r.add_argument("--wait", type=float, default=0.0,
                   help="seconds to wait for a run's lock before giving up (exit 75)")
    r.set_defaults(func=cmd_rebuild)

    c = add("copy", "copy a log into an empty store (SQLite file or postgresql:// URL), "
            "re-verifying every row, then verify the copy")
    c.add_argument("--from", dest="from_", required=True, metavar="DB",
                   help="the store to read (a file or a postgresql:// URL)")
    c.add_argument("--to", required=True, metavar="DB", help="an empty or new store")
    c.add_argument("--wait", type=float, default=0.0,
                   help="seconds to wait for the destination's writer lock (exit 75)")
    c.set_defaults(func=cmd_copy)
