"""Looking at the registry: search, a resident, their history, a household. All audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select

from municloud.errors import NotFoundError, ValidationError
from municloud.jp.address import address_search_key
from municloud.jp.age import age_on
from municloud.jp.chars import name_search_key
from municloud.jp.codes import validate_juminhyo_code
from municloud.jp.kana import is_kana_query, kana_search_key
from municloud.jp.wareki import parse_date
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry import repository as repo
from municloud.modules.registry.catalog import (
    A_HISTORY,
    A_HOUSEHOLD,
    A_MY_NUMBER,
    A_SEARCH,
    A_VIEW,
    P_MY_NUMBER,
    P_SEARCH,
    P_VIEW,
)
from municloud.modules.registry.domain import RESIDENT, Person
from municloud.modules.registry.moves import SHIBOU
from municloud.modules.registry.orm import Household, ResidentIndex, ResidentRecord
from municloud.modules.registry.services.support import protected_among
from municloud.modules.registry.services.towns import town_query
from municloud.modules.registry.views import (
    HistoryEntry,
    HouseholdView,
    ResidentDetail,
    ResidentSummary,
    SearchHit,
    detail,
    history_entry,
    summary,
)

MAX_RESULTS = 200
#: The deepest row a search pages to: past it the clerk narrows the search instead.
MAX_OFFSET = 100_000


@dataclass(frozen=True)
class SearchQuery:
    """検索条件. ``q`` is interpreted: 住民票コード (11 digits), a date (西暦/和暦), kana, or a name."""

    q: str | None = None
    name: str | None = None
    kana: str | None = None
    birth_date: str | None = None
    address: str | None = None
    juminhyo_code: str | None = None
    include_removed: bool = False
    limit: int = 50  # rows per page (at most MAX_RESULTS)
    offset: int = 0  # rows skipped (page n of size l: offset (n-1)*l)


def _town_in_query(uow: UnitOfWork, q: str) -> tuple[str, str] | None:
    """The search box's *q* when it names a 町字 of the tenant's 住所マスター in force today
    (館町北, 大字成田, 本町一丁目3番…): (address key, name key) — the box then finds those who
    live there *and* those whose name begins with it (成田 is a 町字 and a surname)."""
    return (address_search_key(q), name_search_key(q)) if town_query(uow, q, today_jst()) else None


def _town_condition(keys: tuple[str, str]):
    address, name = keys
    return or_(ResidentIndex.address_key.contains(address, autoescape=True),
               _prefix(ResidentIndex.name_key, name), _prefix(ResidentIndex.alt_name_key, name))


def _interpret(query: SearchQuery, town: tuple[str, str] | None = None) -> dict[str, object]:
    criteria: dict[str, object] = {}
    q = (query.q or "").strip()
    if q and town:
        criteria["town"] = town
    elif q:
        digits = q.translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace("-", "")
        if digits.isdigit() and len(digits) == 11:
            criteria["juminhyo_code"] = validate_juminhyo_code(digits)
        elif any(c.isdigit() for c in q):
            # names hold no digits: a query with digits is a date, and a wrong one is reported
            # (昭和64年1月8日 must say so, not silently find nobody)
            criteria["birth_date"] = parse_date(q)
        elif is_kana_query(q):
            criteria["kana"] = kana_search_key(q)
        else:
            criteria["name"] = name_search_key(q)
    if query.name:
        criteria["name"] = name_search_key(query.name)
    if query.kana:
        criteria["kana"] = kana_search_key(query.kana)
    if query.birth_date:
        criteria["birth_date"] = parse_date(query.birth_date)
    if query.address:
        criteria["address"] = address_search_key(query.address)
    if query.juminhyo_code:
        criteria["juminhyo_code"] = validate_juminhyo_code(query.juminhyo_code)
    if not criteria or all(v in ("", None) for v in criteria.values()):
        raise ValidationError("REGISTRY_SEARCH_EMPTY", "検索条件を入力してください", fields={"q": "検索条件を入力してください"})
    return criteria


def _prefix(column, key: str):
    """``column`` starts with ``key``, as a range the B-tree index serves on SQLite and
    PostgreSQL alike (SQLite's LIKE is case-insensitive and skips the index; a range also
    needs no escaping of % and _)."""
    return and_(column >= key, column < key + "\U0010FFFF")


@dataclass(frozen=True)
class SearchPage:
    """One page of search results (検索結果): ``total`` people match, ``rows`` are those from
    ``offset`` (0-based) on, at most ``limit``."""

    rows: list[SearchHit]
    total: int
    offset: int
    limit: int

    @property
    def first(self) -> int:
        """Number (1-based) of the first row shown (「n件中 a〜b件」's a); 0 when none."""
        return self.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)


def _starts(value: str | None, key: object) -> bool:
    return value is not None and value.startswith(str(key))


