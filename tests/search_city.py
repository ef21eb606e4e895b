"""A small city where one kana name is common (56 people found by 「タカハシ」), for the
search-paging tests of the screens, the API and the browser journey."""

from __future__ import annotations

from dataclasses import dataclass

from tests.factories import move_in, person

KANA = "アイウエオカキクケコ"
COMMON = "タカハシ"
PER_HOUSEHOLD = 20


@dataclass
class CommonName:
    takahashi: list[str]  # 宛名番号 of the 高橋 family members, in フリガナ order
    kyu_uji: str  # 佐藤　花子 née 高橋 (旧氏 recorded): found by タカハシ through her 旧氏
    head_of: dict[str, str]  # 宛名番号 → 世帯主の氏名
    total: int


def common_name_city(platform, ctx, count: int = 55) -> CommonName:
    """*count* people called 高橋 (three households of up to 20) and one 佐藤 whose 旧氏 is 高橋."""
    givens = [a + b for a in KANA for b in KANA][:count]
    atena, head_of = [], {}
    for start in range(0, count, PER_HOUSEHOLD):
        chunk = givens[start:start + PER_HOUSEHOLD]
        people = [person(f"高橋　{'太郎' if i == 0 else '次郎'}", f"{COMMON}　{g}", "1980-04-01" if i == 0 else "2001-02-03",
                         "1", "世帯主" if i == 0 else "子") for i, g in enumerate(chunk)]
        result = move_in(platform, ctx, people, address=f"山形県長井市本町一丁目{start + 1}番1号")
        atena += result.atena_nos
        head_of.update({a: "高橋　太郎" for a in result.atena_nos})
    married = move_in(platform, ctx, [person("佐藤　花子", "サトウ　ハナコ", "1985-05-05", "2", kyu_uji="高橋",
                                             kyu_uji_kana="タカハシ")]).atena_nos[0]
    head_of[married] = "佐藤　花子"
    return CommonName(takahashi=atena, kyu_uji=married, head_of=head_of, total=count + 1)
