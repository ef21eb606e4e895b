"""Hash chain rules (pure): how an entry's hash is computed and how a chain is checked.

``hash = SHA-256(prev_hash + "\\n" + canonical JSON of the entry's fields)``, where the
canonical JSON has sorted keys, no spaces and non-ASCII kept as UTF-8.  The first entry's
``prev_hash`` is 64 zeros.  A receiving system can recompute every hash from an export.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


def canonical(fields: dict) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_fields(
    *,
    tenant_code: str,
    seq: int,
    occurred_at: datetime,
    actor: str,
    actor_id: int | None,
    action: str,
    outcome: str,
    subjects: str,
    request_id: str | None,
    client_addr: str | None,
    terminal: str | None,
    my_number_shown: bool,
    detail: str,
) -> dict:
    return {
        "tenant_code": tenant_code,
        "seq": seq,
        "occurred_at": occurred_at.isoformat(timespec="microseconds"),
        "actor": actor,
        "actor_id": actor_id,
        "action": action,
        "outcome": outcome,
        "subjects": subjects,
        "request_id": request_id,
        "client_addr": client_addr,
        "terminal": terminal,
        "my_number_shown": bool(my_number_shown),
        "detail": detail,
    }


def compute_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + "\n" + canonical(fields)).encode("utf-8")).hexdigest()


REASONS = {
    "AUDIT_ENTRY_MODIFIED": "an entry's content no longer matches its hash",
    "AUDIT_ENTRY_REORDERED": "an entry neither matches its hash nor links to its predecessor",
    "AUDIT_ENTRY_REPLACED": "an entry was rewritten with a fresh hash; its successor exposes it",
    "AUDIT_ENTRY_MISSING": "a sequence number is missing (an entry was deleted)",
    "AUDIT_CHAIN_BROKEN": "the first entry does not start from the genesis hash",
    "AUDIT_ENTRY_INSERTED": "entries exist after the last one the chain head knows",
    "AUDIT_TAIL_MISSING": "the chain head knows entries that are gone",
    "AUDIT_HEAD_MISMATCH": "the entry the chain head points at has another hash",
    "AUDIT_HEAD_MISSING": "entries exist but the chain head row is gone",
    "AUDIT_CHAIN_MISSING": "a tenant exists but its chain (entries and head) is gone",
}
"""Reason codes of :class:`ChainProblem` (stable; documented in docs/audit-actions.md)."""


@dataclass(frozen=True)
class ChainProblem:
    seq: int  # the first bad entry
    reason_code: str  # one of REASONS
    message: str


def check_chain(
    rows: Iterable[tuple[dict, str, str]], head: tuple[int, str] | None, *, required: bool = False
) -> Iterator[ChainProblem]:
    """Yield the first problem of one tenant's chain, if any.

    *rows* are ``(fields, prev_hash, hash)`` ordered by ``seq``; *head* is the stored
    ``(last_seq, last_hash)``; *required* says the chain must exist (the tenant does).
    Every kind of tampering done directly in the database is caught, and the first bad
    entry named:

    * content changed → its hash no longer matches (``AUDIT_ENTRY_MODIFIED``);
    * entries swapped or renumbered → hash and link both wrong (``AUDIT_ENTRY_REORDERED``);
    * content changed and hash recomputed → the next entry's ``prev_hash`` still commits
      to the original (``AUDIT_ENTRY_REPLACED``, naming the rewritten entry);
    * an entry deleted → gap in ``seq`` (``AUDIT_ENTRY_MISSING``);
    * the tail deleted, or entries appended behind the head's back, or the last entry
      rewritten → the head disagrees (``AUDIT_TAIL_MISSING`` / ``AUDIT_ENTRY_INSERTED`` /
      ``AUDIT_HEAD_MISMATCH``).

    Rewriting every later entry *and* the head is not detectable from inside the database;
    an exported head hash kept elsewhere detects it.
    """
    expected_seq = 1
    prev = GENESIS
    head_seq = head[0] if head is not None else None
    hash_at_head = GENESIS if head_seq == 0 else None
    for fields, prev_hash, stored_hash in rows:
        seq = fields["seq"]
        if seq != expected_seq:
            yield ChainProblem(expected_seq, "AUDIT_ENTRY_MISSING", f"{expected_seq}番の記録がありません（削除の疑い）")
            return
        intact = compute_hash(prev_hash, fields) == stored_hash
        linked = prev_hash == prev
        if not intact and linked:
            yield ChainProblem(seq, "AUDIT_ENTRY_MODIFIED", f"{seq}番の記録の内容がハッシュと一致しません（改ざんの疑い）")
            return
        if not intact:
            yield ChainProblem(seq, "AUDIT_ENTRY_REORDERED", f"{seq}番の記録が本来の位置にありません（並べ替え・差し替えの疑い）")
            return
        if not linked and seq == 1:
            yield ChainProblem(1, "AUDIT_CHAIN_BROKEN", "1番の記録がチェーンの起点につながっていません（差し替えの疑い）")
            return
        if not linked:
            yield ChainProblem(
                seq - 1,
                "AUDIT_ENTRY_REPLACED",
                f"{seq - 1}番の記録が、{seq}番の記録が指す内容と一致しません（ハッシュを付け直した差し替えの疑い）",
            )
            return
        if seq == head_seq:
            hash_at_head = stored_hash
        prev = stored_hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            yield ChainProblem(last_seq, "AUDIT_HEAD_MISSING", "チェーンの先頭情報がありません（削除の疑い）")
        elif required:
            yield ChainProblem(1, "AUDIT_CHAIN_MISSING", "この団体の監査ログがありません（全件削除の疑い）")
        return
    head_seq, head_hash = head
    if hash_at_head is not None and hash_at_head != head_hash:
        yield ChainProblem(
            head_seq, "AUDIT_HEAD_MISMATCH", f"{head_seq}番の記録がチェーンの先頭情報と一致しません（差し替えの疑い）"
        )
    elif last_seq > head_seq:
        yield ChainProblem(
            head_seq + 1,
            "AUDIT_ENTRY_INSERTED",
            f"{head_seq + 1}番以降の記録はチェーンの先頭情報（{head_seq}番まで）にありません（挿入の疑い）",
        )
    elif last_seq < head_seq:
        yield ChainProblem(
            last_seq + 1,
            "AUDIT_TAIL_MISSING",
            f"最後の記録は{head_seq}番のはずですが{last_seq}番までしかありません（末尾の削除の疑い）",
        )