def _matched_by(row, person: Person, criteria: dict[str, object]) -> list[str]:
    """Why *row* matched (一致した項目): a name or フリガナ the person's own key does not start
    with was found through the alternative key — the 旧氏's or the 通称's — and says so."""
    alternative = "tsusho" if person.tsusho else "kyu_uji"
    reasons: list[str] = []
    for criterion, own in (("name", row.name_key), ("kana", row.kana_key)):
        if criterion in criteria:
            found = criterion if _starts(own, criteria[criterion]) else alternative
            if found not in reasons:
                reasons.append(found)
    reasons += [c for c in ("birth_date", "address", "juminhyo_code") if c in criteria]
    if "town" in criteria:  # a 町字 of the 住所マスター typed in the box: its residents, or a name
        address, name = criteria["town"]
        reasons += [r for r, hit in (("address", address in (row.address_key or "")), ("name", _starts(row.name_key, name)))
                    if hit] or [alternative]
    return reasons


def _hit(row, person: Person, criteria: dict[str, object], *, protected: bool, heads: dict[str, str],
         today: date) -> SearchHit:
    matched_by = _matched_by(row, person, criteria)
    alt = person.tsusho if "tsusho" in matched_by else person.kyu_uji if "kyu_uji" in matched_by else None
    return SearchHit(**summary(person, protected=protected), age=_age(person, today), matched_by=matched_by,
                     matched_alt=alt, head_shimei=_head_of(person, heads)[1])


