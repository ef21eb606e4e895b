"""Everything an import checks before it writes: each problem is (file, row, column, reason).

Rows are streamed; only the keys other files refer to are kept in memory.  Rows must come
in strictly increasing primary-key order (as the exporter writes them), which also proves
there are no duplicates without holding every key.

Every field is checked like the same item typed into the API (``kernel.fields``, one
definition): a byte that is not UTF-8 (``IMPORT_BAD_ENCODING``, the file is read with
``surrogateescape`` so the report can name the row, column and byte instead of failing on
the file), a text column holding a declared item (氏名, 住所 …) by that item's character
policy and maximum length (``INPUT_CHARACTER_NOT_ALLOWED``, ``INPUT_TOO_LONG`` …), any other
text by what its column can store (no NUL, not longer than the column), dates by the
platform's range and integers by their column's type.  Each is one report line; nothing is
loaded.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from municloud.errors import ValidationError
from municloud.interchange.codec import ENCODING, BadValue, decode
from municloud.interchange.layout import LAYOUT_VERSION, Column, Entity
from municloud.jp.codes import (
    validate_juminhyo_code,
    validate_local_government_code,
    validate_my_number,
)
from municloud.jp.policy import check_date, unstorable
from municloud.kernel.audit.chain import check_chain, entry_fields
from municloud.kernel.db import Base
from municloud.kernel.fields import for_column

VALIDATORS = {"juminhyo_code": validate_juminhyo_code, "my_number": validate_my_number}
ALIASES = {("registry_residents", ("atena_no",)): ("registry_resident_history", ("atena_no",))}


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # data row number (1 = first row after the header); 0 = the whole file
    column: str
    reason: str
    code: str


@dataclass
class Checks:
    directory: Path
    tenant_code: str
    entities: tuple[Entity, ...]
    taken_usernames: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    def add(self, file: str, row: int, column: str, reason: str, code: str) -> None:
        self.problems.append(Problem(file, row, column, reason, code))

    def run(self) -> list[Problem]:
        if not self._manifest():
            return self.problems
        refs = {e.table: _references(e) for e in self.entities}
        wanted = {target for r in refs.values() for _, target in r}
        keys: dict[tuple, set] = {w: set() for w in wanted}
        head = None
        for entity in self.entities:
            rows = self.rows(entity)
            if entity.table == "audit_entries":
                rows = self._chain(entity, rows, head)
            for n, row in rows:
                for cols, target in refs[entity.table]:
                    value = tuple(row[c] for c in cols)
                    if None not in value and value not in keys[target]:
                        self.add(entity.file, n, _header(entity, cols[0]),
                                 f"参照先がありません（{target[0]} の {', '.join(target[1])} = {', '.join(map(str, value))}）",
                                 "IMPORT_DANGLING_REFERENCE")
                for (table, cols), bag in keys.items():
                    if table == entity.table:
                        bag.add(tuple(row[c] for c in cols))
                if entity.table == "audit_chain_heads":
                    head = (row["last_seq"], row["last_hash"])
                if entity.table == "users" and row["username"] in self.taken_usernames:
                    self.add(entity.file, n, _header(entity, "username"),
                             f"利用者名「{row['username']}」は取り込み先ですでに使われています", "IMPORT_USER_EXISTS")
        return self.problems

    def _manifest(self) -> bool:
        path = self.directory / "manifest.json"
        try:
            self.manifest = json.loads(path.read_text(encoding=ENCODING))
        except (OSError, ValueError) as exc:
            self.add("manifest.json", 0, "", f"manifest.json を読めません（{exc}）", "IMPORT_MANIFEST_UNREADABLE")
            return False
        m = self.manifest
        if m.get("layout_version") != LAYOUT_VERSION:
            self.add("manifest.json", 0, "layout_version",
                     f"レイアウトの版 {m.get('layout_version')} には対応していません（{LAYOUT_VERSION}）", "IMPORT_LAYOUT_VERSION")
        try:
            validate_local_government_code(str(m.get("tenant_code")))
        except ValidationError as exc:
            self.add("manifest.json", 0, "tenant_code", exc.message, "IMPORT_BAD_TENANT_CODE")
        if m.get("tenant_code") != self.tenant_code:
            self.add("manifest.json", 0, "tenant_code",
                     f"書き出した団体（{m.get('tenant_code')}）と取り込み先の団体（{self.tenant_code}）が違います"
                     "（監査ログのハッシュに団体コードが含まれるため取り込めません）", "IMPORT_TENANT_MISMATCH")
        from municloud.interchange.exporter import sha256_of

        files = m.get("files") or {}
        for entity in self.entities:
            info, path = files.get(entity.file), self.directory / entity.file
            if info is None or not path.exists():
                self.add(entity.file, 0, "", "ファイルがありません（manifest.json または取り込み元）", "IMPORT_FILE_MISSING")
            elif sha256_of(path) != info.get("sha256"):
                self.add(entity.file, 0, "", "SHA-256 が manifest.json と一致しません（破損・改変の疑い）", "IMPORT_CHECKSUM")
        return not self.problems

    def rows(self, entity: Entity) -> Iterator[tuple[int, dict]]:
        """Decoded rows of *entity*, each checked on its own (types, codes, check digits, order)."""
        path = self.directory / entity.file
        pk = [c.name for c in Base.metadata.tables[entity.table].primary_key.columns if c.name != "tenant_code"]
        if entity.table == "users":
            pk = ["username"]
        history = entity.table == "registry_resident_history"
        previous = None
        count = 0
        with path.open(encoding=ENCODING, errors="surrogateescape", newline="") as f:
            reader = csv.reader(f, strict=True)
            try:
                header = next(reader, [])
                if header != entity.headers:
                    self.add(entity.file, 0, "", f"見出し行がレイアウトと違います（期待: {','.join(entity.headers)}）",
                             "IMPORT_BAD_HEADER")
                    return
                for count, fields in enumerate(reader, 1):
                    row = self._row(entity, count, fields)
                    if row is None:
                        continue
                    key = tuple(row[c] for c in pk)
                    if previous is not None and None not in key and not key > previous:
                        self.add(entity.file, count, _header(entity, pk[-1]), "主キーの順に並んでいないか、重複しています",
                                 "IMPORT_ORDER")
                    if history:
                        expected = previous[1] + 1 if previous and previous[0] == key[0] else 1
                        if key[1] != expected:
                            self.add(entity.file, count, "履歴番号",
                                     f"宛名番号 {key[0]} の履歴番号は {expected} のはずですが {key[1]} です（欠番・重複）",
                                     "IMPORT_RIREKI_GAP")
                    previous = key
                    yield count, row
            except csv.Error as exc:
                self.add(entity.file, count + 1, "", f"CSV として読めません（{exc}）", "IMPORT_BAD_CSV")
        expected_rows = (self.manifest.get("files") or {}).get(entity.file, {}).get("rows")
        if expected_rows != count:
            self.add(entity.file, 0, "", f"行数 {count} が manifest.json の {expected_rows} と違います", "IMPORT_ROW_COUNT")

    def _row(self, entity: Entity, n: int, fields: list[str]) -> dict | None:
        if len(fields) != len(entity.columns):
            self.add(entity.file, n, "", f"項目の数が {len(fields)} です（{len(entity.columns)} のはず）", "IMPORT_FIELD_COUNT")
            return None
        row, ok = {}, True
        for column, text in zip(entity.columns, fields, strict=True):
            bad = _INVALID_BYTE.search(text)
            if bad:
                self.add(entity.file, n, column.header,
                         f"UTF-8 として正しくないバイト 0x{ord(bad.group()) - 0xDC00:02X} があります（文字コードは UTF-8）",
                         "IMPORT_BAD_ENCODING")
                ok = False
                continue
            try:
                value = decode(column.type, text, required=column.required)
                if value not in (None, "") and column.codes and value not in column.codes:
                    raise BadValue(f"コード値「{value}」は使えません（{' / '.join(column.codes)}）")
                problem = _value_problem(entity.table, column, value)
                if problem is not None:
                    self.add(entity.file, n, column.header, *problem)
                    ok, value = False, None
                    continue
                if value and column.check:
                    try:
                        VALIDATORS[column.check](value)
                    except ValidationError as exc:
                        self.add(entity.file, n, column.header, exc.message, "IMPORT_CHECK_DIGIT")
                        ok = False
            except BadValue as exc:
                self.add(entity.file, n, column.header, str(exc), "IMPORT_BAD_VALUE")
                ok, value = False, None
            row[column.name] = value
        return row if ok else None

    def _chain(self, entity: Entity, rows, head) -> Iterator[tuple[int, dict]]:
        """Recompute the audit hash chain over *rows* (streamed), then pass on what is left."""
        names = ("seq", "occurred_at", "actor", "actor_id", "action", "outcome", "subjects", "request_id",
                 "client_addr", "terminal", "my_number_shown", "detail")

        def feed():
            for _n, row in rows:
                fields = entry_fields(tenant_code=self.tenant_code, **{k: row[k] for k in names})
                yield fields, row["prev_hash"], row["hash"]

        for problem in check_chain(feed(), head, required=True):
            self.add(entity.file, problem.seq, "ハッシュ", f"監査ログのハッシュチェーン: {problem.message}",
                     problem.reason_code)
        yield from rows  # after a first problem: the remaining rows are still checked and counted


_INVALID_BYTE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of a byte that is not UTF-8
_INT_RANGE = {"BigInteger": 2**63, "Integer": 2**31}


@cache
def _limits(table: str, column: str):
    """(declared item, column length, integer bound) of ``table.column``."""
    sa_column = Base.metadata.tables[table].c[column]
    bound = next((b for name, b in _INT_RANGE.items() if type(sa_column.type).__name__ == name), 2**63)
    return for_column(table, column), getattr(sa_column.type, "length", None), bound


def _value_problem(table: str, column: Column, value) -> tuple[str, str] | None:
    """(reason, code) when *value* breaks its item's rules or cannot be stored in its column."""
    if value is None or value == "":
        return None
    item, length, bound = _limits(table, column.name)
    if isinstance(value, str) and column.type == "text":
        if item is not None:
            problem = item.problem(value)
            return (item.message(problem), problem.code) if problem else None
        found = unstorable(value)
        if found:
            return f"{column.header}に{found[1].reason}", found[1].code
        if length is not None and len(value) > length:
            return f"{column.header}は{length}文字以内です（{len(value)}文字あります）", "INPUT_TOO_LONG"
        return None
    if column.type == "json":
        found = unstorable(value)
        return (f"{found[0] or column.header}：{found[1].reason}", found[1].code) if found else None
    if column.type == "date":
        try:
            check_date(value)
        except ValidationError as exc:
            return exc.message, exc.code
    if column.type == "int" and not -bound <= value < bound:
        return f"整数が大きすぎます（{-bound} 以上 {bound - 1} 以下）", "IMPORT_BAD_VALUE"
    return None


def _header(entity: Entity, name: str) -> str:
    return next((c.header for c in entity.columns if c.name == name), name)


def _references(entity: Entity) -> list[tuple[tuple[str, ...], tuple[str, tuple[str, ...]]]]:
    """(columns, (referred table, referred columns)) of every foreign key but the tenant's."""
    if entity.table == "memberships":
        return [(("user_id",), ("users", ("username",)))]
    out = []
    for fk in Base.metadata.tables[entity.table].foreign_key_constraints:
        pairs = [(e.parent.name, e.column.name) for e in fk.elements if e.parent.name != "tenant_code"]
        target = (fk.referred_table.name, tuple(t for _, t in pairs))
        if fk.referred_table.name == "registry_residents" or target[0] == "registry_resident_history":
            target = ALIASES.get(target, ("registry_resident_history", ("atena_no",)))
            pairs = [(p, t) for p, t in pairs if t == "atena_no"]
        out.append((tuple(p for p, _ in pairs), target))
    return out
