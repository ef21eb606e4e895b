"""What the 異動届 screens show: the nine kinds, the labels of every field (for the error
summary), and the read-only summary of the confirmation step — all derived from the
validated notification, never from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from municloud.errors import MuniError
from municloud.jp.codes import mask_my_number
from municloud.jp.kana import to_furigana
from municloud.jp.wareki import format_wareki, parse_date
from municloud.modules.registry.domain import ITEM_NAMES, SEX
from municloud.modules.registry.notification_forms import (
    COMMON_LABELS,
    PERSON_FIELDS,
    Form,
    person_count,
)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # 届出の名前
    description: str
    target: str  # "none" | "person" | "household": what the form acts on


KINDS = {k.key: k for k in (
    Kind("tennyu", "転入届", "他の市区町村・国外から移ってきた方（新しい世帯、または既存の世帯に入る）", "none"),
    Kind("tenkyo", "転居届", "市内での住所の変更（世帯の全員または一部）", "household"),
    Kind("tenshutsu", "転出届", "他の市区町村・国外へ移る方（転出予定・転出確定）", "household"),
    Kind("shussei", "出生届", "生まれた子をこの世帯に記録します（住民票コードを付番）", "household"),
    Kind("shibou", "死亡届", "亡くなった方の住民票を消除します（世帯主のときは新しい世帯主も）", "household"),
    Kind("setai_henko", "世帯変更届", "世帯主変更・世帯分離・世帯合併", "household"),
    Kind("shimei_henko", "氏名変更", "婚姻などによる氏名の変更（旧氏の記録も）", "person"),
    Kind("shokken_shusei", "職権修正", "記載事項の誤りを職権で修正します（理由が必要）", "person"),
    Kind("torikeshi", "取消し", "誤って登録した異動を取り消します（理由が必要）", "person"),
)}
STAGES = {"yotei": "転出予定（予定日で消除）", "kakutei": "転出確定（転入通知を受けて確定）"}
SETAI_TYPES = {"head_change": "世帯主変更", "split": "世帯分離", "merge": "世帯合併"}
DATE_HINT = "和暦（例：令和8年11月20日、R8.11.20）または西暦（例：2026-11-20）"


def labels_for(form: Form, names: dict[str, str]) -> dict[str, str]:
    """Japanese names of the fields of *form* (for the links of the error summary)."""
    labels = dict(COMMON_LABELS)
    for i in range(person_count(form)):
        for name in PERSON_FIELDS:
            labels[f"persons.{i}.{name}"] = f"{i + 1}人目の{ITEM_NAMES.get(name, name)}"
    for name in PERSON_FIELDS:
        labels[f"person.{name}"] = f"生まれた方の{ITEM_NAMES.get(name, name)}"
    for item, label in ITEM_NAMES.items():
        labels[f"changes.{item}"] = f"{label}（修正後）"
    for atena_no, name in names.items():
        labels[f"zokugara.{atena_no}"] = f"{name}の続柄"
        labels[f"remaining_zokugara.{atena_no}"] = f"{name}の続柄（残る世帯）"
    return labels


def day(value: Any) -> str:
    """A typed date as 和暦 with the 西暦 beside it (as the clerk will check it)."""
    if not value:
        return "（なし）"
    try:
        parsed = parse_date(value)
    except MuniError:
        return str(value)
    return f"{format_wareki(parsed)}（{parsed.isoformat()}）"


def kana(value: str | None) -> str:
    try:
        return to_furigana(value or "")
    except MuniError:
        return value or ""


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)

    def add(self, label: str, value: Any) -> None:
        if value not in (None, "", {}, []):
            self.rows.append((label, value if isinstance(value, str) else str(value)))


def _who(names: dict[str, str], atena_no: str | None) -> str:
    if not atena_no:
        return ""
    return f"{names.get(atena_no, '')}（宛名番号 {atena_no}）".lstrip()


def _person_section(title: str, p: Any, *, birth: Any = None) -> Section:
    s = Section(title)
    s.add("氏名", p.shimei)
    s.add("フリガナ", kana(p.shimei_kana))
    s.add("生年月日", day(birth or p.birth_date))
    s.add("性別", SEX.get(p.sex, p.sex))
    s.add("続柄", p.zokugara or "世帯主（1人の転入）")
    s.add("住民種別", p.resident_kind)
    for name in ("kyu_uji", "kyu_uji_kana", "tsusho", "tsusho_kana", "honseki", "hittosha", "nationality",
                 "zairyu_shikaku", "zairyu_kikan", "zairyu_card_no"):
        value = getattr(p, name)
        s.add(ITEM_NAMES[name], kana(value) if name.endswith("_kana") else value)
    if p.zairyu_kikan_end:
        s.add(ITEM_NAMES["zairyu_kikan_end"], day(p.zairyu_kikan_end))
    s.add("住民票コード", p.juminhyo_code or "（新たに付番します）")
    s.add("個人番号", mask_my_number(p.my_number) if p.my_number else None)
    if p.became_resident_on:
        s.add(ITEM_NAMES["became_resident_on"], day(p.became_resident_on))
    return s


def _address(s: Section, a: Any) -> None:
    s.add("住所", a.address)
    s.add("方書", a.katagaki)
    s.add("郵便番号", a.postal_code)
    s.add("住所の付加情報", "、".join(f"{k}：{v}" for k, v in a.attributes.items()))


def _relations(s: Section, names: dict[str, str], values: dict[str, str], label: str) -> None:
    for atena_no, value in values.items():
        s.add(f"{label}：{names.get(atena_no, atena_no)}", value)


def summary(kind: str, n: Any, names: dict[str, str], shown: dict[str, str] | None = None) -> list[Section]:
    """The confirmation page's sections: what will be registered, in the clerk's words.

    *shown*: 職権修正's values as shown before the change (``was.{item}``)."""
    head = Section("届出")
    head.add("届出の種類", KINDS[kind].label)
    if n.ido_date:
        head.add("異動日", day(n.ido_date))
    head.add("届出日", day(n.todoke_date) if n.todoke_date else "（なし：職権）")
    sections = [head]
    main = Section("内容")
    sections.append(main)
    who = [_who(names, a) for a in getattr(n, "atena_nos", [])]
    if kind == "tennyu":
        main.add("異動事由", "国外からの転入" if n.from_abroad else "転入")
        main.add("転入前住所", n.previous_address)
        _address(main, n.address)
        main.add("世帯", f"世帯番号 {n.join_setai_no} の世帯に入る" if n.join_setai_no else "新しい世帯をつくる")
        sections += [_person_section(f"{i + 1}人目", p) for i, p in enumerate(n.persons)]
    elif kind == "tenkyo":
        main.add("転居する方", "、".join(who))
        _address(main, n.address)
        if n.join_setai_no:
            main.add("世帯", f"世帯番号 {n.join_setai_no} の世帯に入る")
        elif n.new_household:
            main.add("世帯", f"新しい世帯をつくる（世帯主：{_who(names, n.new_head)}）")
        _relations(main, names, n.zokugara, "移った先の続柄")
        main.add("残る世帯の新しい世帯主", _who(names, n.remaining_head))
        _relations(main, names, n.remaining_zokugara, "残る世帯の続柄")
    elif kind == "tenshutsu":
        main.add("段階", STAGES.get(n.stage, n.stage))
        main.add("転出する方", "、".join(who))
        main.add("転出先住所", n.destination)
        main.add("国外への転出", "はい" if n.abroad else None)
        main.add("転入通知年月日", day(n.notified_on) if n.notified_on else None)
        main.add("残る世帯の新しい世帯主", _who(names, n.new_head))
        _relations(main, names, n.zokugara, "残る方の続柄")
    elif kind == "shussei":
        main.add("世帯番号", n.setai_no)
        sections.append(_person_section("生まれた方", n.person, birth=n.ido_date))
    elif kind == "shibou":
        main.add("亡くなった方", _who(names, n.atena_no))
        main.add("新しい世帯主", _who(names, n.new_head))
        _relations(main, names, n.zokugara, "新しい続柄")
    elif kind == "setai_henko":
        main.add("種類", SETAI_TYPES.get(n.type, n.type))
        main.add("世帯番号", n.setai_no)
        main.add("新しい世帯に移る方", "、".join(_who(names, a) for a in n.atena_nos))
        main.add("新しい世帯主", _who(names, n.new_head))
        main.add("合併先の世帯番号", n.into_setai_no)
        _relations(main, names, n.zokugara, "新しい続柄")
        main.add("残る世帯の新しい世帯主", _who(names, n.remaining_head))
        _relations(main, names, n.remaining_zokugara, "残る世帯の続柄")
    elif kind == "shimei_henko":
        main.add("対象の方", _who(names, n.atena_no))
        main.add("新しい氏名", n.shimei)
        main.add("新しい氏名のフリガナ", kana(n.shimei_kana))
        main.add("旧氏", n.kyu_uji)
    elif kind == "shokken_shusei":
        main.add("対象の方", _who(names, n.atena_no))
        for item, value in n.changes.items():
            before = (shown or {}).get(item) or "（空欄）"
            if isinstance(value, dict):
                value = "、".join(f"{k}：{v}" for k, v in value.items())
            elif item == "my_number" and value:
                before, value = "（伏せ字）", mask_my_number(value)
            main.add(f"{ITEM_NAMES.get(item, item)}", f"{before} → {value or '（空欄にする）'}")
    elif kind == "torikeshi":
        main.add("取り消す異動の異動番号", n.notification_id)
        main.add("異動日（取消しの日）", day(n.ido_date) if n.ido_date else "（今日）")
    head.add("備考・理由", n.note)
    return [s for s in sections if s.rows]


__all__ = ["DATE_HINT", "KINDS", "SETAI_TYPES", "STAGES", "Section", "labels_for", "summary"]
