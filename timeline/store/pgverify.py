"""`verify` on PostgreSQL: the checks of `chain`, with the server's catalog for the guards.

One REPEATABLE READ transaction is the snapshot; the fresh fold goes into temporary tables
of that transaction's session (they shadow the real ones for unqualified names), compared
with the real tables of `schema`, and everything is rolled back.
"""

from __future__ import annotations

import re
from typing import Any

from timeline.schema import FTS, LOG, PROJECTIONS
from timeline.store.apply import create_projections, replay
from timeline.store.chain import (
    GENESIS,
    NOT_COMPARED,
    Failed,
    VerifyResult,
    _check_chain,
    compare_table,
)
from timeline.store.dialect import _ddl_columns


def pg_table_info(conn: Any, db: str, table: str) -> list[tuple[str, bool]]:
    return [(name, bool(pk)) for name, pk in conn.execute_raw(
        "SELECT a.attname, coalesce(a.attnum = ANY(i.indkey), false) FROM pg_attribute a "
        "LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
        "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum", (f"{db}.{table}",))]


def verify_pg(conn: Any, schema: str, *, expect: tuple[int, str] | None = None
              ) -> VerifyResult:
    conn.execute_raw("BEGIN ISOLATION LEVEL REPEATABLE READ")
    count, head = 0, GENESIS
    try:
        check_guards(conn, schema)
        count, head = _check_chain(_Streaming(conn), schema, expect)
        projected = conn.execute(f"SELECT last_seq FROM {schema}.projection_state "
                                 "WHERE name = 'all'").fetchone()
        if (projected[0] if projected else 0) != count:
            raise Failed(f"projections at seq {projected[0] if projected else 0}, "
                         f"log at {count}")
        conn.temp_ddl = True
        create_projections(conn, indexes=False)
        replay(conn, table=f"{schema}.log")
        for table in [*PROJECTIONS, *FTS]:
            if table in NOT_COMPARED:
                continue
            problem = compare_table(conn, table, "pg_temp", schema, info=pg_table_info)
            if problem:
                raise Failed(f"projection {table} differs from a fresh fold of the log: "
                             f"{problem}")
    except Failed as exc:
        return VerifyResult(False, count, str(exc), count, head)
    finally:
        conn.temp_ddl = False
        conn.execute("ROLLBACK")
    return VerifyResult(True, count, f"ok {count} events; head {count}:{head}", count, head)


class _Streaming:
    """The chain read through a server-side cursor: rows arrive in pages, not as one result
    held in memory (a client cursor would load the whole log)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> Any:
        from timeline.store.dialect import translate

        cur = self.conn.raw.cursor(name="timeline_verify_chain")
        cur.itersize = 2000
        return cur.execute(translate(sql), tuple(params))


def _norm(sql: str, schema: str) -> str:
    sql = re.sub(r"\s+", " ", sql).strip()
    return sql.replace(f" ON {schema}.log ", " ON log ")


def check_guards(conn: Any, schema: str) -> None:
    """The triggers exactly as timeline wrote them, enabled, calling the function timeline
    wrote; the log table's columns as timeline declares them."""
    from timeline.store.postgres import REFUSE, TRIGGERS

    rows = {name: (enabled, src, definition) for name, enabled, src, definition in
            conn.execute_raw(
                "SELECT t.tgname, t.tgenabled, p.prosrc, pg_get_triggerdef(t.oid) "
                "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE t.tgrelid = to_regclass(%s) AND NOT t.tgisinternal",
                (f"{schema}.log",))}
    body = REFUSE[REFUSE.index("$$") + 2: REFUSE.rindex("$$")]
    for name, ddl in TRIGGERS.items():
        if name not in rows:
            raise Failed(f"append-only trigger {name} is missing")
        enabled, src, definition = rows[name]
        if _norm(definition, schema) != _norm(ddl, schema) or src.strip() != body.strip():
            raise Failed(f"append-only trigger {name} was altered (its SQL is not timeline's)")
        if enabled not in ("O", "A"):
            raise Failed(f"append-only trigger {name} is disabled")
    extra = sorted(set(rows) - set(TRIGGERS))
    if extra:
        raise Failed(f"unexpected trigger {extra[0]} (timeline creates none besides "
                     f"{', '.join(TRIGGERS)})")
    cols = [name for name, _ in pg_table_info(conn, schema, "log")]
    if cols != _ddl_columns(LOG[0])[0]:
        raise Failed("the log table's definition was altered")
