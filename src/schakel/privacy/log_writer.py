"""Fast, raw-SQL append of processing log entries (the hot path of every personal-data access).

The ORM costs several hundred microseconds per entry; this writes a batch of entries with the
chain-head lock, one multi-row insert for the entries, one for their audit rows and one update of
the head — on PostgreSQL the last three in a single statement. The hashing is the same as in
`chain.py` (HMAC with the first key of SCHAKEL_LOG_KEYS, whose id each entry records), so
`processing_log_verify` checks what this writes.
"""

from django.db import connection, transaction

from .chain import FIELDS, GENESIS, audit_digest, entry_digest, log_key_ring
from .models import AuditEntry, LogChainHead, ProcessingEntry

_ENTRY_COLUMNS = (*FIELDS, "key_id", "entry_hash")
_CHUNK = 500  # rows per statement, well below SQLite's limit on bound parameters


def _tables():
    qn = connection.ops.quote_name
    return (
        qn(ProcessingEntry._meta.db_table),
        qn(AuditEntry._meta.db_table),
        qn(LogChainHead._meta.db_table),
    )


def _lock_head(cursor, head_table: str) -> tuple[int, str]:
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(f"SELECT seq, last_hash FROM {head_table} WHERE id = 1{lock}")  # noqa: S608
    row = cursor.fetchone()
    if row is None:  # a fresh or flushed database: start the chain
        LogChainHead.objects.get_or_create(pk=1)
        cursor.execute(f"SELECT seq, last_hash FROM {head_table} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]), row[1] or GENESIS


def head_lock_sql() -> str:
    """A SELECT of the chain head (seq, last_hash) that locks it, for a caller that wants to take
    the lock inside one of its own statements (one round trip less on a hot path); it then
    passes what it read as `append_entries(..., head=...)` in the same transaction. PostgreSQL
    only (the statement has FOR UPDATE)."""
    return f"SELECT seq, last_hash FROM {_tables()[2]} WHERE id = 1 FOR UPDATE"  # noqa: S608


def append_entries(common: dict, subjects: list[tuple], user_id, head=None) -> list:
    """Append one entry per (pseudonym, span id[, operation]); returns unsaved-looking model
    instances with ids. An entry's own operation, when given, replaces `common["operation"]`.

    Must run inside a transaction (the caller's, so entries commit with the change they record).
    `head` is (seq, last_hash) as read by `head_lock_sql` earlier in this transaction, which
    holds the lock since; without it this locks the head itself.
    """
    entry_table, audit_table, head_table = _tables()
    adapt = connection.ops.adapt_datetimefield_value
    occurred_db = adapt(common["occurred_at"])
    key_id, ring = log_key_ring()
    key = ring[key_id]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if head is not None and head[0] is not None:
            seq, prev_hash = int(head[0]), head[1] or GENESIS
        else:
            seq, prev_hash = _lock_head(cursor, head_table)
        rows = []
        for pseudonym, span_id, *own in subjects:
            seq += 1
            values = {
                **common,
                **({"operation": own[0]} if own else {}),
                "seq": seq,
                "span_id": span_id,
                "subject_pseudonym": pseudonym,
                "prev_hash": prev_hash,
                "key_id": key_id,
            }
            values["entry_hash"] = prev_hash = entry_digest(values, key)
            rows.append(values)
        ids = {}
        last = len(rows) - 1
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            head = (seq, prev_hash) if start + _CHUNK > last else None
            ids.update(
                _insert_chunk(
                    cursor,
                    entry_table,
                    audit_table,
                    head_table,
                    chunk,
                    user_id,
                    occurred_db,
                    head,
                    key,
                )
            )
    return [ProcessingEntry(id=ids[row["seq"]], **row) for row in rows]


def _insert_chunk(
    cursor, entry_table, audit_table, head_table, rows, user_id, occurred_db, head, key
) -> dict[int, int]:
    """Insert entries and their audit rows; with `head` (seq, hash) also move the chain head."""
    columns = ", ".join(connection.ops.quote_name(c) for c in _ENTRY_COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(_ENTRY_COLUMNS)) + ")"
    params = []
    for row in rows:
        params.extend(occurred_db if c == "occurred_at" else row[c] for c in _ENTRY_COLUMNS)
    if connection.vendor == "postgresql":
        return _insert_chunk_postgresql(
            cursor,
            entry_table,
            audit_table,
            head_table,
            rows,
            user_id,
            columns,
            placeholders,
            params,
            head,
            key,
        )
    cursor.execute(
        f"INSERT INTO {entry_table} ({columns}) VALUES "  # noqa: S608
        + ", ".join([placeholders] * len(rows))
        + " RETURNING id, seq",
        params,
    )
    ids = {int(seq): int(pk) for pk, seq in cursor.fetchall()}
    audit_params = []
    for row in rows:
        audit_params.extend(
            [ids[row["seq"]], user_id, audit_digest(row["entry_hash"], user_id, key)]
        )
    cursor.execute(
        f"INSERT INTO {audit_table} (entry_id, user_id, audit_hash) VALUES "  # noqa: S608
        + ", ".join(["(%s, %s, %s)"] * len(rows)),
        audit_params,
    )
    if head is not None:
        cursor.execute(
            f"UPDATE {head_table} SET seq = %s, last_hash = %s WHERE id = 1",  # noqa: S608
            list(head),
        )
    return ids


def _insert_chunk_postgresql(
    cursor,
    entry_table,
    audit_table,
    head_table,
    rows,
    user_id,
    columns,
    placeholders,
    params,
    head,
    key,
) -> dict[int, int]:
    """One round trip: entries, audit rows and the head move in one statement."""
    audit_values = []
    for row in rows:
        audit_values.extend([row["seq"], user_id, audit_digest(row["entry_hash"], user_id, key)])
    seq, last_hash = head if head is not None else (None, None)
    rows_sql = ", ".join([placeholders] * len(rows))
    audit_sql = ", ".join(["(%s::bigint, %s::bigint, %s::varchar)"] * len(rows))
    # Table and column names come from the models; every value is a bound parameter.
    sql = (
        f"WITH e AS (INSERT INTO {entry_table} ({columns}) VALUES {rows_sql} RETURNING id, seq), "  # noqa: S608, E501
        f"a AS (INSERT INTO {audit_table} (entry_id, user_id, audit_hash) "
        f"SELECT e.id, v.user_id, v.audit_hash FROM e JOIN (VALUES {audit_sql}) "
        "AS v(seq, user_id, audit_hash) ON v.seq = e.seq), "
        f"h AS (UPDATE {head_table} SET seq = %s, last_hash = %s "
        "WHERE id = 1 AND %s::bigint IS NOT NULL) "
        "SELECT id, seq FROM e"
    )
    cursor.execute(sql, [*params, *audit_values, seq, last_hash, seq])
    return {int(s): int(pk) for pk, s in cursor.fetchall()}