def _head_of(person: Person, heads: dict[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    """The 世帯主 (宛名番号, 氏名) shown beside a resident's row (none beside a 除票)."""
    return heads.get(person.setai_no, (None, None)) if person.status == RESIDENT else (None, None)


def _age(person: Person, today: date) -> int:
    """年齢 today; a deceased person's stops at the day of death (死亡時の年齢)."""
    died = person.removed_on if person.removal_reason == SHIBOU else None
    return age_on(person.birth_date, died or today)


def _head_names(uow: UnitOfWork, persons: dict[str, Person]) -> dict[str, tuple[str, str]]:
    """世帯主 of each current household of the residents among *persons* (setai_no →
    (宛名番号, 氏名)), one query: the 氏名 is shown, so the 宛名番号 is audited."""
    setai_nos = {p.setai_no for p in persons.values() if p.status == RESIDENT}
    if not setai_nos:
        return {}
    current = ((ResidentRecord.tenant_code == ResidentIndex.tenant_code) & (ResidentRecord.atena_no == ResidentIndex.atena_no)
               & (ResidentRecord.rireki_no == ResidentIndex.rireki_no))
    return {setai_no: (atena_no, shimei) for setai_no, atena_no, shimei in uow.session.execute(
        select(ResidentIndex.setai_no, ResidentIndex.atena_no, ResidentRecord.shimei).join(ResidentRecord, current).where(
            ResidentIndex.setai_no.in_(setai_nos), ResidentIndex.is_head, ResidentIndex.status == RESIDENT)
    ).all()}


def search_residents(uow: UnitOfWork, ctx: Context, query: SearchQuery) -> SearchPage:
    """Search within the tenant (住民検索); 除票 only when ``include_removed``.

    Returns one page (``query.offset``, ``query.limit``) in フリガナ order with the number of
    all matches (``total``, counted by the same query); each row says why it matched."""
    with uow:
        uow.require(ctx, P_SEARCH, A_SEARCH)
        criteria = _interpret(query, _town_in_query(uow, query.q.strip()) if query.q and query.q.strip() else None)
        stmt = select(ResidentIndex.atena_no, ResidentIndex.name_key, ResidentIndex.kana_key, ResidentIndex.address_key)
        if not query.include_removed:
            stmt = stmt.where(ResidentIndex.status == RESIDENT)
        if "name" in criteria:
            key = criteria["name"]
            stmt = stmt.where(or_(_prefix(ResidentIndex.name_key, key), _prefix(ResidentIndex.alt_name_key, key)))
        if "kana" in criteria:
            key = criteria["kana"]
            stmt = stmt.where(or_(_prefix(ResidentIndex.kana_key, key), _prefix(ResidentIndex.alt_kana_key, key)))
        if "birth_date" in criteria:
            stmt = stmt.where(ResidentIndex.birth_date == criteria["birth_date"])
        if "address" in criteria:
            stmt = stmt.where(ResidentIndex.address_key.contains(criteria["address"], autoescape=True))
        if "juminhyo_code" in criteria:
            stmt = stmt.where(ResidentIndex.juminhyo_code == criteria["juminhyo_code"])
        if "town" in criteria:
            stmt = stmt.where(_town_condition(criteria["town"]))
        limit = max(1, min(query.limit, MAX_RESULTS))
        offset = max(0, min(query.offset, MAX_OFFSET))
        # Order by an expression (kana_key || ''), not the column: otherwise SQLite walks the
        # kana index in order and filters row by row (seconds on a big city) instead of
        # taking the few matches from the name/kana/birth indexes and sorting them.
        order = (ResidentIndex.kana_key.concat(""), ResidentIndex.atena_no)
        rows = uow.session.execute(stmt.order_by(*order).limit(limit).offset(offset)).all()
        total = offset + len(rows)  # exact when the page is not full and not past the end
        if len(rows) == limit or (offset and not rows):
            total = uow.session.scalar(select(func.count()).select_from(stmt.subquery()))
        atena_nos = [r.atena_no for r in rows]
        persons = repo.load_persons(uow, atena_nos)
        protected = protected_among(uow, atena_nos)
        heads = _head_names(uow, persons)
        today = today_jst()
        results = [_hit(r, persons[r.atena_no], criteria, protected=r.atena_no in protected, heads=heads, today=today)
                   for r in rows]
        shown_heads = [a for p in persons.values() if (a := _head_of(p, heads)[0])]
        uow.audit.record(
            ctx,
            A_SEARCH,  # the rows found and the 世帯主 whose 氏名 they show
            subjects=[f"resident:{a}" for a in dict.fromkeys(atena_nos + shown_heads)],
            detail={"criteria": sorted(criteria), "include_removed": query.include_removed, "hits": len(results),
                    "total": total, "offset": offset},
        )
        uow.commit()
        return SearchPage(rows=results, total=total, offset=offset, limit=limit)


def get_resident(uow: UnitOfWork, ctx: Context, atena_no: str, *, show_my_number: bool = False) -> ResidentDetail:
    """A resident's current record (住民票の表示). 個人番号 only with its permission, audited."""
    with uow:
        uow.require(ctx, P_VIEW, A_VIEW, subjects=[f"resident:{atena_no}"])
        if show_my_number:
            uow.require(ctx, P_MY_NUMBER, A_MY_NUMBER, subjects=[f"resident:{atena_no}"])
        person = repo.load_persons(uow, [atena_no])[atena_no]
        protected = bool(protected_among(uow, [atena_no]))
        shown = show_my_number and person.my_number is not None
        uow.audit.record(ctx, A_MY_NUMBER if shown else A_VIEW, subjects=[f"resident:{atena_no}"], my_number_shown=shown)
        uow.commit()
        return ResidentDetail(**detail(person, protected=protected, show_my_number=shown))


def get_residents(uow: UnitOfWork, ctx: Context, atena_nos: list[str]) -> list[ResidentSummary]:
    """Several residents' summaries (氏名・フリガナ…) at once, e.g. those a 異動届 just changed;
    one audit entry naming them all. Unknown 宛名番号: NotFoundError."""
    with uow:
        subjects = [f"resident:{a}" for a in atena_nos]
        uow.require(ctx, P_VIEW, A_VIEW, subjects=subjects)
        persons = repo.load_persons(uow, atena_nos)
        protected = protected_among(uow, atena_nos)
        uow.audit.record(ctx, A_VIEW, subjects=subjects)
        uow.commit()
        return [ResidentSummary(**summary(persons[a], protected=a in protected)) for a in atena_nos]


def get_history(uow: UnitOfWork, ctx: Context, atena_no: str) -> list[HistoryEntry]:
    """Every snapshot of a resident (履歴), oldest first; 個人番号 masked; each row says
    whether its notification was made after the 届出期間 (届出期間経過)."""
    with uow:
        uow.require(ctx, P_VIEW, A_HISTORY, subjects=[f"resident:{atena_no}"])
        records = repo.history(uow, atena_no)
        protected = bool(protected_among(uow, [atena_no]))
        late = repo.late_notifications(uow, {r.notification_id for r in records})
        entries = [history_entry(r, repo.to_person(r), protected=protected, late=r.notification_id in late)
                   for r in records]
        uow.audit.record(ctx, A_HISTORY, subjects=[f"resident:{atena_no}"])
        uow.commit()
        return entries


def get_household(uow: UnitOfWork, ctx: Context, setai_no: str) -> HouseholdView:
    """A household with its current members, head first (世帯の表示)."""
    with uow:
        uow.require(ctx, P_VIEW, A_HOUSEHOLD, subjects=[f"household:{setai_no}"])
        household = uow.session.get(Household, (uow.tenant_code, setai_no))
        if household is None:
            raise NotFoundError("REGISTRY_HOUSEHOLD_NOT_FOUND", f"世帯番号 {setai_no} の世帯は見つかりません")
        atena_nos = repo.household_atena_nos(uow, setai_no)
        persons = repo.load_persons(uow, atena_nos)
        protected = protected_among(uow, atena_nos)
        members = [ResidentSummary(**summary(persons[a], protected=a in protected)) for a in atena_nos]
        head = next((m.atena_no for m in members if m.zokugara == "世帯主"), None)
        uow.audit.record(
            ctx, A_HOUSEHOLD, subjects=[f"household:{setai_no}"] + [f"resident:{a}" for a in atena_nos]
        )
        uow.commit()
        return HouseholdView(
            setai_no=setai_no,
            head_atena_no=head,
            address=members[0].address if members else None,
            created_on=household.created_on,
            dissolved_on=household.dissolved_on,
            members=members,
        )


__all__ = ["SearchPage", "SearchQuery", "date", "get_history", "get_household", "get_resident", "get_residents",
           "search_residents"]
