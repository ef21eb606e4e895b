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


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason_code: str  # AUDIT_ENTRY_MODIFIED / AUDIT_ENTRY_MISSING / AUDIT_CHAIN_BROKEN / AUDIT_TAIL_MISSING
    message: str


def check_chain(
    rows: Iterable[tuple[dict, str, str]], head: tuple[int, str] | None
) -> Iterator[ChainProblem]:
    """Yield the problems of one tenant's chain, in order.

    *rows* are ``(fields, prev_hash, hash)`` ordered by ``seq``; *head* is the stored
    ``(last_seq, last_hash)``.  Detects a modified entry (hash differs from its content),
    a deleted entry (gap in seq), an inserted or reordered entry (prev_hash does not link
    to the previous entry), and a removed tail (head points past the last entry).
    """
    expected_seq = 1
    prev = GENESIS
    for fields, prev_hash, stored_hash in rows:
        seq = fields["seq"]
        if seq != expected_seq:
            yield ChainProblem(
                expected_seq,
                "AUDIT_ENTRY_MISSING",
                f"{expected_seq}番の記録がありません（削除の疑い）",
            )
            return
        if compute_hash(prev_hash, fields) != stored_hash:
            yield ChainProblem(seq, "AUDIT_ENTRY_MODIFIED", f"{seq}番の記録の内容がハッシュと一致しません（改ざんの疑い）")
            return
        if prev_hash != prev:
            yield ChainProblem(seq, "AUDIT_CHAIN_BROKEN", f"{seq}番の記録が直前の記録とつながっていません（挿入・並べ替えの疑い）")
            return
        prev = stored_hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            yield ChainProblem(last_seq, "AUDIT_HEAD_MISSING", "チェーンの先頭情報がありません")
        return
    if head[0] != last_seq or head[1] != prev:
        yield ChainProblem(
            min(head[0], last_seq) + 1,
            "AUDIT_TAIL_MISSING",
            f"最後の記録が{head[0]}番のはずですが{last_seq}番までしかありません（末尾の削除・差し替えの疑い）"
            if head[0] != last_seq
            else f"{last_seq}番の記録がチェーンの先頭情報と一致しません",
        )
